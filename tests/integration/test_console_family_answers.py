"""The families' answers in the console, against the real APIs over HTTP: an RSVP on the
client's session and in the calendar, a check-in answer on the follow-up, in both languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.db import new_id
from tests.support.console import ServedApis, console_app, make_account, sign_in
from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration
FOUNDATION = "medan-plus"
SW_EMAIL = "rahmat@medanplus.example"


@pytest.fixture
def backend() -> str:
    """The console is a client of the APIs: their database does not change what it does."""
    return "sqlite"


@pytest.fixture
def console(suite, tmp_path):
    create_foundation(suite, FOUNDATION)
    apis = ServedApis.start(suite)
    app = console_app(suite.settings, apis.urls(), tmp_path, WTF_CSRF_ENABLED=False)
    make_account(app, suite, foundation=FOUNDATION, email=SW_EMAIL, name="Rahmat")
    http = app.test_client()
    assert sign_in(http, SW_EMAIL).status_code == 302
    yield http
    apis.stop_all()


@pytest.fixture
def family(suite, console):
    """An admitted client whose mother, Siti, is a family contact."""
    client = register_client(suite, FOUNDATION)
    admit(suite, client["id"], FOUNDATION)
    suite.pump()
    return {"client_id": client["id"], "contact_id": client["family_contacts"][0]["id"]}


def family_replied(suite, intent: str, **data) -> None:
    """Notifications tells of a family's reply, through its outbox as it would."""
    payload = {
        "reply_id": new_id(),
        "answered_at": datetime.now(UTC),
        "session_id": None,
        "followup_id": None,
        "intent": intent,
        **data,
    }
    with suite.runtime("notifications").unit_of_work() as uow:
        uow.emit("family.replied", subject=data["contact_id"], foundation=FOUNDATION, data=payload)
    suite.pump()


def page(http, path: str) -> str:
    answer = http.get(path)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def badges(html: str, kind: str) -> list[str]:
    return re.findall(rf'<span class="badge {kind}-\w+"[^>]*>([^<]*)</span>', html)


def test_the_familys_rsvp_shows_on_the_session_and_in_the_calendar(suite, console, family):
    starts_at = datetime.now(UTC) + timedelta(days=2)
    made = suite.client("assessment").post(
        "/sessions",
        json={
            "kind": "family",
            "client_ids": [family["client_id"]],
            "starts_at": starts_at.isoformat(),
            "duration_minutes": 60,
        },
        headers=suite.headers(foundation=FOUNDATION),
    )
    assert made.status_code == 201
    session_id = made.get_json()["id"]
    client_page = f"/clients/{family['client_id']}"
    assert "keluarga belum menjawab" in page(console, client_page)

    family_replied(suite, "rsvp_later", session_id=session_id, **family)
    html = page(console, client_page)
    assert badges(html, "rsvp") == ["Siti: Minta jadwal lain"]
    assert "keluarga belum menjawab" not in html

    family_replied(suite, "rsvp_yes", session_id=session_id, **family)
    week = starts_at.astimezone(ZoneInfo("Asia/Jakarta")).date().isoformat()
    assert badges(page(console, client_page), "rsvp") == ["Siti: Hadir"]
    assert badges(page(console, f"/calendar?week={week}"), "rsvp") == ["Siti: Hadir"]

    console.post("/locale", data={"locale": "en"})
    assert badges(page(console, client_page), "rsvp") == ["Siti: Coming"]
    assert badges(page(console, f"/calendar?week={week}"), "rsvp") == ["Siti: Coming"]
    family_replied(suite, "rsvp_no", session_id=session_id, **family)
    assert badges(page(console, client_page), "rsvp") == ["Siti: Not coming"]


def test_a_check_in_answer_shows_on_the_follow_up_and_help_stands_out(suite, console, family):
    discharged = suite.client("assessment").post(
        f"/clients/{family['client_id']}/discharge",
        json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
        headers=suite.headers(foundation=FOUNDATION),
    )
    assert discharged.status_code == 200
    first, second, _third = (f["id"] for f in discharged.get_json())
    family_replied(suite, "checkin_help", followup_id=first, **family)
    family_replied(suite, "checkin_ok", followup_id=second, **family)

    client_page = f"/clients/{family['client_id']}"
    html = page(console, client_page)
    assert badges(html, "checkin") == [
        "Jawaban keluarga: Perlu bantuan",
        "Jawaban keluarga: Baik",
    ]
    assert re.search(rf'class="followup needs-help" id="followup-{first}-row"', html)
    assert re.search(rf'class="followup" id="followup-{second}-row"', html)

    console.post("/locale", data={"locale": "en"})
    assert badges(page(console, client_page), "checkin") == [
        "The family answered: Needs help",
        "The family answered: All well",
    ]
