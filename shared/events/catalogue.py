"""The event catalogue: every event's name, payload schema, version and subscribers.

A payload is validated strictly when published (unknown or missing fields are a bug in the
producer) and read tolerantly when consumed (fields a consumer does not know are ignored, so
producers can add fields safely). Fields marked ``personal`` are encrypted with the data key
inside the envelope, so neither Redis nor the outbox tables hold them in plaintext.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from shared.crypto import cipher, is_ciphertext
from shared.vocabulary import (
    DataRequestKind,
    FamilyChannel,
    FollowupOutcome,
    Locale,
    ReferralShare,
    ReferralStatus,
    ReplyIntent,
    RiskLevel,
    RiskRule,
    SessionKind,
    values,
)

PERSONAL = {"personal": True}
#: A field that was sent in clear before it became personal: a value of it that is no
#: ciphertext comes from a producer of an earlier release (an event still queued, or kept in
#: an outbox, across the upgrade) and is read, and rotated, as it is.
ONCE_CLEAR = {"personal": True, "once_clear": True}


def personal_string(**kwargs: Any) -> f.String:
    return f.String(metadata=PERSONAL, **kwargs)


def once_clear_string(**kwargs: Any) -> f.String:
    return f.String(metadata=ONCE_CLEAR, **kwargs)


class Payload(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class QuietHours(Payload):
    start = f.String(required=True, validate=v.Regexp(r"^\d{2}:\d{2}$"))
    end = f.String(required=True, validate=v.Regexp(r"^\d{2}:\d{2}$"))


class FoundationSaved(Payload):
    id = f.String(required=True)
    slug = f.String(required=True)
    name = f.String(required=True)
    timezone = f.String(required=True)
    locale = f.String(required=True)
    quiet_hours = f.Nested(QuietHours, required=True)
    sender_name = f.String(required=True)


class StaffSaved(Payload):
    id = f.String(required=True)
    name = personal_string(required=True)
    role = f.String(required=True)
    email = personal_string(allow_none=True, load_default=None)
    phone = personal_string(allow_none=True, load_default=None)
    active = f.Boolean(required=True)


class Consent(Payload):
    contact_family = f.Boolean(required=True)
    share_progress = f.Boolean(required=True)
    given_by = f.String(allow_none=True, load_default=None)


class FamilyContact(Payload):
    """A contact the notifications service may message: only sent while consent holds."""

    id = f.String(required=True)
    name = personal_string(required=True)
    relationship = f.String(allow_none=True, load_default=None)
    phone = personal_string(allow_none=True, load_default=None)
    email = personal_string(allow_none=True, load_default=None)
    channel = f.String(required=True, validate=v.OneOf(values(FamilyChannel)))
    locale = f.String(required=True, validate=v.OneOf(values(Locale)))


class ClientState(Payload):
    """A client's current state, carried by every event about the client."""

    id = f.String(required=True)
    code = f.String(required=True)
    first_name = personal_string(required=True)
    status = f.String(required=True)
    case_worker_id = f.String(allow_none=True, load_default=None)
    episode_id = f.String(allow_none=True, load_default=None)
    admitted_on = f.Date(allow_none=True, load_default=None)
    consent = f.Nested(Consent, required=True)
    family_contacts = f.List(f.Nested(FamilyContact), required=True)


class Admission(Payload):
    episode_id = f.String(required=True)
    admitted_on = f.Date(required=True)
    admitted_at = f.AwareDateTime(required=True)
    family_agreement = f.Boolean(required=True)


class ClientAdmitted(ClientState):
    admission = f.Nested(Admission, required=True)


class FamilyContactRemoved(ClientState):
    removed_contact_id = f.String(required=True)


class AssessmentDue(Payload):
    assessment_id = f.String(required=True)
    client_id = f.String(required=True)
    client_code = f.String(required=True)
    case_worker_id = f.String(allow_none=True, load_default=None)
    due_at = f.AwareDateTime(required=True)


class AssessmentCompleted(Payload):
    assessment_id = f.String(required=True)
    client_id = f.String(required=True)
    recommended_level = f.String(required=True)
    level = f.String(required=True)
    completed_at = f.AwareDateTime(required=True)


class PlacementStarted(Payload):
    placement_id = f.String(required=True)
    client_id = f.String(required=True)
    episode_id = f.String(allow_none=True, load_default=None)
    program_id = f.String(required=True)
    program_name = f.String(required=True)
    start_on = f.Date(required=True)


class SessionState(Payload):
    id = f.String(required=True)
    kind = f.String(required=True, validate=v.OneOf(values(SessionKind)))
    client_ids = f.List(f.String(), required=True)
    starts_at = f.AwareDateTime(required=True)
    duration_minutes = f.Integer(required=True)
    location = personal_string(allow_none=True, load_default=None)
    title = once_clear_string(allow_none=True, load_default=None)  # in clear before 2026-12
    status = f.String(required=True)
    facilitator_id = f.String(allow_none=True, load_default=None)


#: what a reschedule may change, in the order ``session.rescheduled`` names it
SESSION_CHANGES = ("starts_at", "duration_minutes", "location", "title")


class SessionRescheduled(SessionState):
    """A session moved: its whole state, and which of :data:`SESSION_CHANGES` changed
    (absent from events of earlier releases)."""

    changed = f.List(f.String(validate=v.OneOf(SESSION_CHANGES)), load_default=None)


class CrisisRecorded(Payload):
    note_id = f.String(required=True)
    client_id = f.String(required=True)
    client_code = f.String(required=True)
    case_worker_id = f.String(allow_none=True, load_default=None)
    recorded_by = f.String(required=True)
    recorded_at = f.AwareDateTime(required=True)


class RiskRaised(Payload):
    """A client's early-warning flag rose to ``high`` (once per rise: it must fall before
    another rise alerts again). ``rules`` are the rules that hold, by name only."""

    client_id = f.String(required=True)
    client_code = f.String(required=True)
    case_worker_id = f.String(allow_none=True, load_default=None)
    level = f.String(required=True, validate=v.OneOf(values(RiskLevel)))
    rules = f.List(f.String(validate=v.OneOf(values(RiskRule))), required=True)
    raised_at = f.AwareDateTime(required=True)
    #: counts the client's rises to high: each rise is its own alert
    rise = f.Integer(required=True, validate=v.Range(min=1))


class ClientDischarged(Payload):
    client_id = f.String(required=True)
    episode_id = f.String(allow_none=True, load_default=None)
    reason = f.String(required=True)
    discharged_on = f.Date(required=True)
    # assessments that were still due and are closed by the discharge
    closed_assessment_ids = f.List(f.String(), load_default=list)


class FollowupDue(Payload):
    followup_id = f.String(required=True)
    client_id = f.String(required=True)
    client_code = f.String(required=True)
    case_worker_id = f.String(allow_none=True, load_default=None)
    due_on = f.Date(required=True)
    offset_days = f.Integer(required=True)
    episode_id = f.String(allow_none=True, load_default=None)  # the episode it follows


class MessageFailed(Payload):
    message_id = f.String(required=True)
    client_id = f.String(allow_none=True, load_default=None)
    template = f.String(required=True)
    recipient_kind = f.String(required=True)
    reason = f.String(required=True)
    #: the stable code of ``reason`` (consumers read this, not the sentence)
    reason_code = f.String(allow_none=True, load_default=None)


class FamilyReplied(Payload):
    """A family contact answered: an RSVP to a family session or a post-discharge check-in
    (the reply's text stays in notifications; only what it means travels)."""

    reply_id = f.String(required=True)
    client_id = f.String(required=True)
    contact_id = f.String(required=True)
    intent = f.String(required=True, validate=v.OneOf(values(ReplyIntent)))
    answered_at = f.AwareDateTime(required=True)
    session_id = f.String(allow_none=True, load_default=None)
    followup_id = f.String(allow_none=True, load_default=None)


class ReferralChanged(Payload):
    """A referral's current state (its subject is the referral). The case worker is reminded
    of one pending for a week (``remind_at``); a transfer's acceptance names the client the
    receiving foundation registered (``received_client_id``), on whom assessment writes the
    shared assessment and plan as a summary. The reason and notes never leave intake."""

    referral_id = f.String(required=True)
    client_id = f.String(required=True)
    client_code = f.String(required=True)
    case_worker_id = f.String(allow_none=True, load_default=None)
    partner_id = f.String(required=True)
    partner_name = f.String(required=True)
    status = f.String(required=True, validate=v.OneOf(values(ReferralStatus)))
    share = f.List(f.String(validate=v.OneOf(values(ReferralShare))), required=True)
    created_at = f.AwareDateTime(required=True)
    remind_at = f.AwareDateTime(allow_none=True, load_default=None)
    to_foundation = f.String(allow_none=True, load_default=None)
    received_client_id = f.String(allow_none=True, load_default=None)


class PlacementSummary(Payload):
    program_name = f.String(required=True)
    start_on = f.Date(required=True)
    end_on = f.Date(allow_none=True, load_default=None)


class FollowupSummary(Payload):
    due_on = f.Date(required=True)
    offset_days = f.Integer(required=True)
    outcome = f.String(
        allow_none=True, load_default=None, validate=v.OneOf(values(FollowupOutcome))
    )
    recorded_on = f.Date(allow_none=True, load_default=None)


class CareSummaryChanged(Payload):
    """What a client's care came to, whenever it changes: attendance counts, the latest
    placement, follow-up dates and outcomes; for intake's report to a compulsory referrer.
    Counts, dates and outcomes only: no note, no answer, nothing of the family. Its subject
    is ``care:<client id>``, so it never makes the client's other events look stale."""

    client_id = f.String(required=True)
    attended = f.Integer(required=True)
    absent = f.Integer(required=True)
    excused = f.Integer(required=True)
    last_attended_on = f.Date(allow_none=True, load_default=None)
    placement = f.Nested(PlacementSummary, allow_none=True, load_default=None)
    followups = f.List(f.Nested(FollowupSummary), required=True)
    as_of = f.AwareDateTime(required=True)


class Heartbeat(Payload):
    at = f.AwareDateTime(required=True)


class DataRequestOpened(Payload):
    """A client's access or erasure request: each service answers with its part."""

    request_id = f.String(required=True)
    client_id = f.String(required=True)
    kind = f.String(required=True, validate=v.OneOf(values(DataRequestKind)))


class DataRequestPart(Payload):
    """A service's answer to a data request: for ``access``, everything it holds about the
    client as JSON (encrypted under the client's key, as every personal value on the wire);
    for ``erasure``, the confirmation that it erased (``part`` absent) and its counts."""

    request_id = f.String(required=True)
    client_id = f.String(required=True)
    kind = f.String(required=True, validate=v.OneOf(values(DataRequestKind)))
    service = f.String(required=True)
    part = personal_string(allow_none=True, load_default=None)
    erased = f.Dict(keys=f.String(), values=f.Integer(), load_default=dict)


class ClientErased(Payload):
    """Every service erased the client: kept are ids, dates, counts and outcomes."""

    client_id = f.String(required=True)
    request_id = f.String(required=True)
    erased_at = f.AwareDateTime(required=True)


class TransportKeyPublished(Payload):
    """A service's new transport key (``shared.transport_keys``): the public half only."""

    service = f.String(required=True)
    key_id = f.String(required=True, validate=v.Length(max=40))
    public_key = f.String(required=True, validate=v.Length(max=64))
    created_at = f.AwareDateTime(required=True)


@dataclass(frozen=True)
class EventSpec:
    """One catalogue entry: who produces it, its schema version and who consumes it."""

    name: str
    producer: str
    schema: type[Payload]
    subscribers: tuple[str, ...]
    version: int = 1
    #: routine (a heartbeat every few seconds): its handling is logged at DEBUG, not INFO
    quiet: bool = False


_CLIENT_SUBSCRIBERS = ("assessment", "notifications")

CATALOGUE: dict[str, EventSpec] = {
    spec.name: spec
    for spec in (
        EventSpec("foundation.saved", "intake", FoundationSaved, ("assessment", "notifications")),
        EventSpec("staff.saved", "intake", StaffSaved, ("assessment", "notifications")),
        EventSpec("client.registered", "intake", ClientState, _CLIENT_SUBSCRIBERS),
        EventSpec("client.updated", "intake", ClientState, _CLIENT_SUBSCRIBERS),
        EventSpec("client.admitted", "intake", ClientAdmitted, _CLIENT_SUBSCRIBERS),
        EventSpec("consent.changed", "intake", ClientState, _CLIENT_SUBSCRIBERS),
        EventSpec("family_contact.saved", "intake", ClientState, ("notifications",)),
        EventSpec("family_contact.removed", "intake", FamilyContactRemoved, ("notifications",)),
        EventSpec("intake.heartbeat", "intake", Heartbeat, ("notifications",), quiet=True),
        EventSpec("assessment.due", "assessment", AssessmentDue, ("notifications",)),
        EventSpec("assessment.completed", "assessment", AssessmentCompleted, ("notifications",)),
        EventSpec("placement.started", "assessment", PlacementStarted, ("intake", "notifications")),
        EventSpec("session.scheduled", "assessment", SessionState, ("notifications",)),
        EventSpec("session.rescheduled", "assessment", SessionRescheduled, ("notifications",)),
        EventSpec("session.cancelled", "assessment", SessionState, ("notifications",)),
        EventSpec("note.crisis_recorded", "assessment", CrisisRecorded, ("notifications",)),
        EventSpec("client.discharged", "assessment", ClientDischarged, ("intake", "notifications")),
        EventSpec("followup.due", "assessment", FollowupDue, ("notifications",)),
        EventSpec("family.replied", "notifications", FamilyReplied, ("assessment",)),
        EventSpec("risk.raised", "assessment", RiskRaised, ("notifications",)),
        EventSpec("data_request.opened", "intake", DataRequestOpened, _CLIENT_SUBSCRIBERS),
        EventSpec("data_request.assessment_part", "assessment", DataRequestPart, ("intake",)),
        EventSpec("data_request.notifications_part", "notifications", DataRequestPart, ("intake",)),
        EventSpec("client.erased", "intake", ClientErased, _CLIENT_SUBSCRIBERS),
        EventSpec("referral.changed", "intake", ReferralChanged, _CLIENT_SUBSCRIBERS),
        EventSpec("care_summary.changed", "assessment", CareSummaryChanged, ("intake",)),
        EventSpec(
            "transport_key.intake",
            "intake",
            TransportKeyPublished,
            ("assessment", "notifications"),
            quiet=True,
        ),
        EventSpec(
            "transport_key.assessment",
            "assessment",
            TransportKeyPublished,
            ("intake", "notifications"),
            quiet=True,
        ),
        EventSpec(
            "transport_key.notifications",
            "notifications",
            TransportKeyPublished,
            ("intake", "assessment"),
            quiet=True,
        ),
        # no service acts on it yet: it waits in the outbox for the first that will
        EventSpec("message.failed", "notifications", MessageFailed, ()),
    )
}


class UnknownEvent(LookupError):
    pass


def spec_for(event_type: str) -> EventSpec:
    try:
        return CATALOGUE[event_type]
    except KeyError as exc:
        raise UnknownEvent(event_type) from exc


def subscribers_of(event_type: str) -> tuple[str, ...]:
    return spec_for(event_type).subscribers


@cache
def _schema(event_type: str) -> ma.Schema:
    """One schema instance per event type: building one (and its nested schemas) costs more
    than loading a payload with it, and an instance keeps no state between loads."""
    return spec_for(event_type).schema()


def _walk(
    schema: ma.Schema,
    data: Any,
    transform: Callable[[str], str],
    prune: bool,
    reading: bool = False,
) -> Any:
    """Apply ``transform`` to every personal string in ``data`` (laid out by ``schema``);
    with ``prune``, drop keys the schema does not know, at every depth. ``reading`` (what
    was written, to decrypt or rotate): a ``once_clear`` field's value in clear is kept."""
    if not isinstance(data, dict):
        return data
    by_key = {(field.data_key or name): field for name, field in schema.fields.items()}
    out = {k: val for k, val in data.items() if not prune or k in by_key}
    for key, field in by_key.items():
        value = out.get(key)
        if value is None:
            continue
        if field.metadata.get("personal") and isinstance(value, str):
            if reading and field.metadata.get("once_clear") and not is_ciphertext(value):
                continue
            out[key] = transform(value)
        elif isinstance(field, f.Nested):
            out[key] = _walk(field.schema, value, transform, prune, reading)
        elif (
            isinstance(field, f.List)
            and isinstance(field.inner, f.Nested)
            and isinstance(value, list)
        ):
            inner = field.inner.schema
            out[key] = [_walk(inner, item, transform, prune, reading) for item in value]
    return out


def encode_payload(
    event_type: str, data: dict[str, Any], encrypt: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """Validate ``data`` strictly and encrypt its personal fields, ready for the wire
    (with ``encrypt``, e.g. under the subject's client key; else the deployment keys)."""
    schema = _schema(event_type)
    loaded = schema.load(data)  # raises ValidationError: a producer bug, never user input
    wire = schema.dump(loaded)
    return _walk(schema, wire, encrypt or cipher().encrypt, prune=False)


def map_personal(
    event_type: str, wire: dict[str, Any], transform: Callable[[str], str]
) -> dict[str, Any]:
    """``wire`` with ``transform`` applied to each of its (encrypted) personal fields and
    everything else kept as it is: how stored events are re-encrypted under a new data key.
    ``UnknownEvent`` for a type the catalogue does not hold."""
    return _walk(_schema(event_type), wire, transform, prune=False, reading=True)


def decode_payload(event_type: str, wire: dict[str, Any]) -> dict[str, Any]:
    """Decrypt personal fields and load tolerantly (unknown fields are dropped)."""
    schema = _schema(event_type)
    plain = _walk(schema, wire, cipher().decrypt, prune=True, reading=True)
    return schema.load(plain)
