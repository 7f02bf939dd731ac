"""The console's texts for assessment's codes (shared/codes/assessment.py): ``code: (id, en)``.

One entry for every code of that registry module, in both languages (a unit test checks).
Placeholders are ``str.format`` fields that the problem body carries beside the code (see
:mod:`services.console.texts.codes`); a field error carries none, so its texts have none.
"""

from __future__ import annotations

#: A refusal's code → what the console says (Bahasa Indonesia, English).
PROBLEMS: dict[str, tuple[str, str]] = {
    # not found (404): a client the console links to but assessment has not heard of yet
    "client_not_found": (
        "Layanan asesmen belum mengenal klien ini; muat ulang sebentar lagi.",
        "The assessment service does not know this client yet; reload shortly.",
    ),
    "assessment_not_found": ("Asesmen ini tidak ditemukan.", "No such assessment."),
    "session_not_found": ("Sesi ini tidak ditemukan.", "No such session."),
    "followup_not_found": ("Bimbingan lanjut ini tidak ditemukan.", "No such follow-up."),
    "goal_not_found": (
        "Tujuan rencana perawatan ini tidak ditemukan.",
        "No such treatment-plan goal.",
    ),
    # assessments; a refusal that names the client's status is one text whatever the status,
    # the status shown by its name when the body carries it
    "client_not_in_care": (
        "Asesmen ulang hanya untuk klien yang sedang dirawat (status klien: {client_status}).",
        "Only clients in care are reassessed (the client is {client_status}).",
    ),
    "assessment_already_due": (
        "Sudah ada asesmen yang jatuh tempo untuk masa perawatan ini; lengkapi itu dulu.",
        "An assessment is already due for this stay; complete that one first.",
    ),
    "assessment_completed": (
        "Asesmen ini sudah selesai; muat ulang halaman.",
        "This assessment is already completed; reload the page.",
    ),
    "assessment_closed": (
        "Asesmen ini ditutup karena klien sudah keluar.",
        "This assessment was closed when the client was discharged.",
    ),
    # placements
    "already_placed": (
        "Klien ini sudah ditempatkan di sebuah program.",
        "The client is already placed in a programme.",
    ),
    "client_not_admitted": (
        "Hanya klien yang sedang dirawat yang dapat ditempatkan (status klien: {client_status}).",
        "Only admitted clients are placed (the client is {client_status}).",
    ),
    "programme_full": (
        "Program ini sudah penuh: pilih program lain atau tunggu ada tempat kosong.",
        "This programme is full: choose another or wait for a free place.",
    ),
    # sessions
    "session_cancelled": ("Sesi ini sudah dibatalkan.", "The session is cancelled."),
    "session_started": (
        "Sesi ini sudah dimulai; jadwalnya tidak dapat diubah lagi.",
        "The session has already started; it can no longer be moved.",
    ),
    "attendance_before_start": (
        "Kehadiran dicatat setelah sesi dimulai.",
        "Attendance is recorded once the session has started.",
    ),
    # discharge
    "client_not_dischargeable": (
        "Hanya klien yang sedang dirawat yang dapat diakhiri perawatannya "
        "(status klien: {client_status}).",
        "Only admitted or placed clients are discharged (the client is {client_status}).",
    ),
}

#: A field error's code → what the console says beside the field.
FIELDS: dict[str, tuple[str, str]] = {
    "record_not_in_foundation": (
        "Data ini tidak ada (mungkin baru dihapus); muat ulang halaman.",
        "No such record (perhaps just removed); reload the page.",
    ),
    "client_unknown_here": (
        "Layanan asesmen belum mengenal klien ini; coba lagi beberapa detik lagi.",
        "The assessment service does not know this client yet; try again in a few seconds.",
    ),
    # the six ratings and the override
    "ratings_expected": ("Beri nilai untuk setiap dimensi.", "Rate each dimension."),
    "unknown_dimension": ("Dimensi ini tidak dikenal.", "Not a known dimension."),
    "dimension_unrated": ("Dimensi ini wajib dinilai.", "This dimension must be rated."),
    "rating_not_whole": ("Masukkan bilangan bulat 0–4.", "Enter a whole number 0–4."),
    "rating_out_of_range": ("Nilai harus antara 0 dan 4.", "A rating is between 0 and 4."),
    "unknown_level": ("Tingkat layanan ini tidak dikenal.", "Not a known level of care."),
    "override_reason_not_text": ("Tuliskan alasannya sebagai teks.", "Write the reason as text."),
    "override_reason_without_override": (
        "Pilih tingkat layanan yang dipakai, atau kosongkan alasannya.",
        "Choose the level used instead, or leave the reason empty.",
    ),
    "override_reason_required": (
        "Tuliskan alasan memakai tingkat layanan lain.",
        "Give the reason for choosing another level.",
    ),
    # dates
    "date_in_future": ("Tidak boleh tanggal yang akan datang.", "May not be in the future."),
    "before_admission": ("Tidak boleh sebelum tanggal masuk.", "May not be before admission."),
    "start_before_admission": (
        "Tidak boleh sebelum tanggal masuk.",
        "May not be before the admission date.",
    ),
    "before_from": (
        "Tidak boleh sebelum tanggal awal (\u201cDari\u201d).",
        "May not be before the start date (\u201cFrom\u201d).",
    ),
    # sessions
    "individual_session_one_client": (
        "Sesi individu hanya untuk satu klien.",
        "An individual session has one client.",
    ),
    "client_not_in_session": (
        "Klien ini tidak ikut sesi tersebut.",
        "This client is not in the session.",
    ),
    "family_sessions_only": ("Hanya untuk sesi keluarga.", "Only for family sessions."),
    "moved_into_the_past": (
        "Sesi hanya dapat dipindah ke waktu yang belum lewat.",
        "A session may be moved only to a time still to come.",
    ),
    "nothing_to_change": ("Ubah setidaknya satu isian.", "Change at least one field."),
    "more_than_window": (
        "Jumlah ketidakhadiran tidak boleh melebihi jumlah sesi terakhir yang dihitung.",
        "The absences may not be more than the last sessions counted.",
    ),
}
