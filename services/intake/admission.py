"""Who may be admitted: a registered client, or a discharged one coming back (relapse is
common, and readmission opens a new episode of care rather than a new client)."""

from __future__ import annotations

ADMITTABLE = frozenset({"registered", "discharged"})


class AdmissionRefused(Exception):
    pass


def check_admittable(status: str) -> None:
    if status not in ADMITTABLE:
        raise AdmissionRefused(f"The client is {status}; discharge them before readmitting.")
