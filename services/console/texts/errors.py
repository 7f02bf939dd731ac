"""Error pages, and the form errors any form may show (a required field, a date, a number).

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "error.required": ("Wajib diisi.", "Required."),
    "error.too_long": ("Paling banyak {length} karakter.", "At most {length} characters."),
    "error.nik": ("NIK harus tepat 16 angka.", "A NIK is exactly 16 digits."),
    "error.date": ("Tanggal tidak valid (TTTT-BB-HH).", "Not a valid date (YYYY-MM-DD)."),
    "error.time": ("Jam tidak valid (JJ:MM).", "Not a valid time (HH:MM)."),
    "error.number": ("Masukkan bilangan bulat.", "Enter a whole number."),
    "error.range": ("Antara {low} dan {high}.", "Between {low} and {high}."),
    "error.email": ("Alamat email tidak valid.", "Not a valid email address."),
    "error.choice": ("Pilihan tidak dikenal.", "Not one of the choices."),
    "error.answer": ("Pilih salah satu.", "Choose one."),
    "error.unavailable_form": (
        "Layanan {service} sedang tidak dapat dihubungi; belum ada yang tersimpan. Isian Anda "
        "masih di sini: kirim lagi sebentar lagi.",
        "The {service} service cannot be reached right now; nothing was saved. What you typed "
        "is still here: send it again shortly.",
    ),
    "error.check_form": (
        "Periksa isian yang ditandai di bawah.",
        "Please check the fields marked below.",
    ),
    "error.unavailable_title": ("Layanan sedang tidak tersedia", "Service unavailable"),
    "error.unavailable": (
        "Layanan {service} sedang tidak dapat dihubungi. Data Anda aman; coba lagi sebentar lagi.",
        "The {service} service cannot be reached right now. Your data is safe; try again shortly.",
    ),
    "error.busy": (
        "Layanan {service} sedang sibuk. Coba lagi sebentar lagi.",
        "The {service} service is busy. Try again shortly.",
    ),
    "error.api_title": ("Terjadi gangguan", "Something went wrong"),
    "error.api": (
        "Layanan {service} menjawab dengan kesalahan. Tidak ada yang berubah; coba lagi.",
        "The {service} service answered with an error. Nothing changed; try again.",
    ),
    "error.not_found_title": ("Tidak ditemukan", "Not found"),
    "error.erased_title": ("Data sudah dihapus", "Data erased"),
    "error.erased": (
        "Data pribadi klien ini sudah dihapus atas permintaannya atau karena masa simpannya "
        "habis; yang tersisa hanya angka untuk laporan.",
        "This client's personal data was erased at their request or when its retention "
        "ended; only counts remain for reports.",
    ),
    "error.not_found": ("Halaman atau data ini tidak ada.", "This page or record does not exist."),
    "error.forbidden_title": ("Tidak diizinkan", "Not allowed"),
    "error.forbidden": (
        "Peran Anda tidak boleh melakukan ini.",
        "Your role may not do this.",
    ),
    "error.session_title": ("Sesi berakhir", "Session ended"),
    "error.api_refused_token": (
        "Layanan menolak sesi Anda. Silakan keluar lalu masuk lagi.",
        "The service refused your session. Please sign out and sign in again.",
    ),
    "error.csrf_title": ("Formulir kedaluwarsa", "Form expired"),
    "error.csrf": (
        "Formulir ini tidak dapat diterima (token keamanan hilang atau kedaluwarsa). "
        "Muat ulang halaman lalu kirim lagi.",
        "This form could not be accepted (its security token is missing or expired). "
        "Reload the page and send it again.",
    ),
    "error.bad_request_title": ("Permintaan tidak valid", "Bad request"),
    "error.bad_request": (
        "Permintaan ini tidak dapat diproses.",
        "This request cannot be handled.",
    ),
    "error.not_allowed_title": ("Tidak didukung", "Not supported"),
    "error.not_allowed": ("Cara ini tidak didukung di halaman ini.", "Not supported on this page."),
    "error.too_large_title": ("Terlalu besar", "Too large"),
    "error.too_large": ("Isian terlalu besar.", "What was sent is too large."),
    "error.internal_title": ("Terjadi kesalahan", "Something went wrong"),
    "error.internal": (
        "Terjadi kesalahan di pihak kami. Coba lagi; jika berulang, hubungi admin.",
        "Something went wrong on our side. Try again; if it happens again, tell your admin.",
    ),
    "error.try_again": ("Coba lagi", "Try again"),
    "error.back_home": ("Kembali ke dampingan saya", "Back to my caseload"),
}
