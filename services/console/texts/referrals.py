"""Referral and partners: the admins' **Mitra** and **Rujukan masuk** pages, the client
page's referrals (the "Rujuk" action, the partner's answers, transfers, the report for a
compulsory referrer), and the names of their vocabularies.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.partners": ("Mitra", "Partners"),
    "nav.incoming_referrals": ("Rujukan masuk", "Incoming referrals"),
    # --- partners (admins) ---
    "partners.title": ("Mitra rujukan", "Referral partners"),
    "partners.intro": (
        "Lembaga tempat klien dirujuk: pelatihan kerja, rumah sakit, bantuan hukum, pendidikan, "
        "olahraga, atau yayasan lain. Yayasan lain di Pendamping ini (dengan slug-nya) menjawab "
        "rujukan sendiri, dan klien dipindahkan ke sana bila diterima.",
        "The organisations clients are referred to: job training, hospitals, legal aid, "
        "education, sports, or another foundation. Another foundation of this Pendamping (by "
        "its slug) answers referrals itself, and the client is transferred there on acceptance.",
    ),
    "partners.none": ("Belum ada mitra.", "No partners yet."),
    "partners.new": ("Tambah mitra", "Add a partner"),
    "partners.create": ("Simpan mitra", "Save the partner"),
    "partners.edit": ("Ubah", "Edit"),
    "partners.save": ("Simpan perubahan", "Save changes"),
    "partners.active": (
        "Masih aktif (dapat dipilih saat merujuk)",
        "Active (offered when referring)",
    ),
    "partners.inactive": ("tidak aktif", "inactive"),
    "partners.in_system": ("yayasan di Pendamping ini", "a foundation of this Pendamping"),
    "field.partner_name": ("Nama mitra", "Partner's name"),
    "field.partner_kind": ("Jenis mitra", "Kind of partner"),
    "field.partner_email": ("Email mitra", "Partner's email"),
    "field.partner_phone": ("Telepon mitra", "Partner's phone"),
    "field.foundation_slug": ("Slug yayasan", "Foundation slug"),
    "hint.foundation_slug": (
        "Hanya untuk yayasan lain di Pendamping ini (mis. yakita-bali); kosongkan untuk lembaga "
        "lain.",
        "Only for another foundation of this Pendamping (e.g. yakita-bali); leave empty for "
        "any other organisation.",
    ),
    "flash.partner_saved": ("Mitra {name} disimpan.", "Partner {name} saved."),
    # --- the client page ---
    "referrals.title": ("Rujukan", "Referrals"),
    "referrals.none": ("Belum ada rujukan.", "No referrals yet."),
    "referrals.refer": ("Rujuk ke mitra", "Refer to a partner"),
    "referrals.no_partners": (
        "Belum ada mitra aktif; admin menambahkannya di halaman Mitra.",
        "No active partners yet; an admin adds them on the Partners page.",
    ),
    "field.partner": ("Mitra", "Partner"),
    "field.referral_reason": ("Alasan rujukan", "Reason for the referral"),
    "hint.referral_reason": (
        "Yayasan penerima membaca alasan ini sebelum menerima: jangan tulis nama, NIK atau "
        "alamat klien.",
        "A receiving foundation reads this before it accepts: do not write the client's name, "
        "NIK or address.",
    ),
    "field.share": ("Bagian data yang dibagikan", "Parts of the record shared"),
    "referrals.consent_question": (
        "Apakah klien (atau walinya) setuju dirujuk dan bagian data ini dibagikan?",
        "Did the client (or their guardian) agree to the referral and to sharing these parts?",
    ),
    "referral_consent.yes": ("Ya, klien setuju", "Yes, the client agreed"),
    "referral_consent.no": ("Tidak / belum", "No / not yet"),
    "field.referral_override": ("Alasan merujuk tanpa persetujuan", "Why refer without consent"),
    "hint.referral_override": (
        "Hanya admin, bila klien tidak setuju atau tidak dapat ditanya; dicatat di log audit.",
        "Admins only, when the client did not agree or cannot be asked; kept in the audit log.",
    ),
    "hint.referral_consent_admin": (
        "Tanpa persetujuan, hanya admin yang dapat merujuk, dengan alasan.",
        "Without consent, only an admin may refer, giving a reason.",
    ),
    "referrals.submit": ("Kirim rujukan", "Send the referral"),
    "referrals.made": ("dibuat {day}", "made {day}"),
    "referrals.shared": ("Dibagikan: {parts}", "Shared: {parts}"),
    "referrals.nothing_shared": ("Tidak ada data yang dibagikan", "Nothing shared"),
    "referrals.without_consent": ("tanpa persetujuan", "without consent"),
    "referrals.to_foundation": ("yayasan di Pendamping ini", "a foundation of this Pendamping"),
    "referrals.history": ("Riwayat", "History"),
    "referrals.transferred_to": (
        "Klien ini dipindahkan ke yayasan {foundation}.",
        "This client was transferred to the foundation {foundation}.",
    ),
    "referrals.transferred_from": (
        "Klien ini pindahan dari yayasan {foundation}: hanya bagian yang dibagikan yang ikut; "
        "keluarga belum dihubungi sampai Anda mencatat persetujuan.",
        "This client was transferred from the foundation {foundation}: only the parts shared "
        "came along; the family is not contacted until you record consent.",
    ),
    "referrals.note": ("Catatan (boleh kosong)", "Note (optional)"),
    "referrals.record_answer": (
        "Catat jawaban mitra, atau tutup rujukan",
        "Record the partner's answer, or close the referral",
    ),
    "referral_action.accepted": ("Mitra menerima", "The partner accepted"),
    "referral_action.rejected": ("Mitra menolak", "The partner declined"),
    "referral_action.done": ("Tandai selesai", "Mark as done"),
    "referral_action.revoked": ("Batalkan rujukan", "Revoke the referral"),
    "flash.referral_sent": ("Rujukan ke {partner} dikirim.", "Referral to {partner} sent."),
    "flash.referral_changed": ("Status rujukan kini: {status}.", "The referral is now: {status}."),
    "referrals.report": ("Laporan untuk perujuk wajib", "Report for the compulsory referrer"),
    "referrals.report_hint": (
        "Kehadiran, status perawatan dan hasil bimbingan lanjut, tanpa catatan, jawaban skrining "
        "atau data keluarga. Setiap unduhan dicatat.",
        "Attendance, treatment status and follow-up outcomes, without notes, screening answers "
        "or family data. Each download is recorded.",
    ),
    "referrals.report_pdf": ("Unduh PDF", "Download the PDF"),
    "referrals.report_html": ("Versi cetak", "Printable page"),
    # --- incoming referrals (admins) ---
    "incoming.title": ("Rujukan masuk", "Incoming referrals"),
    "incoming.intro": (
        "Rujukan dari yayasan lain. Sebelum Anda menerimanya hanya ringkasan tanpa identitas "
        "yang tampil. Bila diterima, klien terdaftar di yayasan Anda dengan bagian data yang "
        "dibagikan saja; keluarganya tidak dihubungi sampai Anda mencatat persetujuan baru.",
        "Referrals from other foundations. Until you accept one, only a summary without "
        "identity is shown. On acceptance the client is registered with your foundation with "
        "only the parts shared; the family is not contacted until you record new consent.",
    ),
    "incoming.none": ("Tidak ada rujukan masuk di sini.", "No incoming referrals here."),
    "incoming.from": ("Dari", "From"),
    "incoming.age": ("Usia", "Age"),
    "incoming.substances": ("Zat", "Substances"),
    "incoming.received": ("Diterima", "Received"),
    "incoming.accept": ("Terima dan daftarkan klien", "Accept and register the client"),
    "incoming.reject": ("Tolak", "Decline"),
    "incoming.open_client": ("Buka klien", "Open the client"),
    "incoming.answer": ("Jawab rujukan", "Answer the referral"),
    "flash.referral_accepted": (
        "Rujukan diterima; klien {code} terdaftar di yayasan Anda.",
        "Referral accepted; client {code} is registered with your foundation.",
    ),
    "flash.referral_declined": ("Rujukan ditolak.", "Referral declined."),
    # --- the vocabularies ---
    "partner_kind.vocational": ("Pelatihan dan kerja", "Vocational"),
    "partner_kind.hospital": ("Rumah sakit", "Hospital"),
    "partner_kind.legal_aid": ("Bantuan hukum", "Legal aid"),
    "partner_kind.education": ("Pendidikan", "Education"),
    "partner_kind.sports": ("Olahraga", "Sports"),
    "partner_kind.foundation": ("Yayasan", "Foundation"),
    "partner_kind.other": ("Lainnya", "Other"),
    "referral_status.pending": ("Menunggu jawaban", "Pending"),
    "referral_status.accepted": ("Diterima", "Accepted"),
    "referral_status.rejected": ("Ditolak", "Declined"),
    "referral_status.done": ("Selesai", "Done"),
    "referral_status.revoked": ("Dibatalkan", "Revoked"),
    "referral_share.identity": ("Identitas", "Identity"),
    "referral_share.screening": ("Skrining", "Screening"),
    "referral_share.assessment": ("Asesmen", "Assessment"),
    "referral_share.plan": ("Rencana pendampingan", "Support plan"),
    "age_band.under_18": ("di bawah 18 tahun", "under 18"),
    "age_band.18_24": ("18–24 tahun", "18–24"),
    "age_band.25_34": ("25–34 tahun", "25–34"),
    "age_band.35_44": ("35–44 tahun", "35–44"),
    "age_band.45_54": ("45–54 tahun", "45–54"),
    "age_band.55_plus": ("55 tahun ke atas", "55 and over"),
    "age_band.unknown": ("tidak diketahui", "unknown"),
}
