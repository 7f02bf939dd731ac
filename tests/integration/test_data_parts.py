"""Assessment's and notifications' answers to a client's data requests (UU PDP 27/2022):
an access request is answered with everything each holds about the client, readable; an
erasure empties it, cancels the messages still waiting, destroys the client's keys (every
copy left is unreadable) and leaves other clients alone; a request delivered again is not
answered again, and a late event about the erased client stores nothing readable.

Requests are opened the way intake opens them (``data_request.opened`` through its outbox),
and the parts are read the way intake's inbox reads them."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, select, text

from services.assessment.models import Note
from services.notifications.models import ClientRecord, FamilyContact, Message
from shared import client_keys
from shared.crypto import Sealed
from shared.db import insert_instances
from shared.events.catalogue import decode_payload
from tests.support.dates import foundation_today
from tests.support.factories import add_staff, admit, create_foundation, register_client
from tests.support.provider import sign

pytestmark = pytest.mark.integration

FOUNDATION = "medan-plus"
SECRET = "whsec-medan-plus-data"
SITI = "+6281234567890"  # Budi's mother
RINA = "+6281311112222"  # Ani's sister
PART_TYPES = ("data_request.assessment_part", "data_request.notifications_part")


# --- delivering, as the workers would, and reading what reaches intake -------------------------


class Courier:
    """``suite.pump()`` that also keeps what it delivered: every envelope by service, and
    the data request parts reaching intake, decoded as intake's inbox decodes them."""

    def __init__(self, suite):
        self.suite = suite
        self.delivered: list[tuple[str, str, list]] = []
        self.parts: list[dict[str, Any]] = []

    def deliver(self) -> list[dict[str, Any]]:
        """Deliver until every queue is empty; the parts that reached intake meanwhile."""
        suite, before = self.suite, len(self.parts)
        for _ in range(10):
            suite.flush_publishers()
            moved = 0
            for service in ("intake", "assessment", "notifications"):
                for name, args in suite.take(service):
                    if service == "intake" and _type_of(args) in PART_TYPES:
                        self.parts.append(self._read(args[0]))
                    self.delivered.append((service, name, args))
                    suite.run_task(service, name, args)
                    moved += 1
            if not moved:
                break
        return self.parts[before:]

    def _read(self, envelope: dict) -> dict[str, Any]:
        consumer = self.suite.runtime("intake").consumer
        # the key the envelope carries for intake, opened as the inbox opens it
        key = consumer._transported_key(envelope)
        with client_keys.reading_with(key):
            return decode_payload(envelope["type"], envelope["data"])

    def redeliver(self, event_type: str) -> None:
        """Hand every envelope of ``event_type`` delivered so far to its service again."""
        for service, name, args in list(self.delivered):
            if _type_of(args) == event_type:
                self.suite.run_task(service, name, args)


def _type_of(args: list) -> str | None:
    """The event type of an event task's arguments (other tasks carry ids)."""
    return args[0].get("type") if args and isinstance(args[0], dict) else None


def open_request(suite, client_id: str, kind: str, request_id: str | None = None) -> str:
    """What intake does when an admin opens a request: ``data_request.opened`` in its outbox."""
    request_id = request_id or str(uuid.uuid4())
    with suite.runtime("intake").unit_of_work() as uow:
        uow.emit(
            "data_request.opened",
            subject=client_id,
            foundation=FOUNDATION,
            data={"request_id": request_id, "client_id": client_id, "kind": kind},
        )
    return request_id


def by_service(parts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    assert len(parts) == len({p["service"] for p in parts}), "one part per service"
    return {p["service"]: p for p in parts}


# --- reading the databases as they are stored --------------------------------------------------

VALUE = re.compile(r"c1:[0-9a-f-]{36}:[0-9a-f-]{1,16}:[A-Za-z0-9_=-]+")


def stored_values(suite, service: str, client_id: str) -> list[str]:
    """Every value under ``client_id``'s key in ``service``'s database, as stored: in any
    column of any table, the events of its outbox included."""
    db = suite.runtime(service).db
    found = []
    with db.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, str) and f"c1:{client_id}:" in value:
                        found += [v for v in VALUE.findall(value) if f"c1:{client_id}:" in v]
    return found


def readable(suite, service: str, value: str) -> bool:
    """Whether ``service`` can read ``value`` with the keys it holds now."""
    with client_keys.using(suite.runtime(service).db.key_store):
        try:
            client_keys.open_value(value)
        except client_keys.KeyUnavailable:
            return False
        return True


def raw_rows(suite, service: str, table: str, column: str, value: str) -> list[tuple]:
    with suite.runtime(service).db.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(f'SELECT * FROM "{table}" WHERE {column} = :value ORDER BY 1'),
                {"value": value},
            )
        ]


def outcome_of(suite, service: str, event_id: str) -> str | None:
    with suite.runtime(service).db.engine.connect() as connection:
        return connection.execute(
            text("SELECT outcome FROM inbox WHERE event_id = :id"), {"id": event_id}
        ).scalar()


# --- the world: two clients in care, with everything a case holds ------------------------------


def call(suite, service: str, method: str, path: str, body=None, status=(200, 201)) -> Any:
    answer = getattr(suite.client(service), method)(path, json=body, headers=suite.headers())
    assert answer.status_code in status, (path, answer.get_json())
    return answer.get_json()


def reply(suite, sender: str, words: str) -> None:
    body = json.dumps({"foundation": FOUNDATION, "from": sender, "text": words}).encode()
    answer = suite.client("notifications").post(
        "/inbound/sms",
        data=body,
        content_type="application/json",
        headers={"X-Provider-Signature": sign(SECRET, body)},
    )
    assert answer.status_code == 200, answer.get_json()


@pytest.fixture
def world(suite, provider):
    """Budi (discharged, with assessment, plan, notes, sessions, outreach, follow-ups, family
    messages and his mother's reply) and Ani (admitted, with a note and her family's
    messages), both of medan-plus."""
    courier = Courier(suite)
    create_foundation(suite, FOUNDATION)
    sms = {"base_url": provider.url, "api_key": "k", "sender_id": "MEDAN", "webhook_secret": SECRET}
    saved = suite.client("notifications").put(
        "/channels/sms", json=sms, headers=suite.headers("admin")
    )
    assert saved.status_code == 200, saved.get_json()
    worker = add_staff(suite, "Rahmat")
    budi = register_client(
        suite,
        case_worker_id=worker["id"],
        family_contacts=[
            {"name": "Siti", "relationship": "mother", "phone": SITI, "channel": "sms"}
        ],
    )
    ani = register_client(
        suite,
        full_name="Ani Wijaya",
        case_worker_id=worker["id"],
        family_contacts=[
            {"name": "Rina", "relationship": "sister", "phone": RINA, "channel": "sms"}
        ],
    )
    admit(suite, budi["id"])
    admit(suite, ani["id"])
    courier.deliver()
    b, a = budi["id"], ani["id"]

    (assessment,) = call(suite, "assessment", "get", f"/assessments?client_id={b}")["items"]
    call(
        suite,
        "assessment",
        "put",
        f"/assessments/{assessment['id']}",
        {
            "dimensions": dict.fromkeys(
                (
                    "withdrawal",
                    "biomedical",
                    "emotional_behavioral",
                    "readiness_to_change",
                    "relapse_potential",
                    "recovery_environment",
                ),
                1,
            ),
            "strengths": ["ibu yang mendukung"],
            "notes": "Budi cemas di malam hari",
            "level_override": "residential",
            "override_reason": "Tetangga Budi pengedar",
        },
    )
    call(suite, "assessment", "post", f"/clients/{b}/goals", {"text": "Budi kembali ke bengkel"})
    call(
        suite,
        "assessment",
        "post",
        f"/clients/{b}/notes",
        {"kind": "progress", "text": "Budi bercerita tentang ibunya", "obstacles": ["other"]},
    )
    call(
        suite,
        "assessment",
        "post",
        f"/clients/{a}/notes",
        {"kind": "progress", "text": "Ani rajin"},
    )
    past = datetime.now(UTC) - timedelta(hours=2)
    alone = call(
        suite,
        "assessment",
        "post",
        "/sessions",
        {
            "kind": "individual",
            "client_ids": [b],
            "starts_at": past.isoformat(),
            "duration_minutes": 45,
            "title": "Konseling Budi",
            "location": "Ruang 1",
        },
    )
    group = call(
        suite,
        "assessment",
        "post",
        "/sessions",
        {
            "kind": "group",
            "client_ids": [b, a],
            "starts_at": past.isoformat(),
            "duration_minutes": 60,
            "title": "Kelompok pagi",
            "location": "Aula",
        },
    )
    for session, status in ((alone, "attended"), (group, "absent")):
        call(
            suite,
            "assessment",
            "post",
            f"/sessions/{session['id']}/attendance",
            {"client_id": b, "status": status},
        )
    family = call(
        suite,
        "assessment",
        "post",
        "/sessions",
        {
            "kind": "family",
            "client_ids": [b],
            "starts_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
            "duration_minutes": 60,
            "location": "Ruang keluarga",
        },
    )
    courier.deliver()  # the invitation goes to Siti; her reminder waits
    reply(suite, "0812-3456-7890", "YA")
    courier.deliver()
    call(
        suite,
        "assessment",
        "post",
        f"/clients/{b}/outreach",
        {"method": "phone", "outcome": "reached", "notes": "Budi menjawab telepon"},
    )
    call(
        suite,
        "assessment",
        "post",
        f"/clients/{b}/discharge",
        {"reason": "completed", "discharged_on": foundation_today().isoformat()},
    )
    courier.deliver()  # follow-ups fall due: Siti's check-ins and Rahmat's reminders wait
    first = call(suite, "assessment", "get", f"/followups?client_id={b}")["items"][0]
    call(
        suite,
        "assessment",
        "put",
        f"/followups/{first['id']}",
        {"outcome": "abstinent", "notes": "Budi bekerja lagi"},
    )
    courier.deliver()
    return {
        "courier": courier,
        "budi": budi,
        "ani": ani,
        "sessions": {"alone": alone["id"], "group": group["id"], "family": family["id"]},
    }


# --- access ------------------------------------------------------------------------------------


def test_an_access_request_is_answered_with_everything_each_service_holds(suite, world):
    budi, courier = world["budi"], world["courier"]
    request_id = open_request(suite, budi["id"], "access")
    parts = by_service(courier.deliver())

    assert set(parts) == {"assessment", "notifications"}
    for part in parts.values():
        assert part["request_id"] == request_id and part["client_id"] == budi["id"]
        assert part["kind"] == "access" and part["erased"] == {}

    held = json.loads(parts["assessment"]["part"])
    assert set(held) == {
        "client",
        "episodes",
        "assessments",
        "goals",
        "placements",
        "sessions",
        "notes",
        "followups",
        "family_rsvp",
        "risk",
        "outreach",
        "transfer_summaries",
    }
    assert held["transfer_summaries"] == []  # nobody transferred him here
    assert held["client"]["code"] == budi["code"] and held["client"]["status"] == "discharged"
    assert [e["status"] for e in held["episodes"]] == ["discharged"]
    (assessment,) = held["assessments"]
    assert assessment["override_reason"] == "Tetangga Budi pengedar"
    assert assessment["findings"]["notes"] == "Budi cemas di malam hari"
    assert [g["text"] for g in held["goals"]] == ["Budi kembali ke bengkel"]
    assert [(n["text"], n["obstacles"]) for n in held["notes"]] == [
        ("Budi bercerita tentang ibunya", ["other"])
    ]
    sessions = {s["id"]: s for s in held["sessions"]}
    assert set(sessions) == set(world["sessions"].values())
    alone, group = sessions[world["sessions"]["alone"]], sessions[world["sessions"]["group"]]
    assert (alone["title"], alone["location"], alone["attendance"]) == (
        "Konseling Budi",
        "Ruang 1",
        "attended",
    )
    assert (group["location"], group["attendance"]) == ("Aula", "absent")
    assert "client_ids" not in group  # the other participants are not Budi's data
    assert [(r["session_id"], r["answer"]) for r in held["family_rsvp"]] == [
        (world["sessions"]["family"], "yes")
    ]
    assert len(held["followups"]) == 3
    assert [(f["outcome"], f["notes"]) for f in held["followups"] if f["outcome"]] == [
        ("abstinent", "Budi bekerja lagi")
    ]
    assert [o["notes"] for o in held["outreach"]] == ["Budi menjawab telepon"]
    assert held["risk"]["level"] in ("none", "watch", "high")

    sent = json.loads(parts["notifications"]["part"])
    assert set(sent) == {"client", "consent", "family_contacts", "messages", "replies"}
    assert sent["client"]["first_name"] == "Budi"
    assert sent["consent"] == {"contact_family": True, "share_progress": False}
    (siti,) = sent["family_contacts"]
    assert (siti["name"], siti["phone"], siti["channel"], siti["opted_out"]) == (
        "Siti",
        SITI,
        "sms",
        False,
    )
    welcome = next(m for m in sent["messages"] if m["template"] == "family.welcome")
    assert welcome["status"] == "sent" and "Siti" in welcome["body"]
    assert welcome["recipient"] == {
        "kind": "family",
        "id": siti["id"],
        "name": "Siti",
        "address": SITI,
    }
    staff = [m for m in sent["messages"] if m["recipient"]["kind"] == "staff"]
    assert staff and all(m["recipient"]["address"] is None for m in staff)
    (answer,) = sent["replies"]
    assert (answer["text"], answer["intent"], answer["read_at"]) == ("YA", "rsvp_yes", None)
    assert "Ani" not in parts["assessment"]["part"] + parts["notifications"]["part"]

    # nothing was changed by answering, and the request is answered once
    open_request(suite, budi["id"], "access", request_id)
    courier.redeliver("data_request.opened")
    assert courier.deliver() == []


# --- erasure -----------------------------------------------------------------------------------


def test_an_erasure_leaves_nothing_readable_and_other_clients_untouched(suite, world):
    budi, ani, courier = world["budi"]["id"], world["ani"]["id"], world["courier"]
    open_request(suite, budi, "access")  # a copy of everything, under Budi's keys, in the outboxes
    courier.deliver()
    for service in ("assessment", "notifications"):
        values = stored_values(suite, service, budi)
        assert values and all(readable(suite, service, v) for v in values)
    with suite.runtime("notifications").db.reading() as db:
        waiting = db.execute(
            select(Message.id).where(
                Message.client_id == budi, Message.status.in_(("scheduled", "queued"))
            )
        ).all()
    assert waiting  # Siti's reminder and check-ins, Rahmat's follow-up reminders

    request_id = open_request(suite, budi, "erasure")
    parts = by_service(courier.deliver())

    for part in parts.values():
        assert (part["request_id"], part["kind"], part["part"]) == (request_id, "erasure", None)
    assert parts["assessment"]["erased"] == {
        "assessments": 1,
        "goals": 1,
        "notes": 1,
        "followups": 3,
        "outreach": 1,
        "transfer_summaries": 0,
        "sessions": 2,  # his own and his family's; the group session keeps its title
        "risk_flags": 1,  # the early warning's judgement of him: dropped
    }
    erased = parts["notifications"]["erased"]
    assert erased["messages_cancelled"] == len(waiting)
    assert (erased["family_contacts"], erased["replies"], erased["clients"]) == (1, 1, 1)

    # no message of Budi shows a name, an address or a body; the waiting ones are cancelled
    with suite.runtime("notifications").db.reading() as db:
        messages = list(db.execute(select(Message).where(Message.client_id == budi)).scalars())
        assert len(messages) == erased["messages"] > len(waiting)
        for message in messages:
            assert not (message.recipient_name or message.address or message.body)
            assert message.status not in ("scheduled", "queued")
        cancelled = [m for m in messages if m.reason_code == "client_erased"]
        assert {m.id for m in cancelled} == {w.id for w in waiting}
        assert all(m.status == "cancelled" for m in cancelled)
        (siti,) = db.execute(select(FamilyContact).where(FamilyContact.client_id == budi)).scalars()
        assert (siti.name, siti.phone, siti.phone_index) == ("", None, None)
        assert db.get(ClientRecord, budi).first_name == ""
    shown = call(suite, "notifications", "get", f"/messages?client_id={budi}&per_page=200")
    assert shown["total"] == len(messages)
    assert all(m["recipient"]["name"] is None and m["body"] is None for m in shown["items"])
    assert {m["reason_code"] for m in shown["items"] if m["status"] == "cancelled"} >= {
        "client_erased"
    }

    # every value of Budi's left anywhere (the outboxes' copies too) is unreadable
    for service in ("assessment", "notifications"):
        left = stored_values(suite, service, budi)
        assert left, "the access copy is still in the outbox, under the destroyed key"
        assert not any(readable(suite, service, v) for v in left)
        assert suite.runtime(service).db.key_store.erased(budi)

    # the group session keeps what is not Budi's; Ani's case is as it was
    group = call(suite, "assessment", "get", f"/sessions/{world['sessions']['group']}")
    assert (group["title"], group["location"]) == ("Kelompok pagi", "Aula")
    assert [
        n["text"] for n in call(suite, "assessment", "get", f"/clients/{ani}/notes")["items"]
    ] == ["Ani rajin"]
    (welcome,) = call(
        suite, "notifications", "get", f"/messages?client_id={ani}&template=family.welcome"
    )["items"]
    assert welcome["recipient"]["name"] == "Rina" and "Rina" in welcome["body"]
    for service in ("assessment", "notifications"):
        values = stored_values(suite, service, ani)
        assert values and all(readable(suite, service, v) for v in values)


def test_an_erasure_delivered_again_changes_nothing_more(suite, world):
    budi, courier = world["budi"]["id"], world["courier"]
    request_id = open_request(suite, budi, "erasure")
    assert len(courier.deliver()) == 2
    tables = {
        "assessment": [("notes", "client_id"), ("goals", "client_id"), ("followups", "client_id")],
        "notifications": [("messages", "client_id"), ("family_contacts", "client_id")],
    }

    def snapshot():
        return {
            (service, table): raw_rows(suite, service, table, column, budi)
            for service, listed in tables.items()
            for table, column in listed
        } | {
            (service, "outbox"): raw_rows(suite, service, "outbox", "subject", budi)
            for service in tables
        }

    before = snapshot()
    courier.redeliver("data_request.opened")  # the same events again
    open_request(suite, budi, "erasure", request_id)  # the same request, as a new event
    assert courier.deliver() == []
    assert snapshot() == before


def test_a_late_event_about_an_erased_client_stores_nothing_readable(suite, world):
    budi, courier = world["budi"], world["courier"]
    view = call(suite, "assessment", "get", f"/clients/{budi['id']}")
    open_request(suite, budi["id"], "erasure")
    courier.deliver()
    siti = budi["family_contacts"][0]

    # intake's update was on its way when the erasure went through
    with suite.runtime("intake").unit_of_work() as uow:
        late = uow.emit(
            "client.updated",
            subject=budi["id"],
            foundation=FOUNDATION,
            data={
                "id": budi["id"],
                "code": budi["code"],
                "first_name": "Budi",
                "status": "discharged",
                "case_worker_id": budi["case_worker_id"],
                "episode_id": view["episode_id"],
                "admitted_on": view["admitted_on"],
                "consent": {"contact_family": True, "share_progress": False},
                "family_contacts": [
                    {
                        "id": siti["id"],
                        "name": "Siti",
                        "relationship": "mother",
                        "phone": SITI,
                        "channel": "sms",
                        "locale": "id",
                    }
                ],
            },
        )
    courier.deliver()

    # notifications may not store Budi's name or Siti's phone again: no key, no row
    assert outcome_of(suite, "notifications", late) == "erased"
    with suite.runtime("notifications").db.reading() as db:
        assert db.get(ClientRecord, budi["id"]).first_name == ""
        contact = db.get(FamilyContact, siti["id"])
        assert (contact.name, contact.phone, contact.phone_index) == ("", None, None)
    for service in ("assessment", "notifications"):
        left = stored_values(suite, service, budi["id"])
        assert not any(readable(suite, service, v) for v in left)

    # nor may a worker write about him: refused, and nothing is stored
    for path, body in (
        (f"/clients/{budi['id']}/notes", {"kind": "progress", "text": "Budi datang"}),
        (f"/clients/{budi['id']}/goals", {"text": "Budi sekolah lagi"}),
    ):
        refused = suite.client("assessment").post(path, json=body, headers=suite.headers())
        assert (refused.status_code, refused.get_json()["code"]) == (410, "gone"), path
    notes = call(suite, "assessment", "get", f"/clients/{budi['id']}/notes")["items"]
    assert [n["text"] for n in notes] == [""]


def test_client_erased_empties_what_arrived_since_and_changes_nothing_twice(suite, world):
    budi, ani, courier = world["budi"]["id"], world["ani"]["id"], world["courier"]
    runtime = suite.runtime("assessment")
    remembered = runtime.db.key_store.current(budi)  # as a busy API process holds it
    open_request(suite, budi, "erasure")
    courier.deliver()

    # that process writes a note under the key it still holds, after the key was destroyed
    late = Note(
        foundation=FOUNDATION,
        client_id=budi,
        kind="progress",
        text="Budi datang terlambat",
        recorded_by="staff-1",
        obstacles="",
    )
    sealed = Sealed(late.text)
    sealed.ciphertext = remembered.seal(late.text)
    late.text = sealed
    with runtime.db.engine.begin() as connection:
        insert_instances(connection, [late])
    assert any(v.startswith(f"c1:{budi}:") for v in stored_notes(suite, budi))

    for _ in range(2):  # intake's client.erased, and the same again as a new event
        with suite.runtime("intake").unit_of_work() as uow:
            uow.emit(
                "client.erased",
                subject=budi,
                foundation=FOUNDATION,
                data={
                    "client_id": budi,
                    "request_id": str(uuid.uuid4()),
                    "erased_at": datetime.now(UTC),
                },
            )
        assert courier.deliver() == []
        # no note of Budi's keeps anything under his key; they read as empty
        assert not any(v.startswith("c1:") for v in stored_notes(suite, budi))
        with runtime.db.reading() as db:
            assert db.execute(select(Note.text).where(Note.client_id == budi)).scalars().all() == [
                "",
                "",
            ]
            assert db.execute(select(Note.text).where(Note.client_id == ani)).scalars().all() == [
                "Ani rajin"
            ]


def stored_notes(suite, client_id: str) -> list[str]:
    """The client's note texts as stored (ciphertexts)."""
    with suite.runtime("assessment").db.engine.connect() as connection:
        return list(
            connection.execute(
                text("SELECT text FROM notes WHERE client_id = :id"), {"id": client_id}
            ).scalars()
        )


def test_a_message_being_sent_when_its_client_is_erased_is_cancelled_not_sent(suite, world):
    """The erasure cancels what waits; one a worker had already claimed (``queued`` again
    after its worker died, say) is cancelled when its send comes round."""
    from services.notifications.delivery import send_message

    budi, courier = world["budi"]["id"], world["courier"]
    runtime = suite.runtime("notifications")
    with runtime.db.reading() as db:
        sent = (
            db.execute(
                select(Message.id).where(Message.client_id == budi, Message.status == "sent")
            )
            .scalars()
            .first()
        )
    assert sent is not None
    open_request(suite, budi, "erasure")
    courier.deliver()
    with runtime.db.transaction() as db:  # as if its worker had died mid-send
        db.execute(text("UPDATE messages SET status = 'queued' WHERE id = :m"), {"m": sent})
    assert send_message(runtime, sent) == "cancelled"
    with runtime.db.reading() as db:
        message = db.get(Message, sent)
        assert (message.status, message.reason_code) == ("cancelled", "client_erased")
        assert not (message.body or message.address or message.recipient_name)
