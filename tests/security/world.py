"""A foundation with one of everything, created through the public API.

``populate`` registers, admits, screens, assesses, places, counsels, notes, refers and
discharges a client (a second one, sent by a court, stays in care), so every kind of record
the three services keep exists for that foundation; it
answers the ids of those records and the personal data used, for the checks that look for
them where they must not be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tests.support.dates import foundation_today
from tests.support.factories import create_foundation
from tests.support.provider import sign

DIMENSIONS = {
    "withdrawal": 1,
    "biomedical": 1,
    "emotional_behavioral": 3,
    "readiness_to_change": 2,
    "relapse_potential": 2,
    "recovery_environment": 1,
}


@dataclass(frozen=True)
class Person:
    """The personal data of one foundation's client, family contact and staff member."""

    full_name: str
    nik: str
    phone_local: str
    phone_e164: str
    address: str
    contact_name: str
    contact_phone_local: str
    contact_phone_e164: str
    contact_email: str
    staff_name: str
    staff_email: str
    staff_phone_local: str
    staff_phone_e164: str
    template_marker: str
    webhook_url: str

    def plaintexts(self) -> list[str]:
        """Every personal value in each form it may be written in."""
        values = [
            self.full_name,
            self.nik,
            self.phone_local,
            self.phone_e164,
            self.phone_e164.lstrip("+"),
            self.address,
            self.contact_name,
            self.contact_phone_local,
            self.contact_phone_e164,
            self.contact_phone_e164.lstrip("+"),
            self.contact_email,
            self.staff_name,
            self.staff_email,
            self.staff_phone_local,
            self.staff_phone_e164,
            self.staff_phone_e164.lstrip("+"),
        ]
        # each word of a name is personal too (first names travel in events, encrypted)
        for name in (self.full_name, self.contact_name, self.staff_name):
            values.extend(name.split())
        return sorted(set(values))


PEOPLE = {
    "a": Person(
        full_name="Anindyaswari Kusumawardhani",
        nik="3271046504930002",
        phone_local="0812-7391-4628",
        phone_e164="+6281273914628",
        address="Jalan Sei Batanghari Nomor 57, Medan",
        contact_name="Rosmawatinah Sihombingsari",
        contact_phone_local="0813-5572-9901",
        contact_phone_e164="+6281355729901",
        contact_email="rosmawatinah.keluarga@example.org",
        staff_name="Rahmatullah Harahapsyah",
        staff_email="rahmatullah.pendamping@example.org",
        staff_phone_local="0821-6604-1177",
        staff_phone_e164="+6282166041177",
        template_marker="Salam-khusus-yayasan-A-7391",
        webhook_url="https://hooks.foundation-a.example/pendamping-7391",
    ),
    "b": Person(
        full_name="Bagaskoro Prasetyawan",
        nik="5171012212880004",
        phone_local="0857-4410-2395",
        phone_e164="+6285744102395",
        address="Jalan Gatot Subroto Barat 88, Denpasar",
        contact_name="Ketutwidiastuti Sukmawati",
        contact_phone_local="0858-1234-7760",
        contact_phone_e164="+6285812347760",
        contact_email="ketut.keluarga@example.net",
        staff_name="Wayanarta Suryadinata",
        staff_email="wayan.pendamping@example.net",
        staff_phone_local="0859-3377-8812",
        staff_phone_e164="+6285933778812",
        template_marker="Salam-khusus-yayasan-B-2395",
        webhook_url="https://hooks.foundation-b.example/pendamping-2395",
    ),
}


@dataclass
class World:
    """What ``populate`` made for one foundation."""

    slug: str
    person: Person
    ids: dict[str, list[str]] = field(default_factory=dict)
    client_code: str = ""
    subs: tuple[str, ...] = ()

    def first(self, kind: str) -> str:
        return self.ids[kind][0]

    def all_ids(self) -> list[str]:
        return sorted({value for values in self.ids.values() for value in values})

    def secrets(self) -> list[str]:
        """What another foundation must never see: ids, the client code, personal data."""
        return sorted(
            {*self.all_ids(), self.client_code, self.person.template_marker}
            | set(self.person.plaintexts())
            | {self.person.webhook_url}
        )


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response.get_json()


def populate(suite, slug: str, person: Person) -> World:
    """Create one of every record for foundation ``slug`` through the API."""
    world = World(slug=slug, person=person, subs=(f"{slug}-admin", f"{slug}-sw"))
    admin = {"Authorization": f"Bearer {suite.token('admin', slug, sub=world.subs[0])}"}
    sw = {"Authorization": f"Bearer {suite.token('social_worker', slug, sub=world.subs[1])}"}
    intake, assessment = suite.client("intake"), suite.client("assessment")
    notifications = suite.client("notifications")
    ids = world.ids

    create_foundation(suite, slug)
    staff = _ok(
        intake.post(
            "/staff",
            json={
                "name": person.staff_name,
                "role": "social_worker",
                "email": person.staff_email,
                "phone": person.staff_phone_local,
            },
            headers=admin,
        ),
        201,
    )
    ids["staff"] = [staff["id"]]
    client = _ok(
        intake.post(
            "/clients",
            json={
                "full_name": person.full_name,
                "nik": person.nik,
                "date_of_birth": "1993-04-25",
                "sex": "male",
                "phone": person.phone_local,
                "address": person.address,
                "primary_substances": ["methamphetamine"],
                "use_duration_months": 30,
                "route_of_use": "smoked",
                "case_worker_id": staff["id"],
                "referral": {"source": "family", "compulsory": False},
                "family_contacts": [
                    {
                        "name": person.contact_name,
                        "relationship": "mother",
                        "phone": person.contact_phone_local,
                        "channel": "sms",
                    },
                    {
                        "name": person.contact_name + " Kedua",
                        "relationship": "sister",
                        "email": person.contact_email,
                        "channel": "email",
                    },
                ],
                "consent": {"contact_family": True, "share_progress": True},
            },
            headers=sw,
        ),
        201,
    )
    client_id = client["id"]
    world.client_code = client["code"]
    ids["client"] = [client_id]
    ids["contact"] = [c["id"] for c in client["family_contacts"]]
    screening = _ok(
        intake.post(
            f"/clients/{client_id}/screenings",
            json={"instrument": "DAST-10", "answers": [True] * 5 + [False] * 5},
            headers=sw,
        ),
        201,
    )
    ids["screening"] = [screening["id"]]
    admitted = _ok(
        intake.post(f"/clients/{client_id}/admission", json={"family_agreement": True}, headers=sw)
    )
    ids["episode"] = [e["id"] for e in admitted["episodes"]]
    suite.pump()

    due = _ok(assessment.get(f"/assessments?client_id={client_id}", headers=sw))
    ids["assessment"] = [item["id"] for item in due["items"]]
    _ok(
        assessment.put(
            f"/assessments/{ids['assessment'][0]}",
            json={
                "dimensions": DIMENSIONS,
                "strengths": ["supportive family"],
                "limitations": ["unemployed"],
                "family_background": "lives with parents",
            },
            headers=sw,
        )
    )
    program = _ok(
        assessment.post(
            "/programs",
            json={
                "name": f"Rehabilitasi {slug}",
                "kind": "residential",
                "capacity": 10,
                "duration_days": 180,
            },
            headers=admin,
        ),
        201,
    )
    ids["program"] = [program["id"]]
    placement = _ok(
        assessment.post(
            "/placements",
            json={
                "client_id": client_id,
                "program_id": program["id"],
                "start_on": foundation_today().isoformat(),
            },
            headers=sw,
        ),
        201,
    )
    ids["placement"] = [placement["id"]]
    upcoming = _ok(
        assessment.post(
            "/sessions",
            json={
                "kind": "family",
                "client_ids": [client_id],
                "starts_at": (datetime.now(UTC) + timedelta(days=3))
                .replace(microsecond=0)
                .isoformat(),
                "duration_minutes": 60,
                "location": "Ruang 2",
                "title": "Konseling keluarga",
            },
            headers=sw,
        ),
        201,
    )
    held = _ok(
        assessment.post(
            "/sessions",
            json={
                "kind": "group",
                "client_ids": [client_id],
                "starts_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
                "duration_minutes": 60,
            },
            headers=sw,
        ),
        201,
    )
    _ok(
        assessment.post(
            f"/sessions/{held['id']}/attendance",
            json={"client_id": client_id, "status": "attended"},
            headers=sw,
        )
    )
    ids["session"] = [upcoming["id"], held["id"]]
    note = _ok(
        assessment.post(
            f"/clients/{client_id}/notes",
            json={
                "kind": "crisis",
                "text": "Menarik diri dan mengancam pergi.",
                "obstacles": ["closed_attitude", "family_communication"],
            },
            headers=sw,
        ),
        201,
    )
    ids["note"] = [note["id"]]
    goal = _ok(
        assessment.post(
            f"/clients/{client_id}/goals",
            json={"text": "Kembali bekerja", "target_date": "2027-06-01"},
            headers=sw,
        ),
        201,
    )
    ids["goal"] = [goal["id"]]
    outreach = _ok(
        assessment.post(
            f"/clients/{client_id}/outreach",
            json={"method": "family", "outcome": "reached", "notes": "Lewat ibunya."},
            headers=sw,
        ),
        201,
    )
    ids["outreach"] = [outreach["id"]]
    suite.pump()
    followups = _ok(
        assessment.post(
            f"/clients/{client_id}/discharge",
            json={"reason": "completed", "discharged_on": foundation_today().isoformat()},
            headers=sw,
        )
    )
    ids["followup"] = [f["id"] for f in followups]
    _ok(
        assessment.put(
            f"/followups/{ids['followup'][0]}", json={"outcome": "abstinent"}, headers=sw
        )
    )
    # a partner (its name carries the foundation's marker) and a referral to it
    partner = _ok(
        intake.post(
            "/partners",
            json={
                "name": f"Bengkel {person.template_marker}",
                "kind": "vocational",
                "email": "bengkel@" + person.webhook_url.split("/")[2],
            },
            headers=admin,
        ),
        201,
    )
    ids["partner"] = [partner["id"]]
    referral = _ok(
        intake.post(
            f"/clients/{client_id}/referrals",
            json={
                "partner_id": partner["id"],
                "reason": f"Pelatihan kerja {person.template_marker}",
                "share": ["identity", "plan"],
                "consent": True,
            },
            headers=sw,
        ),
        201,
    )
    ids["referral"] = [referral["id"]]
    # a second client, sent by a court, still in care
    active = _ok(
        intake.post(
            "/clients",
            json={
                "full_name": person.full_name.split()[0] + " Adiknya",
                "phone": person.phone_local,
                "case_worker_id": staff["id"],
                "referral": {"source": "court", "compulsory": True, "reference_no": "PN 7/2026"},
            },
            headers=sw,
        ),
        201,
    )
    ids["client"].append(active["id"])
    admitted = _ok(
        intake.post(
            f"/clients/{active['id']}/admission", json={"family_agreement": True}, headers=sw
        )
    )
    ids["episode"] += [e["id"] for e in admitted["episodes"]]
    suite.pump()
    due = _ok(assessment.get(f"/assessments?client_id={active['id']}", headers=sw))
    ids["assessment"] += [item["id"] for item in due["items"]]
    suite.run_task("notifications", "notifications.dispatch_due", [])
    suite.pump()

    _ok(
        notifications.put(
            "/templates/family.welcome?locale=id",
            json={"body": f"{person.template_marker} {{{{ recipient_name }}}}"},
            headers=admin,
        )
    )
    _ok(
        notifications.put(
            "/channels/webhook",
            json={"url": person.webhook_url, "secret": "s" * 32, "enabled": False},
            headers=admin,
        )
    )
    # the family writes back (a reply kept with the case; its text carries the marker)
    webhook_secret = f"whsec-{slug}-replies"
    sms = {"base_url": "https://sms.example", "api_key": "k" * 16, "sender_id": "YAYASAN"}
    sms |= {"webhook_secret": webhook_secret, "enabled": False}
    _ok(notifications.put("/channels/sms", json=sms, headers=admin))
    written = {"foundation": slug, "from": person.contact_phone_local}
    body = json.dumps({**written, "text": f"{person.template_marker} kabar keluarga"}).encode()
    answer = notifications.post(
        "/inbound/sms",
        data=body,
        content_type="application/json",
        headers={"X-Provider-Signature": sign(webhook_secret, body)},
    )
    assert _ok(answer)["action"] == "reply_recorded"
    ids["reply"] = [r["id"] for r in _ok(notifications.get("/replies", headers=admin))["items"]]
    suite.pump()
    messages = _ok(notifications.get("/messages?per_page=200", headers=admin))
    ids["message"] = [m["id"] for m in messages["items"]]
    assert ids["message"], "the flow should have produced messages"
    return world


def add_data_requests(suite, worlds: tuple[World, ...]) -> None:
    """Each foundation's data requests: an access request its services answered, and an
    erasure the retention sweep proposed for its discharged client, waiting for an admin
    (B must not be able to confirm A's, even with A's client code)."""
    intake = suite.client("intake")
    for world in worlds:
        headers = {"Authorization": f"Bearer {suite.token('admin', world.slug)}"}
        opened = intake.post(
            f"/clients/{world.first('client')}/data-requests",
            json={"kind": "access", "requested_by": world.person.full_name},
            headers=headers,
        )
        assert opened.status_code == 202, opened.get_json()
    suite.pump()
    later = datetime.now(UTC) + timedelta(days=6 * 366)
    suite.run_task("intake", "intake.sweep_retention", [later.isoformat()])
    for world in worlds:
        headers = {"Authorization": f"Bearer {suite.token('admin', world.slug)}"}
        listed = intake.get("/data-requests", headers=headers).get_json()["items"]
        assert sorted(r["kind"] for r in listed) == ["access", "erasure"], listed
        world.ids["data_request"] = [r["id"] for r in listed]
