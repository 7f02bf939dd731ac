"""Assessment's HTTP shapes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f


class AssessmentOut(ma.Schema):
    id = f.String()
    client_id = f.String()
    episode_id = f.String()
    status = f.String()
    due_at = f.AwareDateTime()
    completed_at = f.AwareDateTime(allow_none=True)
    recommended_level = f.String(allow_none=True)
    created_at = f.AwareDateTime()


class ClientViewOut(ma.Schema):
    id = f.String()
    code = f.String()
    status = f.String()
    case_worker_id = f.String(allow_none=True)
    episode_id = f.String(allow_none=True)
    admitted_on = f.Date(allow_none=True)
    assessment = f.Nested(AssessmentOut, allow_none=True)
    placement = f.Dict(allow_none=True)


class AssessmentListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    client_id = f.String(validate=ma.validate.Length(max=64))
    status = f.String(validate=ma.validate.OneOf(("due", "completed")))
