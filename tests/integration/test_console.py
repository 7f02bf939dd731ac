"""The staff console against the real APIs over HTTP: signing in, lock-out, CSRF, intake,
admission, a family session and its invitation, errors on the right fields, outages."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from services.console.models import Account
from shared.db import utcnow
from tests.support.console import (
    PASSWORD,
    ServedApis,
    console_app,
    csrf_token,
    field_errors,
    make_account,
    sign_in,
)
from tests.support.factories import create_foundation

pytestmark = pytest.mark.integration
FOUNDATION = "medan-plus"
SW_EMAIL = "rahmat@medanplus.example"


@pytest.fixture
def backend() -> str:
    """The console is a client of the APIs: their database does not change what it does."""
    return "sqlite"


@pytest.fixture
def world(suite, tmp_path):
    """A foundation, its social worker with a console account, the APIs served over HTTP."""
    create_foundation(suite, FOUNDATION)
    apis = ServedApis.start(suite)
    app = console_app(suite.settings, apis.urls(), tmp_path, WTF_CSRF_ENABLED=False)
    staff = make_account(app, suite, foundation=FOUNDATION, email=SW_EMAIL, name="Rahmat")
    yield _World(suite, apis, app, staff)
    apis.stop_all()


class _World:
    def __init__(self, suite, apis, app, staff):
        self.suite, self.apis, self.app, self.staff = suite, apis, app, staff

    def signed_in(self, email: str = SW_EMAIL):
        http = self.app.test_client()
        assert sign_in(http, email).status_code == 302
        return http

    def account(self, email: str) -> Account:
        from services.console.accounts import find_by_email

        with self.app.extensions["console"].db.transaction() as db:
            return find_by_email(db, email)


INTAKE = {
    "full_name": "Budi Santoso",
    "nik": "1271012345678901",
    "sex": "male",
    "primary_substances": "methamphetamine, cannabis",
    "use_duration_months": "18",
    "route_of_use": "smoked",
    "referral_source": "family",
    "family_contacts-0-name": "Ibu Sari",
    "family_contacts-0-relationship": "mother",
    "family_contacts-0-phone": "0812 3456 7890",
    "family_contacts-0-channel": "whatsapp",
    "family_contacts-0-locale": "id",
    "family_contacts-0-may_contact": "y",
    "family_contacts-1-channel": "whatsapp",
    "family_contacts-1-locale": "id",
    "consent_contact_family": "y",
    "consent_given_by": "client",
}


def _register(world, http, **changes) -> str:
    data = {**INTAKE, "case_worker_id": world.staff["id"], **changes}
    answer = http.post("/clients/new", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)[-3000:]
    return answer.location.rsplit("/", 1)[1]


# --- signing in ------------------------------------------------------------------------------


def test_sign_in_opens_the_caseload_and_pages_need_it(world):
    http = world.app.test_client()
    first = http.get("/")
    assert first.status_code == 302 and "/sign-in" in first.location
    answer = sign_in(http, SW_EMAIL.upper())  # emails are matched without case
    assert answer.status_code == 302 and answer.location == "/"
    caseload = http.get("/")
    assert caseload.status_code == 200
    assert "Dampingan saya" in caseload.get_data(as_text=True)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development; production sets it (test_console_config)
    assert caseload.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in caseload.headers["Content-Security-Policy"]
    out = http.post("/sign-out")
    assert out.status_code == 302
    assert http.get("/").status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_answer(world):
    http = world.app.test_client()
    unknown = sign_in(http, "nobody@medanplus.example")
    wrong = sign_in(http, SW_EMAIL, "wrong-password-123")
    assert unknown.status_code == wrong.status_code == 401
    message = re.compile(r'<div class="notice error" role="alert">(.*?)</div>', re.S)
    assert message.search(unknown.get_data(as_text=True)).group(1) == message.search(
        wrong.get_data(as_text=True)
    ).group(1)


def test_five_wrong_passwords_lock_the_account_for_a_while(world):
    http = world.app.test_client()
    for _ in range(5):
        assert sign_in(http, SW_EMAIL, "wrong-password-123").status_code == 401
    account = world.account(SW_EMAIL)
    assert account.failed_sign_ins == 5 and account.locked_until > utcnow()
    assert (account.locked_until - utcnow()) > timedelta(minutes=14)
    # locked: even the right password is refused, with the same answer as a wrong one
    assert sign_in(http, SW_EMAIL).status_code == 401
    # another account is not affected
    make_account(world.app, world.suite, foundation=FOUNDATION, email="ani@medanplus.example")
    assert sign_in(world.app.test_client(), "ani@medanplus.example").status_code == 302
    # when the lock has run out, the right password works and the count starts again
    with world.app.extensions["console"].db.transaction() as db:
        db.get(Account, account.id).locked_until = utcnow() - timedelta(seconds=1)
    assert sign_in(http, SW_EMAIL).status_code == 302
    assert world.account(SW_EMAIL).failed_sign_ins == 0


def test_a_post_without_csrf_token_is_refused(world, tmp_path):
    app = console_app(world.suite.settings, world.apis.urls(), tmp_path)  # CSRF on
    http = app.test_client()
    assert http.post("/sign-in", data={"email": SW_EMAIL, "password": PASSWORD}).status_code == 400
    page = http.get("/sign-in").get_data(as_text=True)
    signed = http.post(
        "/sign-in", data={"email": SW_EMAIL, "password": PASSWORD, "csrf_token": csrf_token(page)}
    )
    assert signed.status_code == 302
    refused = http.post("/clients/new", data={**INTAKE, "case_worker_id": ""})
    assert refused.status_code == 400
    assert "token" in refused.get_data(as_text=True)
    assert (
        world.suite.client("intake")
        .get("/clients", headers=world.suite.headers("admin", FOUNDATION))
        .get_json()["total"]
        == 0
    )
    assert http.post("/sign-out").status_code == 400  # even signing out


# --- the client journey ----------------------------------------------------------------------


def test_intake_admission_family_session_and_its_invitation(world):
    http = world.signed_in()
    client_id = _register(world, http)
    page = http.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Budi Santoso" in page and "Ibu Sari" in page and "Terdaftar" in page
    world.suite.pump()

    admitted = http.post(
        f"/clients/{client_id}/admission", data={"admission-family_agreement": "y"}
    )
    assert admitted.status_code == 302
    world.suite.pump()
    page = http.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Dirawat" in page and "Belum dilakukan" in page  # the assessment is due
    assert 'data-template="family.welcome"' in page

    day = (date.today() + timedelta(days=3)).isoformat()
    scheduled = http.post(
        f"/clients/{client_id}/sessions",
        data={
            "session-kind": "family",
            "session-day": day,
            "session-time": "10:00",
            "session-duration_minutes": "60",
            "session-location": "Ruang keluarga",
        },
    )
    assert scheduled.status_code == 302, scheduled.get_data(as_text=True)[-2000:]
    world.suite.pump()
    page = http.get(f"/clients/{client_id}").get_data(as_text=True)
    invitation = re.search(
        r'<tr class="message" data-template="family.session_invitation" data-status="(\w+)">', page
    )
    assert invitation, page
    assert invitation.group(1) in ("scheduled", "queued", "sending", "sent")
    assert "Undangan sesi keluarga" in page and "Ibu Sari" in page

    note = http.post(
        f"/clients/{client_id}/notes",
        data={
            "note-kind": "progress",
            "note-text": "Mulai terbuka di sesi kelompok.",
            "note-obstacles": ["family_communication"],
        },
    )
    assert note.status_code == 302
    page = http.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Mulai terbuka" in page and "Komunikasi keluarga" in page

    caseload = http.get("/").get_data(as_text=True)
    assert "Budi Santoso" in caseload and "Keluarga" in caseload  # next session: family
    calendar = http.get(f"/calendar?week={day}").get_data(as_text=True)
    assert "Budi Santoso" in calendar and "Ruang keluarga" in calendar


def test_form_errors_sit_next_to_their_fields_in_the_users_language(world):
    http = world.signed_in()
    bad = {
        **INTAKE,
        "full_name": "",
        "nik": "12345",
        "family_contacts-0-phone": "",
        "use_duration_months": "lama",
        "case_worker_id": "",
    }
    answer = http.post("/clients/new", data=bad)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    errors = field_errors(page)
    assert errors["full_name"] == "Wajib diisi."
    assert errors["nik"] == "NIK harus tepat 16 angka."
    assert errors["family_contacts-0-phone"].startswith("Nomor telepon diperlukan")
    assert errors["use_duration_months"] == "Masukkan bilangan bulat."
    assert 'value="12345"' in page and 'value="Ibu Sari"' in page  # what was typed is kept

    assert http.post("/locale", data={"locale": "en"}).status_code == 302
    english = field_errors(http.post("/clients/new", data=bad).get_data(as_text=True))
    assert english["full_name"] == "Required."
    assert english["nik"] == "A NIK is exactly 16 digits."
    assert world.account(SW_EMAIL).locale == "en"  # the choice is kept on the account


def test_the_apis_errors_are_mapped_onto_the_form(world):
    http = world.signed_in()
    # the API refuses the phone: the message appears by contact 1's phone field
    answer = http.post(
        "/clients/new", data={**INTAKE, "family_contacts-0-phone": "12", "case_worker_id": ""}
    )
    assert answer.status_code == 422
    errors = field_errors(answer.get_data(as_text=True))
    assert errors["family_contacts-0-phone"] in (
        "Bukan nomor telepon.",
        "Nomor telepon tidak valid.",
    )
    # a NIK already registered: 409, said above the form, with a link to that client
    first = _register(world, http)
    again = http.post("/clients/new", data={**INTAKE, "case_worker_id": ""})
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "Klien dengan NIK ini sudah terdaftar." in page and f"/clients/{first}" in page
    # admitting twice: 409 on the admission form, nothing changed, no 500
    assert (
        http.post(
            f"/clients/{first}/admission", data={"admission-family_agreement": "y"}
        ).status_code
        == 302
    )
    twice = http.post(f"/clients/{first}/admission", data={"admission-family_agreement": "y"})
    assert twice.status_code in (302, 409)  # the form is gone once admitted; the API says 409


def test_a_service_that_is_down_shows_a_notice_not_a_500(world):
    http = world.signed_in()
    client_id = _register(world, http)
    world.suite.pump()
    world.apis.stop("notifications")
    page = http.get(f"/clients/{client_id}")
    assert page.status_code == 200
    assert "Layanan pesan sedang tidak dapat dihubungi" in page.get_data(as_text=True)
    world.apis.stop("intake")
    down = http.get("/")
    assert down.status_code == 503
    assert "tidak dapat dihubungi" in down.get_data(as_text=True)
    assert http.get(f"/clients/{client_id}").status_code == 503
    unknown = http.get("/clients/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 503


def test_another_foundations_client_is_not_found(world):
    http = world.signed_in()
    create_foundation(world.suite, "yakita")
    other = (
        world.suite.client("intake")
        .post(
            "/clients",
            json={"full_name": "Orang Lain"},
            headers=world.suite.headers("admin", "yakita"),
        )
        .get_json()
    )
    answer = http.get(f"/clients/{other['id']}")
    assert answer.status_code == 404
    assert "Orang Lain" not in answer.get_data(as_text=True)


def test_a_viewer_reads_but_does_not_write(world):
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="v@medanplus.example", role="viewer"
    )
    http = world.signed_in("v@medanplus.example")
    assert http.get("/").status_code == 200
    assert http.get("/clients/new").status_code == 403
    assert http.post("/clients/new", data=INTAKE).status_code == 403
    assert http.get("/staff").status_code == 403
    assert http.get("/reports/ipwl.csv").status_code == 403


# --- admin pages -----------------------------------------------------------------------------


def test_an_admin_creates_a_staff_account_who_can_sign_in(world):
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="admin@medanplus.example", role="admin"
    )
    http = world.signed_in("admin@medanplus.example")
    assert http.get("/staff").status_code == 200
    created = http.post(
        "/staff",
        data={
            "name": "Wati",
            "email": "wati@medanplus.example",
            "role": "counselor",
            "locale": "en",
            "password": "",
        },
    )
    assert created.status_code == 201
    password = re.search(r"<code>([^<]+)</code>", created.get_data(as_text=True)).group(1)
    staff = (
        world.suite.client("intake")
        .get("/staff", headers=world.suite.headers("admin", FOUNDATION))
        .get_json()["items"]
    )
    wati = [s for s in staff if s["name"] == "Wati"]
    assert wati and wati[0]["role"] == "counselor"
    assert world.account("wati@medanplus.example").staff_id == wati[0]["id"]
    assert sign_in(world.app.test_client(), "wati@medanplus.example", password).status_code == 302
    taken = http.post(
        "/staff",
        data={"name": "W2", "email": "WATI@medanplus.example", "role": "viewer", "locale": "id"},
    )
    assert taken.status_code == 409
    assert field_errors(taken.get_data(as_text=True))["email"]


def test_programmes_and_reports_with_charts_and_the_ipwl_csv(world):
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="admin@medanplus.example", role="admin"
    )
    http = world.signed_in("admin@medanplus.example")
    made = http.post(
        "/programmes",
        data={
            "name": "Rehabilitasi Sosial",
            "kind": "residential",
            "capacity": "20",
            "duration_days": "180",
        },
    )
    assert made.status_code == 302
    programmes = http.get("/programmes").get_data(as_text=True)
    assert "Rehabilitasi Sosial" in programmes and "<svg" in programmes
    client_id = _register(world, http)
    world.suite.pump()
    http.post(f"/clients/{client_id}/admission", data={"admission-family_agreement": "y"})
    world.suite.pump()
    http.post(
        f"/clients/{client_id}/notes",
        data={
            "note-kind": "behaviour",
            "note-text": "Menolak ikut sesi.",
            "note-obstacles": ["closed_attitude"],
        },
    )
    reports = http.get("/reports")
    assert reports.status_code == 200
    page = reports.get_data(as_text=True)
    assert page.count("<svg") >= 3 and "Sikap tertutup" in page
    csv = http.get("/reports/ipwl.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    assert csv.headers["Cache-Control"] == "no-store"  # names of clients: no cached copy
    assert "Budi Santoso" in csv.get_data(as_text=True)


def test_console_user_makes_the_staff_record_through_intake(world, monkeypatch):
    from services.console.bootstrap import BootstrapError, create_user

    for name, url in world.apis.urls().items():
        monkeypatch.setenv(f"CONSOLE_{name.upper()}_URL", url)
    monkeypatch.setenv("CONSOLE_DATABASE_URL", world.app.extensions["console"].config.database_url)
    made = create_user(
        world.suite.settings,
        foundation=FOUNDATION,
        email="First.Admin@medanplus.example",
        role="admin",
    )
    assert made.email == "first.admin@medanplus.example" and len(made.password) >= 10
    staff = (
        world.suite.client("intake")
        .get("/staff", headers=world.suite.headers("admin", FOUNDATION))
        .get_json()["items"]
    )
    assert any(s["role"] == "admin" for s in staff)
    assert sign_in(world.app.test_client(), made.email, made.password).status_code == 302
    with pytest.raises(BootstrapError, match="exists"):
        create_user(world.suite.settings, foundation=FOUNDATION, email=made.email, role="admin")
    # a value no account may have is refused before intake gets a staff record for it
    with pytest.raises(BootstrapError, match="email"):
        create_user(world.suite.settings, foundation=FOUNDATION, email="no-at-sign", role="admin")
    with pytest.raises(BootstrapError, match="locale"):
        create_user(
            world.suite.settings,
            foundation=FOUNDATION,
            email="c@medanplus.example",
            role="admin",
            locale="fr",
        )
    after = (
        world.suite.client("intake")
        .get("/staff", headers=world.suite.headers("admin", FOUNDATION))
        .get_json()["items"]
    )
    assert len(after) == len(staff)  # no staff record left behind without an account
    world.apis.stop("intake")
    with pytest.raises(BootstrapError, match="does not answer"):
        create_user(world.suite.settings, foundation=FOUNDATION, email="b@x.example", role="admin")
    with world.app.extensions["console"].db.transaction() as db:
        emails = {a.email for a in db.execute(select(Account)).scalars()}
    assert "b@x.example" not in emails


def test_sign_in_goes_back_only_to_a_page_of_the_console(world):
    for target, landing in (
        ("/calendar", "/calendar"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),  # browsers read /\ as //
        ("/\t/evil.example", "/"),
    ):
        http = world.app.test_client()
        signed = {"email": SW_EMAIL, "password": PASSWORD}
        answer = http.post("/sign-in", query_string={"next": target}, data=signed)
        assert answer.status_code == 302 and answer.location == landing, target


def test_an_account_without_a_language_keeps_the_one_it_signed_in_with(world):
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="sari@medanplus.example", locale=None
    )
    http = world.app.test_client()
    assert http.post("/locale", data={"locale": "en", "next": "/sign-in"}).status_code == 302
    assert "Sign in to Pendamping" in http.get("/sign-in").get_data(as_text=True)
    assert sign_in(http, "sari@medanplus.example").status_code == 302
    assert "My caseload" in http.get("/").get_data(as_text=True)  # not back to Indonesian
    assert world.account("sari@medanplus.example").locale == "en"  # and kept for next time
    http.post("/sign-out")
    again = world.app.test_client()  # another browser, no choice made there
    assert sign_in(again, "sari@medanplus.example").status_code == 302
    assert "My caseload" in again.get("/").get_data(as_text=True)

    # no choice on the sign-in page: the language that page was shown in
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="joko@medanplus.example", locale=None
    )
    english = world.app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.8"
    assert "Sign in to Pendamping" in english.get("/sign-in").get_data(as_text=True)
    assert sign_in(english, "joko@medanplus.example").status_code == 302
    assert world.account("joko@medanplus.example").locale == "en"
    # an account that has a language keeps it whatever the browser prefers
    stored = world.app.test_client()
    stored.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert sign_in(stored, SW_EMAIL).status_code == 302
    assert "Dampingan saya" in stored.get("/").get_data(as_text=True)
    assert world.account(SW_EMAIL).locale == "id"


def test_the_console_has_an_icon_for_every_page(world):
    http = world.app.test_client()
    icon = http.get("/favicon.ico")  # asked for before signing in, by any browser or tool
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = http.get("/sign-in").get_data(as_text=True)
    linked = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert linked and http.get(linked.group(1)).status_code == 200


def test_dates_no_service_takes_give_this_week_or_period_not_an_error(world):
    http = world.signed_in()
    for week in ("9999-12-31", "0001-01-01", "1800-01-01", "kemarin"):
        assert http.get(f"/calendar?week={week}").status_code == 200, week
    for query in ("end=0001-01-05", "start=1800-01-01", "end=9999-12-31", "start=x&end=y"):
        assert http.get(f"/reports?{query}").status_code == 200, query


def test_a_console_action_is_followed_by_one_correlation_id_into_every_service(world, json_log):
    """The console logs each page with the correlation id its API calls carry, so an
    admission made in the browser can be followed into intake's, assessment's and
    notifications' lines; the page's path and the client's name stay out of the log."""
    http = world.signed_in()
    client_id = _register(world, http)
    world.suite.pump()
    json_log.seek(0)
    json_log.truncate()  # from the admission on
    admitted = http.post(
        f"/clients/{client_id}/admission", data={"admission-family_agreement": "y"}
    )
    assert admitted.status_code == 302
    world.suite.pump()
    records = [json.loads(line) for line in json_log.getvalue().splitlines()]
    (page,) = [
        r
        for r in records
        if r.get("service") == "console" and r.get("route") == "/clients/<client_id>/admission"
    ]
    assert page["message"] == "POST /clients/<client_id>/admission 302"
    assert page["correlation_id"] and page["duration_ms"] >= 0
    followed = {
        r.get("service") for r in records if r.get("correlation_id") == page["correlation_id"]
    }
    assert {"console", "intake", "assessment", "notifications"} <= followed, followed
    ours = [r for r in records if r.get("logger") != "werkzeug"]  # the test's HTTP server
    assert client_id not in json.dumps(page)
    assert not [r for r in ours if "Budi" in json.dumps(r)]


def test_the_console_counts_its_pages_for_prometheus_with_the_scrape_token(world, tmp_path):
    token = "console-scrape-token-0123456789"
    app = console_app(
        world.suite.settings,
        world.apis.urls(),
        tmp_path,
        WTF_CSRF_ENABLED=False,
        METRICS_TOKEN=token,
    )
    http = app.test_client()
    assert http.get("/metrics").status_code == 401
    assert http.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    signed_out = http.get("/")  # a page before sign-in: redirected, and counted
    assert signed_out.status_code == 302
    scraped = http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert scraped.status_code == 200
    text = scraped.get_data(as_text=True)
    counted = 'endpoint="/",method="GET",service="console",status="302"} 1.0'
    assert "pendamping_http_requests_total{" + counted in text
    assert 'pendamping_dependency_up{dependency="database",service="console"} 1.0' in text


def test_one_address_trying_many_accounts_is_made_to_wait(world, tmp_path):
    app = console_app(
        world.suite.settings,
        world.apis.urls(),
        tmp_path,
        WTF_CSRF_ENABLED=False,
        CONSOLE_ADDRESS_FAILURES="4",
    )
    http = app.test_client()
    for i in range(4):  # one password against four accounts: none of them is locked
        assert sign_in(http, f"orang{i}@medanplus.example", "Rahasia-123").status_code == 401
    refused = sign_in(http, SW_EMAIL)  # even the right password waits, unchecked
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk" in refused.get_data(as_text=True)
    assert world.account(SW_EMAIL).failed_sign_ins == 0  # the account itself is not locked
    other_address = app.test_client()
    elsewhere = other_address.post(
        "/sign-in",
        data={"email": SW_EMAIL, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert elsewhere.status_code == 302


def test_an_admin_deactivates_unlocks_and_reactivates_a_staff_account(world):
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="admin@medanplus.example", role="admin"
    )
    admin = world.signed_in("admin@medanplus.example")
    worker = world.signed_in()  # the social worker, signed in on another device
    person = world.account(SW_EMAIL)

    def staff_record():
        (record,) = [
            s
            for s in world.suite.client("intake")
            .get("/staff", headers=world.suite.headers("admin", FOUNDATION))
            .get_json()["items"]
            if s["id"] == person.staff_id
        ]
        return record

    # a lock-out ended early by the admin
    for _ in range(5):
        sign_in(world.app.test_client(), SW_EMAIL, "wrong-password-123")
    assert sign_in(world.app.test_client(), SW_EMAIL).status_code == 401
    page = admin.get("/staff").get_data(as_text=True)
    assert "Terkunci" in page and f"/staff/{person.id}/unlock" in page
    assert admin.post(f"/staff/{person.id}/unlock").status_code == 302
    assert sign_in(world.app.test_client(), SW_EMAIL).status_code == 302

    # the person leaves: no sign-in, no session, no reminders
    assert admin.post(f"/staff/{person.id}/deactivate").status_code == 302
    assert worker.get("/").status_code == 302  # the open session ends
    assert sign_in(world.app.test_client(), SW_EMAIL).status_code == 401
    assert staff_record()["active"] is False
    world.suite.pump()
    with world.suite.runtime("notifications").db.transaction() as db:
        known = db.execute(
            text("SELECT active FROM staff WHERE id = :id"), {"id": person.staff_id}
        ).scalar()
    assert known in (False, 0)
    assert "Nonaktif" in admin.get("/staff").get_data(as_text=True)

    # and comes back
    assert admin.post(f"/staff/{person.id}/activate").status_code == 302
    assert staff_record()["active"] is True
    assert sign_in(world.app.test_client(), SW_EMAIL).status_code == 302


def test_only_an_admin_changes_access_and_never_their_own_or_another_foundations(world):
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="admin@medanplus.example", role="admin"
    )
    admin = world.signed_in("admin@medanplus.example")
    me = world.account("admin@medanplus.example")
    assert admin.post(f"/staff/{me.id}/deactivate").status_code == 302
    assert world.account("admin@medanplus.example").active  # not yourself
    person = world.account(SW_EMAIL)
    assert world.signed_in().post(f"/staff/{person.id}/deactivate").status_code == 403
    assert admin.post("/staff/not-an-account/deactivate").status_code == 404
    create_foundation(world.suite, "yakita")
    make_account(world.app, world.suite, foundation="yakita", email="sw@yakita.example")
    foreign = world.account("sw@yakita.example")
    assert admin.post(f"/staff/{foreign.id}/deactivate").status_code == 404
    assert world.account("sw@yakita.example").active


def test_a_post_refused_for_its_csrf_token_is_counted_too(world, tmp_path):
    token = "console-scrape-token-0123456789"
    app = console_app(world.suite.settings, world.apis.urls(), tmp_path, METRICS_TOKEN=token)
    http = app.test_client()  # CSRF on
    assert sign_in(http, SW_EMAIL).status_code == 400
    text = http.get("/metrics", headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True)
    assert 'endpoint="/sign-in",method="POST",service="console",status="400"} 1.0' in text
