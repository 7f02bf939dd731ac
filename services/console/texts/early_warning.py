"""The early warning: a client's flag and its reasons, reaching out to the client, and the
caseload's list of clients who need attention. The levels, rules, outreach methods and
outcomes are named in :mod:`.vocabulary` (``risk_level``, ``risk_rule``, ``outreach_*``).

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "warning.title": ("Peringatan dini", "Early warning"),
    "warning.none": (
        "Tidak ada tanda peringatan saat ini.",
        "No warning signs at the moment.",
    ),
    "warning.reasons": ("Alasannya", "Why"),
    "warning.since": ("sejak {day}", "since {day}"),
    "warning.updated": ("Diperiksa {moment}", "Checked {moment}"),
    "warning.last_outreach": ("Penjangkauan terakhir", "Last outreach"),
    "warning.no_outreach_since": (
        "Belum ada penjangkauan yang berhasil sejak tanda ini muncul.",
        "Nobody has reached the client since these signs began.",
    ),
    "warning.leads_to_outreach": (
        "Tanda ini mengajak untuk menjangkau klien, bukan untuk mengeluarkannya. Tanda hilang "
        "sendiri bila alasannya tidak berlaku lagi.",
        "The signs call for reaching out to the client, never for a discharge. The flag falls "
        "by itself once its reasons no longer hold.",
    ),
    "warning.unknown": (
        "Layanan asesmen belum memberi peringatan dini untuk klien ini.",
        "The assessment service gives no early warning for this client yet.",
    ),
    "outreach.history": ("Riwayat penjangkauan ({n})", "Outreach so far ({n})"),
    "outreach.record": ("Catat penjangkauan", "Record an outreach"),
    "outreach.submit": ("Simpan penjangkauan", "Save the outreach"),
    "outreach.by": ("oleh {name}", "by {name}"),
    "field.outreach_method": ("Cara", "How"),
    "field.outreach_outcome": ("Hasilnya", "Outcome"),
    "field.outreach_notes": ("Catatan (tidak wajib)", "Notes (optional)"),
    "hint.outreach_notes": (
        "Mis. siapa yang dihubungi dan apa yang disepakati.",
        "E.g. who was reached and what was agreed.",
    ),
    "flash.outreach_recorded": (
        "Penjangkauan dicatat: {method}, {outcome}.",
        "Outreach recorded: {method}, {outcome}.",
    ),
    # the caseload's list
    "attention.title": ("Perlu perhatian", "Needs attention"),
    "attention.hint": (
        "Klien dengan tanda peringatan dini: risiko tinggi dulu, lalu yang perlu perhatian.",
        "Clients with early-warning signs: high risk first, then those to watch.",
    ),
    "attention.more_reasons": ("+{n} alasan lain", "+{n} more"),
}
