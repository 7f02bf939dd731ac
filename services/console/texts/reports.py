"""Reports: caseloads, overdue assessments, obstacles, outcomes and follow-ups.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "field.from": ("Dari", "From"),
    "field.to": ("Sampai", "To"),
    "reports.title": ("Laporan", "Reports"),
    "reports.show": ("Tampilkan", "Show"),
    "reports.ipwl_csv": ("Unduh rekap IPWL (CSV)", "Download IPWL recap (CSV)"),
    "reports.caseload": ("Klien dalam perawatan per pendamping", "Clients in care per case worker"),
    "reports.no_case_worker": ("Tanpa pendamping", "No case worker"),
    "reports.overdue_assessments": ("Asesmen terlambat", "Overdue assessments"),
    "reports.obstacles": ("Hambatan yang ditemui", "Obstacles met"),
    "reports.outcomes": ("Hasil setelah selesai", "Outcomes after discharge"),
    "reports.discharged": ("{n} klien selesai", "{n} discharged"),
    "reports.completion": ("{pct}% menyelesaikan program", "{pct}% completed"),
    "reports.by_reason": ("Alasan selesai", "Discharge reasons"),
    "reports.abstinent_share": (
        "Bebas zat di antara yang terhubungi",
        "Abstinent among those reached",
    ),
    "reports.followup": ("Bimbingan lanjut", "Follow-up"),
    "reports.after_days": ("setelah {days} hari", "after {days} days"),
    "reports.due": ("Jatuh tempo", "Due"),
    "reports.reached": ("Terhubungi", "Reached"),
    "reports.abstinent": ("Bebas zat", "Abstinent"),
    "reports.nothing_yet": ("Belum ada data.", "No data yet."),
}
