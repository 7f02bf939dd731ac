"""The frame of every page: the navigation, signing in, the language switch, notices
that a service is down, the services' names.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.label": ("Menu utama", "Main menu"),
    "nav.caseload": ("Dampingan saya", "My caseload"),
    "nav.new_client": ("Klien baru", "New client"),
    "nav.calendar": ("Kalender", "Calendar"),
    "nav.programmes": ("Program", "Programmes"),
    "nav.reports": ("Laporan", "Reports"),
    "nav.staff": ("Staf", "Staff"),
    "nav.sign_out": ("Keluar", "Sign out"),
    "yes": ("Ya", "Yes"),
    "no": ("Tidak", "No"),
    "sign_in.title": ("Masuk ke Pendamping", "Sign in to Pendamping"),
    "sign_in.submit": ("Masuk", "Sign in"),
    "sign_in.failed": (
        "Email atau kata sandi salah. Setelah {limit} kali gagal berturut-turut, akun dikunci "
        "selama {minutes} menit.",
        "Wrong email or password. After {limit} failures in a row the account is locked for "
        "{minutes} minutes.",
    ),
    "sign_in.too_many": (
        "Terlalu banyak percobaan masuk yang gagal dari alamat ini. Coba lagi dalam {minutes} "
        "menit.",
        "Too many failed sign-ins from this address. Try again in {minutes} minutes.",
    ),
    "flash.locale_changed": ("Bahasa diganti.", "Language changed."),
    "notice.service_down": (
        "Layanan {service} sedang tidak dapat dihubungi; bagian ini tidak ditampilkan. "
        "Coba lagi sebentar lagi.",
        "The {service} service cannot be reached right now; this part is not shown. "
        "Try again shortly.",
    ),
    "service.intake": ("pendaftaran (intake)", "intake"),
    "service.assessment": ("asesmen", "assessment"),
    "service.notifications": ("pesan", "notifications"),
}
