"""The suite's fixed vocabulary: every option list and status that more than one place reads.

The services' schemas validate against these, their rules compare with them and the staff
console builds its choices from them, so a value added here reaches all of them at once (and a
value the console has no label for fails a unit test). Members are ``StrEnum`` s: each *is* its
wire value (``Channel.SMS == "sms"``), so JSON, database columns and events are unchanged.
Definition order is the order an API documents; the console may show its own order.

Pure: nothing but the standard library. The WHO ASSIST questionnaire's shape is in
:mod:`shared.assist`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final


def values(vocabulary: Iterable[StrEnum]) -> tuple[str, ...]:
    """The wire values of a vocabulary, in definition order (for ``OneOf`` and choices)."""
    return tuple(member.value for member in vocabulary)


# --- people and access -------------------------------------------------------------------


class Role(StrEnum):
    """A token's role (the contract's five)."""

    OPERATOR = "operator"
    ADMIN = "admin"
    SOCIAL_WORKER = "social_worker"
    COUNSELOR = "counselor"
    VIEWER = "viewer"


#: The roles that act inside one foundation (every role but the operator's).
FOUNDATION_ROLES: Final[tuple[Role, ...]] = (
    Role.ADMIN,
    Role.SOCIAL_WORKER,
    Role.COUNSELOR,
    Role.VIEWER,
)


class StaffRole(StrEnum):
    """What a staff record says a person does (intake's ``POST /staff``)."""

    SOCIAL_WORKER = "social_worker"
    COUNSELOR = "counselor"
    ADMIN = "admin"
    OTHER = "other"


class Locale(StrEnum):
    ID = "id"
    EN = "en"


# --- intake ----------------------------------------------------------------------------------


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class ReferralSource(StrEnum):
    SELF = "self"
    FAMILY = "family"
    POLICE = "police"
    COURT = "court"
    BNN = "bnn"
    HOSPITAL = "hospital"
    COMMUNITY = "community"
    OTHER = "other"


class RouteOfUse(StrEnum):
    ORAL = "oral"
    SMOKED = "smoked"
    INHALED = "inhaled"
    INJECTED = "injected"
    OTHER = "other"


class ConsentGiver(StrEnum):
    """Who gave a client's consent (a minor's is given by a guardian)."""

    CLIENT = "client"
    GUARDIAN = "guardian"


class FamilyChannel(StrEnum):
    """How a family contact is reached."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"


class Channel(StrEnum):
    """Every channel notifications can deliver through (``log`` is the dev default)."""

    LOG = "log"
    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    WEBHOOK = "webhook"


class ClientStatus(StrEnum):
    """A client's state in intake; assessment's view of a client uses the same words."""

    REGISTERED = "registered"
    ADMITTED = "admitted"
    PLACED = "placed"
    DISCHARGED = "discharged"


class Instrument(StrEnum):
    """A screening instrument intake scores."""

    DAST_10 = "DAST-10"
    ASSIST = "ASSIST"


# --- assessment ------------------------------------------------------------------------------


class Dimension(StrEnum):
    """The six ASAM dimensions, in the order they appear on the assessment form."""

    WITHDRAWAL = "withdrawal"
    BIOMEDICAL = "biomedical"
    EMOTIONAL_BEHAVIORAL = "emotional_behavioral"
    READINESS_TO_CHANGE = "readiness_to_change"
    RELAPSE_POTENTIAL = "relapse_potential"
    RECOVERY_ENVIRONMENT = "recovery_environment"


class LevelOfCare(StrEnum):
    """Levels of care, least to most intensive."""

    OUTPATIENT = "outpatient"
    INTENSIVE_OUTPATIENT = "intensive_outpatient"
    RESIDENTIAL = "residential"
    MEDICALLY_MANAGED = "medically_managed"


class AssessmentStatus(StrEnum):
    DUE = "due"
    COMPLETED = "completed"
    #: closed unfinished when the client was discharged
    CLOSED = "closed"


class ProgramKind(StrEnum):
    RESIDENTIAL = "residential"
    OUTPATIENT = "outpatient"
    AFTERCARE = "aftercare"
    VOCATIONAL = "vocational"


class SessionKind(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"
    FAMILY = "family"


class SessionStatus(StrEnum):
    """A counselling session's state (a rescheduled session stays ``scheduled``)."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Attendance(StrEnum):
    ATTENDED = "attended"
    ABSENT = "absent"
    #: never counted as an absence
    EXCUSED = "excused"


class NoteKind(StrEnum):
    PROGRESS = "progress"
    BEHAVIOUR = "behaviour"
    MOTIVATION = "motivation"
    CRISIS = "crisis"


class Obstacle(StrEnum):
    """The obstacles the field study names, tagged on notes and counted in reports."""

    BEHAVIOUR_INCONSISTENCY = "behaviour_inconsistency"
    CLOSED_ATTITUDE = "closed_attitude"
    FAMILY_COMMUNICATION = "family_communication"
    STAFF_CAPACITY = "staff_capacity"
    OTHER = "other"


class GoalStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class DischargeReason(StrEnum):
    COMPLETED = "completed"
    DROPPED_OUT = "dropped_out"
    REFERRED = "referred"
    OTHER = "other"


class FollowupOutcome(StrEnum):
    ABSTINENT = "abstinent"
    RELAPSED = "relapsed"
    LOST_CONTACT = "lost_contact"
    OTHER = "other"


# --- early warning ---------------------------------------------------------------------------


class RiskLevel(StrEnum):
    """How worried the early warning is about a client: the highest level a rule gives."""

    NONE = "none"
    WATCH = "watch"
    HIGH = "high"


class RiskRule(StrEnum):
    """The early warning's rules (each a pure function in ``services/assessment/risk_rules``)."""

    CONSECUTIVE_ABSENCES = "consecutive_absences"
    MISSED_SESSIONS = "missed_sessions"
    NO_RECENT_SESSION = "no_recent_session"
    BEHAVIOUR_NOTES = "behaviour_notes"
    CRISIS_NOTE = "crisis_note"
    FAMILY_NEEDS_HELP = "family_needs_help"
    RELAPSE_REPORTED = "relapse_reported"


class OutreachMethod(StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    MESSAGE = "message"
    FAMILY = "family"


class OutreachOutcome(StrEnum):
    REACHED = "reached"
    NOT_REACHED = "not_reached"
    RETURNED = "returned"
    DECLINED = "declined"


# --- personal-data rights (UU PDP) -----------------------------------------------------------


class DataRequestKind(StrEnum):
    """What a client asked for: a copy of everything held (``access``) or its erasure."""

    ACCESS = "access"
    ERASURE = "erasure"


class DataRequestStatus(StrEnum):
    """``open`` until every service has answered (``complete``), or ``refused``."""

    OPEN = "open"
    COMPLETE = "complete"
    REFUSED = "refused"


class DataRequestSource(StrEnum):
    """Who opened it: an admin, for the client, or the retention sweep (which waits for an
    admin's confirmation before anything is erased)."""

    ADMIN = "admin"
    RETENTION = "retention"


# --- referral and partners ------------------------------------------------------------------


class PartnerKind(StrEnum):
    """What a partner of a foundation offers (``foundation``: another foundation of this
    deployment, to which a client may be transferred)."""

    VOCATIONAL = "vocational"
    HOSPITAL = "hospital"
    LEGAL_AID = "legal_aid"
    EDUCATION = "education"
    SPORTS = "sports"
    FOUNDATION = "foundation"
    OTHER = "other"


class ReferralStatus(StrEnum):
    """A referral's course: ``pending`` → ``accepted`` or ``rejected``; ``accepted`` →
    ``done``; the sender may ``revoke`` it while pending or accepted."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DONE = "done"
    REVOKED = "revoked"


class ReferralShare(StrEnum):
    """The parts of a client's record a referral shares (with the client's consent)."""

    IDENTITY = "identity"
    SCREENING = "screening"
    ASSESSMENT = "assessment"
    PLAN = "plan"


class AgeBand(StrEnum):
    """A client's age as a receiving foundation sees it before it accepts a transfer: a band,
    never the birth date."""

    UNDER_18 = "under_18"
    FROM_18_TO_24 = "18_24"
    FROM_25_TO_34 = "25_34"
    FROM_35_TO_44 = "35_44"
    FROM_45_TO_54 = "45_54"
    FROM_55 = "55_plus"
    UNKNOWN = "unknown"


class ReferralDirection(StrEnum):
    """A foundation's referrals as it sent them, or as another foundation sent them to it."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"


# --- notifications ---------------------------------------------------------------------------


class MessageStatus(StrEnum):
    """A message's life: ``scheduled`` → ``queued`` → ``sending`` → ``sent`` (or ``failed``);
    ``cancelled`` and ``suppressed`` end it unsent."""

    SCHEDULED = "scheduled"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SUPPRESSED = "suppressed"


#: Statuses a message can still leave (the ones a cancellation or a hold may touch).
PENDING_MESSAGE_STATUSES: Final[tuple[MessageStatus, ...]] = (
    MessageStatus.SCHEDULED,
    MessageStatus.QUEUED,
)


class RecipientKind(StrEnum):
    FAMILY = "family"
    STAFF = "staff"


class DeliveryStatus(StrEnum):
    """What the SMS/WhatsApp provider reports of a message it was handed (a message's
    ``delivery_status``, beside its own status)."""

    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


# --- family conversation ---------------------------------------------------------------------


class ReplyIntent(StrEnum):
    """What a family's reply means, decided from its first word (``reply_intent.py``)."""

    STOP = "stop"
    START = "start"
    RSVP_YES = "rsvp_yes"
    RSVP_NO = "rsvp_no"
    RSVP_LATER = "rsvp_later"
    CHECKIN_OK = "checkin_ok"
    CHECKIN_HELP = "checkin_help"
    TEXT = "text"


#: The intents that answer a family-session invitation or reminder.
RSVP_INTENTS: Final[tuple[ReplyIntent, ...]] = (
    ReplyIntent.RSVP_YES,
    ReplyIntent.RSVP_NO,
    ReplyIntent.RSVP_LATER,
)
#: The intents that answer a post-discharge check-in (``family.followup``).
CHECKIN_INTENTS: Final[tuple[ReplyIntent, ...]] = (ReplyIntent.CHECKIN_OK, ReplyIntent.CHECKIN_HELP)


class RsvpAnswer(StrEnum):
    """A family's answer to a session invitation, as assessment shows it (``family_rsvp``)."""

    YES = "yes"
    NO = "no"
    LATER = "later"


class CheckinAnswer(StrEnum):
    """A family's answer to a post-discharge check-in (a follow-up's ``family_checkin``)."""

    OK = "ok"
    HELP = "help"


class ConversationItemKind(StrEnum):
    SENT = "sent"
    RECEIVED = "received"
