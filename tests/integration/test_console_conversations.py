"""The family conversation in the console, against the real APIs over HTTP and a local
messaging provider: a family's reply (the provider's signed webhook) in its contact's thread,
marked new until the case worker has seen it; an answer from the thread, and each refusal by
its code with what was typed kept; the caseload's unread replies and the week's RSVPs."""

from __future__ import annotations

import html as markup
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.console import ServedApis, console_app, field_errors, make_account, sign_in
from tests.support.factories import admit, create_foundation, register_client
from tests.support.provider import ProviderServer, sign

pytestmark = pytest.mark.integration
FOUNDATION = "medan-plus"
SECRET = "whsec-wa-medan-plus-123"
PHONE = "+6281234567890"  # the contact's 0812-3456-7890, as the provider writes it
# every family template WhatsApp sends as a pre-approved one (a staff answer is free text)
TEMPLATE_IDS = {
    key: key.replace(".", "_")
    for key in (
        "family.welcome",
        "family.session_invitation",
        "family.session_reminder",
        "family.session_changed",
        "family.session_cancelled",
        "family.progress_update",
        "family.followup",
        "family.reply_thanks",
    )
}
ANSWER = "Boleh, Bu. Sampai jumpa hari Kamis."


@pytest.fixture
def backend() -> str:
    """The console is a client of the APIs: their database does not change what it does."""
    return "sqlite"


class World:
    """A foundation on WhatsApp; Rahmat (case worker), Dewi (a colleague, in English), Tono
    (viewer) signed in to the console."""

    def __init__(self, suite, app, provider):
        self.suite, self.app, self.provider = suite, app, provider
        self.rahmat = make_account(
            app, suite, foundation=FOUNDATION, email="rahmat@medanplus.example", name="Rahmat"
        )
        make_account(app, suite, foundation=FOUNDATION, email="dewi@medanplus.example", locale="en")
        make_account(
            app, suite, foundation=FOUNDATION, email="tono@medanplus.example", role="viewer"
        )
        self.case_worker = self.signed_in("rahmat@medanplus.example")
        self.colleague = self.signed_in("dewi@medanplus.example")
        self.viewer = self.signed_in("tono@medanplus.example")

    def signed_in(self, email: str):
        http = self.app.test_client()
        assert sign_in(http, email).status_code == 302
        return http

    def family(self, name: str = "Budi Santoso", phone: str = "0812-3456-7890") -> dict:
        """An admitted client of Rahmat whose mother Siti is reached over WhatsApp."""
        client = register_client(
            self.suite,
            FOUNDATION,
            full_name=name,
            case_worker_id=self.rahmat["id"],
            family_contacts=[
                {"name": "Siti", "relationship": "ibu", "phone": phone, "channel": "whatsapp"}
            ],
        )
        admit(self.suite, client["id"], FOUNDATION)
        self.suite.pump()
        return {"client_id": client["id"], "contact_id": client["family_contacts"][0]["id"]}

    def reply(self, words: str, sender: str = PHONE) -> None:
        """The family writes back: the provider's signed webhook."""
        body = json.dumps({"foundation": FOUNDATION, "from": sender, "text": words}).encode()
        response = self.suite.client("notifications").post(
            "/inbound/whatsapp",
            data=body,
            content_type="application/json",
            headers={"X-Provider-Signature": sign(SECRET, body)},
        )
        assert response.status_code == 200, response.get_json()
        self.suite.pump()

    def unread(self, client_id: str) -> list[dict]:
        response = self.suite.client("notifications").get(
            "/replies",
            query_string={"client_id": client_id, "unread": "true"},
            headers=self.suite.headers("viewer", FOUNDATION),
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]


@pytest.fixture
def world(suite, tmp_path):
    provider = ProviderServer().start()
    create_foundation(suite, FOUNDATION)
    configured = suite.client("notifications").put(
        "/channels/whatsapp",
        json={
            "base_url": provider.url,
            "api_key": "key-one",
            "sender_id": "MEDANPLUS",
            "webhook_secret": SECRET,
            "template_ids": TEMPLATE_IDS,
        },
        headers=suite.headers("admin", FOUNDATION),
    )
    assert configured.status_code == 200, configured.get_json()
    apis = ServedApis.start(suite)
    app = console_app(suite.settings, apis.urls(), tmp_path, WTF_CSRF_ENABLED=False)
    yield World(suite, app, provider)
    apis.stop_all()
    provider.stop()


def page(http, path: str, status: int = 200) -> str:
    answer = http.get(path)
    assert answer.status_code == status
    return answer.get_data(as_text=True)


def thread(html: str, contact_id: str) -> str:
    found = re.search(rf'<article class="thread" id="thread-{contact_id}".*?</article>', html, re.S)
    assert found, "no thread for the contact on the page"
    return found.group(0)


def items(thread_html: str) -> list[tuple[str, str, list[str]]]:
    """Each item of a thread: its kind, its text, its badges."""
    found = []
    for kind, body in re.findall(
        r'<li class="thread-item (sent|received)[^"]*"[^>]*>(.*?)</li>', thread_html, re.S
    ):
        text = re.search(r'<p class="thread-text">(.*?)</p>', body, re.S)
        badges = re.findall(r'<span class="badge [^"]*">([^<]*)</span>', body)
        found.append((kind, markup.unescape(text.group(1)) if text else "", badges))
    return found


def notices(html: str) -> str:
    found = re.findall(
        r'<div class="notice (?:ok|error)" role="(?:status|alert)">(.*?)</div>', html, re.S
    )
    return " ".join(markup.unescape(re.sub(r"<[^>]+>", " ", n)) for n in found)


def textarea(thread_html: str) -> tuple[str, str]:
    """The answer box: its attributes and what is in it."""
    found = re.search(r"<textarea([^>]*)>(.*?)</textarea>", thread_html, re.S)
    assert found, "no answer box"
    return found.group(1), markup.unescape(found.group(2)).strip()


# --- a family's reply in the thread ---------------------------------------------------------


def test_a_reply_is_new_until_the_case_worker_has_seen_it(world):
    family = world.family()
    world.reply("Apakah saya boleh membawa adiknya?")
    client_page = f"/clients/{family['client_id']}"

    # a colleague sees it new, in English, and leaves it new for the case worker
    seen = thread(page(world.colleague, client_page), family["contact_id"])
    welcome, question = items(seen)
    assert welcome[0] == "sent" and "Siti" in welcome[1] and "Sent" in welcome[2]
    assert question == ("received", "Apakah saya boleh membawa adiknya?", ["new"])
    assert re.search(r"WhatsApp window open until (tomorrow )?\d\d:\d\d", seen)
    assert "Mark as read" in seen
    assert len(world.unread(family["client_id"])) == 1

    # the case worker's caseload counts it; opening the page marks it read
    caseload = page(world.case_worker, "/")
    assert 'class="badge new unread-replies"' in caseload and "Balasan keluarga baru: 1" in caseload
    first = thread(page(world.case_worker, client_page), family["contact_id"])
    assert items(first)[-1] == ("received", "Apakah saya boleh membawa adiknya?", ["baru"])
    assert re.search(r"Jendela WhatsApp terbuka sampai (besok )?\d\d\.\d\d", first)
    assert "ditandai sudah dibaca" in first and "Tandai sudah dibaca" not in first
    assert world.unread(family["client_id"]) == []
    again = thread(page(world.case_worker, client_page), family["contact_id"])
    assert items(again)[-1] == ("received", "Apakah saya boleh membawa adiknya?", [])
    assert "Balasan keluarga baru" not in page(world.case_worker, "/")


def test_a_replys_meaning_is_labelled_and_a_colleague_may_mark_it_read(world):
    family = world.family()
    world.reply("BERHENTI")
    world.reply("MULAI")
    client_page = f"/clients/{family['client_id']}"
    shown = items(thread(page(world.colleague, client_page), family["contact_id"]))
    assert [i for i in shown if i[0] == "received"] == [
        ("received", "BERHENTI", ["Stop", "new"]),
        ("received", "MULAI", ["Start again", "new"]),
    ]

    marked = world.colleague.post(
        f"/clients/{family['client_id']}/family-contacts/{family['contact_id']}/read"
    )
    assert marked.status_code == 302
    assert marked.headers["Location"].endswith(f"#thread-{family['contact_id']}")
    after = page(world.colleague, client_page)
    assert "Siti's replies are marked as read." in notices(after)
    assert world.unread(family["client_id"]) == []
    assert "Mark as read" not in thread(after, family["contact_id"])


def test_a_viewer_reads_the_thread_but_neither_answers_nor_marks_it_read(world):
    family = world.family()
    world.reply("Terima kasih")
    client_page = f"/clients/{family['client_id']}"
    seen = thread(page(world.viewer, client_page), family["contact_id"])
    assert items(seen)[-1] == ("received", "Terima kasih", ["baru"])
    assert "<textarea" not in seen and "Tandai sudah dibaca" not in seen
    contact = f"/clients/{family['client_id']}/family-contacts/{family['contact_id']}"
    assert world.viewer.post(f"{contact}/messages", data={"answer-x-text": "x"}).status_code == 403
    assert world.viewer.post(f"{contact}/read").status_code == 403
    assert len(world.unread(family["client_id"])) == 1


# --- answering the family ---------------------------------------------------------------------


def test_an_answer_from_the_thread_goes_to_the_family_and_shows_in_it(world):
    family = world.family()
    world.reply("Apakah saya boleh membawa adiknya?")
    key = f"answer-{family['contact_id']}"
    sent = world.colleague.post(
        f"/clients/{family['client_id']}/family-contacts/{family['contact_id']}/messages",
        data={f"{key}-text": f"  {ANSWER}\n"},
    )
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"#thread-{family['contact_id']}")
    world.suite.pump()
    html = page(world.colleague, f"/clients/{family['client_id']}")
    assert "Message to Siti sent." in notices(html)
    last = items(thread(html, family["contact_id"]))[-1]
    assert last[0] == "sent" and last[1].startswith(ANSWER) and "Sent" in last[2]
    delivered = [
        d.json for d in world.provider.deliveries if d.json.get("body", "").startswith(ANSWER)
    ]
    assert len(delivered) == 1 and delivered[0]["to"] == PHONE
    assert world.unread(family["client_id"]) == []  # whoever answered has read them


def test_the_same_answer_sent_twice_reaches_the_family_once(world):
    """A double click posts the box twice with its one request key: one message goes."""
    family = world.family()
    world.reply("Apakah saya boleh membawa adiknya?")
    key = f"answer-{family['contact_id']}"
    html = page(world.colleague, f"/clients/{family['client_id']}")
    (request_key,) = re.findall(rf'name="{key}-request_key"[^>]*value="([0-9a-f]+)"', html)
    path = f"/clients/{family['client_id']}/family-contacts/{family['contact_id']}/messages"
    for _ in range(2):
        sent = world.colleague.post(
            path, data={f"{key}-text": ANSWER, f"{key}-request_key": request_key}
        )
        assert sent.status_code == 302
    world.suite.pump()
    delivered = [d for d in world.provider.deliveries if d.json.get("body", "").startswith(ANSWER)]
    assert len(delivered) == 1
    # the next page has a new box, with a new key: the next answer is a new message
    html = page(world.colleague, f"/clients/{family['client_id']}")
    assert request_key not in html


def withdraw_consent(world, family):
    response = world.suite.client("intake").put(
        f"/clients/{family['client_id']}/consent",
        json={"contact_family": False, "share_progress": False, "given_by": "client"},
        headers=world.suite.headers(foundation=FOUNDATION),
    )
    assert response.status_code == 200, response.get_json()
    world.suite.pump()


@pytest.mark.parametrize(
    ("before", "refusal"),
    [
        # never replied: the window never opened
        (None, "WhatsApp hanya mengizinkan pesan bebas dalam 24 jam sejak balasan terakhir"),
        (lambda world, family: world.reply("BERHENTI"), "meminta tidak dikirimi pesan lagi"),
        (
            lambda world, family: (world.reply("Halo"), withdraw_consent(world, family)),
            "Persetujuan klien tidak mengizinkan pesan kepada kontak ini.",
        ),
    ],
    ids=["whatsapp_window_closed", "opted_out", "no_consent"],
)
def test_a_refused_answer_says_why_and_keeps_what_was_typed(world, before, refusal):
    family = world.family()
    if before is not None:
        before(world, family)
    key = f"answer-{family['contact_id']}"
    refused = world.case_worker.post(
        f"/clients/{family['client_id']}/family-contacts/{family['contact_id']}/messages",
        data={f"{key}-text": ANSWER},
    )
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    shown = thread(html, family["contact_id"])
    assert refusal in notices(shown)
    assert textarea(shown)[1] == ANSWER
    assert not [d for d in world.provider.deliveries if ANSWER in d.body.decode()]


def test_with_the_window_closed_the_box_is_disabled_and_says_so(world):
    family = world.family()
    shown = thread(page(world.case_worker, f"/clients/{family['client_id']}"), family["contact_id"])
    assert "Jendela WhatsApp tertutup: hanya templat yang disetujui yang dapat dikirim." in shown
    attributes, typed = textarea(shown)
    assert " disabled" in attributes and typed == ""
    assert re.search(r'<button type="submit" class="primary" disabled>', shown)


def test_the_box_is_disabled_and_says_why_for_a_family_the_client_did_not_let_us_write_to(world):
    family = world.family()
    world.reply("Halo")  # the WhatsApp window is open: only consent closes the box
    client_page = f"/clients/{family['client_id']}"
    attributes, _ = textarea(thread(page(world.case_worker, client_page), family["contact_id"]))
    assert " disabled" not in attributes
    withdraw_consent(world, family)
    shown = thread(page(world.case_worker, client_page), family["contact_id"])
    assert "Klien tidak menyetujui pesan kepada keluarganya" in shown
    assert "Jendela WhatsApp terbuka" not in shown
    attributes, typed = textarea(shown)
    assert " disabled" in attributes and typed == ""
    assert re.search(r'<button type="submit" class="primary" disabled>', shown)

    never = register_client(
        world.suite,
        FOUNDATION,
        full_name="Andi Wijaya",
        case_worker_id=world.rahmat["id"],
        family_contacts=[
            {
                "name": "Joko",
                "relationship": "ayah",
                "phone": "0812-5555-1234",
                "channel": "sms",
                "may_contact": False,
            }
        ],
    )
    world.suite.pump()
    html = page(world.colleague, f"/clients/{never['id']}")  # in English
    shown = thread(html, never["family_contacts"][0]["id"])
    assert "This contact is marked never to be contacted: no answer can be sent." in shown
    assert " disabled" in textarea(shown)[0]


def test_a_blank_answer_is_refused_beside_the_box(world):
    family = world.family()
    world.reply("Halo")
    key = f"answer-{family['contact_id']}"
    refused = world.case_worker.post(
        f"/clients/{family['client_id']}/family-contacts/{family['contact_id']}/messages",
        data={f"{key}-text": "   "},
    )
    assert refused.status_code == 422
    assert field_errors(refused.get_data(as_text=True))[f"{key}-text"] == "Wajib diisi."


# --- the caseload -------------------------------------------------------------------------------


def test_the_caseload_counts_unread_replies_and_lists_the_weeks_rsvps(world):
    budi = world.family("Budi Santoso")
    rina = world.family("Rina Marlina", phone="0813-1111-2222")
    starts_at = datetime.now(UTC) + timedelta(days=2)
    for family in (budi, rina):
        made = world.suite.client("assessment").post(
            "/sessions",
            json={
                "kind": "family",
                "client_ids": [family["client_id"]],
                "starts_at": starts_at.isoformat(),
                "duration_minutes": 60,
                "location": "Ruang keluarga",
            },
            headers=world.suite.headers(foundation=FOUNDATION),
        )
        assert made.status_code == 201, made.get_json()
    world.suite.pump()  # the invitations go
    world.reply("YA")  # Budi's mother is coming
    world.reply("Maaf, siapa ini?", sender="+6281311112222")
    world.reply("Saya ibunya Rina", sender="+6281311112222")

    html = page(world.case_worker, "/")
    rows = dict(
        re.findall(
            r'<a href="/clients/([\w-]+)">[^<]*</a>.*?data-count="(\d+)"',
            html.split("rsvps")[0],
            re.S,
        )
    )
    assert rows == {budi["client_id"]: "1", rina["client_id"]: "2"}
    rsvps = re.search(r'<section class="card" id="rsvps">.*?</section>', html, re.S).group(0)
    assert "RSVP minggu ini" in rsvps
    entry = r'<li class="rsvp" [^>]*data-client="([\w-]+)">.*?<ul class="answers">(.*?)</ul>'
    answers = {
        client: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer)).strip()
        for client, answer in re.findall(entry, rsvps, re.S)
    }
    assert answers == {
        budi["client_id"]: "Siti: Hadir",
        rina["client_id"]: "Siti: belum ada jawaban",
    }
