"""The calendar, sessions (scheduled, moved, cancelled, attendance, the families' answers to
their invitations) and progress notes.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flash.session_scheduled": ("Sesi dijadwalkan.", "Session scheduled."),
    "flash.session_rescheduled": (
        "Sesi dipindah ke {moment}; keluarga yang diundang diberi tahu.",
        "Session moved to {moment}; invited families are told.",
    ),
    "flash.note_added": ("Catatan disimpan.", "Note saved."),
    "flash.attendance_recorded": ("Kehadiran dicatat.", "Attendance recorded."),
    "flash.session_cancelled": (
        "Sesi dibatalkan; pengingat yang belum terkirim dibatalkan juga.",
        "Session cancelled; reminders not yet sent are cancelled too.",
    ),
    "field.session_kind": ("Jenis sesi", "Kind of session"),
    "field.day": ("Tanggal", "Date"),
    "field.time": ("Jam", "Time"),
    "field.duration_minutes": ("Durasi (menit)", "Duration (minutes)"),
    "field.location": ("Tempat", "Place"),
    "field.title": ("Judul", "Title"),
    "field.note_kind": ("Jenis catatan", "Kind of note"),
    "field.note_text": ("Catatan", "Note"),
    "field.obstacles": ("Hambatan yang ditemui", "Obstacles met"),
    "field.when": ("Waktu", "When"),
    "field.attendance": ("Kehadiran klien", "The client's attendance"),
    "field.family_attended": ("Keluarga hadir", "The family came"),
    "hint.reschedule_session": (
        "Jam menurut zona waktu yayasan ({tz}). Keluarga yang diundang diberi tahu jadwal "
        "barunya, dan pengingatnya ikut pindah.",
        "Time in the foundation's time zone ({tz}). Invited families are told the new time, "
        "and their reminder moves with it.",
    ),
    "hint.family_session": (
        "Jam menurut zona waktu yayasan ({tz}). Sesi keluarga mengundang keluarga yang "
        "menyetujui, lalu mengingatkan mereka 24 jam sebelumnya.",
        "Time in the foundation's time zone ({tz}). A family session invites consenting "
        "families and reminds them 24 hours before.",
    ),
    "hint.crisis": (
        "Catatan krisis langsung memberi tahu staf.",
        "A crisis note alerts staff at once.",
    ),
    "hint.cancel_session": (
        "Pengingat yang belum terkirim dibatalkan; keluarga yang diundang diberi tahu.",
        "Reminders not yet sent are cancelled; invited families are told.",
    ),
    "client.schedule_session": ("Jadwalkan sesi", "Schedule a session"),
    "client.schedule_submit": ("Jadwalkan", "Schedule"),
    "client.add_note": ("Tambah catatan", "Add a note"),
    "client.note_submit": ("Simpan catatan", "Save note"),
    "client.sessions": ("Sesi", "Sessions"),
    "client.no_sessions": ("Belum ada sesi.", "No sessions yet."),
    "client.minutes": ("{n} menit", "{n} min"),
    "client.notes": ("Catatan perkembangan", "Notes"),
    "client.no_notes": ("Belum ada catatan.", "No notes yet."),
    "client.attendance": ("Catat kehadiran", "Take attendance"),
    "client.attendance_submit": ("Simpan kehadiran", "Save attendance"),
    "client.family_came": ("keluarga hadir", "family came"),
    "client.family_did_not_come": ("keluarga tidak hadir", "family did not come"),
    "client.cancel_session": ("Batalkan sesi", "Cancel the session"),
    "client.reschedule_session": ("Pindah jadwal", "Reschedule"),
    "client.reschedule_submit": ("Simpan jadwal baru", "Save the new time"),
    "client.cancel_session_submit": ("Ya, batalkan sesi ini", "Yes, cancel this session"),
    "session.family_rsvp": ("Jawaban keluarga", "The family's answer"),
    "session.family_rsvp_none": ("keluarga belum menjawab", "no answer from the family yet"),
    "calendar.title": ("Kalender sesi", "Session calendar"),
    "calendar.previous": ("Minggu lalu", "Previous week"),
    "calendar.this_week": ("Minggu ini", "This week"),
    "calendar.next": ("Minggu depan", "Next week"),
}
