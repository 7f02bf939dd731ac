"""Message templates: defaults per key and locale, rendered in a Jinja2 sandbox.

Family messages are discreet by default: family phones are often shared and drug use
carries stigma, so no default family template names a diagnosis, substance or
rehabilitation. Admins may edit templates through the API, which is why rendering is
sandboxed: a template sees only the plain values it is given.
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime, get_timezone
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from shared.codes import field_error
from shared.vocabulary import Locale, values

STOP_ID = "Balas BERHENTI bila tidak ingin menerima pesan."
STOP_EN = "Reply STOP to receive no more messages."
# How to answer an invitation or reminder (reply_intent.py reads the answer), discreetly.
RSVP_ID = (
    "Mohon balas YA (1) bila hadir, TIDAK (2) bila berhalangan, atau TUNDA (3) untuk jadwal lain."
)
RSVP_EN = (
    "Please reply YES (1) if you can come, NO (2) if you cannot, or LATER (3) for another time."
)
# The one question of a post-discharge check-in.
CHECKIN_ID = "Balas 1 bila semuanya baik, atau 2 bila Anda memerlukan bantuan kami."
CHECKIN_EN = "Reply 1 if all is well, or 2 if you would like our help."

DEFAULTS: dict[str, dict[str, str]] = {
    "family.welcome": {
        Locale.ID: (
            "Halo {{ recipient_name }}, salam hangat dari {{ sender_name }}. "
            "{{ client_first_name }} mulai mengikuti program pendampingan bersama kami "
            "sejak {{ admitted_on }}. Kami akan mengabari Anda tentang pertemuan keluarga. "
            + STOP_ID
        ),
        Locale.EN: (
            "Hello {{ recipient_name }}, warm greetings from {{ sender_name }}. "
            "{{ client_first_name }} joined our support programme on {{ admitted_on }}. "
            "We will let you know about family meetings. " + STOP_EN
        ),
    },
    "family.session_invitation": {
        Locale.ID: (
            "Halo {{ recipient_name }}, {{ sender_name }} mengundang Anda ke pertemuan keluarga "
            "bersama {{ client_first_name }} pada {{ starts_at }}"
            "{% if location %} di {{ location }}{% endif %}. Kehadiran Anda sangat berarti. "
            + RSVP_ID
            + " "
            + STOP_ID
        ),
        Locale.EN: (
            "Hello {{ recipient_name }}, {{ sender_name }} invites you to a family meeting with "
            "{{ client_first_name }} on {{ starts_at }}{% if location %} at {{ location }}{% endif %}. "
            "Your presence means a lot. " + RSVP_EN + " " + STOP_EN
        ),
    },
    "family.session_reminder": {
        Locale.ID: (
            "Pengingat dari {{ sender_name }}: pertemuan keluarga bersama {{ client_first_name }} "
            "besok, {{ starts_at }}{% if location %} di {{ location }}{% endif %}. " + RSVP_ID
        ),
        Locale.EN: (
            "A reminder from {{ sender_name }}: the family meeting with {{ client_first_name }} "
            "is tomorrow, {{ starts_at }}{% if location %} at {{ location }}{% endif %}. " + RSVP_EN
        ),
    },
    "family.session_changed": {
        Locale.ID: (
            "Halo {{ recipient_name }}, jadwal pertemuan keluarga bersama {{ client_first_name }} "
            "berubah menjadi {{ starts_at }}{% if location %} di {{ location }}{% endif %}. "
            "Mohon maaf atas perubahannya. — {{ sender_name }}"
        ),
        Locale.EN: (
            "Hello {{ recipient_name }}, the family meeting with {{ client_first_name }} has moved "
            "to {{ starts_at }}{% if location %} at {{ location }}{% endif %}. Sorry for the change. "
            "— {{ sender_name }}"
        ),
    },
    "family.session_cancelled": {
        Locale.ID: (
            "Halo {{ recipient_name }}, pertemuan keluarga bersama {{ client_first_name }} pada "
            "{{ starts_at }} dibatalkan. Kami akan mengabari jadwal berikutnya. — {{ sender_name }}"
        ),
        Locale.EN: (
            "Hello {{ recipient_name }}, the family meeting with {{ client_first_name }} on "
            "{{ starts_at }} is cancelled. We will let you know the next date. — {{ sender_name }}"
        ),
    },
    "family.progress_update": {
        Locale.ID: (
            "Halo {{ recipient_name }}, kabar dari {{ sender_name }}: "
            "{% if program_name %}{{ client_first_name }} mulai mengikuti {{ program_name }} "
            "sejak {{ start_on }}.{% else %}{{ client_first_name }} telah menyelesaikan asesmen "
            "rehabilitasi dan rencana pendampingannya sudah disusun.{% endif %} "
            "Terima kasih atas dukungan Anda."
        ),
        Locale.EN: (
            "Hello {{ recipient_name }}, news from {{ sender_name }}: "
            "{% if program_name %}{{ client_first_name }} started {{ program_name }} on "
            "{{ start_on }}.{% else %}{{ client_first_name }} has completed the rehabilitation "
            "assessment and a support plan is in place.{% endif %} Thank you for your support."
        ),
    },
    "family.followup": {
        Locale.ID: (
            "Halo {{ recipient_name }}, salam dari {{ sender_name }}. Kami ingin tahu kabar "
            "{{ client_first_name }} dan keluarga. " + CHECKIN_ID + " Anda juga boleh menulis "
            "pesan kepada pendamping kami. " + STOP_ID
        ),
        Locale.EN: (
            "Hello {{ recipient_name }}, greetings from {{ sender_name }}. We would like to hear "
            "how {{ client_first_name }} and your family are doing. " + CHECKIN_EN + " You may "
            "also write to our companion. " + STOP_EN
        ),
    },
    "family.reply_thanks": {
        Locale.ID: (
            "Terima kasih, {{ recipient_name }}, balasan Anda sudah kami terima."
            "{% if intent == 'rsvp_yes' %} Sampai jumpa pada {{ starts_at }}."
            "{% elif intent == 'rsvp_no' or intent == 'rsvp_later' %} Pendamping kami akan menghubungi Anda "
            "untuk jadwal lain.{% elif intent == 'checkin_help' %} Pendamping kami akan segera "
            "menghubungi Anda.{% endif %} — {{ sender_name }}"
        ),
        Locale.EN: (
            "Thank you, {{ recipient_name }}, we have your answer."
            "{% if intent == 'rsvp_yes' %} See you on {{ starts_at }}."
            "{% elif intent == 'rsvp_no' or intent == 'rsvp_later' %} Our companion will contact you about "
            "another time.{% elif intent == 'checkin_help' %} Our companion will contact you "
            "soon.{% endif %} — {{ sender_name }}"
        ),
    },
    "family.direct": {
        Locale.ID: "{{ text }} — {{ sender_name }}",
        Locale.EN: "{{ text }} — {{ sender_name }}",
    },
    "staff.assessment_due": {
        Locale.ID: (
            "{% if overdue %}TERLAMBAT: asesmen{% else %}Asesmen{% endif %} klien {{ client_code }} "
            "jatuh tempo {{ due_at }}."
        ),
        Locale.EN: (
            "{% if overdue %}OVERDUE: the assessment{% else %}The assessment{% endif %} of client "
            "{{ client_code }} is due {{ due_at }}."
        ),
    },
    "staff.followup_due": {
        Locale.ID: "Bimbingan lanjut ({{ offset_days }} hari) klien {{ client_code }} jatuh tempo {{ due_on }}.",
        Locale.EN: "The {{ offset_days }}-day follow-up of client {{ client_code }} is due {{ due_on }}.",
    },
    "staff.crisis_alert": {
        Locale.ID: "KRISIS: catatan krisis untuk klien {{ client_code }} pada {{ recorded_at }}. Segera tindak lanjuti.",
        Locale.EN: "CRISIS: a crisis note was recorded for client {{ client_code }} at {{ recorded_at }}. Please act now.",
    },
    "staff.delivery_failed": {
        Locale.ID: "Pesan {{ failed_template }} untuk keluarga klien {{ client_code }} gagal terkirim: {{ failure }}.",
        Locale.EN: "The {{ failed_template }} message to the family of client {{ client_code }} failed: {{ failure }}.",
    },
    "staff.family_replied": {
        Locale.ID: (
            "Keluarga klien {{ client_code }} membalas"
            "{% if intent == 'rsvp_no' %}: tidak dapat hadir pada pertemuan keluarga {{ starts_at }}"
            "{% elif intent == 'rsvp_later' %}: meminta jadwal lain untuk pertemuan keluarga "
            "{{ starts_at }}{% endif %}. Baca percakapannya di konsol."
        ),
        Locale.EN: (
            "The family of client {{ client_code }} replied"
            "{% if intent == 'rsvp_no' %}: they cannot come to the family meeting on {{ starts_at }}"
            "{% elif intent == 'rsvp_later' %}: they ask for another time than the family meeting "
            "on {{ starts_at }}{% endif %}. Read the conversation in the console."
        ),
    },
    "staff.risk_alert": {
        Locale.ID: (
            "PERHATIAN: klien {{ client_code }} kini berisiko tinggi ({{ rules }}). "
            "Lihat alasannya dan catat penjangkauan di konsol."
        ),
        Locale.EN: (
            "ATTENTION: client {{ client_code }} is now at high risk ({{ rules }}). "
            "See why and record outreach in the console."
        ),
    },
    "staff.referral_pending": {
        Locale.ID: (
            "Rujukan klien {{ client_code }} ke {{ partner_name }} belum dijawab sejak "
            "{{ referred_at }}. Hubungi mitra, atau perbarui status rujukannya di konsol."
        ),
        Locale.EN: (
            "The referral of client {{ client_code }} to {{ partner_name }} has had no answer "
            "since {{ referred_at }}. Contact the partner, or update the referral in the console."
        ),
    },
    "staff.family_needs_help": {
        Locale.ID: (
            "BANTUAN: keluarga klien {{ client_code }} menjawab bahwa mereka memerlukan bantuan "
            "(cek pasca-rehabilitasi). Segera hubungi mereka."
        ),
        Locale.EN: (
            "HELP: the family of client {{ client_code }} answered that they need help "
            "(post-discharge check-in). Please contact them now."
        ),
    },
}

TEMPLATE_KEYS = tuple(DEFAULTS)
LOCALES = values(Locale)

_env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
# A template sees its message's values and nothing else: not even Jinja's own globals
# (range, lipsum, dict, namespace...).
_env.globals.clear()


def localise(value: Any, locale: str, timezone: str) -> Any:
    """Dates and times as a reader of ``locale`` writes them, in the foundation's zone."""
    babel_locale = "id_ID" if locale == Locale.ID else "en_GB"
    if isinstance(value, datetime):
        return format_datetime(
            value, "d MMMM y, HH:mm", tzinfo=get_timezone(timezone), locale=babel_locale
        )
    if isinstance(value, date):
        return format_date(value, "long", locale=babel_locale)
    return value


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> Template:
    """``source`` compiled once per process (wordings are few; every message uses one)."""
    return _env.from_string(source)


def render(source: str, context: dict[str, Any], locale: str, timezone: str) -> str:
    values = {k: localise(v, locale, timezone) for k, v in context.items()}
    return _compiled(source).render(values).strip()


def default_template(key: str, locale: str) -> str:
    return DEFAULTS[key][locale if locale in DEFAULTS[key] else Locale.ID]


class TemplateError(ValueError):
    """An admin's template that does not compile or uses something it may not. ``message``
    is what the API says beside the field: a field error with its code when a rule of
    ``PUT /templates/{key}`` refused it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


MAX_TEMPLATE_LENGTH = 1000
# What a message template may be made of: text, values, conditions and filters that do not
# grow their input. Anything else (loops, arithmetic, calls, attribute access, macros) could
# make rendering take minutes or gigabytes ("{{ 'a' * 999999999 }}", nested loops over
# ranges, "{{ name.center(10**9) }}"), however sandboxed, so it is refused up front.
TEMPLATE_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.CondExpr,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Compare,
    nodes.Operand,
    nodes.Concat,
    nodes.Filter,
    nodes.Test,
)
TEMPLATE_FILTERS = frozenset({"default", "d", "upper", "lower", "title", "capitalize", "trim"})
TEMPLATE_TESTS = frozenset({"defined", "undefined", "none", "true", "false"})


def check_template_source(source: str) -> None:
    """Refuse a template that uses more than values, conditions and harmless filters."""
    try:
        tree = _env.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(field_error("template_syntax_error", error=exc.message)) from exc
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, TEMPLATE_NODES):
            raise TemplateError(
                field_error(
                    "template_construct_forbidden",
                    filters=", ".join(sorted(TEMPLATE_FILTERS)),
                    construct=type(node).__name__.lower(),
                )
            )
        if isinstance(node, nodes.Filter) and node.name not in TEMPLATE_FILTERS:
            raise TemplateError(field_error("template_filter_forbidden", filter=node.name))
        if isinstance(node, nodes.Test) and node.name not in TEMPLATE_TESTS:
            raise TemplateError(field_error("template_test_forbidden", test=node.name))
        if isinstance(node, nodes.Name) and node.ctx != "load":
            raise TemplateError(field_error("template_assignment_forbidden"))


def check_template(source: str) -> None:
    """Compile and test-render ``source`` with harmless sample values."""
    sample = {name: "x" for name in SAMPLE_VALUES}
    try:
        _compiled(source).render(sample)
    except Exception as exc:  # jinja2 raises many kinds; all mean "not a usable template"
        raise TemplateError(field_error("template_invalid", error=str(exc)[:200])) from exc


@functools.lru_cache(maxsize=512)
def _vetted(source: str) -> None:
    """The rules a stored wording had to meet when it was saved; a wording that passes is
    remembered (one that fails raises, and is checked again next time)."""
    if not 1 <= len(source) <= MAX_TEMPLATE_LENGTH:
        raise TemplateError(f"Longer than {MAX_TEMPLATE_LENGTH} characters, or empty.")
    check_template_source(source)


def render_stored(source: str, context: dict[str, Any], locale: str, timezone: str) -> str:
    """Render a foundation's stored wording, checked again by every rule it had to meet when
    it was saved (``PUT /templates/{key}``): a row written before a rule existed, or edited
    in the database, is refused here rather than rendered. Any error of the render itself
    (as ``check_template`` would find with sample values) refuses it too."""
    _vetted(source)
    try:
        return render(source, context, locale, timezone)
    except Exception as exc:  # any jinja2 error means "not usable"
        raise TemplateError(type(exc).__name__) from exc


SAMPLE_VALUES = (
    "recipient_name",
    "sender_name",
    "client_first_name",
    "admitted_on",
    "starts_at",
    "location",
    "program_name",
    "start_on",
    "client_code",
    "due_at",
    "overdue",
    "offset_days",
    "due_on",
    "recorded_at",
    "failed_template",
    "failure",
    "intent",
    "text",
    "rules",
    "partner_name",
    "referred_at",
)


def encode_context(context: dict[str, Any]) -> str:
    """JSON for a message's template values, keeping dates and times typed."""

    def tag(value: Any) -> Any:
        if isinstance(value, datetime):
            return {"$datetime": value.isoformat()}
        if isinstance(value, date):
            return {"$date": value.isoformat()}
        return value

    return json.dumps({k: tag(v) for k, v in context.items()})


def decode_context(raw: str) -> dict[str, Any]:
    def untag(value: Any) -> Any:
        if isinstance(value, dict) and "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if isinstance(value, dict) and "$date" in value:
            return date.fromisoformat(value["$date"])
        return value

    return {k: untag(v) for k, v in json.loads(raw or "{}").items()}
