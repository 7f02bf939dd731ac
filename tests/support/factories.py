"""Small helpers that create records through the public API, as a user would."""

from __future__ import annotations

from typing import Any


def create_foundation(suite, slug: str = "medan-plus", **overrides: Any) -> dict:
    body = {
        "slug": slug,
        "name": f"Yayasan {slug}",
        "quiet_hours": {"start": "00:00", "end": "00:00"},
    }
    body.update(overrides)
    response = suite.client("intake").post(
        "/foundations", json=body, headers=suite.headers("operator")
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def register_client(suite, foundation: str = "medan-plus", **overrides: Any) -> dict:
    body: dict[str, Any] = {
        "full_name": "Budi Santoso",
        "family_contacts": [
            {
                "name": "Siti",
                "relationship": "mother",
                "phone": "0812-3456-7890",
                "channel": "whatsapp",
            }
        ],
        "consent": {"contact_family": True},
    }
    body.update(overrides)
    response = suite.client("intake").post(
        "/clients", json=body, headers=suite.headers(foundation=foundation)
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def admit(suite, client_id: str, foundation: str = "medan-plus") -> dict:
    response = suite.client("intake").post(
        f"/clients/{client_id}/admission",
        json={"family_agreement": True},
        headers=suite.headers(foundation=foundation),
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def add_staff(suite, name: str, role: str = "social_worker") -> dict:
    """A staff member of medan-plus, reached by e-mail (reminders and alerts go there)."""
    response = suite.client("intake").post(
        "/staff",
        headers=suite.headers("admin"),
        json={"name": name, "role": role, "email": f"{name.lower()}@example.org"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def schedule_family_session(suite, client_id: str, starts_at, *, deliver: bool = True) -> dict:
    """A family session for ``client_id`` at ``starts_at``, its events delivered (or left on
    the queues: ``deliver=False``)."""
    response = suite.client("assessment").post(
        "/sessions",
        headers=suite.headers(),
        json={
            "kind": "family",
            "client_ids": [client_id],
            "starts_at": starts_at.isoformat(),
            "duration_minutes": 60,
            "location": "Ruang 2",
        },
    )
    assert response.status_code == 201, response.get_json()
    if deliver:
        suite.pump()
    return response.get_json()


def withdraw_consent(suite, client_id: str) -> None:
    """The client withdraws consent to contact the family and to share progress."""
    response = suite.client("intake").put(
        f"/clients/{client_id}/consent",
        headers=suite.headers(),
        json={"contact_family": False, "share_progress": False},
    )
    assert response.status_code == 200, response.get_json()


def assert_no_one_to_write_to(suite, contact_id: str) -> None:
    """Consent withdrawn, intake shares no contact of the family's with notifications: a
    social worker writing to the family finds no one (404 ``contact_not_found``)."""
    written = suite.client("notifications").post(
        f"/conversations/{contact_id}/messages",
        json={"text": "Apa kabar?"},
        headers=suite.headers(),
    )
    assert written.status_code == 404, written.get_json()
    assert written.get_json()["code"] == "contact_not_found"
