"""Reports: caseloads, overdue assessments, obstacles, outcomes and follow-ups; engagement
(started, engaged, retained) and caseloads beside the staffing norm.

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
    # engagement: clients admitted in the period, and how many took hold of their care
    "engagement.title": ("Keterlibatan klien", "Client engagement"),
    "engagement.summary": (
        "{admitted} klien diterima dalam periode ini.",
        "{admitted} clients admitted in the period.",
    ),
    "engagement.explained": (
        "Mulai: sesi pertama dihadiri dalam 14 hari setelah diterima. Terlibat: 2 sesi lagi "
        "dihadiri dalam 34 hari setelah itu. Bertahan: belum keluar sebelum hari ke-90.",
        "Started: a first session attended within 14 days of admission. Engaged: 2 more "
        "attended within 34 days after that. Retained: not discharged before day 90.",
    ),
    "engagement.started": ("Mulai", "Started"),
    "engagement.engaged": ("Terlibat", "Engaged"),
    "engagement.retained_90": ("Bertahan 90 hari", "Retained 90 days"),
    "engagement.admitted": ("Diterima", "Admitted"),
    "engagement.pending": ("{n} masih berjalan", "{n} still open"),
    "engagement.by_programme": ("Per program", "By programme"),
    "engagement.by_case_worker": ("Per pendamping", "By case worker"),
    "engagement.programme": ("Program", "Programme"),
    "engagement.not_placed": ("Belum ditempatkan", "Not placed"),
    "engagement.caseloads": (
        "Beban kasus dibanding standar",
        "Caseloads beside the staffing norm",
    ),
    "engagement.norm_explained": (
        "Standar: 1 pekerja sosial untuk 7 klien, 1 konselor untuk 10 klien. Garis putus-putus "
        "menandai standar; yang melebihinya berwarna merah.",
        "The norm: 1 social worker to 7 clients, 1 counsellor to 10. The dashed line marks "
        "the norm; a caseload over it is red.",
    ),
    "engagement.clients": ("Klien dalam perawatan", "Clients in care"),
    "engagement.norm": ("Standar", "Norm"),
    "engagement.over_norm": ("Melebihi standar", "Over the norm"),
    "engagement.over_norm_count": (
        "{n} pendamping melebihi standar.",
        "{n} case workers over the norm.",
    ),
    "engagement.within_norm": ("Sesuai standar", "Within the norm"),
}
