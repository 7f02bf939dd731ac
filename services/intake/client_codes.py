"""Human-readable client codes, unique per foundation: ``MP-2026-0007``."""

from __future__ import annotations

import re


def code_prefix(slug: str) -> str:
    """Initials of a multi-word slug (``medan-plus`` → ``MP``), else its first three letters."""
    words = [w for w in re.split(r"[^a-z0-9]+", slug.lower()) if w]
    if len(words) > 1:
        return "".join(w[0] for w in words)[:4].upper()
    return (words[0][:3] if words else "CL").upper()


def format_code(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"
