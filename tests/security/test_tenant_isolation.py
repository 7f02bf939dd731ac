"""Another foundation's records do not exist, on every route of every service.

Foundation A gets one of every record through the API; then foundation B's admin and social
worker call every route the three services have, with A's ids in every path parameter (and
in mixes with B's own ids): each answer is 404, never 403, never data. Lists, reports, the
audit log and messages are called too and must never show A's ids, code, names, NIK, phones
or emails; ids of A's inside a request body are refused (422). Afterwards A's records are
exactly as they were.

The routes are read from each app's ``url_map``: a route this sweep does not know how to
call fails it, so a new endpoint is covered as soon as it exists.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from tests.security.world import DIMENSIONS, PEOPLE, World, add_data_requests, populate
from tests.support.dates import foundation_today

A, B = "medan-plus", "yakita-bali"
SERVICES = ("intake", "assessment", "notifications")
# documentation, probes, the signed provider webhook, the operator's tenant management and
# the operators' metrics (no foundation may read them: tests/integration/test_metrics.py)
SKIPPED = re.compile(r"^/(health|ready|openapi\.json|docs|static|inbound|foundations|metrics)(/|$)")
# path parameters that name a record: which of a world's ids to put there
ID_PARAMS: dict[str, tuple[str, ...]] = {
    "client_id": ("client",),
    "contact_id": ("contact",),
    "assessment_id": ("assessment",),
    "session_id": ("session",),
    "followup_id": ("followup",),
    "goal_id": ("goal",),
    "message_id": ("message",),
    "recipient_id": ("contact", "staff"),
    "reply_id": ("reply",),
    "staff_id": ("staff",),
    "request_id": ("data_request",),
    "partner_id": ("partner",),
    "referral_id": ("referral",),
}
# path parameters that name something every foundation has its own of
NAME_PARAMS = {"key": "family.welcome", "channel": "webhook"}
PARAM_RE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")

TODAY = foundation_today().isoformat()
YEAR_AGO = (foundation_today() - timedelta(days=365)).isoformat()


@dataclass(frozen=True)
class Call:
    """How to call a route. ``kind``: ``record`` (path ids: A's must be 404), ``listing``
    (B's own view: never A's data), ``refused`` (A's ids in the body: 422)."""

    kind: str
    body: object = None  # a value, or a function of (a, b) worlds
    query: object = ""  # a string, or a function of (a, b) worlds
    path: dict = field(default_factory=dict)  # fixed path values: name -> function of (a, b)
    # an admins' route: other roles are refused by their role (403) whatever the id names,
    # which tells nothing about A's records
    admin_only: bool = False

    def body_for(self, a: World, b: World):
        return self.body(a, b) if callable(self.body) else self.body

    def query_for(self, a: World, b: World) -> str:
        return self.query(a, b) if callable(self.query) else self.query


def record(body=None, admin_only: bool = False) -> Call:
    return Call("record", body=body, admin_only=admin_only)


def listing(query="", body=None) -> Call:
    return Call("listing", body=body, query=query)


def refused(body, path=None) -> Call:
    return Call("refused", body=body, path=path or {})


def session_body(client_ids: list[str]) -> dict:
    return {
        "kind": "group",
        "client_ids": client_ids,
        "starts_at": "2030-01-01T10:00:00+07:00",
        "duration_minutes": 60,
    }


ROUTES: dict[tuple[str, str, str], list[Call]] = {
    # --- intake ----------------------------------------------------------------------------
    ("intake", "/staff", "GET"): [listing()],
    ("intake", "/staff", "POST"): [
        listing(body={"name": "Staf Baru", "role": "counselor", "email": "baru@example.net"})
    ],
    ("intake", "/staff/<staff_id>", "PATCH"): [
        record({"active": False, "name": "Penyusup"}, admin_only=True)
    ],
    ("intake", "/clients", "GET"): [
        listing(),
        listing(query=lambda a, b: f"q={a.person.full_name.split()[0]}"),
        listing(query=lambda a, b: f"q={a.client_code}"),
        listing(query="status=discharged"),
    ],
    ("intake", "/clients", "POST"): [
        listing(body={"full_name": "Klien Baru", "phone": "0813-2222-3333"}),
        refused(body=lambda a, b: {"full_name": "Budi", "case_worker_id": a.first("staff")}),
    ],
    ("intake", "/clients/<client_id>", "GET"): [record()],
    ("intake", "/clients/<client_id>", "PATCH"): [record({"address": "Jalan Lain 1"})],
    ("intake", "/clients/<client_id>/family-contacts", "POST"): [
        record(
            {
                "name": "Penyusup",
                "relationship": "friend",
                "phone": "0812-0000-1111",
                "channel": "sms",
            }
        )
    ],
    ("intake", "/clients/<client_id>/family-contacts/<contact_id>", "PATCH"): [
        record({"may_contact": False})
    ],
    ("intake", "/clients/<client_id>/family-contacts/<contact_id>", "DELETE"): [record()],
    ("intake", "/clients/<client_id>/consent", "PUT"): [
        record({"contact_family": False, "share_progress": False})
    ],
    ("intake", "/clients/<client_id>/consent/history", "GET"): [record()],
    ("intake", "/clients/<client_id>/screenings", "GET"): [record()],
    ("intake", "/clients/<client_id>/screenings", "POST"): [
        record({"instrument": "DAST-10", "answers": [False] * 10})
    ],
    ("intake", "/clients/<client_id>/admission", "POST"): [record({"family_agreement": True})],
    ("intake", "/reports/ipwl", "GET"): [
        listing(query=f"from={YEAR_AGO}&to={TODAY}"),
        listing(query=f"from={YEAR_AGO}&to={TODAY}&format=csv"),
    ],
    ("intake", "/audit", "GET"): [
        listing(),
        listing(query=lambda a, b: f"resource_id={a.first('client')}"),
    ],
    ("intake", "/clients/<client_id>/data-requests", "POST"): [
        record({"kind": "access", "requested_by": "Penyusup"}, admin_only=True),
        record({"kind": "erasure", "requested_by": "Penyusup"}, admin_only=True),
    ],
    ("intake", "/data-requests", "GET"): [
        listing(),
        listing(query=lambda a, b: f"client_id={a.first('client')}"),
        listing(query="late=false&kind=erasure&status=open"),
    ],
    ("intake", "/data-requests/<request_id>", "GET"): [record(admin_only=True)],
    ("intake", "/data-requests/<request_id>/export", "GET"): [record(admin_only=True)],
    # A's own client code with A's proposed erasure: still no such request for B
    ("intake", "/data-requests/<request_id>/confirm", "POST"): [
        record(lambda a, b: {"client_code": a.client_code}, admin_only=True)
    ],
    ("intake", "/partners", "GET"): [listing(), listing(query="active=true&kind=vocational")],
    ("intake", "/partners", "POST"): [listing(body={"name": "Mitra B", "kind": "sports"})],
    ("intake", "/partners/<partner_id>", "GET"): [record()],
    ("intake", "/partners/<partner_id>", "PATCH"): [
        record({"active": False, "name": "Penyusup"}, admin_only=True)
    ],
    ("intake", "/clients/<client_id>/referrals", "GET"): [record()],
    ("intake", "/clients/<client_id>/referrals", "POST"): [
        record(lambda a, b: {"partner_id": b.first("partner"), "reason": "x", "consent": True}),
        # B's own client, A's partner in the body
        refused(
            body=lambda a, b: {"partner_id": a.first("partner"), "reason": "x", "consent": True},
            path={"client_id": lambda a, b: b.first("client")},
        ),
    ],
    ("intake", "/referrals", "GET"): [
        listing(),
        listing(query=lambda a, b: f"client_id={a.first('client')}"),
        listing(query=lambda a, b: f"partner_id={a.first('partner')}&status=pending"),
        listing(query="direction=incoming"),
    ],
    ("intake", "/referrals/<referral_id>", "GET"): [record()],
    ("intake", "/referrals/<referral_id>", "PATCH"): [
        record({"status": "accepted"}),
        record({"status": "revoked", "note": "Penyusup"}),
    ],
    # A's court-referred client
    ("intake", "/clients/<client_id>/referrer-report", "GET"): [
        record(admin_only=True),
        Call("record", query="format=pdf", admin_only=True),
    ],
    # --- assessment ------------------------------------------------------------------------
    ("assessment", "/clients/<client_id>", "GET"): [record()],
    ("assessment", "/clients/<client_id>/notes", "GET"): [record()],
    ("assessment", "/clients/<client_id>/notes", "POST"): [
        record({"kind": "progress", "text": "Catatan dari yayasan lain."})
    ],
    ("assessment", "/clients/<client_id>/goals", "GET"): [record()],
    ("assessment", "/clients/<client_id>/outreach", "GET"): [record()],
    ("assessment", "/clients/<client_id>/outreach", "POST"): [
        record({"method": "visit", "outcome": "returned", "notes": "Penyusup"})
    ],
    ("assessment", "/clients/<client_id>/goals", "POST"): [record({"text": "Tujuan lain"})],
    ("assessment", "/clients/<client_id>/discharge", "POST"): [
        record({"reason": "dropped_out", "discharged_on": TODAY})
    ],
    ("assessment", "/assessments", "GET"): [
        listing(),
        listing(query=lambda a, b: f"client_id={a.first('client')}"),
    ],
    ("assessment", "/assessments", "POST"): [
        refused(body=lambda a, b: {"client_id": a.ids["client"][1]})
    ],
    ("assessment", "/assessments/<assessment_id>", "GET"): [record()],
    ("assessment", "/assessments/<assessment_id>", "PUT"): [record({"dimensions": DIMENSIONS})],
    ("assessment", "/programs", "GET"): [listing()],
    ("assessment", "/programs", "POST"): [
        listing(
            body={"name": "Program B", "kind": "outpatient", "capacity": 5, "duration_days": 30}
        )
    ],
    ("assessment", "/placements", "GET"): [listing()],
    ("assessment", "/placements", "POST"): [
        refused(
            body=lambda a, b: {
                "client_id": a.ids["client"][1],
                "program_id": a.first("program"),
                "start_on": TODAY,
            }
        ),
        refused(
            body=lambda a, b: {
                "client_id": b.ids["client"][1],
                "program_id": a.first("program"),
                "start_on": TODAY,
            }
        ),
        refused(
            body=lambda a, b: {
                "client_id": a.ids["client"][1],
                "program_id": b.first("program"),
                "start_on": TODAY,
            }
        ),
    ],
    ("assessment", "/sessions", "GET"): [
        listing(),
        listing(query=lambda a, b: f"client_id={a.first('client')}"),
    ],
    ("assessment", "/sessions", "POST"): [
        refused(body=lambda a, b: session_body([a.ids["client"][1]])),
        refused(body=lambda a, b: session_body([b.ids["client"][1], a.ids["client"][1]])),
    ],
    ("assessment", "/sessions/<session_id>", "GET"): [record()],
    ("assessment", "/sessions/<session_id>", "PATCH"): [record({"duration_minutes": 45})],
    ("assessment", "/sessions/<session_id>/cancel", "POST"): [record()],
    ("assessment", "/sessions/<session_id>/attendance", "POST"): [
        record(lambda a, b: {"client_id": b.first("client"), "status": "absent"}),
        record(lambda a, b: {"client_id": a.first("client"), "status": "absent"}),
        # B's own session, A's client in the body
        refused(
            body=lambda a, b: {"client_id": a.first("client"), "status": "absent"},
            path={"session_id": lambda a, b: b.ids["session"][1]},
        ),
    ],
    ("assessment", "/followups", "GET"): [
        listing(),
        listing(query=lambda a, b: f"client_id={a.first('client')}"),
        listing(query="due_before=2199-01-01"),
    ],
    ("assessment", "/followups/<followup_id>", "PUT"): [record({"outcome": "relapsed"})],
    ("assessment", "/goals/<goal_id>", "PATCH"): [record({"status": "dropped"})],
    ("assessment", "/reports/caseload", "GET"): [listing()],
    ("assessment", "/reports/obstacles", "GET"): [listing(query=f"from={YEAR_AGO}&to={TODAY}")],
    ("assessment", "/reports/outcomes", "GET"): [listing()],
    ("assessment", "/clients/<client_id>/risk", "GET"): [record()],
    ("assessment", "/risk", "GET"): [listing(), listing(query="level=high&per_page=200")],
    ("assessment", "/risk/settings", "GET"): [listing()],
    ("assessment", "/risk/settings", "PUT"): [listing(body={"crisis_note_days": 5})],
    ("assessment", "/reports/engagement", "GET"): [listing(query=f"from={YEAR_AGO}&to={TODAY}")],
    # --- notifications ---------------------------------------------------------------------
    ("notifications", "/messages", "GET"): [
        listing(query="per_page=200"),
        listing(query=lambda a, b: f"client_id={a.first('client')}"),
        listing(query="template=family.welcome"),
    ],
    ("notifications", "/messages/<message_id>", "GET"): [record()],
    ("notifications", "/templates/<key>", "GET"): [listing(query="locale=id")],
    ("notifications", "/templates/<key>", "PUT"): [
        listing(query="locale=id", body={"body": "Halo {{ recipient_name }} dari B."})
    ],
    ("notifications", "/channels/<channel>", "GET"): [listing()],
    ("notifications", "/channels/<channel>", "PUT"): [
        listing(body={"url": "https://hooks.b.example/x", "secret": "b" * 20, "enabled": False})
    ],
    ("notifications", "/recipients/<recipient_id>/preferences", "GET"): [record()],
    ("notifications", "/recipients/<recipient_id>/preferences", "PUT"): [
        record({"opted_out": True})
    ],
    ("notifications", "/replies", "GET"): [
        listing(),
        listing(query=lambda a, b: f"client_id={a.first('client')}"),
        listing(query=lambda a, b: f"contact_id={a.first('contact')}&unread=true"),
    ],
    ("notifications", "/replies/<reply_id>/read", "POST"): [record()],
    ("notifications", "/conversations/<contact_id>", "GET"): [record()],
    ("notifications", "/conversations/<contact_id>/messages", "POST"): [
        record({"text": "Halo dari B."})
    ],
}


# --- the sweep --------------------------------------------------------------------------------


def routes_of(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if SKIPPED.match(rule.rule):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method))
    return found


def fill(rule: str, values: dict[str, str]) -> str:
    return PARAM_RE.sub(lambda m: values[m.group(1)], rule)


def path_variants(rule: str, call: Call, a: World, b: World) -> list[tuple[str, set[str]]]:
    """The paths to call, each with the ids of A's it carries. For a ``record`` route:
    every mix of A's and B's ids in which at least one is A's."""
    params = PARAM_RE.findall(rule)
    if call.kind != "record":
        values = {name: NAME_PARAMS.get(name) for name in params}
        for name, value in call.path.items():
            values[name] = value(a, b)
        missing = [name for name, value in values.items() if value is None]
        assert not missing, f"{rule}: no value for {missing}"
        return [(fill(rule, values), set())]
    choices = []
    for name in params:
        if name in NAME_PARAMS:
            choices.append([(NAME_PARAMS[name], False)])
            continue
        kinds = ID_PARAMS[name]
        own = [(b.ids[kinds[0]][0], False)]
        foreign = [(value, True) for kind in kinds for value in a.ids[kind]]
        choices.append(own + foreign)
    variants = []
    for combo in itertools.product(*choices):
        if not any(is_a for _, is_a in combo):
            continue
        values = {name: value for name, (value, _) in zip(params, combo, strict=True)}
        carried = {value for value, is_a in combo if is_a}
        variants.append((fill(rule, values), carried))
    return variants


def leaked(text: str, a: World, allowed: set[str]) -> list[str]:
    return [secret for secret in a.secrets() if secret not in allowed and secret in text]


def snapshot(suite, a: World) -> dict:
    """A's records as A's admin sees them (what B's calls must not have changed)."""
    headers = {"Authorization": f"Bearer {suite.token('admin', a.slug, sub='snapshot')}"}
    paths = {
        "intake": [f"/clients/{c}" for c in a.ids["client"]]
        + [f"/clients/{c}/consent/history" for c in a.ids["client"]]
        + [f"/clients/{c}/screenings" for c in a.ids["client"]]
        + [f"/data-requests/{r}" for r in a.ids["data_request"]]
        + [f"/referrals/{r}" for r in a.ids["referral"]]
        + [f"/partners/{p}" for p in a.ids["partner"]]
        + ["/staff", "/partners", "/referrals"],
        "assessment": [f"/clients/{c}" for c in a.ids["client"]]
        + [f"/clients/{c}/notes" for c in a.ids["client"]]
        + [f"/clients/{c}/goals" for c in a.ids["client"]]
        + [f"/clients/{c}/outreach" for c in a.ids["client"]]
        + [f"/assessments/{x}" for x in a.ids["assessment"]]
        + [f"/sessions/{x}" for x in a.ids["session"]]
        + ["/followups", "/programs", "/placements", "/risk?per_page=200", "/risk/settings"],
        "notifications": [f"/messages/{m}" for m in a.ids["message"]]
        + [f"/recipients/{r}/preferences" for r in a.ids["contact"] + a.ids["staff"]]
        + ["/templates/family.welcome?locale=id", "/channels/webhook", "/replies"],
    }
    taken = {}
    for service, service_paths in paths.items():
        http = suite.client(service)
        for path in service_paths:
            response = http.get(path, headers=headers)
            assert response.status_code == 200, (service, path, response.get_json())
            taken[(service, path)] = response.get_json()
    return taken


@pytest.fixture
def worlds(suite) -> tuple[World, World]:
    a, b = populate(suite, A, PEOPLE["a"]), populate(suite, B, PEOPLE["b"])
    add_data_requests(suite, (a, b))
    return a, b


def test_the_sweep_knows_every_route(suite):
    """A route the sweep cannot call fails here first, with what to add to ROUTES."""
    present = {
        (service, rule, method)
        for service, app in suite.apps().items()
        for rule, method in routes_of(app)
    }
    unknown = sorted(present - set(ROUTES))
    assert not unknown, (
        "routes the tenant sweep does not know how to call; add them to ROUTES in "
        f"{__file__}: {unknown}"
    )
    stale = sorted(set(ROUTES) - present)
    assert not stale, f"ROUTES names routes that no longer exist: {stale}"
    params = {
        name
        for _service, rule, _method in present
        for name in PARAM_RE.findall(rule)
        if name not in ID_PARAMS and name not in NAME_PARAMS
    }
    assert not params, f"path parameters the sweep cannot fill: {sorted(params)}"


def test_another_foundations_records_do_not_exist_on_any_route(suite, worlds):
    a, b = worlds
    before = snapshot(suite, a)
    tokens = {
        role: {"Authorization": f"Bearer {suite.token(role, b.slug, sub=f'{b.slug}-{role}')}"}
        for role in ("admin", "social_worker")
    }
    problems: list[str] = []
    calls = 0
    for service in SERVICES:
        http = suite.client(service)
        for rule, method in routes_of(suite.apps()[service]):
            for call in ROUTES.get((service, rule, method), []):
                for path, carried in path_variants(rule, call, a, b):
                    query = call.query_for(a, b)
                    body = call.body_for(a, b)
                    allowed = set(carried) | {s for s in a.secrets() if s in query}
                    if call.kind == "refused":
                        allowed |= {s for s in a.all_ids() if s in repr(body)}
                    url = f"{path}?{query}" if query else path
                    for role, headers in tokens.items():
                        calls += 1
                        response = http.open(url, method=method, json=body, headers=headers)
                        where = f"{role} {method} {service}{url}"
                        status = response.status_code
                        expected = {"record": {404}, "refused": {422}, "listing": None}[call.kind]
                        if call.admin_only and role != "admin":
                            expected = {403, 404}
                        if expected is not None and status not in expected:
                            problems.append(f"{where}: {status}, expected {sorted(expected)}")
                        if call.kind == "listing" and not (
                            200 <= status < 300 or (status == 403 and role != "admin")
                        ):
                            problems.append(f"{where}: {status} {response.get_data(as_text=True)}")
                        if status >= 400 and response.mimetype != "application/problem+json":
                            problems.append(f"{where}: error answered as {response.mimetype}")
                        found = leaked(response.get_data(as_text=True), a, allowed)
                        if found:
                            problems.append(f"{where}: shows A's {found}")
    assert not problems, f"{len(problems)} of {calls} calls:\n" + "\n".join(problems)
    assert calls > 150
    suite.pump()
    assert snapshot(suite, a) == before, "B's calls changed A's records"


def test_audit_log_and_messages_show_only_the_callers_foundation(suite, worlds):
    a, b = worlds
    headers = {"Authorization": f"Bearer {suite.token('admin', b.slug, sub=f'{b.slug}-auditor')}"}
    # B reads, searches and exports: its audit log grows, A's entries stay A's
    intake = suite.client("intake")
    for path in ("/clients", f"/clients/{a.first('client')}", f"/clients/{b.first('client')}"):
        intake.get(path, headers=headers)
    audit = intake.get("/audit?per_page=200", headers=headers).get_json()
    assert audit["total"] > 0
    for entry in audit["items"]:
        assert entry["actor"] not in a.subs, entry
        assert entry["resource_id"] in (None, *b.all_ids()), entry
    assert not leaked(str(audit), a, set())
    own = {"Authorization": f"Bearer {suite.token('admin', a.slug, sub='a-auditor')}"}
    a_audit = intake.get("/audit?per_page=200", headers=own).get_json()
    assert {e["actor"] for e in a_audit["items"]} & set(a.subs)
    assert not {e["actor"] for e in a_audit["items"]} & {*b.subs, f"{b.slug}-auditor"}

    messages = suite.client("notifications").get("/messages?per_page=200", headers=headers)
    items = messages.get_json()["items"]
    assert items and {m["client_id"] for m in items} <= {None, *b.ids["client"]}
    assert {m["id"] for m in items}.isdisjoint(a.ids["message"])
    assert not leaked(messages.get_data(as_text=True), a, set())


def test_duplicate_checks_stay_inside_the_foundation(suite, worlds):
    """A's NIK, name and birth date registered in B: no 409 naming A's client, and A's
    client is no "possible duplicate" in B."""
    a, b = worlds
    headers = {"Authorization": f"Bearer {suite.token('social_worker', b.slug)}"}
    intake = suite.client("intake")
    same_nik = intake.post(
        "/clients",
        json={"full_name": "Nama Lain Sekali", "nik": a.person.nik},
        headers=headers,
    )
    assert same_nik.status_code == 201, same_nik.get_json()
    alike = intake.post(
        "/clients",
        json={"full_name": a.person.full_name, "date_of_birth": "1993-04-25"},
        headers=headers,
    )
    assert alike.status_code == 201, alike.get_json()
    assert {d["id"] for d in alike.get_json()["possible_duplicates"]}.isdisjoint(a.ids["client"])
    assert not leaked(same_nik.get_data(as_text=True), a, {a.person.nik[-4:]})
