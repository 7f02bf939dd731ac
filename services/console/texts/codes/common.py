"""The console's texts for the codes any service answers with (shared/codes/common.py):
``code: (id, en)``, one entry for every code of that registry module (a unit test checks).

Placeholders are ``str.format`` fields that the problem body carries beside the code (see
:mod:`services.console.texts.codes`).
"""

from __future__ import annotations

#: A refusal's code → what the console says (Bahasa Indonesia, English).
PROBLEMS: dict[str, tuple[str, str]] = {
    "bad_request": ("Permintaan ini tidak dapat diproses.", "This request cannot be handled."),
    "malformed_json": (
        "Isian tidak dapat dibaca (bukan JSON yang valid).",
        "What was sent could not be read (not valid JSON).",
    ),
    "unauthorized": (
        "Layanan menolak sesi Anda. Silakan keluar lalu masuk lagi.",
        "The service refused your session. Please sign out and sign in again.",
    ),
    "forbidden": ("Peran Anda tidak boleh melakukan ini.", "Your role may not do this."),
    "not_found": (
        "Data ini tidak ada (mungkin baru dihapus); muat ulang halaman.",
        "No such record (perhaps just removed); reload the page.",
    ),
    "method_not_allowed": ("Cara ini tidak didukung di sini.", "This is not supported here."),
    "conflict": (
        "Ini bertentangan dengan keadaan data saat ini; muat ulang halaman.",
        "This clashes with the record as it is now; reload the page.",
    ),
    "gone": (
        "Isi data ini sudah dihapus untuk selamanya.",
        "This record's content was removed for good.",
    ),
    "payload_too_large": ("Isian terlalu besar.", "What was sent is too large."),
    "unsupported_media_type": (
        "Format isian tidak didukung.",
        "What was sent is in a format that is not supported.",
    ),
    "validation_failed": (
        "Periksa isian yang ditandai di bawah.",
        "Please check the fields marked below.",
    ),
    "too_many_requests": (
        "Terlalu banyak permintaan; coba lagi sebentar lagi.",
        "Too many requests; try again shortly.",
    ),
    "internal_error": (
        "Terjadi kesalahan di pihak layanan. Tidak ada yang berubah; coba lagi.",
        "Something went wrong in the service. Nothing changed; try again.",
    ),
    "unavailable": (
        "Layanan sedang tidak tersedia; coba lagi sebentar lagi.",
        "The service is unavailable; try again shortly.",
    ),
    "database_unavailable": (
        "Basis data layanan sedang sibuk atau tidak dapat dihubungi; coba lagi.",
        "The service's database is busy or unreachable; try again.",
    ),
    # authentication and roles
    "bearer_required": (
        "Sesi Anda tidak sampai ke layanan. Silakan keluar lalu masuk lagi.",
        "Your session did not reach the service. Please sign out and sign in again.",
    ),
    "token_invalid": (
        "Sesi Anda tidak valid. Silakan keluar lalu masuk lagi.",
        "Your session is not valid. Please sign out and sign in again.",
    ),
    "token_expired": (
        "Sesi Anda sudah berakhir. Silakan masuk lagi.",
        "Your session has expired. Please sign in again.",
    ),
    "console_token_not_staff": (
        "Konsol hanya dapat bertindak untuk staf sebuah yayasan.",
        "The console acts only for a foundation's staff.",
    ),
    "token_incomplete": (
        "Sesi Anda tidak menyebut peran yang dikenal. Silakan keluar lalu masuk lagi.",
        "Your session names no known role. Please sign out and sign in again.",
    ),
    "token_without_foundation": (
        "Sesi Anda tidak menyebut yayasan. Silakan keluar lalu masuk lagi.",
        "Your session names no foundation. Please sign out and sign in again.",
    ),
    "role_forbidden": (
        "Peran Anda ({role}) tidak boleh melakukan ini.",
        "Your role ({role}) may not do this.",
    ),
    "foundation_token_required": (
        "Hanya staf sebuah yayasan yang dapat melakukan ini.",
        "Only a foundation's staff may do this.",
    ),
    "metrics_forbidden": (
        "Hanya operator dan token pemantauan yang boleh membaca metrik.",
        "Only operators and the scrape token may read metrics.",
    ),
    "too_many_auth_failures": (
        "Terlalu banyak percobaan masuk yang gagal dari alamat ini; coba lagi nanti "
        "(dalam {retry_after} detik).",
        "Too many failed sign-ins from this address; try again later (in {retry_after} s).",
    ),
    "json_body_required": ("Isian harus dikirim sebagai JSON.", "The body must be sent as JSON."),
}

#: A field error's code → what the console says beside the field. A value in parentheses is
#: left out when the problem does not carry it (field errors carry none today).
FIELDS: dict[str, tuple[str, str]] = {
    "required": ("Wajib diisi.", "Required."),
    "null": ("Tidak boleh kosong.", "May not be empty."),
    "unknown_field": ("Isian ini tidak dikenal.", "Unknown field."),
    "invalid_input_type": ("Jenis isian tidak valid.", "Invalid input type."),
    "invalid": ("Nilai tidak valid.", "Invalid value."),
    "invalid_string": ("Bukan teks yang valid.", "Not valid text."),
    "invalid_utf8": ("Bukan teks UTF-8 yang valid.", "Not valid UTF-8 text."),
    "invalid_integer": ("Masukkan bilangan bulat.", "Enter a whole number."),
    "invalid_number": ("Masukkan angka.", "Enter a number."),
    "number_too_large": ("Angka terlalu besar.", "The number is too large."),
    "special_number": (
        "Nilai khusus (nan atau tak hingga) tidak diterima.",
        "Special values (nan or infinity) are not accepted.",
    ),
    "invalid_boolean": ("Pilih ya atau tidak.", "Choose yes or no."),
    "invalid_date": ("Tanggal tidak valid.", "Not a valid date."),
    "invalid_datetime": ("Waktu tidak valid.", "Not a valid date or time."),
    "naive_datetime": (
        "Waktu tidak valid (keterangan zona waktunya tidak sesuai).",
        "Not a valid time (its time zone does not fit).",
    ),
    "invalid_list": ("Bukan daftar yang valid.", "Not a valid list."),
    "invalid_tuple": ("Bukan daftar yang valid.", "Not a valid list."),
    "invalid_mapping": ("Bukan kumpulan isian yang valid.", "Not a valid set of fields."),
    "invalid_object": ("Jenis isian tidak valid.", "Invalid type."),
    "invalid_email": ("Alamat email tidak valid.", "Not a valid email address."),
    "invalid_url": ("Alamat web tidak valid.", "Not a valid web address."),
    "invalid_uuid": ("Pengenal tidak valid.", "Not a valid identifier."),
    "not_one_of": ("Bukan salah satu pilihan ({choices}).", "Not one of the choices ({choices})."),
    "pattern_mismatch": ("Bentuknya tidak sesuai.", "Not in the expected form."),
    "too_short": ("Terlalu pendek (paling sedikit {min}).", "Too short (at least {min})."),
    "too_long": ("Terlalu panjang (paling banyak {max}).", "Too long (at most {max})."),
    "length_between": (
        "Panjangnya tidak sesuai (antara {min} dan {max}).",
        "Wrong length (between {min} and {max}).",
    ),
    "length_exact": ("Panjangnya tidak sesuai (harus {equal}).", "Wrong length (must be {equal})."),
    "below_minimum": ("Terlalu kecil (paling kecil {min}).", "Too small (at least {min})."),
    "not_above": (
        "Terlalu kecil (harus lebih dari {min}).",
        "Too small (must be more than {min}).",
    ),
    "above_maximum": ("Terlalu besar (paling besar {max}).", "Too large (at most {max})."),
    "not_below": (
        "Terlalu besar (harus kurang dari {max}).",
        "Too large (must be less than {max}).",
    ),
    "out_of_range": (
        "Di luar rentang (antara {min} dan {max}).",
        "Out of range (between {min} and {max}).",
    ),
    # any service: input no database or cipher stores
    "blank": ("Tidak boleh kosong.", "May not be blank."),
    "not_true_or_false": ("Pilih ya atau tidak.", "Choose yes or no."),
    "date_out_of_range": (
        "Harus antara 1900-01-01 dan 2199-12-31.",
        "Must be between 1900-01-01 and 2199-12-31.",
    ),
    "unknown_time_zone": (
        "Zona waktu tidak dikenal (contoh: Asia/Jakarta).",
        "Not a known time zone (e.g. Asia/Jakarta).",
    ),
    "time_of_day_format": (
        "Tulis jam sebagai JJ:MM, 00:00 sampai 23:59.",
        "Use HH:MM, 00:00 to 23:59.",
    ),
    "nul_character": ("Tidak boleh berisi karakter NUL.", "May not contain NUL characters."),
    "lone_surrogate": ("Bukan teks Unicode yang valid.", "Not valid Unicode text."),
    "nested_too_deep": (
        "Bertingkat terlalu dalam (lebih dari {depth} tingkat).",
        "Nested too deeply (more than {depth} levels).",
    ),
}
