"""A social worker's daily work in the console, against the real APIs over HTTP: completing
the assessment, placement, discharge and follow-ups, DAST-10, consent and family contacts,
attendance and cancelling a session. Each action once as it should go, once refused."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

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


class World:
    def __init__(self, suite, apis, app, staff):
        self.suite, self.apis, self.app, self.staff = suite, apis, app, staff
        self.http = app.test_client()
        assert sign_in(self.http, SW_EMAIL).status_code == 302

    def client(self, admitted_days_ago: int | None = 0, **overrides) -> str:
        """A client of the signed-in social worker, admitted ``admitted_days_ago`` days ago
        (``None``: registered only), known to every service."""
        client = register_client(
            self.suite, FOUNDATION, case_worker_id=self.staff["id"], **overrides
        )
        self.suite.pump()
        if admitted_days_ago is not None:
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

    def page(self, client_id: str) -> str:
        answer = self.http.get(f"/clients/{client_id}")
        assert answer.status_code == 200
        return answer.get_data(as_text=True)

    def api(self, service: str, path: str, role: str = "social_worker", **params):
        answer = self.suite.client(service).get(
            path, query_string=params, headers=self.suite.headers(role, FOUNDATION)
        )
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    def programme(self, name: str, capacity: int) -> dict:
        made = self.suite.client("assessment").post(
            "/programs",
            json={"name": name, "kind": "residential", "capacity": capacity, "duration_days": 90},
            headers=self.suite.headers("admin", FOUNDATION),
        )
        assert made.status_code == 201, made.get_json()
        return made.get_json()


@pytest.fixture
def world(suite, tmp_path):
    create_foundation(suite, FOUNDATION)
    apis = ServedApis.start(suite)
    app = console_app(suite.settings, apis.urls(), tmp_path, WTF_CSRF_ENABLED=False)
    staff = make_account(app, suite, foundation=FOUNDATION, email=SW_EMAIL, name="Rahmat")
    yield World(suite, apis, app, staff)
    apis.stop_all()


def today() -> date:
    return utcnow().astimezone(JAKARTA).date()


def notice(html: str) -> str:
    found = re.findall(
        r'<div class="notice (?:ok|error)" role="(?:status|alert)">(.*?)</div>', html, re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", n) for n in found)


RATINGS = {
    "assessment-withdrawal": "1",
    "assessment-biomedical": "0",
    "assessment-emotional_behavioral": "3",
    "assessment-readiness_to_change": "2",
    "assessment-relapse_potential": "2",
    "assessment-recovery_environment": "1",
}


# --- assessment ------------------------------------------------------------------------------


def test_completing_the_assessment_shows_the_level_the_api_recommends(world):
    client_id = world.client()
    page = world.page(client_id)
    assert 'id="assessment_form"' in page and "Enam dimensi ASAM" in page
    (assessment,) = world.api("assessment", "/assessments", client_id=client_id)["items"]
    url = f"/clients/{client_id}/assessments/{assessment['id']}"

    # one dimension unrated, another level without a reason: refused, what was typed kept
    refused = world.http.post(
        url,
        data={
            **RATINGS,
            "assessment-withdrawal": "",
            "assessment-strengths": "Keluarga mendukung\nMau bekerja lagi",
            "assessment-level_override": "outpatient",
        },
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    errors = field_errors(html)
    assert errors["assessment-withdrawal"] == "Wajib diisi."
    assert errors["assessment-override_reason"] == "Tuliskan alasan memakai tingkat layanan lain."
    assert "Keluarga mendukung\nMau bekerja lagi" in html
    assert re.search(r'<option selected value="3">3 – berat</option>', html)
    assert world.api("assessment", f"/assessments/{assessment['id']}")["status"] == "due"

    done = world.http.post(
        url,
        data={
            **RATINGS,
            "assessment-strengths": "Keluarga mendukung\n\nMau bekerja lagi",
            "assessment-limitations": "Teman sebaya masih memakai",
            "assessment-notes": "Datang bersama ibu.",
        },
        follow_redirects=True,
    )
    assert done.status_code == 200
    html = done.get_data(as_text=True)
    # emotional 3: residential, as the API worked it out
    assert "Tingkat layanan yang disarankan: Rawat inap (residensial)." in notice(html)
    assert 'id="recommended-level">Rawat inap (residensial)<' in html
    assert 'id="assessment_form"' not in html  # completed: nothing left to fill in
    saved = world.api("assessment", f"/assessments/{assessment['id']}")
    assert saved["recommended_level"] == "residential"
    assert saved["findings"]["strengths"] == ["Keluarga mendukung", "Mau bekerja lagi"]
    assert saved["findings"]["dimensions"]["emotional_behavioral"] == 3


def test_a_level_chosen_instead_is_named_with_its_reason(world):
    client_id = world.client()
    (assessment,) = world.api("assessment", "/assessments", client_id=client_id)["items"]
    done = world.http.post(
        f"/clients/{client_id}/assessments/{assessment['id']}",
        data={
            **RATINGS,
            "assessment-level_override": "intensive_outpatient",
            "assessment-override_reason": "Harus tetap bekerja; keluarga mengawasi.",
        },
        follow_redirects=True,
    )
    text = notice(done.get_data(as_text=True))
    assert "Disarankan: Rawat inap (residensial); dipakai: Rawat jalan intensif." in text


def test_a_reassessment_is_asked_for_once_and_the_first_stays_as_history(world):
    client_id = world.client()
    (first,) = world.api("assessment", "/assessments", client_id=client_id)["items"]
    page = world.page(client_id)
    assert 'id="reassessment"' not in page  # nothing to reassess while one is due
    done = world.http.post(
        f"/clients/{client_id}/assessments/{first['id']}", data=RATINGS, follow_redirects=True
    )
    assert 'id="reassessment"' in done.get_data(as_text=True)
    world.suite.pump()
    reminders_before = _assessment_reminders(world, client_id)

    asked = world.http.post(f"/clients/{client_id}/reassessment", follow_redirects=True)
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "Asesmen ulang dijadwalkan, jatuh tempo" in notice(html)
    assert 'id="assessment_form"' in html  # the new one is to be filled in
    assert "Asesmen sebelumnya (1)" in html and "Rawat inap (residensial)" in html
    latest, earlier = world.api("assessment", "/assessments", client_id=client_id)["items"]
    assert (latest["status"], latest["sequence_no"]) == ("due", 2)
    assert (earlier["id"], earlier["status"]) == (first["id"], "completed")
    world.suite.pump()
    assert _assessment_reminders(world, client_id) > reminders_before  # the case worker's

    again = world.http.post(f"/clients/{client_id}/reassessment")
    assert again.status_code == 409
    assert "Sudah ada asesmen yang jatuh tempo" in notice(again.get_data(as_text=True))
    assert len(world.api("assessment", "/assessments", client_id=client_id)["items"]) == 2


def _assessment_reminders(world, client_id: str) -> int:
    messages = world.api("notifications", "/messages", client_id=client_id)["items"]
    return sum(m["template"] == "staff.assessment_due" for m in messages)


# --- placement -------------------------------------------------------------------------------


def test_placement_shows_free_places_and_a_full_programme_clearly(world):
    programme = world.programme("Rumah Damai", capacity=1)
    first, second = world.client(), world.client(full_name="Andi Wijaya")
    page = world.page(first)
    assert "Rumah Damai – 1 dari 1 tempat tersedia" in page

    nothing = world.http.post(f"/clients/{first}/placement", data={"placement-program_id": ""})
    assert nothing.status_code == 422
    assert field_errors(nothing.get_data(as_text=True))["placement-program_id"] == "Wajib diisi."

    start = today().isoformat()
    placed = world.http.post(
        f"/clients/{first}/placement",
        data={"placement-program_id": programme["id"], "placement-start_on": start},
        follow_redirects=True,
    )
    html = placed.get_data(as_text=True)
    assert "Klien ditempatkan di Rumah Damai" in notice(html)
    assert 'id="placement">Rumah Damai' in html

    full = world.http.post(
        f"/clients/{second}/placement",
        data={"placement-program_id": programme["id"], "placement-start_on": start},
    )
    assert full.status_code == 409
    html = full.get_data(as_text=True)
    assert "Program ini sudah penuh" in notice(html)
    assert "Rumah Damai – penuh (0 dari 1 tempat tersedia)" in html
    assert f'<option selected value="{programme["id"]}">' in html  # the choice is kept
    assert world.api("assessment", f"/clients/{second}")["placement"] is None


# --- discharge and follow-ups ----------------------------------------------------------------


def test_discharge_then_follow_ups_on_the_caseload_and_their_outcomes(world):
    client_id = world.client(admitted_days_ago=60)
    future = world.http.post(
        f"/clients/{client_id}/discharge",
        data={
            "discharge-reason": "completed",
            "discharge-discharged_on": (today() + timedelta(days=2)).isoformat(),
        },
    )
    assert future.status_code == 422  # the API refuses it: shown next to the date
    errors = field_errors(future.get_data(as_text=True))
    assert errors["discharge-discharged_on"] == "Tidak boleh tanggal yang akan datang."

    discharged_on = today() - timedelta(days=35)
    done = world.http.post(
        f"/clients/{client_id}/discharge",
        data={
            "discharge-reason": "completed",
            "discharge-discharged_on": discharged_on.isoformat(),
        },
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert "Perawatan diakhiri. Bimbingan lanjut jatuh tempo:" in notice(html)
    assert "Menyelesaikan program" in html and "Bimbingan lanjut" in html
    world.suite.pump()
    followups = world.api("assessment", "/followups", client_id=client_id)["items"]
    first = next(f for f in followups if f["offset_days"] == 30)

    caseload = world.http.get("/").get_data(as_text=True)
    assert 'id="followups-due"' in caseload and "Budi Santoso" in caseload
    assert f"#followup-{first['id']}" in caseload

    url = f"/clients/{client_id}/followups/{first['id']}"
    missing = world.http.post(url, data={f"followup-{first['id']}-notes": "Ditelepon."})
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert field_errors(html)[f"followup-{first['id']}-outcome"] == "Wajib diisi."
    assert "Ditelepon." in html

    recorded = world.http.post(
        url,
        data={
            f"followup-{first['id']}-outcome": "abstinent",
            f"followup-{first['id']}-notes": "Bekerja di bengkel.",
        },
        follow_redirects=True,
    )
    html = recorded.get_data(as_text=True)
    assert "Hasil bimbingan lanjut dicatat." in notice(html)
    assert 'data-outcome="abstinent"' in html and "Bekerja di bengkel." in html
    assert f"#followup-{first['id']}" not in world.http.get("/").get_data(as_text=True)
    again = world.http.post(
        f"/clients/{client_id}/discharge",
        data={"discharge-reason": "completed", "discharge-discharged_on": today().isoformat()},
    )
    assert again.status_code == 409
    refused = notice(again.get_data(as_text=True))  # by its code, the status by its name
    assert "dapat diakhiri perawatannya (status klien: Selesai)." in refused


# --- screening -------------------------------------------------------------------------------


def test_dast10_questions_in_the_users_language_and_the_result(world):
    client_id = world.client(admitted_days_ago=None)
    page = world.page(client_id)
    assert "Apakah Anda selalu bisa berhenti memakai narkoba saat Anda mau?" in page
    answers = {f"dast-q{n}": "no" for n in range(1, 11)}
    answers.update({"dast-q1": "yes", "dast-q2": "yes"})
    partial = {k: v for k, v in answers.items() if k not in ("dast-q3", "dast-q9")}
    refused = world.http.post(f"/clients/{client_id}/screenings", data=partial)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    errors = field_errors(html)
    assert errors["dast-q3"] == errors["dast-q9"] == "Pilih salah satu."
    assert set(errors) == {"dast-q3", "dast-q9"}
    assert re.search(r'checked id="dast-q1-0" name="dast-q1" type="radio" value="yes"', html)

    done = world.http.post(f"/clients/{client_id}/screenings", data=answers, follow_redirects=True)
    html = done.get_data(as_text=True)
    # yes to 1 and 2, and "no" to 3 (always able to stop) scores too: 3, moderate
    assert "Skrining DAST-10 dicatat: skor 3, Risiko sedang." in notice(html)
    assert re.search(
        r'<li class="screening" data-instrument="DAST-10"><strong>DAST-10</strong> · skor 3 · '
        r"Risiko sedang",
        html,
    )

    world.http.post("/locale", data={"locale": "en"})
    english = world.page(client_id)
    assert "Are you always able to stop using drugs when you want to?" in english


ALCOHOL_MODERATE = {  # 4 + 4 + 4 + 0 + 6 + 0 = 18: moderate for alcohol (11-26)
    "assist-alcohol_q2": "weekly",
    "assist-alcohol_q3": "monthly",
    "assist-alcohol_q4": "once_or_twice",
    "assist-alcohol_q5": "never",
    "assist-alcohol_q6": "yes_past_3_months",
    "assist-alcohol_q7": "never",
}


def test_assist_per_substance_scored_by_the_api_and_wrong_answers_refused_in_bahasa(world):
    client_id = world.client(admitted_days_ago=None)
    page = world.page(client_id)
    assert "Skrining ASSIST (WHO)" in page and "Ganja" in page
    assert "2. Dalam 3 bulan terakhir, seberapa sering memakai zat ini?" in page
    assert 'name="assist-tobacco_q5"' not in page  # WHO asks no Q5 about tobacco

    nothing = world.http.post(f"/clients/{client_id}/screenings/assist", data={})
    assert nothing.status_code == 422
    assert "Isi pertanyaan untuk setidaknya satu zat" in nothing.get_data(as_text=True)

    # not used in the past 3 months, yet "weekly" cravings: the API refuses it, and the
    # console says why next to that question, in Bahasa, with every answer kept
    contradictory = {
        **ALCOHOL_MODERATE,
        "assist-cannabis_q2": "never",
        "assist-cannabis_q3": "weekly",
        "assist-cannabis_q6": "never",
        "assist-cannabis_q7": "never",
    }
    refused = world.http.post(f"/clients/{client_id}/screenings/assist", data=contradictory)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    errors = field_errors(html)
    assert set(errors) == {"assist-cannabis_q3"}
    assert errors["assist-cannabis_q3"].startswith("Kosongkan atau jawab “Tidak pernah”")
    assert re.search(r'<option selected value="weekly">Setiap minggu</option>', html)
    assert world.api("intake", f"/clients/{client_id}/screenings")["items"] == []

    daily = {f"assist-cannabis_{q}": "daily_or_almost_daily" for q in ("q2", "q3")}
    cannabis_high = {  # 6 + 6 + 6 + 6 + 6 + 6 = 36: high (27+)
        **daily,
        "assist-cannabis_q4": "weekly",
        "assist-cannabis_q5": "monthly",
        "assist-cannabis_q6": "yes_past_3_months",
        "assist-cannabis_q7": "yes_past_3_months",
    }
    done = world.http.post(
        f"/clients/{client_id}/screenings/assist",
        data={**ALCOHOL_MODERATE, **cannabis_high},
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert (
        "ASSIST dicatat: Alkohol (termasuk tuak, ciu) 18 (Risiko sedang); Ganja 36 (Risiko tinggi)."
        in notice(html)
    )
    (screening,) = world.api("intake", f"/clients/{client_id}/screenings")["items"]
    assert screening["instrument"] == "ASSIST"
    assert {r["substance"]: r["score"] for r in screening["results"]} == {
        "alcohol": 18,
        "cannabis": 36,
    }
    assert "Ganja: skor 36 · Risiko tinggi" in html  # listed under the screenings


# --- consent and family contacts -------------------------------------------------------------


def _family_session(world, client_id: str, day: date, hour: int = 10) -> dict:
    made = world.http.post(
        f"/clients/{client_id}/sessions",
        data={
            "session-kind": "family",
            "session-day": day.isoformat(),
            "session-time": f"{hour:02d}:00",
            "session-duration_minutes": "60",
        },
    )
    assert made.status_code == 302, made.get_data(as_text=True)[-2000:]
    world.suite.pump()
    sessions = world.api("assessment", "/sessions", client_id=client_id)["items"]
    starts = datetime.combine(day, time(hour), tzinfo=JAKARTA)
    return next(s for s in sessions if datetime.fromisoformat(s["starts_at"]) == starts)


def test_withdrawing_consent_cancels_the_pending_family_messages(world):
    client_id = world.client()
    _family_session(world, client_id, today() + timedelta(days=3))
    page = world.page(client_id)
    assert 'data-template="family.session_reminder" data-status="scheduled"' in page

    guardian = world.http.post(
        f"/clients/{client_id}/consent",
        data={"consent-contact_family": "y", "consent-given_by": "guardian"},
    )
    assert guardian.status_code == 422
    html = guardian.get_data(as_text=True)
    assert field_errors(html)["consent-guardian_name"] == "Sebutkan nama wali."
    assert '<details id="consent_form" open>' in html

    withdrawn = world.http.post(
        f"/clients/{client_id}/consent",
        data={"consent-share_progress": "y", "consent-given_by": "client"},
        follow_redirects=True,
    )
    assert "Pesan keluarga yang belum terkirim dibatalkan." in notice(
        withdrawn.get_data(as_text=True)
    )
    world.suite.pump()
    page = world.page(client_id)
    assert 'id="consent-contact-family">Tidak<' in page
    assert 'data-template="family.session_reminder" data-status="cancelled"' in page
    history = world.api("intake", f"/clients/{client_id}/consent/history")
    assert history[-1]["contact_family"] is False and history[-1]["share_progress"] is True
    assert history[-1]["recorded_by"] == world.staff["id"]


def test_family_contacts_are_added_changed_and_removed(world):
    client_id = world.client(admitted_days_ago=None)
    new = {
        "new-contact-name": "Pak Joko",
        "new-contact-relationship": "paman",
        "new-contact-channel": "sms",
        "new-contact-locale": "id",
        "new-contact-may_contact": "y",
    }
    no_phone = world.http.post(f"/clients/{client_id}/family-contacts", data=new)
    assert no_phone.status_code == 422
    html = no_phone.get_data(as_text=True)
    assert field_errors(html)["new-contact-phone"].startswith("Nomor telepon diperlukan")
    assert 'value="Pak Joko"' in html

    bad_phone = world.http.post(
        f"/clients/{client_id}/family-contacts", data={**new, "new-contact-phone": "12"}
    )
    assert bad_phone.status_code == 422  # the API's own check, next to the field
    assert field_errors(bad_phone.get_data(as_text=True))["new-contact-phone"] in (
        "Bukan nomor telepon.",
        "Nomor telepon tidak valid.",
    )

    added = world.http.post(
        f"/clients/{client_id}/family-contacts",
        data={**new, "new-contact-phone": "0813 1111 2222"},
        follow_redirects=True,
    )
    assert "Kontak keluarga ditambahkan." in notice(added.get_data(as_text=True))
    contacts = world.api("intake", f"/clients/{client_id}")["family_contacts"]
    joko = next(c for c in contacts if c["name"] == "Pak Joko")
    assert joko["phone"] == "+6281311112222" and joko["may_contact"] is True

    prefix = f"contact-{joko['id']}"
    changed = world.http.post(
        f"/clients/{client_id}/family-contacts/{joko['id']}",
        data={
            f"{prefix}-name": "Pak Joko",
            f"{prefix}-relationship": "paman",
            f"{prefix}-phone": joko["phone"],
            f"{prefix}-channel": "sms",
            f"{prefix}-locale": "id",
        },  # may_contact unticked: never to be contacted
        follow_redirects=True,
    )
    html = changed.get_data(as_text=True)
    assert "Kontak keluarga disimpan." in notice(html)
    assert re.search(rf'id="family-contact-{joko["id"]}">Pak Joko.*?jangan dihubungi', html, re.S)

    removed = world.http.post(
        f"/clients/{client_id}/family-contacts/{joko['id']}/remove", follow_redirects=True
    )
    assert "Kontak keluarga dihapus" in notice(removed.get_data(as_text=True))
    names = [c["name"] for c in world.api("intake", f"/clients/{client_id}")["family_contacts"]]
    assert names == ["Siti"]


# --- sessions --------------------------------------------------------------------------------


def test_attendance_once_a_session_started_and_cancelling_one_to_come(world):
    client_id = world.client(admitted_days_ago=3)
    past = _family_session(world, client_id, today() - timedelta(days=1))
    coming = _family_session(world, client_id, today() + timedelta(days=5))
    page = world.page(client_id)
    assert f'id="attendance-{past["id"]}"' in page and f'id="cancel-{coming["id"]}"' in page
    assert f'id="attendance-{coming["id"]}"' not in page  # not started yet

    prefix = f"attendance-{past['id']}"
    unanswered = world.http.post(
        f"/clients/{client_id}/sessions/{past['id']}/attendance",
        data={f"{prefix}-family_attended": "y"},
    )
    assert unanswered.status_code == 422
    assert field_errors(unanswered.get_data(as_text=True))[f"{prefix}-status"] == (
        "Pilih salah satu."
    )
    too_early = world.http.post(
        f"/clients/{client_id}/sessions/{coming['id']}/attendance",
        data={f"attendance-{coming['id']}-status": "attended"},
    )
    assert too_early.status_code == 409
    assert "Kehadiran dicatat setelah sesi dimulai." in notice(too_early.get_data(as_text=True))

    taken = world.http.post(
        f"/clients/{client_id}/sessions/{past['id']}/attendance",
        data={f"{prefix}-status": "attended", f"{prefix}-family_attended": "y"},
        follow_redirects=True,
    )
    html = taken.get_data(as_text=True)
    assert "Kehadiran dicatat." in notice(html)
    assert "Hadir" in html and "keluarga hadir" in html
    session = world.api("assessment", f"/sessions/{past['id']}")
    assert session["participants"][0] == {
        "client_id": client_id,
        "attendance": "attended",
        "family_attended": True,
    }

    cancelled = world.http.post(
        f"/clients/{client_id}/sessions/{coming['id']}/cancel", follow_redirects=True
    )
    html = cancelled.get_data(as_text=True)
    assert "Sesi dibatalkan" in notice(html)
    assert f'id="session-{coming["id"]}" data-kind="family" data-status="cancelled"' in html
    twice = world.http.post(f"/clients/{client_id}/sessions/{coming['id']}/cancel")
    assert twice.status_code in (409, 422)
    world.suite.pump()
    messages = world.api("notifications", "/messages", client_id=client_id)["items"]
    assert "family.session_cancelled" in {m["template"] for m in messages}  # the family is told


def test_a_session_to_come_is_rescheduled_and_the_family_is_told(world):
    client_id = world.client(admitted_days_ago=1)
    coming = _family_session(world, client_id, today() + timedelta(days=5))
    prefix = f"reschedule-{coming['id']}"
    page = world.page(client_id)
    # the form starts from the session as it stands, in the foundation's local time
    assert f'id="{prefix}"' in page
    assert f'value="{(today() + timedelta(days=5)).isoformat()}"' in page
    (time_input,) = re.findall(rf'<input[^>]*name="{prefix}-time"[^>]*>', page)
    assert 'value="10:00"' in time_input

    url = f"/clients/{client_id}/sessions/{coming['id']}/reschedule"
    refused = world.http.post(
        url,
        data={
            f"{prefix}-day": (today() + timedelta(days=6)).isoformat(),
            f"{prefix}-time": "25:00",
            f"{prefix}-duration_minutes": "2",
        },
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    errors = field_errors(html)
    assert set(errors) == {f"{prefix}-time", f"{prefix}-duration_minutes"}
    assert 'value="25:00"' in html  # kept as typed
    assert world.api("assessment", f"/sessions/{coming['id']}")["starts_at"] == coming["starts_at"]

    new_day = today() + timedelta(days=6)
    moved = world.http.post(
        url,
        data={
            f"{prefix}-day": new_day.isoformat(),
            f"{prefix}-time": "14:30",
            f"{prefix}-duration_minutes": "90",
            f"{prefix}-location": "Ruang keluarga",
        },
        follow_redirects=True,
    )
    assert moved.status_code == 200
    assert "Sesi dipindah ke" in notice(moved.get_data(as_text=True))
    session = world.api("assessment", f"/sessions/{coming['id']}")
    starts = datetime.fromisoformat(session["starts_at"])
    assert starts == datetime.combine(new_day, time(14, 30), tzinfo=JAKARTA)
    assert session["duration_minutes"] == 90 and session["location"] == "Ruang keluarga"
    world.suite.pump()
    messages = world.api("notifications", "/messages", client_id=client_id)["items"]
    assert "family.session_changed" in {m["template"] for m in messages}  # the family is told
    (reminder,) = [
        m
        for m in messages
        if m["template"] == "family.session_reminder" and m["status"] == "scheduled"
    ]
    assert datetime.fromisoformat(reminder["scheduled_for"]) == starts - timedelta(hours=24)


# --- who may, and when a service is down ------------------------------------------------------


def test_a_viewer_sees_no_actions_and_may_not_post_them(world):
    client_id = world.client()
    make_account(
        world.app, world.suite, foundation=FOUNDATION, email="v@medanplus.example", role="viewer"
    )
    viewer = world.app.test_client()
    assert sign_in(viewer, "v@medanplus.example").status_code == 302
    page = viewer.get(f"/clients/{client_id}").get_data(as_text=True)
    assert '<form method="post" action="/clients/' not in page
    (assessment,) = world.api("assessment", "/assessments", client_id=client_id)["items"]
    contact_id = world.api("intake", f"/clients/{client_id}")["family_contacts"][0]["id"]
    for path in (
        f"/clients/{client_id}/assessments/{assessment['id']}",
        f"/clients/{client_id}/placement",
        f"/clients/{client_id}/goals",
        f"/clients/{client_id}/reassessment",
        f"/clients/{client_id}/discharge",
        f"/clients/{client_id}/screenings",
        f"/clients/{client_id}/consent",
        f"/clients/{client_id}/family-contacts",
        f"/clients/{client_id}/family-contacts/{contact_id}/remove",
    ):
        assert viewer.post(path, data={}).status_code == 403, path
    assert world.api("intake", f"/clients/{client_id}")["family_contacts"]


def test_an_assessment_sent_while_the_service_is_down_keeps_what_was_typed(world):
    client_id = world.client()
    (assessment,) = world.api("assessment", "/assessments", client_id=client_id)["items"]
    world.apis.stop("assessment")
    answer = world.http.post(
        f"/clients/{client_id}/assessments/{assessment['id']}",
        data={**RATINGS, "assessment-notes": "Catatan panjang yang tidak boleh hilang."},
    )
    assert answer.status_code == 503
    html = answer.get_data(as_text=True)
    assert "belum ada yang tersimpan" in html
    assert "Catatan panjang yang tidak boleh hilang." in html
    assert f'action="/clients/{client_id}/assessments/{assessment["id"]}"' in html


# --- treatment plan --------------------------------------------------------------------------


def test_a_goal_is_added_to_the_plan_and_moved_on_and_a_bad_one_is_refused(world):
    client_id = world.client()
    page = world.page(client_id)
    assert "Rencana perawatan" in page and "Belum ada tujuan." in page

    # no text, a date typed wrongly: refused next to each field, what was typed kept
    refused = world.http.post(
        f"/clients/{client_id}/goals",
        data={"goal-text": "  ", "goal-target_date": "31-12-2026"},
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    errors = field_errors(html)
    assert errors["goal-text"] == "Wajib diisi."
    assert errors["goal-target_date"]
    assert 'value="31-12-2026"' in html
    assert world.api("assessment", f"/clients/{client_id}/goals")["items"] == []

    target = (today() + timedelta(days=30)).isoformat()
    added = world.http.post(
        f"/clients/{client_id}/goals",
        data={"goal-text": "Kembali bekerja di bengkel paman", "goal-target_date": target},
        follow_redirects=True,
    )
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert "Tujuan ditambahkan ke rencana perawatan." in notice(html)
    (goal,) = world.api("assessment", f"/clients/{client_id}/goals")["items"]
    assert goal["text"] == "Kembali bekerja di bengkel paman"
    assert goal["target_date"] == target and goal["status"] == "open"
    assert f'id="goal-{goal["id"]}-row" data-status="open"' in html

    # a status the plan does not know is refused; a real one is saved and shown
    odd = world.http.post(
        f"/clients/{client_id}/goals/{goal['id']}", data={f"goal-{goal['id']}-status": "done"}
    )
    assert odd.status_code == 422
    assert world.api("assessment", f"/clients/{client_id}/goals")["items"][0]["status"] == "open"
    moved = world.http.post(
        f"/clients/{client_id}/goals/{goal['id']}",
        data={f"goal-{goal['id']}-status": "achieved"},
        follow_redirects=True,
    )
    html = moved.get_data(as_text=True)
    assert "Status tujuan kini: Tercapai." in notice(html)
    assert f'id="goal-{goal["id"]}-row" data-status="achieved"' in html
    (saved,) = world.api("assessment", f"/clients/{client_id}/goals")["items"]
    assert saved["status"] == "achieved"
