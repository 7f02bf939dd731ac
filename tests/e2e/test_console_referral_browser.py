"""Referring a client in a real browser on a phone (390 px wide), in front of the suite as
``make run`` starts it: the dev admin adds a job-training partner on the Mitra page; a social
worker opens his client's page on his phone, refers the client ("Rujuk ke mitra"), ticks the
parts shared, answers the consent question (a first try without an answer is refused beside
it, what was typed kept), and sees the referral waiting for an answer, while notifications
holds his reminder for a week later. Every page is no wider than the phone.

Same browser set-up as :mod:`tests.e2e.test_console_browser` (Debian's Chromium, skipped
when there is none).
"""

from __future__ import annotations

import time

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
PARTNER = "Bengkel Motor Sejahtera"
REASON = "Pelatihan montir tiga bulan setelah program rawat jalan."


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    yield from RunningSuite.serving(tmp_path_factory.mktemp("console-referral"))


def _api(running, service: str, method: str, path: str, role: str = "social_worker", **kwargs):
    return running.api(service, method, path, foundation=FOUNDATION, role=role, **kwargs)


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture(scope="module")
def client_of_rahmat(running, browser, shots):
    """Rahmat's console account and his client Budi (made by the dev admin on the staff page
    and through intake), and a partner the admin adds on the Mitra page."""
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

    page.click("nav >> text=Mitra")
    assert page.inner_text("h1") == "Mitra rujukan"
    page.fill("#new-name", PARTNER)
    page.select_option("#new-kind", "vocational")
    page.fill("#new-email", "pelatihan@bengkel.example")
    page.click("#new-partner button[type=submit]")
    assert f"Mitra {PARTNER} disimpan." in page.inner_text(".notice.ok")
    assert PARTNER in page.inner_text("ul.partners")
    page.screenshot(path=str(shots / "partners.png"), full_page=True)
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
    return client.json()


def test_a_social_worker_refers_a_client_from_a_phone(running, browser, client_of_rahmat, shots):
    phone = _context(browser, viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True)
    page = phone.new_page()
    _sign_in(page, running, SW_EMAIL, SW_PASSWORD)
    assert page.inner_text("h1") == "Dampingan saya"
    assert "Mitra" not in page.inner_text("header nav")  # the partners are the admins'
    page.goto(f"{running.console_url}/clients/{client_of_rahmat['id']}")
    card = page.locator("#referrals")
    assert "Belum ada rujukan." in card.inner_text()
    assert _width(page) <= PHONE_WIDTH, f"the client page is {_width(page)}px wide"

    page.click("#referral_form summary")
    page.select_option("#referral-partner_id", label=PARTNER)
    page.fill("#referral-reason", REASON)
    page.check("#referral_form label:has-text('Rencana pendampingan')")
    # the consent question is left unanswered: refused beside it, the rest kept
    page.click("#referral_form button[type=submit]")
    assert "Pilih salah satu." in page.inner_text("#referral-consent-error")
    assert page.input_value("#referral-reason") == REASON
    assert page.is_checked("#referral_form input[value='plan']")
    assert page.is_checked("#referral_form input[value='identity']")

    page.click("#referral_form label:has-text('Ya, klien setuju')")
    card.screenshot(path=str(shots / "refer-form-phone.png"))
    assert _width(page) <= PHONE_WIDTH, f"the referral form is {_width(page)}px wide"
    page.click("#referral_form button[type=submit]")
    assert f"Rujukan ke {PARTNER} dikirim." in page.inner_text(".notice.ok")
    referral = page.locator("#referrals li.referral")
    assert referral.count() == 1
    shown = referral.inner_text()
    assert PARTNER in shown and "Menunggu jawaban" in shown and REASON in shown
    assert "Identitas, Rencana pendampingan" in shown
    assert _width(page) <= PHONE_WIDTH, f"the client page is {_width(page)}px wide"
    page.locator("#referrals").screenshot(path=str(shots / "referral-sent-phone.png"))
    phone.close()

    # a week on, if nobody has answered, Rahmat is reminded
    deadline = time.monotonic() + 60
    reminders: list = []
    while time.monotonic() < deadline and not reminders:
        answer = _api(
            running,
            "notifications",
            "GET",
            "/messages",
            params={"client_id": client_of_rahmat["id"], "template": "staff.referral_pending"},
        )
        reminders = answer.json()["items"]
        time.sleep(0.5)
    assert reminders, running.output()
    (reminder,) = reminders
    assert reminder["status"] == "scheduled" and reminder["recipient"]["name"] == "Rahmat"
