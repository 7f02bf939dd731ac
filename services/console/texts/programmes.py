"""Programmes: their places, occupancy and the form that creates one.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flash.programme_created": ("Program dibuat.", "Programme created."),
    "field.programme": ("Program", "Programme"),
    "field.program_kind": ("Jenis", "Kind"),
    "field.duration_days": ("Lama (hari)", "Length (days)"),
    "programmes.title": ("Program", "Programmes"),
    "programmes.occupancy": ("Keterisian", "Occupancy"),
    "programmes.occupied": ("Terisi", "Occupied"),
    "programmes.capacity": ("Kapasitas", "Capacity"),
    "programmes.available": ("Tersedia", "Available"),
    "programmes.none": ("Belum ada program.", "No programmes yet."),
    "programmes.new": ("Program baru", "New programme"),
    "programmes.create": ("Buat program", "Create programme"),
}
