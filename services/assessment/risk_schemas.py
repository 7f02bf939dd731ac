"""The early warning's HTTP shapes: a client's flag, the list of flagged clients, and a
foundation's thresholds."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.assessment.risk_rules import BOUNDS, DEFAULT_THRESHOLDS, THRESHOLD_NAMES
from shared.codes import field_error
from shared.fields import StrictInteger
from shared.vocabulary import Locale, OutreachMethod, OutreachOutcome, RiskLevel, RiskRule, values


class ReasonDetailsOut(ma.Schema):
    id = f.String(metadata={"description": "In Bahasa Indonesia."})
    en = f.String(metadata={"description": "In English."})


class ReasonOut(ma.Schema):
    rule = f.String(validate=v.OneOf(values(RiskRule)))
    level = f.String(
        validate=v.OneOf([RiskLevel.WATCH, RiskLevel.HIGH]),
        metadata={"description": "The level this rule gives."},
    )
    since = f.AwareDateTime(metadata={"description": "When the rule began to hold."})
    detail = f.Function(
        lambda r: r.detail[Locale.EN],
        metadata={
            "description": 'What it rests on, in English ("2 sessions missed in a row: '
            '3 and 5 December").'
        },
    )
    details = f.Function(
        lambda r: {str(locale): text for locale, text in r.detail.items()},
        metadata={"description": "The same in both languages: {id, en}."},
    )


class LastOutreachOut(ma.Schema):
    id = f.String()
    method = f.String(validate=v.OneOf(values(OutreachMethod)))
    outcome = f.String(validate=v.OneOf([OutreachOutcome.REACHED, OutreachOutcome.RETURNED]))
    recorded_by = f.String()
    recorded_at = f.AwareDateTime()


class RiskOut(ma.Schema):
    client_id = f.String()
    client_code = f.String()
    case_worker_id = f.String(allow_none=True)
    level = f.String(validate=v.OneOf(values(RiskLevel)))
    reasons = f.List(
        f.Nested(ReasonOut),
        metadata={"description": "The rules that hold, high first, then the oldest first."},
    )
    updated_at = f.AwareDateTime(
        metadata={"description": "When the flag was last computed (now, if never before)."}
    )
    last_outreach = f.Nested(
        LastOutreachOut,
        allow_none=True,
        metadata={
            "description": "The latest outreach that reached the client (or saw them return) "
            "since the flag's reasons began; null when none, or when not flagged."
        },
    )


class RiskListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    level = f.String(
        validate=v.OneOf([RiskLevel.WATCH, RiskLevel.HIGH]),
        metadata={"description": "Only flags of this level (default: watch and high)."},
    )


def _threshold_field(name: str) -> StrictInteger:
    low, high = BOUNDS[name]
    return StrictInteger(
        validate=v.Range(low, high),
        metadata={"description": f"{low}–{high}; default {getattr(DEFAULT_THRESHOLDS, name)}."},
    )


class _RiskThresholds(ma.Schema):
    """Unknown names are refused; a count of absences may not exceed its window."""

    class Meta:
        unknown = ma.RAISE

    @ma.validates_schema
    def _absences_fit_the_window(self, data, **kwargs):
        absent = data.get("missed_sessions_absent", DEFAULT_THRESHOLDS.missed_sessions_absent)
        last = data.get("missed_sessions_last", DEFAULT_THRESHOLDS.missed_sessions_last)
        if absent > last:
            raise ma.ValidationError(field_error("more_than_window"), "missed_sessions_absent")


#: One optional whole number per threshold; one left out is the default.
RiskSettingsIn = _RiskThresholds.from_dict(
    {name: _threshold_field(name) for name in THRESHOLD_NAMES}, name="RiskSettingsIn"
)


ThresholdsOut = ma.Schema.from_dict(
    {name: f.Integer() for name in THRESHOLD_NAMES}, name="RiskThresholdsOut"
)


class RiskSettingsOut(ma.Schema):
    thresholds = f.Nested(ThresholdsOut, metadata={"description": "The thresholds in force."})
    defaults = f.Nested(ThresholdsOut)
    updated_at = f.AwareDateTime(allow_none=True)
    updated_by = f.String(allow_none=True)
