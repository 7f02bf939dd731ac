"""A printable copy of an access export, in Bahasa Indonesia or English.

The template (``templates/data_export.html``) shows any part the services send: objects as
labelled lists, lists as numbered ones, so a field a service adds reaches the copy without
a change here. Labels it knows are translated; any other shows its name in words. Every
value is escaped.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from shared.vocabulary import Locale

WORDS: dict[str, dict[str, str]] = {
    Locale.ID: {
        "title": "Salinan data pribadi",
        "intro": (
            "Semua data pribadi yang disimpan yayasan tentang klien ini, atas permintaan "
            "akses menurut UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (pasal 32)."
        ),
        "foundation": "Yayasan",
        "client": "Klien",
        "request": "Permintaan",
        "generated_at": "Dibuat",
        "intake": "Pendaftaran dan skrining",
        "assessment": "Asesmen, rencana dan sesi",
        "notifications": "Pesan dan balasan keluarga",
        "none": "Tidak ada",
        "yes": "Ya",
        "no": "Tidak",
    },
    Locale.EN: {
        "title": "Copy of personal data",
        "intro": (
            "Everything the foundation holds about this client, at the client's access "
            "request under Indonesia's Personal Data Protection Law 27/2022 (art. 32)."
        ),
        "foundation": "Foundation",
        "client": "Client",
        "request": "Request",
        "generated_at": "Generated",
        "intake": "Registration and screening",
        "assessment": "Assessment, plan and sessions",
        "notifications": "Messages and family replies",
        "none": "None",
        "yes": "Yes",
        "no": "No",
    },
}

#: Bahasa Indonesia names of the fields intake's part has (English shows the names in words).
LABELS_ID = {
    "identity": "Identitas",
    "full_name": "Nama lengkap",
    "nik": "NIK",
    "date_of_birth": "Tanggal lahir",
    "date_of_birth_estimated": "Tanggal lahir perkiraan",
    "sex": "Jenis kelamin",
    "phone": "Telepon",
    "address": "Alamat",
    "status": "Status",
    "use_history": "Riwayat penggunaan",
    "referral": "Rujukan",
    "consent": "Persetujuan",
    "consent_history": "Riwayat persetujuan",
    "family_contacts": "Kontak keluarga",
    "name": "Nama",
    "relationship": "Hubungan",
    "screenings": "Skrining",
    "episodes": "Episode perawatan",
    "audit": "Catatan akses",
    "data_requests": "Permintaan data",
}

_env = Environment(
    loader=PackageLoader("services.intake", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_export(export: dict[str, Any], lang: str, foundation: str, client_code: str) -> str:
    """The export as a printable HTML page in ``lang`` (``id`` or ``en``)."""
    words = WORDS.get(lang, WORDS[Locale.ID])

    def label(key: object) -> str:
        text = str(key)
        if lang == Locale.ID and text in LABELS_ID:
            return LABELS_ID[text]
        return text.replace("_", " ").capitalize()

    return _env.get_template("data_export.html").render(
        export=export,
        sections=("intake", "assessment", "notifications"),
        words=words,
        label=label,
        lang=lang,
        foundation=foundation,
        client_code=client_code,
    )
