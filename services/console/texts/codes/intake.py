"""The console's texts for intake's codes (shared/codes/intake.py): ``code: (id, en)``.

One entry for every code of that registry module, in both languages (a unit test checks).
Placeholders are ``str.format`` fields that the problem body carries beside the code; a field
error carries none, so field texts name no value of their own.
"""

from __future__ import annotations

#: A refusal's code → what the console says (Bahasa Indonesia, English).
PROBLEMS: dict[str, tuple[str, str]] = {
    "partner_not_found": (
        "Mitra ini tidak ada (mungkin tautannya sudah usang).",
        "No such partner (perhaps an old link).",
    ),
    "referral_not_found": (
        "Rujukan ini tidak ada (mungkin tautannya sudah usang).",
        "No such referral (perhaps an old link).",
    ),
    "consent_required": (
        "Tanpa persetujuan klien, hanya admin yang dapat merujuk, dengan alasan pengecualian.",
        "Without the client's consent only an admin refers, giving a reason for the override.",
    ),
    "invalid_transition": (
        "Rujukan yang {referral_status} tidak dapat menjadi {target_status} dari pihak Anda.",
        "A referral that is {referral_status} cannot become {target_status} from your side.",
    ),
    "referral_open": (
        "Klien ini sudah punya rujukan terbuka ke mitra ini.",
        "This client already has an open referral to this partner.",
    ),
    "not_compulsory": (
        "Klien ini tidak dirujuk secara wajib: tidak ada laporan untuk perujuk.",
        "This client was not referred compulsorily: there is no referrer report.",
    ),
    "data_request_not_found": ("Permintaan data ini tidak ada.", "No such data request."),
    "client_erased": (
        "Data pribadi klien ini sudah dihapus.",
        "This client's personal data was erased.",
    ),
    "client_admitted": (
        "Klien masih {client_status}: pulangkan dulu sebelum datanya dapat dihapus.",
        "The client is {client_status}: discharge them before their data can be erased.",
    ),
    "data_request_open": (
        "Sudah ada permintaan {kind} yang terbuka untuk klien ini.",
        "A {kind} request for this client is already open.",
    ),
    "export_not_ready": (
        "Belum semua layanan menjawab permintaan ini; coba lagi sebentar.",
        "Not every service has answered this request yet; try again shortly.",
    ),
    "not_an_access_request": (
        "Hanya permintaan akses yang punya salinan data.",
        "Only an access request has an export.",
    ),
    "nothing_to_confirm": (
        "Permintaan ini tidak menunggu konfirmasi.",
        "This request does not wait for a confirmation.",
    ),
    "confirmation_mismatch": (
        "Ketik kode klien persis untuk mengonfirmasi penghapusan.",
        "Type the client's code exactly to confirm the erasure.",
    ),
    "foundation_not_found": ("Yayasan ini tidak ada.", "No such foundation."),
    "staff_not_found": ("Staf ini tidak dikenal.", "No such staff member."),
    "client_not_found": (
        "Klien ini tidak ditemukan (mungkin tautannya sudah usang); buka dari daftar klien.",
        "No such client (perhaps an old link); open it from the client list.",
    ),
    "family_contact_not_found": (
        "Kontak keluarga ini tidak ada (mungkin baru dihapus); muat ulang halaman.",
        "No such family contact (perhaps just removed); reload the page.",
    ),
    "foundation_slug_taken": (
        "Sudah ada yayasan dengan slug ini (\u201c{foundation_slug}\u201d); pilih slug lain.",
        "A foundation with this slug exists (\u201c{foundation_slug}\u201d); choose another.",
    ),
    "nik_taken": ("Klien dengan NIK ini sudah terdaftar.", "A client with this NIK exists."),
    "too_many_family_contacts": (
        "Kontak keluarga klien ini sudah mencapai batas (paling banyak {limit}).",
        "This client has as many family contacts as allowed (at most {limit}).",
    ),
    "erasure_in_progress": (
        "Data klien ini sedang dihapus; ia tidak dapat diterima kembali.",
        "The client's data is being erased; they cannot be admitted.",
    ),
    "client_already_admitted": (
        "Klien ini sedang dirawat (status klien: {client_status}); akhiri perawatannya dulu "
        "sebelum menerimanya kembali.",
        "The client is in care (the client is {client_status}); discharge them before "
        "admitting them again.",
    ),
}

#: A field error's code → what the console says beside the field.
FIELDS: dict[str, tuple[str, str]] = {
    "consent_required": (
        "Tanpa persetujuan klien, hanya admin yang dapat merujuk, dengan alasan pengecualian.",
        "Without the client's consent only an admin refers, giving a reason for the override.",
    ),
    "partner_not_found": ("Mitra ini tidak ada.", "No such partner."),
    "partner_inactive": ("Mitra ini sudah tidak aktif.", "This partner is no longer active."),
    "foundation_unknown": (
        "Tidak ada yayasan dengan slug ini di sistem ini.",
        "No foundation of this system has this slug.",
    ),
    "own_foundation": (
        "Yayasan tidak bisa menjadi mitra bagi dirinya sendiri.",
        "A foundation is not its own partner.",
    ),
    "foundation_slug_not_foundation": (
        "Slug yayasan hanya untuk mitra berjenis yayasan.",
        "A foundation slug is only for a partner of kind foundation.",
    ),
    "retention_years_range": ("Antara 1 dan 30 tahun.", "Between 1 and 30 years."),
    "confirmation_mismatch": (
        "Ketik kode klien persis untuk mengonfirmasi penghapusan.",
        "Type the client's code exactly to confirm the erasure.",
    ),
    "nothing_to_change": ("Ubah setidaknya satu isian.", "Change at least one field."),
    "slug_format": (
        "Huruf kecil, angka dan tanda hubung; 1\u201340 karakter.",
        "Lower-case letters, digits and dashes; 1\u201340 characters.",
    ),
    "phone_too_long": ("Terlalu panjang untuk nomor telepon.", "Too long for a phone number."),
    "not_a_phone_number": ("Bukan nomor telepon.", "Not a phone number."),
    "invalid_phone_number": ("Nomor telepon tidak valid.", "Not a valid phone number."),
    "phone_has_extension": (
        "Tulis nomornya tanpa nomor ekstensi.",
        "Give the number without an extension.",
    ),
    "nik_format": ("NIK harus tepat 16 angka.", "A NIK is exactly 16 digits."),
    "not_a_past_date": (
        "Harus tanggal yang sudah lewat (setelah 1900).",
        "Must be a past date (after 1900).",
    ),
    "date_in_future": ("Tidak boleh tanggal yang akan datang.", "May not be in the future."),
    "estimated_birth_date_missing": (
        "Isi juga perkiraan tanggal lahirnya (misalnya 1 Juli tahun itu).",
        "Give the estimated date of birth too (e.g. 1 July of that year).",
    ),
    "birth_date_makes_minor": (
        "Dengan tanggal ini klien masih di bawah umur: catat dulu persetujuan dari walinya.",
        "With this date the client is a minor: record a guardian's consent first.",
    ),
    "staff_not_found": (
        "Staf ini tidak dikenal atau sudah tidak aktif.",
        "No such staff member, or no longer active.",
    ),
    "guardian_name_required": ("Sebutkan nama wali.", "Name the guardian."),
    "minor_consent_by_guardian": (
        "Persetujuan untuk anak di bawah umur diberikan oleh wali.",
        "A minor's consent is given by a guardian.",
    ),
    "phone_required_for_channel": (
        "Nomor telepon diperlukan untuk SMS/WhatsApp.",
        "A phone number is needed for SMS/WhatsApp.",
    ),
    "email_required_for_channel": (
        "Alamat email diperlukan untuk saluran email.",
        "An email address is needed for the email channel.",
    ),
    "readmission_before_discharge": (
        "Penerimaan kembali dimulai pada atau setelah tanggal keluar terakhir.",
        "A readmission starts on or after the last discharge date.",
    ),
    "before_from": (
        "Tidak boleh sebelum tanggal awal (\u201cDari\u201d).",
        "May not be before the start date (\u201cFrom\u201d).",
    ),
    "dast10_answers_shape": (
        "DAST-10 dijawab dengan 10 jawaban ya/tidak.",
        "DAST-10 takes 10 yes/no answers.",
    ),
    "dast10_not_a_list": (
        "DAST-10 dijawab dengan 10 jawaban ya/tidak.",
        "DAST-10 takes 10 yes/no answers.",
    ),
    "dast10_answer_count": (
        "Jawab kesepuluh pertanyaan DAST-10.",
        "Answer all ten DAST-10 questions.",
    ),
    "dast10_not_boolean": ("Pilih ya atau tidak.", "Choose yes or no."),
    "assist_answers_shape": (
        "Jawaban ASSIST diberikan per zat dan per pertanyaan.",
        "ASSIST answers are given per substance and per question.",
    ),
    "assist_not_per_substance": (
        "Jawaban ASSIST diberikan per zat.",
        "ASSIST answers are given per substance.",
    ),
    "assist_no_substance": (
        "Jawab pertanyaan untuk paling sedikit satu zat.",
        "Answer the questions for at least one substance.",
    ),
    "assist_unknown_substance": (
        "Zat ini tidak ada dalam daftar ASSIST.",
        "This substance is not on the ASSIST list.",
    ),
    "assist_not_per_question": (
        "Jawaban untuk zat ini diberikan per pertanyaan.",
        "Answers for this substance are given per question.",
    ),
    "assist_unknown_question": (
        "Pertanyaan ini tidak ada dalam ASSIST.",
        "ASSIST has no such question.",
    ),
    "assist_question_not_asked": (
        "Pertanyaan ini tidak ditanyakan untuk zat ini.",
        "This question is not asked about this substance.",
    ),
    "assist_unknown_option": (
        "Pilih salah satu jawaban yang tersedia.",
        "Choose one of the answers offered.",
    ),
    "assist_answered_though_not_used": (
        "Kosongkan atau jawab \u201cTidak pernah\u201d: zat ini tidak dipakai dalam 3 bulan "
        "terakhir (pertanyaan 2).",
        "Leave blank or answer \u201cNever\u201d: not used in the past 3 months (question 2).",
    ),
    "assist_question_unanswered": ("Wajib dijawab.", "Answer this question."),
    "assist_score_not_integer": (
        "Skor harus bilangan bulat.",
        "The score must be a whole number.",
    ),
    "assist_score_out_of_range": (
        "Skor ini tidak mungkin untuk zat tersebut.",
        "This score is not possible for that substance.",
    ),
}
