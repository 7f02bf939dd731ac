"""Assessment's HTTP shapes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.assessment.assessments import findings_of
from services.assessment.capacity import available
from services.assessment.level_of_care import MAX_RATING, MIN_RATING
from services.assessment.notes import obstacles_of
from shared.codes import field_error
from shared.fields import BoundedAwareDateTime, BoundedDate, StrictBoolean, StrictInteger, Text
from shared.vocabulary import (
    AssessmentStatus,
    Attendance,
    CheckinAnswer,
    Dimension,
    DischargeReason,
    FollowupOutcome,
    GoalStatus,
    LevelOfCare,
    NoteKind,
    Obstacle,
    OutreachMethod,
    OutreachOutcome,
    ProgramKind,
    RsvpAnswer,
    SessionKind,
    values,
)

ID = v.Length(min=1, max=64)


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class Query(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE


class Patch(Strict):
    """A partial update: at least one field, or there is nothing to change."""

    @ma.validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(field_error("nothing_to_change"), "_body")


# --- assessments -------------------------------------------------------------------------


class AssessmentOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    episode_id = f.String()
    sequence_no = f.Integer()
    status = f.String()
    due_at = f.AwareDateTime()
    completed_at = f.AwareDateTime(allow_none=True)
    completed_by = f.String(allow_none=True)
    recommended_level = f.String(allow_none=True)
    level = f.String(allow_none=True)
    level_override = f.String(allow_none=True)
    override_reason = f.String(allow_none=True)
    findings = f.Function(findings_of)
    created_at = f.AwareDateTime()


#: One required rating per ASAM dimension, in the vocabulary's order.
DimensionsIn = Strict.from_dict(
    {
        dimension.value: StrictInteger(required=True, validate=v.Range(MIN_RATING, MAX_RATING))
        for dimension in Dimension
    },
    name="DimensionsIn",
)


class AssessmentIn(Strict):
    dimensions = f.Nested(DimensionsIn, required=True, metadata={"description": "ASAM, 0-4 each"})
    strengths = f.List(Text(300), load_default=list, validate=v.Length(max=30))
    limitations = f.List(Text(300), load_default=list, validate=v.Length(max=30))
    family_background = Text(2000, allow_none=True, load_default=None)
    notes = Text(5000, allow_none=True, load_default=None)
    level_override = f.String(
        allow_none=True, load_default=None, validate=v.OneOf(values(LevelOfCare))
    )
    override_reason = Text(1000, allow_none=True, load_default=None)


class ReassessmentIn(Strict):
    client_id = f.String(required=True, validate=ID)
    due_at = BoundedAwareDateTime(allow_none=True, load_default=None)


class AssessmentListArgs(Query):
    client_id = f.String(validate=ID)
    status = f.String(validate=v.OneOf(values(AssessmentStatus)))


# --- goals -------------------------------------------------------------------------------


class GoalIn(Strict):
    text = Text(1000, required=True)
    target_date = BoundedDate(allow_none=True, load_default=None)
    status = f.String(load_default=GoalStatus.OPEN.value, validate=v.OneOf(values(GoalStatus)))


class GoalPatch(Patch):
    text = Text(1000)
    target_date = BoundedDate(allow_none=True)
    status = f.String(validate=v.OneOf(values(GoalStatus)))


class GoalOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    text = f.String()
    target_date = f.Date(allow_none=True)
    status = f.String()
    created_by = f.String()
    created_at = f.AwareDateTime()
    updated_at = f.AwareDateTime()


# --- programmes and placements -------------------------------------------------------------


class ProgramIn(Strict):
    name = Text(120, required=True)
    kind = f.String(required=True, validate=v.OneOf(values(ProgramKind)))
    capacity = StrictInteger(required=True, validate=v.Range(1, 10_000))
    duration_days = StrictInteger(required=True, validate=v.Range(1, 3650))


class ProgramOut(ma.Schema):
    id = f.String()
    name = f.String()
    kind = f.String()
    capacity = f.Integer()
    duration_days = f.Integer()
    occupied = f.Integer()
    available = f.Function(lambda p: available(p.occupied, p.capacity))
    created_at = f.AwareDateTime()


class PlacementIn(Strict):
    client_id = f.String(required=True, validate=ID)
    program_id = f.String(required=True, validate=ID)
    start_on = BoundedDate(required=True)


class PlacementOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    program_id = f.String()
    program_name = f.Function(lambda p: p.program.name)
    start_on = f.Date()
    end_on = f.Date(allow_none=True)
    active = f.Boolean()
    created_at = f.AwareDateTime()


# --- a client ----------------------------------------------------------------------------


class EpisodeOut(ma.Schema):
    id = f.String()
    admitted_on = f.Date()
    status = f.String()
    discharged_on = f.Date(allow_none=True)
    discharge_reason = f.String(allow_none=True)


class ClientViewOut(ma.Schema):
    id = f.String()
    code = f.String()
    status = f.String()
    case_worker_id = f.String(allow_none=True)
    episode_id = f.String(allow_none=True)
    admitted_on = f.Date(allow_none=True)
    assessment = f.Nested(AssessmentOut, allow_none=True)
    placement = f.Nested(PlacementOut, allow_none=True)
    episodes = f.List(f.Nested(EpisodeOut))
    transfer_summaries = f.List(
        f.Nested(lambda: TransferSummaryOut()),
        metadata={"description": "What a foundation that transferred the client here shared."},
    )


class TransferSummaryOut(ma.Schema):
    referral_id = f.String()
    from_foundation = f.String()
    received_at = f.AwareDateTime()
    assessment = f.Dict(allow_none=True, metadata={"description": "Level, dimensions, ..."})
    plan = f.List(f.Dict(), metadata={"description": "Goals: text, target_date, status."})


# --- sessions ----------------------------------------------------------------------------


class SessionIn(Strict):
    kind = f.String(required=True, validate=v.OneOf(values(SessionKind)))
    client_ids = f.List(f.String(validate=ID), required=True, validate=v.Length(min=1, max=50))
    starts_at = BoundedAwareDateTime(required=True)
    duration_minutes = StrictInteger(required=True, validate=v.Range(5, 600))
    location = Text(200, allow_none=True, load_default=None)
    title = Text(120, allow_none=True, load_default=None)


class SessionPatch(Patch):
    starts_at = BoundedAwareDateTime()
    duration_minutes = StrictInteger(validate=v.Range(5, 600))
    location = Text(200, allow_none=True)
    title = Text(120, allow_none=True)


class AttendanceIn(Strict):
    client_id = f.String(required=True, validate=ID)
    status = f.String(required=True, validate=v.OneOf(values(Attendance)))
    family_attended = StrictBoolean(allow_none=True)


class ParticipantOut(ma.Schema):
    client_id = f.String()
    attendance = f.String(allow_none=True)
    family_attended = f.Boolean(allow_none=True)


class FamilyRsvpOut(ma.Schema):
    """A family contact's latest answer to the session's invitation or reminder."""

    client_id = f.String(metadata={"description": "The client whose family answered."})
    contact_id = f.String(metadata={"description": "The family contact who answered."})
    answer = f.String(
        validate=v.OneOf(values(RsvpAnswer)),
        metadata={"description": "yes: coming; no: not coming; later: asks another time."},
    )
    answered_at = f.AwareDateTime()


class SessionOut(ma.Schema):
    id = f.String()
    kind = f.String()
    client_ids = f.Function(lambda s: [p.client_id for p in s.participants])
    participants = f.List(f.Nested(ParticipantOut))
    starts_at = f.AwareDateTime()
    duration_minutes = f.Integer()
    location = f.String(allow_none=True)
    title = f.String(allow_none=True)
    status = f.String()
    facilitator_id = f.String()
    family_rsvp = f.List(
        f.Nested(FamilyRsvpOut),
        metadata={
            "description": "The families' answers to the invitation: the latest per contact, "
            "oldest first (empty until a family answers)."
        },
    )


class SessionListArgs(Query):
    client_id = f.String(validate=ID)
    starts_after = BoundedAwareDateTime()
    starts_before = BoundedAwareDateTime()


# --- notes, discharge, follow-ups, reports ----------------------------------------------------


class NoteIn(Strict):
    kind = f.String(required=True, validate=v.OneOf(values(NoteKind)))
    text = Text(10_000, required=True)
    obstacles = f.List(
        f.String(validate=v.OneOf(values(Obstacle))), load_default=list, validate=v.Length(max=5)
    )


class NoteOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    kind = f.String()
    text = f.String()
    obstacles = f.Function(obstacles_of)
    recorded_by = f.String()
    recorded_at = f.AwareDateTime()


class DischargeIn(Strict):
    reason = f.String(required=True, validate=v.OneOf(values(DischargeReason)))
    discharged_on = BoundedDate(required=True)


class FollowupOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    offset_days = f.Integer()
    due_on = f.Date()
    outcome = f.String(allow_none=True)
    notes = f.String(allow_none=True)
    recorded_by = f.String(allow_none=True)
    recorded_at = f.AwareDateTime(allow_none=True)
    family_checkin = f.String(
        allow_none=True,
        validate=v.OneOf(values(CheckinAnswer)),
        metadata={
            "description": "The family's latest answer to the follow-up's check-in message "
            "(ok: all well; help: needs help); null until they answer."
        },
    )
    family_checkin_at = f.AwareDateTime(
        allow_none=True, metadata={"description": "When the family gave that answer."}
    )


class FollowupListArgs(Query):
    due_before = BoundedDate()
    client_id = f.String(validate=ID)


class FollowupIn(Strict):
    outcome = f.String(required=True, validate=v.OneOf(values(FollowupOutcome)))
    notes = Text(5000, allow_none=True, load_default=None)


class PeriodArgs(Query):
    from_ = BoundedDate(data_key="from", required=True)
    to = BoundedDate(required=True)

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError(field_error("before_from"), "to")


# --- outreach ----------------------------------------------------------------------------------


class OutreachIn(Strict):
    method = f.String(required=True, validate=v.OneOf(values(OutreachMethod)))
    outcome = f.String(
        required=True,
        validate=v.OneOf(values(OutreachOutcome)),
        metadata={"description": "Never changes the client's status (returned included)."},
    )
    notes = Text(2000, allow_none=True, load_default=None)


class OutreachOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    method = f.String()
    outcome = f.String()
    notes = f.String(allow_none=True)
    recorded_by = f.String()
    recorded_at = f.AwareDateTime()


# --- the engagement report (services/assessment/engagement.py defines the measures) -------------


class MeasureOut(ma.Schema):
    count = f.Integer(metadata={"description": "Episodes that met the measure."})
    pending = f.Integer(
        metadata={"description": "Episodes that may still meet it (window open, in care)."}
    )
    rate = f.Float(
        allow_none=True,
        metadata={
            "description": "count / (admitted - pending), to 3 decimals; null while no "
            "episode's measure is decided."
        },
    )


class TallyOut(ma.Schema):
    admitted = f.Integer(metadata={"description": "Admissions (episodes) in the period."})
    started = f.Nested(
        MeasureOut,
        metadata={
            "description": "A first attended session no later than 14 days after admission "
            "(admission day is day 0)."
        },
    )
    engaged = f.Nested(
        MeasureOut,
        metadata={
            "description": "Started, then 2 more attended sessions no later than 34 days "
            "after the first."
        },
    )
    retained_90 = f.Nested(
        MeasureOut,
        metadata={
            "description": "Not discharged before day 90 (admission + 90 days): still "
            "admitted or placed then, or discharged on day 90 or later (completion included)."
        },
    )


class ProgramTallyOut(TallyOut):
    program_id = f.String(allow_none=True, metadata={"description": "null: never placed."})
    program = f.String(metadata={"description": 'The programme\'s name; "none" when unplaced.'})


class CaseWorkerTallyOut(TallyOut):
    case_worker_id = f.String(allow_none=True, metadata={"description": "null: no case worker."})


class CaseloadOut(ma.Schema):
    case_worker_id = f.String()
    role = f.String(metadata={"description": "social_worker or counselor."})
    clients = f.Integer(metadata={"description": "Clients in care (admitted or placed) now."})
    norm = f.Integer(metadata={"description": "7 for a social worker, 10 for a counsellor."})
    over_norm = f.Boolean(metadata={"description": "clients > norm."})


class EngagementReportOut(ma.Schema):
    from_ = f.Date(data_key="from")
    to = f.Date()
    as_of = f.Date(
        metadata={"description": "Today in the foundation's calendar: what pending is as of."}
    )
    overall = f.Nested(TallyOut)
    by_program = f.List(
        f.Nested(ProgramTallyOut),
        metadata={"description": "By the programme the episode's client was placed in."},
    )
    by_case_worker = f.List(
        f.Nested(CaseWorkerTallyOut),
        metadata={"description": "By the client's case worker."},
    )
    caseloads = f.List(
        f.Nested(CaseloadOut),
        metadata={
            "description": "Every active social worker and counsellor, the heaviest first "
            "(now, whatever the period)."
        },
    )
