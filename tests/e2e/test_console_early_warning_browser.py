"""The early warning in a real browser on a phone (390 px wide), in front of the suite as
``make run`` starts it: a client absent from the last two sessions (attendance recorded through
the assessment API) is on the caseload's "Perlu perhatian" list and shows "Risiko tinggi" with
its reason on the client page; the social worker records an outreach with the one-tap form and
it shows as the last outreach; the client page, the caseload and the report are no wider than
the phone.

Same browser set-up as :mod:`tests.e2e.test_console_browser` (Debian's Chromium, skipped
when there is none).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e import test_console_browser as console_browser
from tests.e2e.test_console_browser import _context, _dev_sign_in, _sign_in
from tests.e2e.test_make_run import RunningSuite

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]
browser = console_browser.browser
shots = console_browser.shots

FOUNDATION = "dev"  # the foundation ``make run`` makes for its dev admin
SW_EMAIL = "rahmat@dev.pendamping.example"
SW_PASSWORD = "kata-sandi-rahmat-1"
PHONE_WIDTH = 390
NOTES = "Ibu Siti mengangkat; Budi akan datang hari Kamis."


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    yield from RunningSuite.serving(tmp_path_factory.mktemp("console-early-warning"))


def _api(running, service: str, method: str, path: str, role: str = "social_worker", **kwargs):
    return running.api(service, method, path, foundation=FOUNDATION, role=role, **kwargs)


def _eventually(running, check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"{what} never happened:\n" + running.output())


@pytest.fixture(scope="module")
def absent_client(running, browser):
    """Rahmat, a social worker with a console account (made by the dev admin on the staff
    page); his client Budi, admitted five days ago and absent from the two sessions since."""
    admin = _context(browser, viewport={"width": 1280, "height": 900})
    page = admin.new_page()
    _sign_in(page, running, *_dev_sign_in(running))
    page.goto(running.console_url + "/staff")
    page.fill("#name", "Rahmat")
    page.fill("#email", SW_EMAIL)
    page.select_option("#role", "social_worker")
    page.fill("#password", SW_PASSWORD)
    page.click("#new-account button[type=submit]")
    assert SW_EMAIL in page.inner_text("table")
    admin.close()

    staff = _api(running, "intake", "GET", "/staff", role="admin", params={"per_page": 200})
    (rahmat,) = [s for s in staff.json()["items"] if s.get("email") == SW_EMAIL]
    client = _api(
        running,
        "intake",
        "POST",
        "/clients",
        json={"full_name": "Budi Santoso", "case_worker_id": rahmat["id"]},
    )
    assert client.status_code == 201, client.text
    client_id = client.json()["id"]
    admitted_on = (datetime.now(UTC) - timedelta(days=5)).date().isoformat()
    admitted = _api(
        running,
        "intake",
        "POST",
        f"/clients/{client_id}/admission",
        json={"family_agreement": True, "admitted_on": admitted_on},
    )
    assert admitted.status_code == 200, admitted.text
    _eventually(
        running,
        lambda: (
            _api(running, "assessment", "GET", f"/clients/{client_id}").json().get("status")
            == "admitted"
        ),
        "assessment hearing of the admission",
    )
    for days_ago in (3, 1):  # two sessions since, and Budi came to neither
        starts = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
        session = _api(
            running,
            "assessment",
            "POST",
            "/sessions",
            json={
                "kind": "individual",
                "client_ids": [client_id],
                "starts_at": starts.isoformat(),
                "duration_minutes": 60,
            },
        )
        assert session.status_code == 201, session.text
        absent = _api(
            running,
            "assessment",
            "POST",
            f"/sessions/{session.json()['id']}/attendance",
            json={"client_id": client_id, "status": "absent"},
        )
        assert absent.status_code in (200, 201), absent.text
    _eventually(
        running,
        lambda: (
            _api(running, "assessment", "GET", f"/clients/{client_id}/risk").json().get("level")
            == "high"
        ),
        "the flag rising to high",
    )
    return client_id


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_client_absent_twice_is_reached_out_to_from_a_phone(
    running, browser, absent_client, shots
):
    phone = _context(browser, viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True)
    page = phone.new_page()
    _sign_in(page, running, SW_EMAIL, SW_PASSWORD)
    assert page.inner_text("h1") == "Dampingan saya"
    attention = page.locator("#needs-attention")
    assert "Perlu perhatian" in attention.inner_text()
    flagged = attention.locator("li.flagged")
    assert flagged.count() == 1
    assert "Budi Santoso" in flagged.inner_text() and "Risiko tinggi" in flagged.inner_text()
    assert _width(page) <= PHONE_WIDTH, f"the caseload is {_width(page)}px wide"
    page.screenshot(path=str(shots / "caseload-attention-phone.png"), full_page=True)

    flagged.locator("a").click()
    assert "Risiko tinggi" in page.inner_text(".page-head")
    risk = page.locator("#risk")
    reason = risk.locator("li.reason[data-rule='consecutive_absences']")
    assert "Tidak hadir di sesi-sesi terakhirnya berturut-turut" in reason.inner_text()
    assert "sejak" in reason.inner_text()
    assert "Belum ada penjangkauan" in page.inner_text("#last-outreach")
    assert _width(page) <= PHONE_WIDTH, f"the client page is {_width(page)}px wide"

    # one tap for how, one for what came of it: the labels are the targets
    page.click("#outreach_form label:has-text('Telepon')")
    page.click("#outreach_form label:has-text('Terhubungi')")
    page.fill("#outreach-notes", NOTES)
    risk.screenshot(path=str(shots / "outreach-form-phone.png"))
    assert _width(page) <= PHONE_WIDTH, f"the outreach form is {_width(page)}px wide"
    page.click("#outreach_form button[type=submit]")
    assert "Penjangkauan dicatat: Telepon, Terhubungi." in page.inner_text(".notice.ok")
    last = page.inner_text("#last-outreach")
    assert "Terhubungi" in last and "Telepon" in last and "Rahmat" in last
    assert "Risiko tinggi" in page.inner_text("#risk h2")  # the flag stays until rules change
    page.click("#outreach-history summary")
    assert NOTES in page.inner_text("#outreach-history")
    assert _width(page) <= PHONE_WIDTH, f"the client page is {_width(page)}px wide"
    page.screenshot(path=str(shots / "client-risk-phone.png"), full_page=True)

    page.click("nav >> text=Laporan")
    assert page.inner_text("h1") == "Laporan"
    assert "Keterlibatan klien" in page.inner_text("#report-engagement")
    assert page.locator("#report-norm table.norms").count() == 1
    assert _width(page) <= PHONE_WIDTH, f"the report is {_width(page)}px wide"
    page.locator("#report-engagement").screenshot(path=str(shots / "engagement-phone.png"))
    page.locator("#report-norm").screenshot(path=str(shots / "caseload-norm-phone.png"))
    phone.close()
