"""The report to a compulsory referrer (a court, the police, BNN): attendance counts, the
treatment's status and dates, follow-up outcomes, from assessment's care summary; never a
note, a screening answer or anything of the family, in JSON, HTML or PDF; each download
audited; no report for a client referred otherwise."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.dates import foundation_today
from tests.support.factories import admit, create_foundation, register_client

pytestmark = pytest.mark.integration

NOTE = "Mengaku masih bertemu teman lama di terminal."
FAMILY = ("Siti", "Aminah", "81355729901")
ASSIST = {
    "amphetamines": {
        "q2": "daily_or_almost_daily",
        "q3": "weekly",
        "q4": "monthly",
        "q5": "once_or_twice",
        "q6": "yes_past_3_months",
        "q7": "yes_not_past_3_months",
    }
}
ANSWERS = (
    "daily_or_almost_daily",
    "once_or_twice",
    "yes_past_3_months",
    "yes_not_past_3_months",
)


def headers(suite, role: str = "social_worker") -> dict:
    return suite.headers(role, "medan-plus")


def ok(response, status: int = 200):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def court_client(suite) -> dict:
    """Budi, sent by the court: screened, admitted, placed, three sessions (attended,
    absent, excused), a note, discharged, the first follow-up's outcome recorded."""
    create_foundation(suite)
    budi = register_client(
        suite,
        referral={"source": "court", "compulsory": True, "reference_no": "PN-MDN 123/Pid/2026"},
        family_contacts=[
            {
                "name": "Siti Aminah",
                "relationship": "mother",
                "phone": "0813-5572-9901",
                "channel": "sms",
            }
        ],
    )
    intake, assessment = suite.client("intake"), suite.client("assessment")
    ok(
        intake.post(
            f"/clients/{budi['id']}/screenings",
            json={"instrument": "ASSIST", "answers": ASSIST},
            headers=headers(suite),
        ),
        201,
    )
    admit(suite, budi["id"])
    suite.pump()
    program = ok(
        assessment.post(
            "/programs",
            json={
                "name": "Rawat Inap Medan",
                "kind": "residential",
                "capacity": 5,
                "duration_days": 90,
            },
            headers=headers(suite, "admin"),
        ),
        201,
    ).get_json()
    today = foundation_today()
    ok(
        assessment.post(
            "/placements",
            json={
                "client_id": budi["id"],
                "program_id": program["id"],
                "start_on": today.isoformat(),
            },
            headers=headers(suite),
        ),
        201,
    )
    for hours, status in ((6, "attended"), (4, "absent"), (2, "excused")):
        session = ok(
            assessment.post(
                "/sessions",
                json={
                    "kind": "individual",
                    "client_ids": [budi["id"]],
                    "starts_at": (datetime.now(UTC) - timedelta(hours=hours)).isoformat(),
                    "duration_minutes": 60,
                },
                headers=headers(suite),
            ),
            201,
        ).get_json()
        ok(
            assessment.post(
                f"/sessions/{session['id']}/attendance",
                json={"client_id": budi["id"], "status": status},
                headers=headers(suite),
            )
        )
    ok(
        assessment.post(
            f"/clients/{budi['id']}/notes",
            json={"kind": "behaviour", "text": NOTE, "obstacles": ["closed_attitude"]},
            headers=headers(suite),
        ),
        201,
    )
    followups = ok(
        assessment.post(
            f"/clients/{budi['id']}/discharge",
            json={"reason": "completed", "discharged_on": today.isoformat()},
            headers=headers(suite),
        )
    ).get_json()
    first = min(followups, key=lambda f: f["offset_days"])
    ok(
        assessment.put(
            f"/followups/{first['id']}",
            json={"outcome": "abstinent", "notes": "Bekerja di bengkel pamannya."},
            headers=headers(suite),
        )
    )
    suite.pump()
    return budi


def pdf_text(data: bytes) -> str:
    """The text a PDF draws: its content streams, inflated."""
    assert data.startswith(b"%PDF-")
    shown = []
    # the line end before ``endstream`` is left on: zlib stops at its stream's own end
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        try:
            shown.append(zlib.decompressobj().decompress(stream).decode("latin-1"))
        except zlib.error:
            shown.append(stream.decode("latin-1"))
    return "\n".join(shown)


def test_the_report_counts_and_dates_the_care_and_holds_nothing_private(suite, court_client):
    intake = suite.client("intake")
    url = f"/clients/{court_client['id']}/referrer-report"
    report = ok(intake.get(url, headers=headers(suite, "admin"))).get_json()
    today = foundation_today().isoformat()
    assert report["client"] == {
        "id": court_client["id"],
        "code": court_client["code"],
        "full_name": "Budi Santoso",
    }
    assert report["referral"] == {"source": "court", "reference_no": "PN-MDN 123/Pid/2026"}
    assert report["status"] == "discharged"
    (episode,) = report["episodes"]
    assert (episode["admitted_on"], episode["discharged_on"]) == (today, today)
    assert episode["discharge_reason"] == "completed"
    assert report["attendance"] == {
        "attended": 1,
        "absent": 1,
        "excused": 1,
        "last_attended_on": report["attendance"]["last_attended_on"],
    }
    assert report["attendance"]["last_attended_on"] is not None
    assert report["placement"]["program_name"] == "Rawat Inap Medan"
    assert report["placement"]["start_on"] == today and report["placement"]["end_on"] == today
    assert [(f["offset_days"], f["outcome"]) for f in report["followups"]] == [
        (30, "abstinent"),
        (90, None),
        (180, None),
    ]

    html = ok(intake.get(f"{url}?format=html", headers=headers(suite, "admin")))
    assert html.mimetype == "text/html"
    assert html.headers["Content-Disposition"].startswith("attachment")
    page = html.get_data(as_text=True)
    assert "Laporan untuk perujuk wajib" in page and "PN-MDN 123/Pid/2026" in page
    assert "Rawat Inap Medan" in page and "Bebas zat" in page
    english = ok(intake.get(f"{url}?format=html&lang=en", headers=headers(suite, "admin")))
    assert "Report to the compulsory referrer" in english.get_data(as_text=True)

    pdf = ok(intake.get(f"{url}?format=pdf", headers=headers(suite, "admin")))
    assert pdf.mimetype == "application/pdf"
    drawn = pdf_text(pdf.get_data())
    assert court_client["code"] in drawn and "Rawat Inap Medan" in drawn

    for text in (
        ok(intake.get(url, headers=headers(suite, "admin"))).get_data(as_text=True),
        page,
        drawn,
    ):
        assert NOTE not in text and "teman lama" not in text
        assert "Bekerja di bengkel" not in text  # a follow-up's notes are notes too
        for answer in ANSWERS:
            assert answer not in text, answer
        for family in FAMILY:
            assert family not in text, family

    audit = ok(
        intake.get(
            f"/audit?resource_id={court_client['id']}&per_page=200", headers=headers(suite, "admin")
        )
    ).get_json()
    downloads = [e for e in audit["items"] if e["resource_type"] == "referrer_report"]
    assert len(downloads) == 5 and {e["action"] for e in downloads} == {"report"}
    assert {e["detail"] for e in downloads} == {None}


def test_no_report_for_a_client_referred_otherwise_and_only_for_admins(suite, court_client):
    intake = suite.client("intake")
    other = register_client(suite, full_name="Rina", referral={"source": "family"})
    for client in (other, register_client(suite, full_name="Ayu")):
        answer = intake.get(
            f"/clients/{client['id']}/referrer-report", headers=headers(suite, "admin")
        )
        assert answer.status_code == 404 and answer.get_json()["code"] == "not_compulsory"
    url = f"/clients/{court_client['id']}/referrer-report"
    assert intake.get(url, headers=headers(suite)).status_code == 403
    assert intake.get(f"{url}?format=docx", headers=headers(suite, "admin")).status_code == 422
    assert (
        intake.get("/clients/nope/referrer-report", headers=headers(suite, "admin")).status_code
        == 404
    )


def test_a_compulsory_client_without_care_yet_has_an_empty_report(suite):
    create_foundation(suite)
    budi = register_client(suite, referral={"source": "bnn", "compulsory": True})
    report = suite.client("intake").get(
        f"/clients/{budi['id']}/referrer-report", headers=headers(suite, "admin")
    )
    body = ok(report).get_json()
    assert body["attendance"]["attended"] == 0 and body["followups"] == []
    assert body["placement"] is None and body["as_of"] is None and body["episodes"] == []
    pdf = suite.client("intake").get(
        f"/clients/{budi['id']}/referrer-report?format=pdf&lang=en", headers=headers(suite, "admin")
    )
    drawn = pdf_text(ok(pdf).get_data())
    assert "Report to the compulsory referrer" in drawn
    # what the report does not have yet is a dash, as on the page, not a "?"
    assert "?" not in drawn
