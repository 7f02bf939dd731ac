"""A client's course of care: the assessment (ASAM ratings, the level of care), the
treatment plan's goals, placement in a programme, discharge and follow-ups.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flash.assessment_completed": (
        "Asesmen selesai. Tingkat layanan yang disarankan: {recommended}.",
        "Assessment completed. Recommended level of care: {recommended}.",
    ),
    "flash.assessment_overridden": (
        "Asesmen selesai. Disarankan: {recommended}; dipakai: {level}.",
        "Assessment completed. Recommended: {recommended}; chosen: {level}.",
    ),
    "flash.placed": (
        "Klien ditempatkan di {programme} mulai {day}.",
        "Placed in {programme} from {day}.",
    ),
    "flash.discharged": (
        "Perawatan diakhiri. Bimbingan lanjut jatuh tempo: {dates}.",
        "Discharged. Follow-ups due: {dates}.",
    ),
    "flash.followup_recorded": ("Hasil bimbingan lanjut dicatat.", "Follow-up outcome recorded."),
    "flash.goal_added": ("Tujuan ditambahkan ke rencana perawatan.", "Goal added to the plan."),
    "flash.goal_updated": ("Status tujuan kini: {status}.", "The goal is now: {status}."),
    "error.override_reason": (
        "Tuliskan alasan memakai tingkat layanan lain.",
        "Give the reason for choosing another level.",
    ),
    "error.override_level": (
        "Pilih tingkat layanan yang dipakai, atau kosongkan alasannya.",
        "Choose the level used instead, or leave the reason empty.",
    ),
    "error.too_many_lines": ("Paling banyak {n} baris.", "At most {n} lines."),
    "error.line_too_long": (
        "Setiap baris paling banyak {length} karakter.",
        "At most {length} characters a line.",
    ),
    "field.strengths": ("Kekuatan", "Strengths"),
    "field.limitations": ("Keterbatasan", "Limitations"),
    "field.assessment_notes": ("Catatan asesmen", "Assessment notes"),
    "field.level_override": ("Tingkat layanan lain", "Another level of care"),
    "field.override_reason": ("Alasan memakai tingkat lain", "Reason for another level"),
    "field.start_on": ("Mulai tanggal", "Starts on"),
    "field.discharge_reason": ("Alasan selesai", "Reason"),
    "field.discharged_on": ("Tanggal selesai", "Discharged on"),
    "field.outcome": ("Hasil", "Outcome"),
    "field.followup_notes": ("Catatan", "Notes"),
    "hint.dimensions": (
        "Nilai tiap dimensi ASAM dari 0 (tidak ada masalah) sampai 4 (sangat berat). "
        "Tingkat layanan dihitung dari nilai ini.",
        "Rate each ASAM dimension from 0 (no problem) to 4 (very severe). The level of "
        "care is worked out from these ratings.",
    ),
    "hint.one_per_line": ("Satu per baris.", "One per line."),
    "hint.level_override": (
        "Hanya jika memakai tingkat yang berbeda dari yang disarankan; wajib dengan alasan.",
        "Only when using a level other than the recommended one; needs a reason.",
    ),
    "hint.no_programmes": (
        "Belum ada program; admin menambahkannya di halaman Program.",
        "No programmes yet; an admin adds them on the Programmes page.",
    ),
    "hint.discharge": (
        "Bimbingan lanjut dijadwalkan 30, 90 dan 180 hari setelah tanggal selesai.",
        "Follow-ups are scheduled 30, 90 and 180 days after the discharge date.",
    ),
    "client.care": ("Perawatan", "Care"),
    "client.assessment": ("Asesmen", "Assessment"),
    "client.due_at": ("jatuh tempo {due}", "due {due}"),
    "client.recommended_level": ("Tingkat layanan yang disarankan", "Recommended level of care"),
    "client.chosen_level": ("dipilih", "chosen"),
    "client.placement": ("Penempatan", "Placement"),
    "client.since": ("sejak {day}", "since {day}"),
    "client.admitted_on": ("Masuk", "Admitted"),
    "client.care_unknown": (
        "Layanan asesmen belum mengenal klien ini; muat ulang sebentar lagi.",
        "The assessment service does not know this client yet; reload shortly.",
    ),
    "client.discharged_on": ("Selesai", "Discharged"),
    "client.findings": ("Rincian asesmen", "Assessment details"),
    "client.complete_assessment": ("Lengkapi asesmen", "Complete the assessment"),
    "client.assessment_submit": ("Simpan asesmen", "Save assessment"),
    "client.place": ("Tempatkan di program", "Place in a programme"),
    "client.place_submit": ("Tempatkan", "Place"),
    "client.discharge": ("Akhiri perawatan", "Discharge"),
    "client.discharge_submit": ("Akhiri perawatan", "Discharge"),
    "client.followups": ("Bimbingan lanjut", "Follow-up"),
    "client.plan": ("Rencana perawatan", "Treatment plan"),
    "client.reassess": ("Minta asesmen ulang", "Ask for a reassessment"),
    "client.reassess_submit": ("Jadwalkan asesmen ulang", "Schedule the reassessment"),
    "client.assessment_history": ("Asesmen sebelumnya ({n})", "Earlier assessments ({n})"),
    "hint.reassess": (
        "Asesmen baru jatuh tempo dalam 72 jam; pendamping diingatkan, dan asesmen "
        "sebelumnya tetap tersimpan sebagai riwayat.",
        "A new assessment falls due within 72 hours; the case worker is reminded, and the "
        "earlier ones stay as history.",
    ),
    "flash.reassessment_requested": (
        "Asesmen ulang dijadwalkan, jatuh tempo {due}.",
        "Reassessment scheduled, due {due}.",
    ),
    "client.no_goals": ("Belum ada tujuan.", "No goals yet."),
    "client.goal_target": ("target {day}", "by {day}"),
    "client.goal_change": ("Ubah status", "Change status"),
    "client.goal_change_submit": ("Simpan status", "Save status"),
    "client.goal_add": ("Tambah tujuan", "Add a goal"),
    "client.goal_add_submit": ("Tambahkan", "Add"),
    "field.goal_text": ("Tujuan", "Goal"),
    "field.goal_target_date": ("Target tanggal", "Target date"),
    "field.goal_status": ("Status", "Status"),
    "client.followup_pending": ("belum dicatat", "not recorded yet"),
    "client.followup_record": ("Catat hasil", "Record the outcome"),
    "client.followup_change": ("Ubah hasil", "Change the outcome"),
    "client.followup_submit": ("Simpan hasil", "Save outcome"),
    "followup.family_checkin": ("Jawaban keluarga", "The family answered"),
    "assessment.dimensions": ("Enam dimensi ASAM", "The six ASAM dimensions"),
    "rating.0": ("0 – tidak ada masalah", "0 – no problem"),
    "rating.1": ("1 – ringan", "1 – mild"),
    "rating.2": ("2 – sedang", "2 – moderate"),
    "rating.3": ("3 – berat", "3 – severe"),
    "rating.4": ("4 – sangat berat", "4 – very severe"),
    "placement.option": (
        "{name} – {available} dari {capacity} tempat tersedia",
        "{name} – {available} of {capacity} places free",
    ),
    "placement.option_full": (
        "{name} – penuh ({available} dari {capacity} tempat tersedia)",
        "{name} – full ({available} of {capacity} places free)",
    ),
}
