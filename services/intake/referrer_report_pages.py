"""The referrer report printed: an HTML page (``templates/referrer_report.html``) and a PDF
made with fpdf2, in Bahasa Indonesia or English.

Both print the same lines (:func:`report_lines`), so what one shows the other shows. The
PDF uses fpdf2's built-in Helvetica, so nothing depends on the fonts a machine has: text
outside Latin-1 is folded to its nearest letters (``ā`` → ``a``), or ``?``.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime, get_timezone
from fpdf import FPDF
from jinja2 import Environment, PackageLoader, StrictUndefined

from shared.vocabulary import Locale

WORDS: dict[str, dict[str, str]] = {
    Locale.ID: {
        "title": "Laporan untuk perujuk wajib",
        "intro": (
            "Perkembangan rehabilitasi klien yang dirujuk secara wajib: kehadiran, status "
            "perawatan dan tanggalnya, serta hasil bimbingan lanjut. Laporan ini tidak memuat "
            "catatan konseling, jawaban skrining, atau data keluarga."
        ),
        "foundation": "Yayasan",
        "client": "Klien",
        "reference_no": "Nomor rujukan",
        "referred_by": "Dirujuk oleh",
        "status": "Status",
        "episodes": "Episode perawatan",
        "admitted_on": "Masuk",
        "discharged_on": "Keluar",
        "placement": "Program",
        "since": "sejak",
        "until": "sampai",
        "attendance": "Kehadiran sesi",
        "attended": "Hadir",
        "absent": "Tidak hadir",
        "excused": "Izin",
        "last_attended_on": "Terakhir hadir",
        "followups": "Bimbingan lanjut",
        "due_on": "Jatuh tempo",
        "outcome": "Hasil",
        "days": "hari",
        "not_recorded": "belum dicatat",
        "none": "Tidak ada",
        "as_of": "Data perawatan per",
        "generated_at": "Dibuat",
    },
    Locale.EN: {
        "title": "Report to the compulsory referrer",
        "intro": (
            "How the rehabilitation of a compulsorily referred client is going: attendance, "
            "treatment status and its dates, and follow-up outcomes. This report holds no "
            "counselling notes, screening answers or family data."
        ),
        "foundation": "Foundation",
        "client": "Client",
        "reference_no": "Reference number",
        "referred_by": "Referred by",
        "status": "Status",
        "episodes": "Episodes of care",
        "admitted_on": "Admitted",
        "discharged_on": "Discharged",
        "placement": "Programme",
        "since": "since",
        "until": "until",
        "attendance": "Session attendance",
        "attended": "Attended",
        "absent": "Absent",
        "excused": "Excused",
        "last_attended_on": "Last attended",
        "followups": "Follow-up",
        "due_on": "Due",
        "outcome": "Outcome",
        "days": "days",
        "not_recorded": "not yet recorded",
        "none": "None",
        "as_of": "Care data as of",
        "generated_at": "Generated",
    },
}

#: the names of the values the report shows: kind → value → (id, en)
NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "registered": ("Terdaftar", "Registered"),
        "admitted": ("Dirawat", "Admitted"),
        "placed": ("Mengikuti program", "In a programme"),
        "discharged": ("Selesai dirawat", "Discharged"),
    },
    "discharge": {
        "completed": ("program selesai", "programme completed"),
        "dropped_out": ("berhenti", "dropped out"),
        "referred": ("dirujuk", "referred"),
        "other": ("lainnya", "other"),
    },
    "outcome": {
        "abstinent": ("Bebas zat", "Abstinent"),
        "relapsed": ("Kambuh", "Relapsed"),
        "lost_contact": ("Hilang kontak", "Lost contact"),
        "other": ("Lainnya", "Other"),
    },
    "referral": {
        "self": ("diri sendiri", "self"),
        "family": ("keluarga", "family"),
        "police": ("kepolisian", "police"),
        "court": ("pengadilan", "court"),
        "bnn": ("BNN", "BNN"),
        "hospital": ("rumah sakit", "hospital"),
        "community": ("masyarakat", "community"),
        "other": ("lainnya", "other"),
    },
}

_env = Environment(
    loader=PackageLoader("services.intake", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _name(kind: str, value: str | None, lang: str) -> str:
    if value is None:
        return "–"
    pair = NAMES.get(kind, {}).get(value)
    return pair[0 if lang == Locale.ID else 1] if pair else value


def _day(value: str | None, lang: str) -> str:
    if not value:
        return "–"
    return format_date(date.fromisoformat(value[:10]), "d MMMM y", locale=_babel(lang))


def _moment(value: str | None, lang: str, timezone: str) -> str:
    if not value:
        return "–"
    moment = datetime.fromisoformat(value)
    return format_datetime(
        moment, "d MMMM y, HH:mm", tzinfo=get_timezone(timezone), locale=_babel(lang)
    )


def _babel(lang: str) -> str:
    return "id_ID" if lang == Locale.ID else "en_GB"


def report_lines(report: dict[str, Any], lang: str, timezone: str) -> dict[str, Any]:
    """What both prints show: headings and ``(label, value)`` rows, in ``lang``."""
    words = WORDS.get(lang, WORDS[Locale.ID])
    client, referral = report["client"], report["referral"]
    facts = [
        (words["foundation"], report["foundation"]["name"]),
        (words["client"], f"{client['full_name']} ({client['code']})"),
        (words["referred_by"], _name("referral", referral["source"], lang)),
        (words["reference_no"], referral["reference_no"] or "–"),
        (words["status"], _name("status", report["status"], lang)),
    ]
    episodes = []
    for e in report["episodes"]:
        text = f"{words['admitted_on']} {_day(e['admitted_on'], lang)}"
        if e["discharged_on"]:
            reason = _name("discharge", e["discharge_reason"], lang)
            text += f" · {words['discharged_on']} {_day(e['discharged_on'], lang)} ({reason})"
        episodes.append(
            (f"{e['number']}.", text + f" · {_name('status', e['treatment_status'], lang)}")
        )
    placement = report["placement"]
    if placement:
        text = f"{placement['program_name']}, {words['since']} {_day(placement['start_on'], lang)}"
        if placement["end_on"]:
            text += f" {words['until']} {_day(placement['end_on'], lang)}"
        episodes.append((words["placement"], text))
    counts = report["attendance"]
    attendance = [
        (words["attended"], str(counts["attended"])),
        (words["absent"], str(counts["absent"])),
        (words["excused"], str(counts["excused"])),
        (words["last_attended_on"], _day(counts["last_attended_on"], lang)),
    ]
    followups = [
        (
            f"{f['offset_days']} {words['days']} · {words['due_on']} {_day(f['due_on'], lang)}",
            _name("outcome", f["outcome"], lang) if f["outcome"] else words["not_recorded"],
        )
        for f in report["followups"]
    ]
    return {
        "words": words,
        "facts": facts,
        "sections": [
            (words["episodes"], episodes),
            (words["attendance"], attendance),
            (words["followups"], followups),
        ],
        "footer": [
            (words["as_of"], _moment(report["as_of"], lang, timezone)),
            (words["generated_at"], _moment(report["generated_at"], lang, timezone)),
        ],
    }


def render_html(report: dict[str, Any], lang: str, timezone: str) -> str:
    """The report as a printable page."""
    lines = report_lines(report, lang, timezone)
    return _env.get_template("referrer_report.html").render(lang=lang, **lines)


#: typographic marks Helvetica's Latin-1 lacks, as it can print them ("–" marks a value
#: the report does not have: it must not print as "?")
_PLAIN_MARKS = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"'})


def latin1(text: str) -> str:
    """``text`` as Helvetica can print it: dashes and quotes made plain, accents folded,
    anything else ``?``."""
    if all(ord(ch) < 256 for ch in text):
        return text
    folded = unicodedata.normalize("NFKD", text.translate(_PLAIN_MARKS))
    kept = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return kept.encode("latin-1", "replace").decode("latin-1")


def render_pdf(report: dict[str, Any], lang: str, timezone: str) -> bytes:
    """The report as an A4 PDF."""
    lines = report_lines(report, lang, timezone)
    words = lines["words"]
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(words["title"]))
    pdf.set_creator("Pendamping")
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(width, 8, latin1(words["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(width, 5, latin1(words["intro"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _rows(pdf, lines["facts"], width)
    for heading, rows in lines["sections"]:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(width, 7, latin1(heading), border="B", new_x="LMARGIN", new_y="NEXT")
        _rows(pdf, rows or [(words["none"], "")], width)
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 8)
    for label, value in lines["footer"]:
        pdf.cell(width, 5, latin1(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _rows(pdf: FPDF, rows: list[tuple[str, str]], width: float) -> None:
    label_width = width * 0.38
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(label_width, 6, latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width - label_width, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
