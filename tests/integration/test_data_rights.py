"""A client's personal-data rights (UU PDP 27/2022) across the three services.

Access: an admin opens a request, every service answers within 72 hours and the export
holds everything each keeps about the client, and nothing of anyone else. Erasure: refused
while the client is in care; once complete, the client is gone from intake's answers, the
NIK may be registered again, pending family messages are cancelled, and no value of the
client left in any table (or in a backup of intake's database taken before) reads with the
keys that remain. Retention: the daily sweep proposes erasures, and waits for an admin.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import inspect, select, text, update

from services.intake.data_request_rules import add_years
from services.intake.models import DataRequest
from shared import client_keys
from shared.crypto import DecryptionError, cipher
from shared.db import utcnow
from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

SERVICES = ("intake", "assessment", "notifications")
PROBLEM = "application/problem+json"
BUDI_NIK = "3271046504930002"
BUDI = {
    "full_name": "Budi Santoso",
    "nik": BUDI_NIK,
    "date_of_birth": "1993-04-25",
    "phone": "0812-7391-4628",
    "address": "Jalan <Merdeka> 57, Medan",
    "family_contacts": [
        {
            "name": "Siti Aminah",
            "relationship": "mother",
            "phone": "0813-5572-9901",
            "channel": "sms",
        }
    ],
    "consent": {"contact_family": True, "share_progress": True},
}
RINA = {
    "full_name": "Rina Wulandari",
    "nik": "5171012212880004",
    "family_contacts": [
        {
            "name": "Ayu Lestari",
            "relationship": "sister",
            "phone": "0857-4410-2395",
            "channel": "sms",
        }
    ],
    "consent": {"contact_family": True},
}
NOTE = "Mulai terbuka tentang keluarganya."
#: what must not be readable of Budi anywhere once he is erased, in each form it was written
BUDI_SECRETS = (
    "Budi",
    "Santoso",
    BUDI_NIK,
    "1993-04-25",
    "Siti",
    "Aminah",
    "Merdeka",
    "81273914628",
    "81355729901",
)


def admin(suite, foundation: str = "medan-plus") -> dict:
    return suite.headers("admin", foundation)


def open_request(suite, client_id: str, kind: str, **body):
    return suite.client("intake").post(
        f"/clients/{client_id}/data-requests",
        json={"kind": kind, "requested_by": "Budi sendiri", **body},
        headers=admin(suite),
    )


def data_request(suite, request_id: str) -> dict:
    response = suite.client("intake").get(f"/data-requests/{request_id}", headers=admin(suite))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def discharge(suite, client_id: str) -> None:
    response = suite.client("assessment").post(
        f"/clients/{client_id}/discharge",
        json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
        headers=suite.headers(),
    )
    assert response.status_code == 200, response.get_json()
    suite.pump()


@pytest.fixture
def people(suite) -> dict:
    """Budi, admitted, with a note in assessment and a welcome sent to his mother; Rina,
    registered with a family contact of her own."""
    create_foundation(suite)
    budi = register_client(suite, **BUDI)
    rina = register_client(suite, **RINA)
    admit(suite, budi["id"])
    suite.pump()
    note = suite.client("assessment").post(
        f"/clients/{budi['id']}/notes",
        json={"kind": "progress", "text": NOTE},
        headers=suite.headers(),
    )
    assert note.status_code == 201, note.get_json()
    suite.pump()
    return {"budi": budi, "rina": rina}


# --- access -----------------------------------------------------------------------------------


def test_access_export_holds_what_every_service_keeps_of_the_client_and_no_one_else(suite, people):
    budi, rina = people["budi"], people["rina"]
    intake = suite.client("intake")
    opened = open_request(suite, budi["id"], "access", notes="Diminta lewat surat.")
    assert opened.status_code == 202, opened.get_json()
    body = opened.get_json()
    assert body["status"] == "open" and body["kind"] == "access" and body["source"] == "admin"
    assert body["client_code"] == budi["code"] and body["requested_by"] == "Budi sendiri"
    assert [p["service"] for p in body["parts"]] == ["intake"]  # intake answers at once
    assert not body["awaiting_confirmation"] and not body["late"]
    export_url = f"/data-requests/{body['id']}/export"
    not_ready = intake.get(export_url, headers=admin(suite))
    assert not_ready.status_code == 409 and not_ready.get_json()["code"] == "export_not_ready"

    suite.pump()
    done = data_request(suite, body["id"])
    assert done["status"] == "complete" and done["completed_at"] and not done["late"]
    assert sorted(p["service"] for p in done["parts"]) == sorted(SERVICES)

    response = intake.get(export_url, headers=admin(suite))
    assert response.status_code == 200, response.get_json()
    export = response.get_json()
    assert export["client_id"] == budi["id"] and export["generated_at"]
    identity = export["intake"]["identity"]
    assert (identity["full_name"], identity["nik"]) == ("Budi Santoso", BUDI_NIK)
    assert [c["name"] for c in export["intake"]["family_contacts"]] == ["Siti Aminah"]
    assert [e["number"] for e in export["intake"]["episodes"]] == [1]
    assert NOTE in [n["text"] for n in export["assessment"]["notes"]]
    welcome = [m for m in export["notifications"]["messages"] if m["template"] == "family.welcome"]
    assert welcome and "Siti" in str(welcome)
    everything = response.get_data(as_text=True)
    for other in (rina["id"], rina["code"], "Rina", "Wulandari", RINA["nik"], "Ayu"):
        assert other not in everything, other

    html = intake.get(f"{export_url}?format=html", headers=admin(suite))
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert html.headers["Content-Disposition"].startswith("attachment")
    page = html.get_data(as_text=True)
    assert "Salinan data pribadi" in page and "Budi Santoso" in page and NOTE in page
    assert "&lt;Merdeka&gt;" in page and "<Merdeka>" not in page  # escaped, never markup
    english = intake.get(f"{export_url}?format=html&lang=en", headers=admin(suite))
    assert "Copy of personal data" in english.get_data(as_text=True)
    assert intake.get(f"{export_url}?lang=fr&format=html", headers=admin(suite)).status_code == 422
    assert intake.get(export_url, headers=suite.headers()).status_code == 403

    audit = intake.get(f"/audit?resource_id={budi['id']}&per_page=200", headers=admin(suite))
    actions = [
        e["action"] for e in audit.get_json()["items"] if e["resource_type"] == "data_request"
    ]
    assert sorted(actions) == ["export", "export", "export", "open"]


def test_a_request_is_due_in_72_hours_and_late_past_them(suite, people):
    budi = people["budi"]
    body = open_request(suite, budi["id"], "access").get_json()
    opened, due = datetime.fromisoformat(body["opened_at"]), datetime.fromisoformat(body["due_by"])
    assert due - opened == timedelta(hours=72)
    intake = suite.client("intake")
    assert intake.get("/data-requests?late=true", headers=admin(suite)).get_json()["total"] == 0

    # four days pass before anyone answers
    with suite.runtime("intake").db.transaction() as session:
        session.execute(
            update(DataRequest)
            .where(DataRequest.id == body["id"])
            .values(opened_at=opened - timedelta(days=4), due_by=due - timedelta(days=4))
        )
    assert data_request(suite, body["id"])["late"] is True
    late = intake.get("/data-requests?late=true", headers=admin(suite)).get_json()
    assert [r["id"] for r in late["items"]] == [body["id"]]
    assert intake.get("/data-requests?late=false", headers=admin(suite)).get_json()["total"] == 0
    assert _overdue(suite, "access") == 1 and _overdue(suite, "erasure") == 0

    suite.pump()  # answered at last: complete, and late for good
    done = data_request(suite, body["id"])
    assert done["status"] == "complete" and done["late"] is True
    assert _overdue(suite, "access") == 0


def test_requests_are_admins_and_checked(suite, people):
    budi = people["budi"]
    intake = suite.client("intake")
    url = f"/clients/{budi['id']}/data-requests"
    body = {"kind": "access", "requested_by": "Budi"}
    assert intake.post(url, json=body, headers=suite.headers()).status_code == 403
    for bad, field in (
        ({"kind": "copy", "requested_by": "Budi"}, "kind"),
        ({"kind": "access"}, "requested_by"),
        ({"kind": "access", "requested_by": "x" * 201}, "requested_by"),
        ({"kind": "access", "requested_by": "Budi", "notes": "x" * 2001}, "notes"),
    ):
        refused = intake.post(url, json=bad, headers=admin(suite))
        assert refused.status_code == 422 and field in refused.get_json()["errors"], bad
    assert intake.post(url, json=body, headers=admin(suite)).status_code == 202
    again = intake.post(url, json=body, headers=admin(suite))
    assert again.status_code == 409 and again.get_json()["code"] == "data_request_open"
    assert again.get_json()["kind"] == "access"
    unknown = intake.get("/data-requests/no-such-request", headers=admin(suite))
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "data_request_not_found"
    listed = intake.get(f"/data-requests?client_id={budi['id']}", headers=admin(suite)).get_json()
    assert listed["total"] == 1
    assert intake.get("/data-requests?kind=erasure", headers=admin(suite)).get_json()["total"] == 0


# --- erasure ----------------------------------------------------------------------------------


def test_erasure_is_refused_while_the_client_is_in_care_and_nothing_changes(suite, people):
    budi = people["budi"]
    intake = suite.client("intake")
    before = intake.get(f"/clients/{budi['id']}", headers=admin(suite)).get_json()
    refused = open_request(suite, budi["id"], "erasure")
    assert refused.status_code == 409 and refused.mimetype == PROBLEM
    assert refused.get_json()["code"] == "client_admitted"
    assert refused.get_json()["client_status"] == "admitted"
    assert intake.get("/data-requests", headers=admin(suite)).get_json()["total"] == 0
    with suite.runtime("intake").db.engine.connect() as conn:
        asked = conn.execute(
            text("SELECT count(*) FROM outbox WHERE type = 'data_request.opened'")
        ).scalar()
    assert asked == 0
    after = intake.get(f"/clients/{budi['id']}", headers=admin(suite)).get_json()
    assert after == before


def test_a_client_whose_erasure_is_under_way_is_not_admitted(suite, people):
    """The erasure reaches each service in turn, and each erases its part as it comes: an
    admission before the last part would be wiped by it. It waits for no part: refused."""
    rina = people["rina"]
    opened = open_request(suite, rina["id"], "erasure")
    assert opened.status_code == 202, opened.get_json()
    refused = suite.client("intake").post(
        f"/clients/{rina['id']}/admission", json={"family_agreement": True}, headers=admin(suite)
    )
    assert refused.status_code == 409 and refused.mimetype == PROBLEM
    assert refused.get_json()["code"] == "erasure_in_progress"
    suite.pump()
    erased = data_request(suite, opened.get_json()["id"])
    assert erased["status"] == "complete", erased
    gone = suite.client("intake").get(f"/clients/{rina['id']}", headers=admin(suite))
    assert gone.status_code == 410


def _sqlite_file(suite, service: str) -> Path | None:
    url = suite.settings.database_url(service)
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _backup_intake(suite, tmp_path: Path) -> Path | None:
    """A copy of intake's SQLite file as a backup would take it (its WAL checkpointed)."""
    source = _sqlite_file(suite, "intake")
    if source is None:
        return None
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "intake-backup.sqlite"
    shutil.copyfile(source, copy)
    return copy


def _backup_name(suite, copy: Path, client_id: str) -> str:
    """The client's name as the backup holds it, read with intake's live key store."""
    with sqlite3.connect(copy) as conn:
        (sealed,) = conn.execute(
            "SELECT full_name FROM clients WHERE id = ?", (client_id,)
        ).fetchone()
    assert sealed.startswith(f"c1:{client_id}:")
    with client_keys.using(suite.runtime("intake").db.key_store):
        return client_keys.open_value(sealed)


FERNET_TOKEN = re.compile(r"(?<![:A-Za-z0-9_=-])gAAAAA[A-Za-z0-9_=-]+")


def _readable(value: str) -> str:
    """A value as the deployment's data keys read it: each of their tokens in it (the
    whole value, or one field of an event in the outbox) decrypted in place, the rest as
    stored. A token under a client key (``c1:…:<token>``) is left alone."""

    def opened(token: re.Match) -> str:
        try:
            return cipher().decrypt(token.group())
        except DecryptionError:
            return token.group()

    return FERNET_TOKEN.sub(opened, value)


def _overdue(suite, kind: str) -> float:
    exposition = suite.client("intake").get("/metrics", headers=suite.headers("operator"))
    text_ = exposition.get_data(as_text=True)
    assert "medan-plus" not in text_  # no figure names a foundation
    for family in text_string_to_metric_families(text_):
        for sample in family.samples:
            if sample.name == "pendamping_data_requests_overdue" and sample.labels == {
                "service": "intake",
                "kind": kind,
            }:
                return sample.value
    raise AssertionError("no pendamping_data_requests_overdue sample")


def _every_text_value(suite, service: str) -> list[tuple[str, str, str]]:
    """``(table, column, value)`` for every text value in ``service``'s database."""
    engine = suite.runtime(service).db.engine
    found = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).mappings().all()
            for row in rows:
                for column, value in row.items():
                    if isinstance(value, str):
                        found.append((table, column, value))
    return found


HOME_VISIT = {
    "kind": "family",
    "duration_minutes": 90,
    "location": "Rumah orang tua, Jalan Merdeka 57",
    "title": "Kunjungan rumah keluarga Santoso",
}


def schedule(suite, client_ids: list[str], **session) -> dict:
    """A session of ``client_ids`` two days ahead, its events delivered."""
    starts_at = utcnow().replace(microsecond=0) + timedelta(days=2)
    body = {"client_ids": client_ids, "starts_at": starts_at.isoformat(), **session}
    response = suite.client("assessment").post("/sessions", json=body, headers=suite.headers())
    assert response.status_code == 201, response.get_json()
    suite.pump()
    return response.get_json()


def _stored_session(suite, session_id: str) -> dict:
    with suite.runtime("assessment").db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT client_id, title, location FROM sessions WHERE id = :id"),
            {"id": session_id},
        ).one()
        (envelope,) = conn.execute(
            text("SELECT envelope FROM outbox WHERE subject = :id AND type = 'session.scheduled'"),
            {"id": session_id},
        ).one()
    return {**row._asdict(), "event": json.loads(envelope)}


def test_a_session_of_one_client_is_kept_and_sent_under_that_clients_key(suite, people):
    """A home visit's place and title describe the client's care: stored and sent under
    his key, and read by the services that hold it. A group's stay under the deployment
    keys: they are about no one client."""
    budi, rina = people["budi"], people["rina"]
    visit = schedule(suite, [budi["id"]], **HOME_VISIT)
    group = schedule(
        suite,
        [budi["id"], rina["id"]],
        kind="group",
        duration_minutes=60,
        location="Aula",
        title="Kelompok pagi",
    )

    stored = _stored_session(suite, visit["id"])
    assert stored["client_id"] == budi["id"]
    for value in (stored["title"], stored["location"]):
        assert value.startswith(f"c1:{budi['id']}:"), value[:40]
    event = stored["event"]
    assert event["key_of"] == budi["id"] and event["subject"] == visit["id"]
    for field in ("title", "location"):
        assert event["data"][field].startswith(f"c1:{budi['id']}:"), field
    # the family is invited to the place, read through the key the event carried
    invitation = (
        suite.client("notifications")
        .get(
            f"/messages?client_id={budi['id']}&template=family.session_invitation",
            headers=suite.headers(),
        )
        .get_json()["items"]
    )
    assert [m["status"] for m in invitation] == ["sent"]
    assert "Jalan Merdeka 57" in invitation[0]["body"]
    shown = suite.client("assessment").get(f"/sessions/{visit['id']}", headers=suite.headers())
    assert (shown.get_json()["title"], shown.get_json()["location"]) == (
        HOME_VISIT["title"],
        HOME_VISIT["location"],
    )

    stored = _stored_session(suite, group["id"])
    assert stored["client_id"] is None and "key_of" not in stored["event"]
    assert [cipher().decrypt(stored[f]) for f in ("title", "location")] == [
        "Kelompok pagi",
        "Aula",
    ]
    assert stored["event"]["data"]["title"].startswith("gAAAAA")

    # moved, the visit's new place goes under his key too
    moved = suite.client("assessment").patch(
        f"/sessions/{visit['id']}",
        json={"location": "Rumah kakak, Jalan Sei Batang Hari 3"},
        headers=suite.headers(),
    )
    assert moved.status_code == 200, moved.get_json()
    suite.pump()
    assert _stored_session(suite, visit["id"])["location"].startswith(f"c1:{budi['id']}:")
    (changed,) = (
        suite.client("notifications")
        .get(
            f"/messages?client_id={budi['id']}&template=family.session_changed",
            headers=suite.headers(),
        )
        .get_json()["items"]
    )
    assert "Sei Batang Hari" in changed["body"]


def test_erasure_leaves_nothing_of_the_client_that_reads(suite, people, tmp_path):
    budi, rina = people["budi"], people["rina"]
    intake = suite.client("intake")
    home_visit = schedule(suite, [budi["id"]], **HOME_VISIT)  # his address and name in it
    goal = suite.client("assessment").post(
        f"/clients/{budi['id']}/goals", json={"text": "Kembali bekerja"}, headers=suite.headers()
    )
    assert goal.status_code == 201, goal.get_json()
    discharge(suite, budi["id"])  # follow-ups fall due: family messages wait for them
    waiting = suite.client("notifications").get(
        f"/messages?client_id={budi['id']}&status=scheduled", headers=admin(suite)
    )
    assert waiting.get_json()["total"] > 0, "the discharge should have scheduled messages"
    backup = _backup_intake(suite, tmp_path)
    if backup is not None:
        assert _backup_name(suite, backup, budi["id"]) == "Budi Santoso"

    opened = open_request(suite, budi["id"], "erasure", notes="Klien meminta dihapus.")
    assert opened.status_code == 202, opened.get_json()
    body = opened.get_json()
    assert body["kind"] == "erasure" and not body["awaiting_confirmation"]
    suite.pump()

    done = data_request(suite, body["id"])
    assert done["status"] == "complete" and done["completed_at"]
    assert sorted(p["service"] for p in done["parts"]) == sorted(SERVICES)
    assert done["requested_by"] is None and done["notes"] is None
    assert done["client_code"] == budi["code"]
    not_an_access = intake.get(f"/data-requests/{body['id']}/export", headers=admin(suite))
    assert not_an_access.status_code == 409
    assert not_an_access.get_json()["code"] == "not_an_access_request"

    # gone from intake's answers
    gone = intake.get(f"/clients/{budi['id']}", headers=admin(suite))
    assert gone.status_code == 410 and gone.mimetype == PROBLEM
    assert gone.get_json()["code"] == "client_erased"
    contact = {
        "name": "Paman",
        "relationship": "uncle",
        "phone": "0812-1111-2222",
        "channel": "sms",
    }
    for method, path, change in (
        ("PATCH", "", {"address": "Jalan Baru 1"}),
        ("PUT", "/consent", {"contact_family": True, "share_progress": False}),
        ("POST", "/family-contacts", contact),
        ("POST", "/admission", {"family_agreement": True}),
        ("POST", "/screenings", {"instrument": "DAST-10", "answers": [False] * 10}),
        ("POST", "/data-requests", {"kind": "access", "requested_by": "Budi"}),
    ):
        changed = intake.open(
            f"/clients/{budi['id']}{path}", method=method, json=change, headers=admin(suite)
        )
        assert changed.status_code == 410, (method, path, changed.get_json())
    # nor does assessment record anything new about him, even what needs no key
    assessment = suite.client("assessment")
    (followup, *_) = assessment.get(
        f"/followups?client_id={budi['id']}", headers=admin(suite)
    ).get_json()["items"]
    visit = assessment.get(f"/sessions?client_id={budi['id']}", headers=admin(suite)).get_json()
    later = (utcnow() + timedelta(days=3)).isoformat()
    for method, path, change in (
        ("POST", f"/clients/{budi['id']}/outreach", {"method": "phone", "outcome": "reached"}),
        ("POST", f"/clients/{budi['id']}/notes", {"kind": "progress", "text": "Datang"}),
        ("PUT", f"/followups/{followup['id']}", {"outcome": "abstinent"}),
        ("PATCH", f"/goals/{goal.get_json()['id']}", {"status": "achieved"}),
        ("PATCH", f"/sessions/{home_visit['id']}", {"duration_minutes": 45}),
        ("POST", f"/sessions/{home_visit['id']}/cancel", None),
        (
            "POST",
            "/sessions",
            {
                "kind": "individual",
                "client_ids": [budi["id"]],
                "starts_at": later,
                "duration_minutes": 30,
            },
        ),
    ):
        changed = assessment.open(path, method=method, json=change, headers=admin(suite))
        assert (changed.status_code, changed.get_json()["code"]) == (410, "gone"), path
    assert (
        assessment.get(f"/sessions?client_id={budi['id']}", headers=admin(suite)).get_json()
        == visit
    )
    assert (
        assessment.get(f"/clients/{budi['id']}/outreach", headers=admin(suite)).get_json()["total"]
        == 0
    )
    # so intake says nothing more about him: client.erased was its last word
    with suite.runtime("intake").db.engine.connect() as conn:
        last = conn.execute(
            text("SELECT type FROM outbox WHERE subject = :id ORDER BY sequence DESC LIMIT 1"),
            {"id": budi["id"]},
        ).scalar()
    assert last == "client.erased"
    for query in ("", "?q=Budi", f"?q={budi['code']}", "?status=discharged"):
        listed = intake.get(f"/clients{query}", headers=suite.headers()).get_json()
        assert budi["id"] not in {c["id"] for c in listed["items"]}, query
    assert intake.get(f"/clients/{rina['id']}", headers=suite.headers()).get_json()[
        "full_name"
    ] == ("Rina Wulandari")
    # the IPWL recap still counts him, as erased, without identity
    today = foundation_today()
    recap = intake.get(
        f"/reports/ipwl?from={today - timedelta(days=1)}&to={today}", headers=admin(suite)
    ).get_json()
    (row,) = [r for r in recap["items"] if r["code"] == budi["code"]]
    assert row["erased"] is True and row["full_name"] is None and row["nik"] is None
    assert row["treatment_status"] == "discharged"
    # the audit trail keeps ids and actions, and no personal value
    audit = intake.get(f"/audit?resource_id={budi['id']}&per_page=200", headers=admin(suite))
    entries = audit.get_json()["items"]
    assert {"create", "admit", "erase"} <= {e["action"] for e in entries}
    assert not [s for s in BUDI_SECRETS if s in str(entries)]

    # no family message of his is left to send, and none shows a name, address or body
    messages = suite.client("notifications").get(
        f"/messages?client_id={budi['id']}&per_page=200", headers=admin(suite)
    )
    items = messages.get_json()["items"]
    assert items and not [m for m in items if m["status"] in ("scheduled", "queued")]
    assert {m["reason_code"] for m in items if m["status"] == "cancelled"} == {"client_erased"}
    assert not [s for s in BUDI_SECRETS if s in messages.get_data(as_text=True)]

    # every table of every service, read directly: no value of Budi's reads any more
    sealed = re.compile(rf"c1:{budi['id']}:[0-9a-f-]+:[A-Za-z0-9_=-]+")
    tried: dict[str, int] = {}
    for service in SERVICES:
        store = suite.runtime(service).db.key_store
        values = _every_text_value(suite, service)
        assert values, f"{service}: the scan read nothing"
        for table, column, value in values:
            for token in sealed.findall(value):
                tried[f"{service}.{table}"] = tried.get(f"{service}.{table}", 0) + 1
                with client_keys.using(store), pytest.raises(client_keys.KeyUnavailable):
                    client_keys.open_value(token)
            if value.startswith(client_keys.PREFIX):
                continue  # under a client's key: Budi's were tried above
            leaked = [s for s in BUDI_SECRETS if s in _readable(value)]
            assert not leaked, f"{service}.{table}.{column} shows {leaked}"
        with store.db.engine.connect() as conn:
            keys = conn.execute(
                select(store.table.c.wrapped_key, store.table.c.destroyed_at).where(
                    store.table.c.client_id == budi["id"]
                )
            ).all()
        assert keys and all(k.wrapped_key is None and k.destroyed_at for k in keys), service

    assert tried.get("intake.outbox"), "the events intake sent about him hold his values"
    # a backup taken before the erasure holds his name under a key that is gone
    if backup is not None:
        with pytest.raises(client_keys.KeyUnavailable):
            _backup_name(suite, backup, budi["id"])

    # the NIK may be registered again, and no one is told he looks like Budi
    again = register_client(
        suite, full_name="Budi Santosa", nik=BUDI_NIK, date_of_birth="1993-04-25"
    )
    assert again["possible_duplicates"] == []


def test_erasure_drops_the_early_warning_flag_and_the_client_warns_of_nothing(suite, people):
    budi, rina = people["budi"], people["rina"]
    assessment = suite.client("assessment")
    admit(suite, rina["id"])
    suite.pump()
    for client in (budi, rina):
        crisis = assessment.post(
            f"/clients/{client['id']}/notes",
            json={"kind": "crisis", "text": "Kambuh, dibawa ke IGD."},
            headers=suite.headers(),
        )
        assert crisis.status_code == 201, crisis.get_json()
    suite.pump()

    def risk(client_id: str) -> dict:
        answer = assessment.get(f"/clients/{client_id}/risk", headers=admin(suite))
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    before = risk(budi["id"])
    assert before["level"] == "high"
    assert [r["rule"] for r in before["reasons"]] == ["crisis_note"]
    discharge(suite, budi["id"])
    opened = open_request(suite, budi["id"], "erasure")
    assert opened.status_code == 202, opened.get_json()
    suite.pump()
    assert data_request(suite, opened.get_json()["id"])["status"] == "complete"

    after = risk(budi["id"])
    assert (after["level"], after["reasons"], after["last_outreach"]) == ("none", [], None)
    with suite.runtime("assessment").db.engine.connect() as conn:
        kept = conn.execute(
            text("SELECT client_id FROM risk_flags WHERE client_id IN (:budi, :rina)"),
            {"budi": budi["id"], "rina": rina["id"]},
        ).scalars()
        assert set(kept) == {rina["id"]}, "only Budi's flag goes"
    flagged = assessment.get("/risk", headers=admin(suite)).get_json()["items"]
    assert [f["client_id"] for f in flagged] == [rina["id"]]
    assert risk(rina["id"])["level"] == "high"


# --- retention --------------------------------------------------------------------------------


def sweep(suite, at: datetime) -> int:
    return suite.run_task("intake", "intake.sweep_retention", [at.isoformat()])


def test_a_foundations_retention_is_set_by_an_operator_within_bounds(suite):
    create_foundation(suite)
    intake = suite.client("intake")
    url = "/foundations/medan-plus"
    assert intake.get(url, headers=admin(suite)).get_json()["retention_years"] == 5
    for bad in (0, 31, "2", 2.5, None):
        refused = intake.patch(
            url, json={"retention_years": bad}, headers=suite.headers("operator")
        )
        assert refused.status_code == 422, bad
        assert "retention_years" in refused.get_json()["errors"], bad
    codes = intake.patch(url, json={"retention_years": 0}, headers=suite.headers("operator"))
    assert codes.get_json()["error_codes"] == {"retention_years": ["retention_years_range"]}
    assert intake.patch(url, json={"retention_years": 2}, headers=admin(suite)).status_code == 403
    changed = intake.patch(url, json={"retention_years": 2}, headers=suite.headers("operator"))
    assert changed.status_code == 200 and changed.get_json()["retention_years"] == 2


def test_the_retention_sweep_proposes_an_erasure_that_waits_for_an_admin(suite, people):
    budi, rina = people["budi"], people["rina"]
    intake = suite.client("intake")
    intake.patch(
        "/foundations/medan-plus", json={"retention_years": 1}, headers=suite.headers("operator")
    )
    discharge(suite, budi["id"])
    now, today = utcnow(), foundation_today()
    anniversary = now + (add_years(today, 1) - today)
    assert sweep(suite, now) == 0  # discharged today: kept for a year yet
    assert sweep(suite, anniversary) == 0  # a year to the day: the year is not past
    later = anniversary + timedelta(days=1)
    assert sweep(suite, later) == 1
    assert sweep(suite, later) == 0  # a second run proposes nothing twice
    (proposal,) = intake.get("/data-requests", headers=admin(suite)).get_json()["items"]
    assert proposal["client_id"] == budi["id"] and proposal["kind"] == "erasure"
    assert proposal["source"] == "retention" and proposal["requested_by"] is None
    assert proposal["awaiting_confirmation"] and not proposal["late"]

    # nothing is erased, nor asked of anyone, until an admin confirms
    suite.pump()
    assert data_request(suite, proposal["id"])["parts"] == []
    assert intake.get(f"/clients/{budi['id']}", headers=admin(suite)).status_code == 200
    url = f"/data-requests/{proposal['id']}/confirm"
    assert (
        intake.post(url, json={"client_code": budi["code"]}, headers=suite.headers()).status_code
        == 403
    )
    wrong = intake.post(url, json={"client_code": rina["code"]}, headers=admin(suite))
    assert wrong.status_code == 422 and wrong.get_json()["code"] == "confirmation_mismatch"
    assert wrong.get_json()["error_codes"] == {"client_code": ["confirmation_mismatch"]}
    assert data_request(suite, proposal["id"])["awaiting_confirmation"] is True

    confirmed = intake.post(url, json={"client_code": budi["code"]}, headers=admin(suite))
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["awaiting_confirmation"] is False
    again = intake.post(url, json={"client_code": budi["code"]}, headers=admin(suite))
    assert again.status_code == 409 and again.get_json()["code"] == "nothing_to_confirm"
    suite.pump()
    assert data_request(suite, proposal["id"])["status"] == "complete"
    assert intake.get(f"/clients/{budi['id']}", headers=admin(suite)).status_code == 410
    assert sweep(suite, later + timedelta(days=1)) == 0  # erased: never proposed again


def test_a_proposed_erasure_of_a_client_back_in_care_is_refused(suite, people):
    budi = people["budi"]
    intake = suite.client("intake")
    discharge(suite, budi["id"])
    assert sweep(suite, utcnow() + timedelta(days=5 * 366 + 2)) == 1
    (proposal,) = intake.get("/data-requests", headers=admin(suite)).get_json()["items"]
    admit(suite, budi["id"])  # relapse: back in care before anyone confirmed
    refused = intake.post(
        f"/data-requests/{proposal['id']}/confirm",
        json={"client_code": budi["code"]},
        headers=admin(suite),
    )
    assert refused.status_code == 409 and refused.get_json()["code"] == "client_admitted"
    assert refused.get_json()["client_status"] == "admitted"
    kept = data_request(suite, proposal["id"])
    assert (kept["status"], kept["refused_code"]) == ("refused", "client_admitted")
    suite.pump()
    assert intake.get(f"/clients/{budi['id']}", headers=admin(suite)).status_code == 200
