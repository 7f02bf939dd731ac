"""The staff console in a real browser, in front of the suite as ``make run`` starts it:
intake, admission, a family session and its invitation, a note, the assessment and its
recommended level, consent withdrawn and the family's pending reminder cancelled.

Drives Debian's Chromium (``apt-get install chromium``) headless through Playwright; never
downloads a browser. Skipped, saying why, when no Chromium executable is found
(``PENDAMPING_CHROMIUM`` names another one). With ``PENDAMPING_SCREENSHOTS=docs/screenshots``
the main pages are saved there as PNGs (``make screenshots``).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.e2e.test_make_run import ROOT, RunningSuite

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


def _chromium() -> str | None:
    for candidate in (
        os.environ.get("PENDAMPING_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


CHROMIUM = _chromium()
try:
    import playwright.sync_api as playwright_api
except ImportError:  # pragma: no cover - the dev extra installs it
    playwright_api = None

if CHROMIUM is None:
    pytest.skip(
        "no Chromium executable found (apt-get install chromium, or set PENDAMPING_CHROMIUM)",
        allow_module_level=True,
    )
if playwright_api is None:
    pytest.skip(
        "the playwright package is not installed (pip install -e .[dev])", allow_module_level=True
    )

WAIT_SECONDS = 90
# The dev admin works in Indonesian: the browser does too, so date and time inputs read
# dd/mm/tttt and 14.30, and the screenshots look as they do at a foundation in Jakarta.
# A context's locale sets the page's language but not how Chromium draws those inputs: that
# follows the browser's own language, which on Linux comes from LANGUAGE (not --lang) and
# needs Chromium's Indonesian locale pack (Debian: chromium-l10n; without it: en-US).
USER_LANGUAGE = "id"
USER_LOCALE = "id-ID"
USER_TIMEZONE = "Asia/Jakarta"


def _has_locale_pack(chromium: str, language: str) -> bool:
    candidates = (Path(chromium).resolve().parent, Path("/usr/lib/chromium"))
    return any((directory / "locales" / f"{language}.pak").is_file() for directory in candidates)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    yield from RunningSuite.serving(tmp_path_factory.mktemp("console-browser"))


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            env={**os.environ, "LANGUAGE": USER_LANGUAGE},
            # root in CI has no user namespace sandbox; /dev/shm is small in containers
            args=[
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                f"--lang={USER_LOCALE}",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    chosen = os.environ.get("PENDAMPING_SCREENSHOTS")
    if chosen and not _has_locale_pack(CHROMIUM, USER_LANGUAGE):
        pytest.fail(
            f"Chromium has no {USER_LANGUAGE!r} locale pack: its date inputs would be drawn "
            "in US format (apt-get install chromium-l10n)"
        )
    directory = (ROOT / chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _context(browser, **options):
    """A browser context in the user's language and the foundation's time zone."""
    return browser.new_context(locale=USER_LOCALE, timezone_id=USER_TIMEZONE, **options)


def _dev_sign_in(running) -> tuple[str, str]:
    output = (running.var / "suite.log").read_text()
    email = re.search(r"email:\s+(\S+)", output)
    password = re.search(r"password:\s+(\S+)", output)
    assert email and password, running.output()
    return email.group(1), password.group(1)


def _sign_in(page, running, email: str, password: str) -> None:
    page.goto(running.console_url + "/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form button[type=submit]")


def _reload_until(page, check, timeout: float = WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(1)
        page.reload()


@pytest.fixture(scope="module")
def admin_page(running, browser):
    context = _context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    email, password = _dev_sign_in(running)
    _sign_in(page, running, email, password)
    yield page
    context.close()


def test_a_family_invitation_from_intake_to_the_message_list(running, admin_page, shots):
    page = admin_page
    assert page.inner_text("h1") == "Dampingan saya"

    # intake: a mistake first, shown next to its field, what was typed kept
    page.click("nav >> text=Klien baru")
    page.fill("#nik", "12345")
    page.click("form.intake button[type=submit]")
    assert page.inner_text("#full_name-error") == "Wajib diisi."
    assert page.inner_text("#nik-error") == "NIK harus tepat 16 angka."
    assert page.input_value("#nik") == "12345"

    page.fill("#full_name", "Budi Santoso")
    page.fill("#nik", "1271012345678901")
    page.fill("#date_of_birth", "1994-05-17")
    page.select_option("#sex", "male")
    page.fill("#primary_substances", "metamfetamin")
    page.select_option("#route_of_use", "smoked")
    page.select_option("#referral_source", "family")
    page.fill("#family_contacts-0-name", "Ibu Sari")
    page.fill("#family_contacts-0-relationship", "ibu")
    page.fill("#family_contacts-0-phone", "0812 3456 7890")
    page.select_option("#family_contacts-0-channel", "whatsapp")
    page.check("#consent_contact_family")
    page.screenshot(path=str(shots / "intake-form.png"), full_page=True)
    page.click("form.intake button[type=submit]")
    assert "Budi Santoso" in page.inner_text("h1")
    assert "Klien terdaftar." in page.inner_text(".notice.ok")

    # admission
    page.check("#admission-family_agreement")
    page.click("#admission_form button[type=submit]")
    assert "Klien diterima" in page.inner_text(".notice.ok")
    assessment_due = _reload_until(
        page,
        lambda: (
            page.query_selector("#assessment-status")
            and "Belum dilakukan" in page.inner_text("#assessment-status")
        ),
    )
    assert assessment_due, running.output()

    # a family session, three days from now at 10:00 in the foundation's time zone
    page.select_option("#session-kind", "family")
    page.fill("#session-day", (date.today() + timedelta(days=3)).isoformat())
    page.fill("#session-time", "10:00")
    page.fill("#session-location", "Ruang keluarga")
    page.click("#session_form button[type=submit]")
    assert "Sesi dijadwalkan." in page.inner_text(".notice.ok")

    invitation = "tr.message[data-template='family.session_invitation']"
    sent = _reload_until(
        page,
        lambda: page.query_selector(f"{invitation}[data-status='sent']"),
    )
    row = page.query_selector(invitation)
    assert row is not None, running.output()
    assert sent, f"invitation still {row.get_attribute('data-status')}"
    text = row.inner_text()
    assert "Undangan sesi keluarga" in text and "Ibu Sari" in text and "Terkirim" in text
    page.click("#note_form summary")
    page.select_option("#note-kind", "progress")
    page.fill("#note-text", "Mulai terbuka di sesi kelompok; keluarga jarang menelepon.")
    page.check("#note_form input[value=family_communication]")
    page.click("#note_form button[type=submit]")
    assert "Catatan disimpan." in page.inner_text(".notice.ok")
    assert "Komunikasi keluarga" in page.inner_text("#notes")

    # the assessment: six ratings and what was found; the API works out the level of care
    for dimension, rating in (
        ("withdrawal", "1"),
        ("biomedical", "0"),
        ("emotional_behavioral", "3"),
        ("readiness_to_change", "2"),
        ("relapse_potential", "2"),
        ("recovery_environment", "1"),
    ):
        page.select_option(f"#assessment-{dimension}", rating)
    page.fill("#assessment-strengths", "Keluarga mendukung\nMau kembali bekerja")
    page.fill("#assessment-limitations", "Teman sebaya masih memakai")
    page.locator("#assessment_form").screenshot(path=str(shots / "assessment-form.png"))
    page.click("#assessment_form button[type=submit]")
    assert "Tingkat layanan yang disarankan: Rawat inap (residensial)." in page.inner_text(
        ".notice.ok"
    )
    assert page.inner_text("#recommended-level") == "Rawat inap (residensial)"
    assert page.query_selector("#assessment_form") is None

    # the treatment plan: a goal from the assessment's findings
    page.click("#goal_form summary")
    page.fill("#goal-text", "Kembali bekerja di bengkel paman")
    page.click("#goal_form button[type=submit]")
    assert "Tujuan ditambahkan ke rencana perawatan." in page.inner_text(".notice.ok")
    goal = page.query_selector("#plan li.goal[data-status='open']")
    assert goal and "Kembali bekerja di bengkel paman" in goal.inner_text()
    page.screenshot(path=str(shots / "client-page.png"), full_page=True)

    # withdrawing consent: the family's reminder, still waiting to go, is cancelled
    reminder = "tr.message[data-template='family.session_reminder']"
    assert page.query_selector(f"{reminder}[data-status='scheduled']"), running.output()
    page.click("#consent_form summary")
    page.uncheck("#consent-contact_family")
    page.click("#consent_form button[type=submit]")
    assert "Pesan keluarga yang belum terkirim dibatalkan." in page.inner_text(".notice.ok")
    assert page.inner_text("#consent-contact-family") == "Tidak"
    cancelled = _reload_until(
        page, lambda: page.query_selector(f"{reminder}[data-status='cancelled']")
    )
    assert cancelled, page.inner_text("#messages")
    assert "Dibatalkan" in cancelled.inner_text()
    assert "persetujuan menghubungi keluarga dicabut" in cancelled.inner_text()  # why, in Bahasa
    assert page.query_selector(f"{reminder}[data-status='scheduled']") is None
    invitation_row = page.query_selector(invitation)
    assert invitation_row.get_attribute("data-status") == "sent"  # what was sent stays sent
    page.locator("#messages").screenshot(path=str(shots / "consent-withdrawn-messages.png"))

    page.click("nav >> text=Dampingan saya")
    assert "Budi Santoso" in page.inner_text("table.caseload")
    page.screenshot(path=str(shots / "caseload.png"), full_page=True)
    page.click("nav >> text=Kalender")
    page.goto(running.console_url + f"/calendar?week={date.today() + timedelta(days=3)}")
    assert "Budi Santoso" in page.inner_text(".week")
    page.click("nav >> text=Laporan")
    assert page.query_selector("svg.chart")
    page.screenshot(path=str(shots / "reports.png"), full_page=True)

    # the language switch
    page.click("button[name=locale][value=en]")
    assert page.inner_text("h1") == "Reports"
    page.click("button[name=locale][value=id]")
    assert page.inner_text("h1") == "Laporan"


def test_the_client_page_fits_a_phone(running, browser, admin_page, shots):
    client_link = None
    admin_page.goto(running.console_url + "/?all=1")
    client_link = admin_page.get_attribute("table.caseload a", "href")
    assert client_link
    phone = _context(
        browser,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        storage_state=admin_page.context.storage_state(),
    )
    page = phone.new_page()
    missing: list[str] = []  # nothing a page asks for (its icon included) is a 404
    page.on("response", lambda answer: answer.status == 404 and missing.append(answer.url))
    page.goto(running.console_url + client_link)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width}px wide on a 390px phone"
    page.screenshot(path=str(shots / "client-page-phone.png"), full_page=True)

    # the caseload's search box shows its whole hint, in both languages
    page.goto(running.console_url + "/")
    assert page.evaluate(PLACEHOLDER_FITS), page.get_attribute("#q", "placeholder")
    page.click("button[name=locale][value=en]")
    assert page.evaluate(PLACEHOLDER_FITS), page.get_attribute("#q", "placeholder")
    page.click("button[name=locale][value=id]")
    assert not missing, missing
    phone.close()


# Whether the search box's placeholder is drawn whole (its text no wider than the box's room).
PLACEHOLDER_FITS = """() => {
  const box = document.querySelector('#q');
  const style = getComputedStyle(box);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return pen.measureText(box.placeholder).width <= room;
}"""


def test_five_wrong_passwords_lock_the_account(running, browser, admin_page):
    page = admin_page
    page.goto(running.console_url + "/staff")
    page.fill("#name", "Wati")
    page.fill("#email", "wati@dev.pendamping.example")
    page.select_option("#role", "counselor")
    page.fill("#password", "kata-sandi-wati-1")
    page.click("#new-account button[type=submit]")
    assert "wati@dev.pendamping.example" in page.inner_text("table")

    other = _context(browser)
    attempt = other.new_page()
    messages = set()
    for _ in range(5):
        _sign_in(attempt, running, "wati@dev.pendamping.example", "salah-sekali-123")
        messages.add(attempt.inner_text(".notice.error"))
    _sign_in(attempt, running, "nobody@dev.pendamping.example", "salah-sekali-123")
    messages.add(attempt.inner_text(".notice.error"))
    assert len(messages) == 1  # the same answer for a wrong password and an unknown email
    # locked now: the right password is refused too
    _sign_in(attempt, running, "wati@dev.pendamping.example", "kata-sandi-wati-1")
    assert attempt.url.endswith("/sign-in")
    assert "dikunci" in attempt.inner_text(".notice.error")
    other.close()


def test_a_post_without_its_csrf_token_is_refused(running, admin_page):
    answer = admin_page.context.request.post(
        running.console_url + "/clients/new",
        form={"full_name": "Tanpa Token", "consent_given_by": "client"},
        max_redirects=0,
    )
    assert answer.status == 400
    assert "token" in answer.text()
    admin_page.goto(running.console_url + "/?q=Tanpa")
    assert "Tanpa Token" not in admin_page.content()
