"""The console's texts for notifications's codes (shared/codes/notifications.py):
``code: (id, en)``.

One entry for every code of that registry module, in both languages (a unit test checks).
Placeholders are ``str.format`` fields that the problem body carries beside the code (see
:mod:`services.console.texts.codes`); a field error carries none, so its texts have none. A
reason's placeholders are members of the message row (``channel``, ``template``); the rest
of what the English ``reason`` names (an error, a status number) is not a member, so it
stands in parentheses, which the console leaves out.
"""

from __future__ import annotations

#: A refusal's code → what the console says (Bahasa Indonesia, English).
PROBLEMS: dict[str, tuple[str, str]] = {
    "message_not_found": (
        "Pesan ini tidak ditemukan (mungkin milik yayasan lain).",
        "No such message (it may belong to another foundation).",
    ),
    "template_not_found": ("Templat pesan ini tidak ada.", "No such message template."),
    "recipient_not_found": (
        "Penerima ini tidak ditemukan, atau tidak ada persetujuan untuk mengirim pesan kepadanya.",
        "No such recipient, or no consent to message them.",
    ),
    "channel_not_configurable": (
        "Saluran {channel} tidak dapat diatur (pilihan: {choices}).",
        "The channel {channel} cannot be configured (one of {choices}).",
    ),
    "reply_not_found": ("Balasan ini tidak ditemukan.", "No such reply."),
    "contact_not_found": ("Kontak keluarga ini tidak ditemukan.", "No such family contact."),
    "no_consent": (
        "Persetujuan klien tidak mengizinkan pesan kepada kontak ini.",
        "The client's consent does not allow messages to this contact.",
    ),
    "opted_out": (
        "Kontak ini meminta tidak dikirimi pesan lagi (mereka dapat membalas MULAI).",
        "This contact asked to receive no more messages (they may reply START).",
    ),
    "request_in_progress": (
        "Permintaan yang sama sedang diproses; coba lagi sebentar lagi.",
        "The same request is being answered; try again in a moment.",
    ),
    "whatsapp_window_closed": (
        "WhatsApp hanya mengizinkan pesan bebas dalam 24 jam sejak balasan terakhir kontak; "
        "kirim templat yang disetujui.",
        "WhatsApp allows free text only within 24 hours of the contact's last reply; "
        "send an approved template instead.",
    ),
    "inbound_channel_not_found": (
        "Tidak ada saluran masuk dengan nama ini.",
        "No inbound channel of this name.",
    ),
    "settings_not_an_object": (
        "Kirim pengaturan saluran sebagai objek JSON.",
        "Send the channel settings as a JSON object.",
    ),
    "provider_signature_invalid": (
        "Tanda tangan penyedia layanan tidak ada atau salah.",
        "The provider's signature is missing or wrong.",
    ),
    "provider_signature_expired": (
        "Waktu yang ditandatangani penyedia layanan terlalu jauh dari sekarang.",
        "The provider's signed time is too far from now.",
    ),
}

#: A field error's code → what the console says beside the field.
FIELDS: dict[str, tuple[str, str]] = {
    "recipient_without_address": (
        "Penerima ini tidak punya nomor telepon atau alamat email.",
        "This recipient has no phone number or email address.",
    ),
    "template_syntax_error": (
        "Templat ini tidak dapat dibaca: periksa penulisan nilai dan syaratnya (tanda kurung "
        "kurawal dan persen).",
        "This template cannot be read: check how its values and conditions are written (the "
        "curly brackets and percent signs).",
    ),
    "template_construct_forbidden": (
        "Templat hanya boleh memakai nilai, syarat (if) dan filter sederhana (upper, lower, "
        "title, capitalize, trim, default).",
        "Templates may use only values, conditions (if) and simple filters (upper, lower, "
        "title, capitalize, trim, default).",
    ),
    "template_filter_forbidden": (
        "Filter ini tidak tersedia dalam templat.",
        "This filter is not available in templates.",
    ),
    "template_test_forbidden": (
        "Uji ini tidak tersedia dalam templat.",
        "This test is not available in templates.",
    ),
    "template_assignment_forbidden": (
        "Templat tidak boleh menetapkan nilai.",
        "Templates may not assign values.",
    ),
    "template_invalid": (
        "Templat ini tidak dapat dipakai: periksa nama nilai yang dipakai.",
        "This template cannot be used: check the names of the values it uses.",
    ),
    "credentials_in_url": (
        "Tulis kredensial di kolomnya sendiri, bukan di dalam URL.",
        "Put credentials in their own fields, not in the URL.",
    ),
    "https_required": (
        "Gunakan https: pesan memuat data pribadi.",
        "Use https: messages carry personal data.",
    ),
    "invalid_hostname": (
        "Nama host tidak valid (tanpa skema atau port, misalnya smtp.example.org).",
        "Not a valid host name (no scheme or port, e.g. smtp.example.org).",
    ),
    "starttls_required": (
        "STARTTLS wajib dipakai kecuali untuk host lokal (loopback).",
        "STARTTLS is needed outside a loopback host.",
    ),
    "username_needed_for_password": (
        "Kata sandi memerlukan nama pengguna.",
        "A password needs a username.",
    ),
    "password_needed_with_username": (
        "Wajib diisi bila ada nama pengguna.",
        "Needed with a username.",
    ),
}

#: A message reason code → why the message was held, cancelled or is retried.
REASONS: dict[str, tuple[str, str]] = {
    # who may receive it
    "client_unknown": ("klien tidak dikenal", "client unknown"),
    "consent_withdrawn": (
        "persetujuan menghubungi keluarga dicabut",
        "consent to contact family withdrawn",
    ),
    "contact_removed": (
        "kontak keluarga dihapus atau tidak boleh dihubungi",
        "family contact removed or may not be contacted",
    ),
    "share_progress_withdrawn": (
        "persetujuan berbagi perkembangan dicabut",
        "consent to share progress withdrawn",
    ),
    "staff_inactive": (
        "staf tidak dikenal atau tidak aktif",
        "staff member unknown or inactive",
    ),
    "recipient_opted_out": (
        "penerima meminta berhenti menerima pesan",
        "recipient opted out",
    ),
    # what the message was about is over
    "session_cancelled": ("sesi dibatalkan", "session cancelled"),
    "assessment_completed": ("asesmen sudah selesai", "assessment completed"),
    "client_discharged": ("klien sudah selesai dirawat", "client discharged"),
    "client_readmitted": ("klien dirawat kembali", "client readmitted"),
    "referral_answered": (
        "rujukan sudah tidak menunggu jawaban",
        "the referral is no longer pending",
    ),
    "client_erased": ("data pribadi klien sudah dihapus", "the client's personal data was erased"),
    # when it may go
    "deferred_past_quiet_hours": (
        "ditunda sampai jam tenang berakhir",
        "deferred past quiet hours",
    ),
    "held_for_consent_data": (
        "ditahan: menunggu data persetujuan terbaru dari layanan intake",
        "held: waiting for current consent data from intake",
    ),
    "reminder_too_late_at_booking": (
        "waktu pengingat sudah lewat saat sesi dijadwalkan",
        "reminder time had already passed when the session was booked",
    ),
    "reminder_after_session_start": (
        "pengingat akan tiba setelah sesi dimulai",
        "the reminder would arrive after the session starts",
    ),
    "whatsapp_window_closed": (
        "jendela 24 jam WhatsApp untuk teks bebas sudah tertutup saat pesan akan dikirim",
        "WhatsApp's 24-hour window for free text was closed when the message would go",
    ),
    # a send that did not go through
    "retrying": ("mencoba lagi (kesalahan: {error})", "retrying (error: {error})"),
    "channel_not_configured": (
        "saluran {channel} belum diatur",
        "the {channel} channel is not configured",
    ),
    "channel_settings_incomplete": (
        "pengaturan saluran {channel} belum lengkap (kurang: {missing})",
        "the {channel} channel settings are incomplete (missing: {missing})",
    ),
    "no_such_channel": ("saluran {channel} tidak dikenal", "no such channel: {channel}"),
    "no_address": (
        "penerima tidak punya alamat untuk saluran {channel}",
        "no {channel} address for this recipient",
    ),
    "whatsapp_template_unmapped": (
        "templat {template} belum dipetakan ke templat WhatsApp yang disetujui",
        "no approved WhatsApp template is mapped for {template}",
    ),
    "smtp_recipient_deferred": (
        "server email menunda penerima (kode {smtp_code})",
        "the mail server deferred the recipient (code {smtp_code})",
    ),
    "smtp_recipient_refused": (
        "server email menolak penerima (kode {smtp_code})",
        "the mail server refused the recipient (code {smtp_code})",
    ),
    "smtp_server_deferred": (
        "server email menunda pengiriman (kode {smtp_code})",
        "the mail server deferred the message (code {smtp_code})",
    ),
    "smtp_server_refused": (
        "server email menolak pengiriman (kode {smtp_code})",
        "the mail server refused the message (code {smtp_code})",
    ),
    "smtp_unsupported": (
        "server email tidak mendukung STARTTLS atau login",
        "the mail server does not support STARTTLS or login",
    ),
    "smtp_certificate_untrusted": (
        "sertifikat server email tidak dipercaya",
        "the mail server's certificate is not trusted",
    ),
    "smtp_connection_failed": (
        "sambungan ke server email gagal (kesalahan: {error})",
        "the connection to the mail server failed (error: {error})",
    ),
    "provider_unreachable": (
        "penyedia layanan {channel} tidak dapat dihubungi (kesalahan: {error})",
        "the {channel} provider could not be reached (error: {error})",
    ),
    "provider_request_impossible": (
        "permintaan ke penyedia layanan {channel} tidak dapat dibuat (kesalahan: {error})",
        "the request to the {channel} provider could not be made (error: {error})",
    ),
    "provider_answered": (
        "penyedia layanan {channel} menolak pesan (status {http_status})",
        "the {channel} provider did not accept the message (status {http_status})",
    ),
    "webhook_unreachable": (
        "webhook tidak dapat dihubungi (kesalahan: {error})",
        "the webhook could not be reached (error: {error})",
    ),
    "webhook_request_impossible": (
        "permintaan ke webhook tidak dapat dibuat (kesalahan: {error})",
        "the request to the webhook could not be made (error: {error})",
    ),
    "webhook_answered": (
        "webhook menolak pesan (status {http_status})",
        "the webhook did not accept the message (status {http_status})",
    ),
}
