"""The caseload, the intake of a new client, admission and a client's identity.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flash.client_registered": ("Klien terdaftar.", "Client registered."),
    "flash.possible_duplicates": (
        "Mungkin klien ini sudah terdaftar: periksa nama dan tanggal lahir yang mirip.",
        "This client may already be registered: check for a similar name and date of birth.",
    ),
    "flash.admitted": ("Klien diterima; asesmen dijadwalkan.", "Client admitted; assessment due."),
    "caseload.title": ("Dampingan saya", "My caseload"),
    "caseload.title_all": ("Semua klien", "All clients"),
    "caseload.search": ("Cari nama atau kode klien", "Search a client's name or code"),
    # inside the search box: short enough to fit it on a phone
    "caseload.search_placeholder": ("Nama atau kode klien", "Name or client code"),
    "caseload.search_button": ("Cari", "Search"),
    "caseload.mine": ("Klien saya", "My clients"),
    "caseload.everyone": ("Semua klien", "All clients"),
    "caseload.next_session": ("Sesi berikutnya", "Next session"),
    "caseload.attention": ("Perlu perhatian", "Needs attention"),
    "caseload.assessment_overdue": (
        "Asesmen terlambat (jatuh tempo {due})",
        "Assessment overdue (due {due})",
    ),
    "caseload.followup_overdue": (
        "Bimbingan lanjut terlambat ({due})",
        "Follow-up overdue ({due})",
    ),
    "caseload.followup_due": ("Bimbingan lanjut {due}", "Follow-up due {due}"),
    "caseload.followups_due": ("Bimbingan lanjut jatuh tempo", "Follow-ups due"),
    "caseload.record_outcome": ("Catat hasil", "Record outcome"),
    "caseload.empty": (
        "Belum ada klien dalam dampingan Anda.",
        "You have no clients in your caseload yet.",
    ),
    "caseload.empty_search": ("Tidak ada klien yang cocok.", "No client matches."),
    "intake.title": ("Pendaftaran klien baru", "New client intake"),
    "intake.identity": ("Identitas", "Identity"),
    "intake.use": ("Riwayat penggunaan dan rujukan", "Use and referral"),
    "intake.family": ("Kontak keluarga", "Family contacts"),
    "intake.family_hint": (
        "Pesan ke keluarga bersifat rahasia dan hanya dikirim dengan persetujuan. "
        "Hapus centang \u201cboleh dihubungi\u201d untuk kerabat yang tidak boleh dihubungi.",
        "Family messages are discreet and sent only with consent. Untick \u201cmay be "
        "contacted\u201d for a relative who must never be contacted.",
    ),
    "intake.contact_n": ("Kontak {n}", "Contact {n}"),
    "intake.optional": ("tidak wajib", "optional"),
    "intake.consent": ("Persetujuan", "Consent"),
    "intake.submit": ("Daftarkan klien", "Register client"),
    "intake.open_existing": (
        "Buka klien yang sudah terdaftar dengan NIK ini",
        "Open the client already registered with this NIK",
    ),
    "field.client": ("Klien", "Client"),
    "field.status": ("Status", "Status"),
    "field.case_worker": ("Pendamping", "Case worker"),
    "field.full_name": ("Nama lengkap", "Full name"),
    "field.nik": ("NIK", "NIK"),
    "field.date_of_birth": ("Tanggal lahir", "Date of birth"),
    "field.date_of_birth_estimated": (
        "Hanya tahunnya yang diketahui",
        "Only the year is known",
    ),
    "field.sex": ("Jenis kelamin", "Sex"),
    "field.phone": ("Telepon", "Phone"),
    "field.address": ("Alamat", "Address"),
    "field.primary_substances": ("Zat utama", "Primary substances"),
    "field.use_duration_months": ("Lama penggunaan (bulan)", "Use duration (months)"),
    "field.route_of_use": ("Cara penggunaan", "Route of use"),
    "field.referral_source": ("Sumber rujukan", "Referral source"),
    "field.referral_compulsory": ("Wajib lapor / putusan", "Compulsory (court or police)"),
    "field.referral_reference_no": ("Nomor surat rujukan", "Referral reference no."),
    "field.family_agreement": (
        "Keluarga menyetujui rehabilitasi",
        "The family agrees to the treatment",
    ),
    "field.admitted_on": ("Tanggal masuk", "Admitted on"),
    "hint.full_name": ("Satu nama saja juga boleh.", "A single name is fine."),
    "hint.nik": ("16 angka; disimpan terenkripsi.", "16 digits; stored encrypted."),
    "hint.phone": ("Misalnya 0812…", "For example 0812…"),
    "hint.substances": (
        "Pisahkan dengan koma, mis. metamfetamin, ganja",
        "Separate with commas, e.g. methamphetamine, cannabis",
    ),
    "hint.admitted_on": ("Kosong: hari ini.", "Empty: today."),
    "hint.followups_due": (
        "Terlambat, atau jatuh tempo dalam {days} hari ke depan.",
        "Overdue, or due within the next {days} days.",
    ),
    "client.actions": ("Tindakan", "Actions"),
    "client.admit": ("Terima klien (admisi)", "Admit the client"),
    "client.admit_submit": ("Terima", "Admit"),
    "client.identity": ("Identitas", "Identity"),
    "client.estimated": ("perkiraan", "estimated"),
}
