"""The family conversation in a real browser on a phone (390 px wide), in front of the suite
as ``make run`` starts it: a family's WhatsApp reply (the provider's signed webhook) shows in
its contact's thread marked new; the social worker answers from the thread's box, and the
thread then shows the answer; nothing is wider than the phone.

Same browser set-up as :mod:`tests.e2e.test_console_browser` (Debian's Chromium, skipped
when there is none).
"""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.e2e import test_console_browser as console_browser
from tests.e2e.test_console_browser import _context, _dev_sign_in, _reload_until, _sign_in
from tests.e2e.test_make_run import RunningSuite
from tests.support.provider import ProviderServer, sign

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]
# the browser (Debian's Chromium) and where screenshots go, as the console's browser test has them
browser = console_browser.browser
shots = console_browser.shots

FOUNDATION = "dev"  # the foundation ``make run`` makes for its dev admin
SECRET = "whsec-wa-dev-e2e-123"
PHONE = "+6281234567890"
SW_EMAIL = "rahmat@dev.pendamping.example"
SW_PASSWORD = "kata-sandi-rahmat-1"
QUESTION = "Selamat siang, apakah saya boleh menjenguk Budi hari Minggu?"
ANSWER = "Boleh, Bu. Jam besuk hari Minggu 10.00 sampai 12.00 di ruang keluarga."
PHONE_WIDTH = 390


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    yield from RunningSuite.serving(tmp_path_factory.mktemp("console-conversation"))


@pytest.fixture(scope="module")
def provider():
    server = ProviderServer().start()
    yield server
    server.stop()


def _api(running, service: str, method: str, path: str, role: str = "admin", **kwargs):
    return running.api(service, method, path, foundation=FOUNDATION, role=role, **kwargs)


@pytest.fixture(scope="module")
def family(running, browser, provider):
    """Rahmat, a social worker with a console account (made by the dev admin on the staff
    page); his client Budi, whose mother Siti is reached over WhatsApp; the foundation's
    WhatsApp channel, with the secret its provider signs replies with."""
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

    staff = _api(running, "intake", "GET", "/staff", params={"per_page": 200}).json()["items"]
    (rahmat,) = [s for s in staff if s.get("email") == SW_EMAIL]
    configured = _api(
        running,
        "notifications",
        "PUT",
        "/channels/whatsapp",
        json={
            "base_url": provider.url,
            "api_key": "key-e2e",
            "sender_id": "PENDAMPING",
            "webhook_secret": SECRET,
            "template_ids": {"family.welcome": "welcome_v1", "family.reply_thanks": "thanks_v1"},
        },
    )
    assert configured.status_code == 200, configured.text
    client = _api(
        running,
        "intake",
        "POST",
        "/clients",
        role="social_worker",
        json={
            "full_name": "Budi Santoso",
            "case_worker_id": rahmat["id"],
            "family_contacts": [
                {
                    "name": "Siti",
                    "relationship": "ibu",
                    "phone": "0812-3456-7890",
                    "channel": "whatsapp",
                }
            ],
            "consent": {"contact_family": True},
        },
    )
    assert client.status_code == 201, client.text
    found = client.json()
    return {"client_id": found["id"], "contact_id": found["family_contacts"][0]["id"]}


def _family_writes(running, text: str) -> None:
    """The provider's signed webhook, once notifications knows the contact."""
    body = json.dumps({"foundation": FOUNDATION, "from": PHONE, "text": text}).encode()
    answer = requests.post(
        running.urls["notifications"] + "/inbound/whatsapp",
        data=body,
        headers={"Content-Type": "application/json", "X-Provider-Signature": sign(SECRET, body)},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def _wait_until_known(running, contact_id: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        path = f"/conversations/{contact_id}"
        if _api(running, "notifications", "GET", path, role="viewer").status_code == 200:
            return
        time.sleep(0.5)
    pytest.fail("notifications never heard of the family contact:\n" + running.output())


def _fits(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_family_reply_is_answered_from_a_phone(running, browser, family, shots):
    _wait_until_known(running, family["contact_id"])
    _family_writes(running, QUESTION)

    phone = _context(browser, viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True)
    page = phone.new_page()
    _sign_in(page, running, SW_EMAIL, SW_PASSWORD)
    assert page.inner_text("h1") == "Dampingan saya"
    assert "Balasan keluarga baru: 1" in page.inner_text("table.caseload")
    assert _fits(page) <= PHONE_WIDTH, f"the caseload is {_fits(page)}px wide"

    page.click("a.unread-replies")
    thread = f"#thread-{family['contact_id']}"
    received = page.locator(f"{thread} li.thread-item.received")
    assert received.count() == 1
    assert QUESTION in received.inner_text() and "baru" in received.inner_text()
    assert "Jendela WhatsApp terbuka sampai" in page.inner_text(f"{thread} .window")
    assert _fits(page) <= PHONE_WIDTH, f"the client page is {_fits(page)}px wide"
    page.locator(thread).screenshot(path=str(shots / "conversation-phone.png"))

    page.fill(f"#answer-{family['contact_id']}-text", ANSWER)
    page.click(f"{thread} form.answer button[type=submit]")
    assert "Pesan untuk Siti dikirim." in page.inner_text(".notice.ok")
    last = page.locator(f"{thread} li.thread-item").last
    assert "sent" in last.get_attribute("class") and ANSWER in last.inner_text()
    # the reply was read when Rahmat opened the page: no longer new
    assert "baru" not in page.locator(f"{thread} li.thread-item.received").inner_text()
    sent = _reload_until(
        page, lambda: "Terkirim" in page.locator(f"{thread} li.thread-item").last.inner_text()
    )
    assert sent, running.output()
    assert _fits(page) <= PHONE_WIDTH, f"the client page is {_fits(page)}px wide"
    phone.close()
