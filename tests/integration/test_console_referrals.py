"""Referral and partners in the console, against the real APIs over HTTP: an admin keeps the
partners; a social worker refers a client from the client page, answering the consent
question, and records the partner's answers; an admin may refer without consent only with a
reason; another foundation's admin sees the referral without identity and accepts it,
which opens the client registered there; the report for a compulsory referrer downloads as
a PDF for admins only. In both languages."""

from __future__ import annotations

import re

import pytest

from tests.support.console import ServedApis, console_app, field_errors, make_account, sign_in
from tests.support.factories import create_foundation, register_client

pytestmark = pytest.mark.integration
A, B = "medan-plus", "yakita-bali"
ADMIN = "admin@medanplus.example"
WORKER = "rahmat@medanplus.example"
B_ADMIN = "admin@yakita.example"
B_WORKER = "wayan@yakita.example"


@pytest.fixture
def backend() -> str:
    """The console is a client of the APIs: their database does not change what it does."""
    return "sqlite"


@pytest.fixture
def world(suite, tmp_path):
    create_foundation(suite, A)
    create_foundation(suite, B)
    apis = ServedApis.start(suite)
    app = console_app(suite.settings, apis.urls(), tmp_path, WTF_CSRF_ENABLED=False)
    make_account(app, suite, foundation=A, email=ADMIN, role="admin", locale="en")
    make_account(app, suite, foundation=A, email=WORKER)
    make_account(app, suite, foundation=B, email=B_ADMIN, role="admin")
    make_account(app, suite, foundation=B, email=B_WORKER)
    yield suite, app
    apis.stop_all()


def signed_in(app, email: str):
    http = app.test_client()
    assert sign_in(http, email).status_code == 302
    return http


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def partner_ids(html: str) -> list[str]:
    return re.findall(r'<li class="partner[^"]*" id="partner-([\w-]+)"', html)


def add_partner(http, **data) -> str:
    before = set(partner_ids(http.get("/partners").get_data(as_text=True)))
    answer = http.post("/partners", data={"new-kind": "vocational", **data})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    (made,) = set(partner_ids(http.get("/partners").get_data(as_text=True))) - before
    return made


def test_an_admin_keeps_the_partners_and_nobody_else_may(world):
    suite, app = world
    admin = signed_in(app, ADMIN)
    page = admin.get("/partners")
    assert page.status_code == 200 and "Referral partners" in page.get_data(as_text=True)
    made = add_partner(
        admin,
        **{
            "new-name": "Bengkel Motor Sejahtera",
            "new-email": "bengkel@example.org",
            "new-phone": "061-4567890",
        },
    )
    shown = words(admin.get("/partners").get_data(as_text=True))
    assert "Bengkel Motor Sejahtera" in shown and "+62614567890" in shown and "Vocational" in shown

    refused = admin.post(
        "/partners",
        data={"new-name": "Yayasan X", "new-kind": "foundation", "new-foundation_slug": "nowhere"},
    )
    assert refused.status_code == 422
    errors = field_errors(refused.get_data(as_text=True))
    assert "No foundation of this system has this slug." in errors["new-foundation_slug"]

    prefix = f"p{made[:8]}"
    edited = admin.post(
        f"/partners/{made}",
        data={f"{prefix}-name": "Bengkel Jaya", f"{prefix}-kind": "vocational"},  # active unticked
    )
    assert edited.status_code == 302
    page = admin.get("/partners").get_data(as_text=True)
    assert "Bengkel Jaya" in page and 'class="partner inactive"' in page

    worker = signed_in(app, WORKER)
    assert worker.get("/partners").status_code == 403
    assert worker.post("/partners", data={"new-name": "X", "new-kind": "other"}).status_code == 403
    assert "/partners" not in worker.get("/").get_data(as_text=True)


def test_a_social_worker_refers_a_client_answering_the_consent_question(world):
    suite, app = world
    admin = signed_in(app, ADMIN)
    partner = add_partner(admin, **{"new-name": "Bengkel Motor Sejahtera"})
    budi = register_client(suite, A)
    worker = signed_in(app, WORKER)
    page = worker.get(f"/clients/{budi['id']}").get_data(as_text=True)
    assert "Rujuk ke mitra" in page and "Bengkel Motor Sejahtera" in page
    assert "Belum ada rujukan." in page
    url = f"/clients/{budi['id']}/referrals"
    form = {
        "referral-partner_id": partner,
        "referral-reason": "Pelatihan montir setelah program",
        "referral-share": ["identity", "plan"],
    }

    # the consent question must be answered; "no" is refused for a social worker
    unanswered = worker.post(url, data=form)
    assert unanswered.status_code == 422
    assert "referral-consent" in field_errors(unanswered.get_data(as_text=True))
    without = worker.post(url, data={**form, "referral-consent": "no"})
    assert without.status_code == 422
    assert "hanya admin yang dapat merujuk" in without.get_data(as_text=True)
    assert "Pelatihan montir setelah program" in without.get_data(as_text=True)  # kept

    sent = worker.post(url, data={**form, "referral-consent": "yes"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("#referrals")
    page = worker.get(f"/clients/{budi['id']}").get_data(as_text=True)
    assert "Rujukan ke Bengkel Motor Sejahtera dikirim." in page
    (referral_id,) = re.findall(r'<li class="referral" id="referral-([\w-]+)"', page)
    card = words(page.split('id="referrals"')[1].split("</section>")[0])
    assert "Menunggu jawaban" in card and "Identitas, Rencana pendampingan" in card

    # the partner said yes, then the referral is done
    for status, shown in (("accepted", "Diterima"), ("done", "Selesai")):
        moved = worker.post(
            f"/clients/{budi['id']}/referrals/{referral_id}",
            data={
                f"answer-{referral_id}-status": status,
                f"answer-{referral_id}-note": "Ditelepon",
            },
        )
        assert moved.status_code == 302, moved.get_data(as_text=True)[:1000]
        assert f"Status rujukan kini: {shown}." in worker.get(f"/clients/{budi['id']}").get_data(
            as_text=True
        )
    # a done referral offers no more answers; asking anyway is intake's refusal
    late = worker.post(
        f"/clients/{budi['id']}/referrals/{referral_id}",
        data={f"answer-{referral_id}-status": "revoked"},
    )
    assert late.status_code == 409
    assert "tidak dapat menjadi Dibatalkan" in late.get_data(as_text=True)


def test_an_admin_refers_without_consent_only_with_a_reason(world):
    suite, app = world
    admin = signed_in(app, ADMIN)
    partner = add_partner(admin, **{"new-name": "LBH Medan", "new-kind": "legal_aid"})
    budi = register_client(suite, A)
    url = f"/clients/{budi['id']}/referrals"
    form = {"referral-partner_id": partner, "referral-reason": "Pendampingan sidang"}
    refused = admin.post(url, data={**form, "referral-consent": "no"})
    assert refused.status_code == 422
    assert "only an admin refers, giving a reason" in refused.get_data(as_text=True)
    sent = admin.post(
        url,
        data={**form, "referral-consent": "no", "referral-override_reason": "Sidang besok pagi"},
    )
    assert sent.status_code == 302
    card = words(admin.get(f"/clients/{budi['id']}").get_data(as_text=True))
    assert "without consent" in card and "Sidang besok pagi" in card


def test_another_foundation_accepts_without_seeing_who_until_then(world):
    suite, app = world
    admin = signed_in(app, ADMIN)
    yakita = add_partner(
        admin, **{"new-name": "Yayasan Yakita", "new-kind": "foundation", "new-foundation_slug": B}
    )
    budi = register_client(
        suite,
        A,
        nik="3271046504930002",
        phone="0812-7391-4628",
        date_of_birth="1993-04-25",
        sex="male",
    )
    worker = signed_in(app, WORKER)
    sent = worker.post(
        f"/clients/{budi['id']}/referrals",
        data={
            "referral-partner_id": yakita,
            "referral-reason": "Pindah ke Bali",
            "referral-share": ["identity", "screening"],
            "referral-consent": "yes",
        },
    )
    assert sent.status_code == 302
    card = words(worker.get(f"/clients/{budi['id']}").get_data(as_text=True))
    assert "Menunggu jawaban" in card and "Mitra menerima" not in card  # B answers itself

    b_worker = signed_in(app, B_WORKER)
    assert b_worker.get("/referrals/incoming").status_code == 403
    b_admin = signed_in(app, B_ADMIN)
    incoming = b_admin.get("/referrals/incoming").get_data(as_text=True)
    assert "Pindah ke Bali" in incoming and "Yayasan medan-plus" in incoming
    assert "Laki-laki" in incoming and "Identitas, Skrining" in incoming
    for secret in (
        "Budi",
        "Santoso",
        "3271046504930002",
        "0002",
        "1993",
        "81273914628",
        budi["code"],
    ):
        assert secret not in incoming, secret
    (referral_id,) = re.findall(r'id="incoming-([\w-]+)"', incoming)

    accepted = b_admin.post(
        f"/referrals/{referral_id}/answer", data={f"answer-{referral_id}-status": "accepted"}
    )
    assert accepted.status_code == 302
    client_page = b_admin.get(accepted.headers["Location"]).get_data(as_text=True)
    assert "Budi Santoso" in client_page and "terdaftar di yayasan Anda" in client_page
    assert "pindahan dari yayasan medan-plus" in client_page
    listed = b_admin.get("/referrals/incoming").get_data(as_text=True)
    assert "Buka klien" in listed
    card = words(worker.get(f"/clients/{budi['id']}").get_data(as_text=True))
    assert "dipindahkan ke yayasan yakita-bali" in card


def test_the_referrer_report_downloads_for_a_compulsory_client_for_admins(world):
    suite, app = world
    court = register_client(suite, A, referral={"source": "court", "compulsory": True})
    family = register_client(suite, A, full_name="Rina", referral={"source": "family"})
    admin = signed_in(app, ADMIN)
    page = admin.get(f"/clients/{court['id']}").get_data(as_text=True)
    assert "Report for the compulsory referrer" in page
    pdf = admin.get(f"/clients/{court['id']}/referrer-report?format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert (
        pdf.get_data().startswith(b"%PDF-") and "attachment" in pdf.headers["Content-Disposition"]
    )
    assert pdf.headers["Cache-Control"] == "no-store"
    printable = admin.get(f"/clients/{court['id']}/referrer-report?format=html")
    assert "Laporan untuk perujuk wajib" in printable.get_data(as_text=True)
    assert "compulsory referrer" not in admin.get(f"/clients/{family['id']}").get_data(as_text=True)
    assert admin.get(f"/clients/{family['id']}/referrer-report").status_code == 404
    worker = signed_in(app, WORKER)
    assert "referrer-report" not in worker.get(f"/clients/{court['id']}").get_data(as_text=True)
    assert worker.get(f"/clients/{court['id']}/referrer-report").status_code == 403
