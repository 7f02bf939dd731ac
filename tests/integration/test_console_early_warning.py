"""The early warning in the console, against the real APIs over HTTP: a client's flag with its
reasons and the outreach form (once refused, what was typed kept), the caseload's "Perlu
perhatian" list from one call, and the engagement report with caseloads beside the norm."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from services.console import api_client
from shared.db import utcnow
from tests.support.console import ServedApis, console_app, field_errors, make_account, sign_in
from tests.support.factories import create_foundation, register_client

pytestmark = pytest.mark.integration
FOUNDATION = "medan-plus"
SW_EMAIL = "rahmat@medanplus.example"
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def backend() -> str:
    """The console is a client of the APIs: their database does not change what it does."""
    return "sqlite"


def today() -> date:
    return utcnow().astimezone(JAKARTA).date()


class World:
    """Rahmat (social worker) and Tono (viewer) signed in; Wati, another case worker."""

    def __init__(self, suite, app):
        self.suite, self.app = suite, app
        self.rahmat = make_account(app, suite, foundation=FOUNDATION, email=SW_EMAIL, name="Rahmat")
        self.wati = make_account(
            app, suite, foundation=FOUNDATION, email="wati@medanplus.example", name="Wati"
        )
        make_account(
            app, suite, foundation=FOUNDATION, email="tono@medanplus.example", role="viewer"
        )
        suite.pump()  # assessment hears of the staff (their roles, for the staffing norm)
        self.http = self.signed_in(SW_EMAIL)
        self.viewer = self.signed_in("tono@medanplus.example")

    def signed_in(self, email: str):
        http = self.app.test_client()
        assert sign_in(http, email).status_code == 302
        return http

    def client(self, name: str, admitted_days_ago: int | None = 10, case_worker=None) -> str:
        """A client of Rahmat (or ``case_worker``), admitted ``admitted_days_ago`` days ago
        (``None``: registered, and assessment not told yet)."""
        client = register_client(
            self.suite,
            FOUNDATION,
            full_name=name,
            case_worker_id=(case_worker or self.rahmat)["id"],
        )
        if admitted_days_ago is None:
            return client["id"]
        self.suite.pump()
        admitted = self.suite.client("intake").post(
            f"/clients/{client['id']}/admission",
            json={
                "family_agreement": True,
                "admitted_on": (today() - timedelta(days=admitted_days_ago)).isoformat(),
            },
            headers=self.suite.headers(foundation=FOUNDATION),
        )
        assert admitted.status_code == 200, admitted.get_json()
        self.suite.pump()
        return client["id"]

    def attendance(self, client_id: str, *statuses: str) -> None:
        """Past sessions, one a day up to yesterday, each recorded with the next status."""
        for days_ago, status in zip(range(len(statuses), 0, -1), statuses, strict=True):
            starts = datetime.combine(today() - timedelta(days=days_ago), time(10), JAKARTA)
            made = self.post(
                "/sessions",
                {
                    "kind": "individual",
                    "client_ids": [client_id],
                    "starts_at": starts.isoformat(),
                    "duration_minutes": 60,
                },
            )
            self.post(
                f"/sessions/{made['id']}/attendance", {"client_id": client_id, "status": status}
            )
        self.suite.pump()

    def post(self, path: str, body: dict, role: str = "social_worker") -> dict:
        answer = self.suite.client("assessment").post(
            path, json=body, headers=self.suite.headers(role, FOUNDATION)
        )
        assert answer.status_code in (200, 201), answer.get_json()
        return answer.get_json()

    def api(self, path: str, **params):
        answer = self.suite.client("assessment").get(
            path, query_string=params, headers=self.suite.headers("social_worker", FOUNDATION)
        )
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    def page(self, path: str, http=None) -> str:
        answer = (http or self.http).get(path)
        assert answer.status_code == 200
        return answer.get_data(as_text=True)


@pytest.fixture
def world(suite, tmp_path):
    create_foundation(suite, FOUNDATION)
    apis = ServedApis.start(suite)
    app = console_app(suite.settings, apis.urls(), tmp_path, WTF_CSRF_ENABLED=False)
    yield World(suite, app)
    apis.stop_all()


def notice(html: str) -> str:
    found = re.findall(
        r'<div class="notice (?:ok|error)" role="(?:status|alert)">(.*?)</div>', html, re.S
    )
    return " ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", n)).strip() for n in found)


def text_of(html: str, element_id: str) -> str:
    """The words inside the element with ``element_id`` (up to its closing tag's kind)."""
    found = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"no #{element_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(2))).strip()


# --- the client page -------------------------------------------------------------------------


def test_two_absences_in_a_row_flag_high_risk_and_an_outreach_shows_with_the_flag(world):
    client_id = world.client("Budi Santoso")
    world.attendance(client_id, "attended", "absent", "absent")
    page = world.page(f"/clients/{client_id}")
    head = re.search(r'<div class="page-head">(.*?)</div>', page, re.S).group(1)
    assert "Risiko tinggi" in head  # beside the client's status, linking to the flag
    assert 'id="risk" data-level="high"' in page
    reasons = re.findall(r'<li class="reason" data-rule="(\w+)" data-level="(\w+)">', page)
    assert reasons[0] == ("consecutive_absences", "high")  # the most pressing first
    assert "Tidak hadir di sesi-sesi terakhirnya berturut-turut" in page
    # what the rule saw, as assessment words it in the reader's language
    (detail,) = re.findall(
        r'data-rule="consecutive_absences".*?<small class="detail">(.*?)</small>', page, re.S
    )
    assert detail.startswith("2 sesi berturut-turut tidak hadir"), detail
    assert f"sejak {format_date(today() - timedelta(days=1), 'd MMM yyyy', locale='id')}" in page
    assert "Belum ada penjangkauan yang berhasil" in text_of(page, "last-outreach")
    assert re.search(r'<details id="outreach_form" open>', page)  # flagged: the form is open

    # nothing chosen for how: refused on the form, what was typed kept
    refused = world.http.post(
        f"/clients/{client_id}/outreach",
        data={"outreach-outcome": "reached", "outreach-notes": "Ibu Siti menjawab telepon."},
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert field_errors(html)["outreach-method"] == "Pilih salah satu."
    assert "Ibu Siti menjawab telepon." in html
    assert re.search(r'<input checked id="outreach-outcome-0"[^>]*value="reached"', html)
    assert world.api(f"/clients/{client_id}/outreach")["total"] == 0

    done = world.http.post(
        f"/clients/{client_id}/outreach",
        data={
            "outreach-method": "phone",
            "outreach-outcome": "reached",
            "outreach-notes": "Ibu Siti menjawab telepon.",
        },
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert "Penjangkauan dicatat: Telepon, Terhubungi." in notice(html)
    last = text_of(html, "last-outreach")
    assert "Terhubungi" in last and "Telepon" in last and "oleh Rahmat" in last
    assert "Ibu Siti menjawab telepon." in text_of(html, "outreach-history")  # the notes
    assert 'id="risk" data-level="high"' in html  # reaching out does not lower the flag
    (recorded,) = world.api(f"/clients/{client_id}/outreach")["items"]
    assert (recorded["method"], recorded["outcome"]) == ("phone", "reached")


def test_an_outreach_assessment_does_not_know_of_is_refused_by_its_code_what_was_typed_kept(world):
    client_id = world.client("Belum Dikenal", admitted_days_ago=None)  # events not delivered
    refused = world.http.post(
        f"/clients/{client_id}/outreach",
        data={
            "outreach-method": "visit",
            "outreach-outcome": "not_reached",
            "outreach-notes": "Rumah kosong.",
        },
    )
    assert refused.status_code == 404
    html = refused.get_data(as_text=True)
    assert "Layanan asesmen belum mengenal klien ini; muat ulang sebentar lagi." in notice(html)
    assert "Rumah kosong." in html
    assert re.search(r'<input checked id="outreach-method-1"[^>]*value="visit"', html)


def test_no_flag_is_nothing_loud_and_a_viewer_sees_the_flag_without_the_form(world):
    quiet = world.client("Citra Lestari", admitted_days_ago=1)
    page = world.page(f"/clients/{quiet}")
    assert "Tidak ada tanda peringatan saat ini." in text_of(page, "risk")
    assert "Risiko tinggi" not in page and "Perlu perhatian" not in page
    assert re.search(r'<details id="outreach_form" >', page)  # there, closed

    flagged = world.client("Dedi Kurniawan")
    world.attendance(flagged, "absent", "absent")
    seen = world.page(f"/clients/{flagged}", world.viewer)
    assert 'id="risk" data-level="high"' in seen and "Risiko tinggi" in seen
    assert 'id="outreach_form"' not in seen
    tried = world.viewer.post(
        f"/clients/{flagged}/outreach",
        data={"outreach-method": "phone", "outreach-outcome": "reached"},
    )
    assert tried.status_code == 403
    assert world.api(f"/clients/{flagged}/outreach")["total"] == 0


# --- the caseload ----------------------------------------------------------------------------


def test_the_caseload_lists_who_needs_attention_high_first_from_one_call(world, monkeypatch):
    high = world.client("Ani Wijaya")
    world.attendance(high, "attended", "absent", "absent")
    watch = world.client("Bayu Saputra")
    world.attendance(watch, "absent", "absent", "attended")  # 2 of the last 4 absent
    world.client("Candra Putra", admitted_days_ago=1)  # nothing to notice
    others = world.client("Dani Ramdani", case_worker=world.wati)
    world.attendance(others, "absent", "absent")

    calls: list[str] = []
    request = api_client.Api.request

    def counted(self, service, method, path, **kwargs):
        calls.append(f"{service} {method} {path}")
        return request(self, service, method, path, **kwargs)

    monkeypatch.setattr(api_client.Api, "request", counted)
    page = world.page("/")
    assert calls.count("assessment GET /risk") == 1
    assert not [c for c in calls if c.endswith("/risk") and c != "assessment GET /risk"]

    listed = re.findall(r'<li class="flagged" data-level="(\w+)" data-client="([\w-]+)">', page)
    assert listed == [("high", high), ("watch", watch)]  # Rahmat's own, high first
    section = text_of(page, "needs-attention")
    assert section.startswith("Perlu perhatian")
    assert (
        "Ani Wijaya" in section and "Tidak hadir di sesi-sesi terakhirnya berturut-turut" in section
    )
    assert "Sering tidak hadir di sesi-sesi terakhirnya" in section  # Bayu's reason
    assert f'href="/clients/{high}#risk"' in page

    everyone = world.page("/?all=1")
    listed = re.findall(r'<li class="flagged" data-level="(\w+)" data-client="([\w-]+)">', everyone)
    assert listed == [("high", high), ("high", others), ("watch", watch)]  # his own first


# --- the report ------------------------------------------------------------------------------


def test_the_engagement_report_with_caseloads_beside_the_norm(world):
    programme = world.post(
        "/programs",
        {"name": "Rumah Damai", "kind": "residential", "capacity": 20, "duration_days": 90},
        role="admin",
    )
    engaged = world.client("Eka Pratama", admitted_days_ago=20)
    world.post(
        "/placements",
        {
            "client_id": engaged,
            "program_id": programme["id"],
            "start_on": (today() - timedelta(days=19)).isoformat(),
        },
    )
    world.attendance(engaged, "attended", "attended", "attended")
    for n in range(7):  # Rahmat: 8 clients in care, over the social worker's 1:7
        world.client(f"Klien {n}", admitted_days_ago=20)

    page = world.page(f"/reports?start={today() - timedelta(days=30)}&end={today()}")
    section = text_of(page, "report-engagement")
    assert "Keterlibatan klien" in section and "8 klien diterima dalam periode ini." in section
    assert page.count('<svg class="chart"') == 7  # the page's four, and engagement's three
    programmes = text_of(page, "report-engagement")
    assert "Rumah Damai" in programmes and "Belum ditempatkan" in programmes
    rows = re.findall(
        r'<tr class="caseload-norm( over-norm)?" data-over="(\w+)">\s*<td[^>]*>([^<]+)</td>', page
    )
    assert (" over-norm", "true", "Rahmat") in rows
    assert ("", "false", "Wati") in rows
    norm = text_of(page, "report-norm")
    assert "1 pendamping melebihi standar." in norm and "Melebihi standar" in norm

    english = world.http.post("/locale", data={"locale": "en"}, follow_redirects=True)
    assert english.status_code == 200
    page = world.page(f"/reports?start={today() - timedelta(days=30)}&end={today()}")
    assert "Client engagement" in page and "Over the norm" in page
