"""**Permintaan data** in the console, against the real APIs over HTTP: an admin opens a
client's access request and downloads the copy once every service answered; an erasure needs
the client's code typed in, is refused while the client is in care, and afterwards the
client's page says the data was erased; a proposal of the retention sweep waits for the same
typed confirmation. Only admins see any of it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.console import ServedApis, console_app, field_errors, make_account, sign_in
from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration
FOUNDATION = "medan-plus"
ADMIN = "admin@medanplus.example"
WORKER = "rahmat@medanplus.example"


@pytest.fixture
def backend() -> str:
    """The console is a client of the APIs: their database does not change what it does."""
    return "sqlite"


@pytest.fixture
def world(suite, tmp_path):
    create_foundation(suite, FOUNDATION)
    apis = ServedApis.start(suite)
    app = console_app(suite.settings, apis.urls(), tmp_path, WTF_CSRF_ENABLED=False)
    make_account(app, suite, foundation=FOUNDATION, email=ADMIN, role="admin", locale="en")
    make_account(app, suite, foundation=FOUNDATION, email=WORKER)
    yield suite, app
    apis.stop_all()


def signed_in(app, email: str):
    http = app.test_client()
    assert sign_in(http, email).status_code == 302
    return http


def rows(html: str) -> dict[str, str]:
    """Each request's row on the page, by id, as its words."""
    found = re.findall(r'<tr id="request-([\w-]+)"[^>]*>(.*?)</tr>', html, re.S)
    return {rid: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip() for rid, body in found}


def test_an_admin_opens_an_access_request_and_downloads_the_copy(world):
    suite, app = world
    budi = register_client(suite, FOUNDATION)
    http = signed_in(app, ADMIN)
    page = http.get(f"/clients/{budi['id']}/data-requests/new")
    assert page.status_code == 200 and budi["code"] in page.get_data(as_text=True)
    answer = http.post(
        f"/clients/{budi['id']}/data-requests",
        data={"kind": "access", "requested_by": "Budi, in person"},
    )
    assert answer.status_code == 302
    listed = rows(http.get("/data-requests").get_data(as_text=True))
    ((request_id, words),) = listed.items()
    assert budi["code"] in words and "Copy of the data" in words and "1 of 3" in words
    # until every service answered, there is no copy to hand over
    early = http.get(f"/data-requests/{request_id}/export?format=json")
    assert early.status_code == 302
    suite.pump()
    done = rows(http.get("/data-requests?show=complete").get_data(as_text=True))
    assert "3 of 3" in done[request_id] and "Complete" in done[request_id]
    copy = http.get(f"/data-requests/{request_id}/export?format=json")
    assert copy.status_code == 200 and "attachment" in copy.headers["Content-Disposition"]
    exported = json.loads(copy.get_data(as_text=True))
    assert exported["client_id"] == budi["id"]
    assert set(exported) >= {"intake", "assessment", "notifications"}
    assert "Budi Santoso" in json.dumps(exported["intake"])
    printable = http.get(f"/data-requests/{request_id}/export?format=html")
    assert printable.status_code == 200 and "Budi Santoso" in printable.get_data(as_text=True)


def test_an_erasure_needs_the_code_typed_is_refused_in_care_and_leaves_an_erased_page(world):
    suite, app = world
    budi = register_client(suite, FOUNDATION)
    ani = register_client(suite, FOUNDATION, full_name="Ani Lestari")
    suite.pump()
    admit(suite, ani["id"], FOUNDATION)
    suite.pump()
    http = signed_in(app, ADMIN)

    # nothing typed, or another code: refused beside the field, nothing opened
    for typed in ("", ani["code"]):
        refused = http.post(
            f"/clients/{budi['id']}/data-requests",
            data={"kind": "erasure", "requested_by": "Budi", "client_code": typed},
        )
        assert refused.status_code == 422
        assert "client_code" in field_errors(refused.get_data(as_text=True))
    assert rows(http.get("/data-requests?show=all").get_data(as_text=True)) == {}

    # Ani is in care: the API's refusal, in the admin's language, and nothing opened
    in_care = http.post(
        f"/clients/{ani['id']}/data-requests",
        data={"kind": "erasure", "requested_by": "Ani", "client_code": ani["code"]},
    )
    assert in_care.status_code == 409
    assert "discharge them before their data can be erased" in in_care.get_data(as_text=True)

    opened = http.post(
        f"/clients/{budi['id']}/data-requests",
        data={"kind": "erasure", "requested_by": "Budi", "client_code": budi["code"].lower()},
    )
    assert opened.status_code == 302
    suite.pump()
    gone = http.get(f"/clients/{budi['id']}")
    assert gone.status_code == 410
    assert "personal data was erased" in gone.get_data(as_text=True)
    done = rows(http.get("/data-requests?show=complete").get_data(as_text=True))
    assert len(done) == 1 and "Erasure" in next(iter(done.values()))


def test_a_retention_proposal_waits_for_the_typed_confirmation(world):
    suite, app = world
    budi = register_client(suite, FOUNDATION)
    suite.pump()
    admit(suite, budi["id"], FOUNDATION)
    suite.pump()
    discharged = suite.client("assessment").post(
        f"/clients/{budi['id']}/discharge",
        json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
        headers=suite.headers("social_worker", FOUNDATION),
    )
    assert discharged.status_code == 200, discharged.get_json()
    suite.pump()
    later = datetime.now(UTC) + timedelta(days=6 * 366)
    assert suite.run_task("intake", "intake.sweep_retention", [later.isoformat()]) == 1
    http = signed_in(app, ADMIN)
    page = http.get("/data-requests").get_data(as_text=True)
    ((request_id, words),) = rows(page).items()
    assert "retention ended" in words and "Confirm the erasure" in words
    prefix = f"c{request_id[:8]}"
    wrong = http.post(
        f"/data-requests/{request_id}/confirm", data={f"{prefix}-client_code": "MP-0000-0000"}
    )
    assert wrong.status_code == 422
    assert (
        suite.client("intake")
        .get(f"/clients/{budi['id']}", headers=suite.headers("admin", FOUNDATION))
        .status_code
        == 200
    )  # nothing erased on a wrong code
    right = http.post(
        f"/data-requests/{request_id}/confirm", data={f"{prefix}-client_code": budi["code"]}
    )
    assert right.status_code == 302
    suite.pump()
    assert http.get(f"/clients/{budi['id']}").status_code == 410


def test_only_admins_see_data_requests(world):
    suite, app = world
    budi = register_client(suite, FOUNDATION)
    http = signed_in(app, WORKER)
    assert http.get("/data-requests").status_code == 403
    assert http.get(f"/clients/{budi['id']}/data-requests/new").status_code == 403
    client_page = http.get(f"/clients/{budi['id']}").get_data(as_text=True)
    assert "data-request-link" not in client_page
    admin_page = signed_in(app, ADMIN).get(f"/clients/{budi['id']}").get_data(as_text=True)
    assert "data-request-link" in admin_page
