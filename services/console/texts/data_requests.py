"""Personal-data requests (UU PDP): the admins' **Permintaan data** page.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.data_requests": ("Permintaan data", "Data requests"),
    "data_requests.title": ("Permintaan data pribadi", "Personal-data requests"),
    "data_requests.intro": (
        "Klien berhak meminta salinan semua data tentang dirinya (dijawab dalam 3×24 jam) dan "
        "penghapusannya (UU PDP pasal 7, 8, 32 dan 43). Yang terlambat tampil paling atas.",
        "Clients may ask for a copy of everything held about them (answered within 3×24 "
        "hours) and for its erasure (UU PDP art. 7, 8, 32 and 43). Late ones come first.",
    ),
    "data_requests.filter": ("Saring permintaan", "Filter requests"),
    "data_request_filter.open": ("Terbuka", "Open"),
    "data_request_filter.late": ("Terlambat", "Late"),
    "data_request_filter.complete": ("Selesai", "Complete"),
    "data_request_filter.refused": ("Ditolak", "Refused"),
    "data_request_filter.all": ("Semua", "All"),
    "data_requests.none": ("Tidak ada permintaan di sini.", "No requests here."),
    "data_requests.kind": ("Jenis permintaan", "Kind of request"),
    "data_requests.opened": ("Dibuka", "Opened"),
    "data_requests.due": ("Batas waktu", "Due by"),
    "data_requests.status": ("Status", "Status"),
    "data_requests.answered": ("Layanan menjawab", "Services answered"),
    "data_requests.parts": ("{n} dari 3", "{n} of 3"),
    "data_requests.late": ("Terlambat", "Late"),
    "data_requests.by_retention": ("masa simpan habis", "retention ended"),
    "data_requests.refused_client_admitted": (
        "klien dirawat lagi",
        "the client was admitted again",
    ),
    "data_requests.export_html": ("Salinan (cetak)", "Copy (printable)"),
    "data_requests.export_json": ("Salinan (JSON)", "Copy (JSON)"),
    "data_requests.confirm": ("Konfirmasi penghapusan", "Confirm the erasure"),
    "data_requests.erase": ("Hapus data klien ini", "Erase this client's data"),
    "data_requests.erasure_warning": (
        "Penghapusan tidak dapat dibatalkan: nama, NIK, kontak, catatan dan pesan klien tidak "
        "dapat dibaca lagi oleh siapa pun, juga dari cadangan. Yang tersisa hanya angka, "
        "tanggal dan hasil untuk laporan.",
        "An erasure cannot be undone: the client's name, NIK, contacts, notes and messages "
        "can no longer be read by anyone, backups included. Only counts, dates and outcomes "
        "remain for reports.",
    ),
    "data_requests.type_code_label": (
        "Ketik kode klien untuk konfirmasi",
        "Type the client's code to confirm",
    ),
    "data_requests.type_code": (
        "Ketik kode klien ({code}) persis untuk menghapus.",
        "Type the client's code ({code}) to erase.",
    ),
    "data_requests.new": ("Permintaan data baru", "New data request"),
    "data_requests.open_new": ("Permintaan data…", "Data request…"),
    "data_requests.rights": (
        "Catat permintaan klien (atau walinya): salinan data dijawab dalam 3×24 jam; "
        "penghapusan hanya setelah klien pulang.",
        "Record the client's (or guardian's) request: a copy is answered within 3×24 hours; "
        "an erasure only once the client is discharged.",
    ),
    "data_requests.requested_by": ("Diminta oleh", "Requested by"),
    "hint.requested_by": (
        "Nama orang yang meminta (klien sendiri atau walinya).",
        "Who asked (the client or their guardian).",
    ),
    "data_requests.notes": ("Catatan", "Notes"),
    "data_requests.erasure_confirmation": ("Hanya untuk penghapusan", "For an erasure only"),
    "data_requests.submit": ("Buka permintaan", "Open the request"),
    "flash.data_request_opened": (
        "Permintaan dibuka; setiap layanan menjawab dengan bagiannya.",
        "Request opened; each service answers with its part.",
    ),
    "flash.erasure_confirmed": (
        "Penghapusan dikonfirmasi; setiap layanan menghapus bagiannya.",
        "Erasure confirmed; each service erases its part.",
    ),
    "flash.export_not_ready": (
        "Belum semua layanan menjawab; coba lagi sebentar.",
        "Not every service has answered yet; try again shortly.",
    ),
    "data_request_kind.access": ("Salinan data", "Copy of the data"),
    "data_request_kind.erasure": ("Penghapusan", "Erasure"),
    "data_request_status.open": ("Terbuka", "Open"),
    "data_request_status.complete": ("Selesai", "Complete"),
    "data_request_status.refused": ("Ditolak", "Refused"),
}
