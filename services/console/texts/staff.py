"""Staff and their console accounts.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flash.account_created": ("Akun staf dibuat.", "Staff account created."),
    "flash.account_deactivated": (
        "Akun dinonaktifkan: orang ini tidak bisa masuk lagi dan tidak lagi menerima pengingat.",
        "Account deactivated: this person can no longer sign in or receive reminders.",
    ),
    "flash.account_activated": ("Akun diaktifkan kembali.", "Account active again."),
    "flash.account_unlocked": ("Kunci akun dibuka.", "Account unlocked."),
    "flash.not_yourself": (
        "Anda tidak dapat menonaktifkan akun Anda sendiri.",
        "You cannot deactivate your own account.",
    ),
    "error.email_taken": ("Email ini sudah dipakai akun lain.", "This email has an account."),
    "error.password_short": (
        "Kata sandi minimal 10 karakter.",
        "A password has at least 10 characters.",
    ),
    "field.name": ("Nama", "Name"),
    "field.role": ("Peran", "Role"),
    "field.password": ("Kata sandi", "Password"),
    "hint.password": (
        "Kosongkan untuk membuat kata sandi acak (ditampilkan sekali).",
        "Leave empty for a random password (shown once).",
    ),
    "staff.title": ("Staf dan akun konsol", "Staff and console accounts"),
    "staff.new": ("Akun staf baru", "New staff account"),
    "staff.create": ("Buat akun", "Create account"),
    "staff.created": ("Akun {email} dibuat.", "Account {email} created."),
    "staff.password_once": (
        "Kata sandi awal (hanya ditampilkan sekali, sampaikan secara pribadi):",
        "First password (shown only once; hand it over in person):",
    ),
    "staff.last_sign_in": ("Terakhir masuk", "Last sign-in"),
    "staff.access": ("Akses", "Access"),
    "staff.deactivate": ("Nonaktifkan", "Deactivate"),
    "staff.activate": ("Aktifkan", "Activate"),
    "staff.unlock": ("Buka kunci", "Unlock"),
    "account.active": ("Aktif", "Active"),
    "account.inactive": ("Nonaktif", "Inactive"),
    "account.locked": ("Terkunci", "Locked"),
}
