"""The HTTP shapes of data requests (UU PDP): what is accepted and what is answered."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate as v

from services.intake.schemas import Strict
from shared.fields import Text
from shared.vocabulary import DataRequestKind, DataRequestStatus, Locale, values


class DataRequestIn(Strict):
    kind = f.String(required=True, validate=v.OneOf(values(DataRequestKind)))
    requested_by = Text(
        200, required=True, metadata={"description": "Who asked: the client or their proxy."}
    )
    notes = Text(2000, allow_none=True, load_default=None)


class ConfirmIn(Strict):
    client_code = Text(
        40, required=True, metadata={"description": "The client's code, typed to confirm."}
    )


class DataRequestListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    status = f.String(validate=v.OneOf(values(DataRequestStatus)))
    kind = f.String(validate=v.OneOf(values(DataRequestKind)))
    late = f.Boolean(metadata={"description": "true: only late requests; false: none late."})
    client_id = f.String(validate=v.Length(max=64))


class ExportArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    format = f.String(load_default="json", validate=v.OneOf(("json", "html")))
    lang = f.String(
        validate=v.OneOf(values(Locale)),
        metadata={"description": "The HTML copy's language; default: the foundation's."},
    )


class PartOut(ma.Schema):
    service = f.String()
    answered_at = f.AwareDateTime()


class DataRequestOut(ma.Schema):
    """A request as the admin sees it (built by ``data_requests.request_view``)."""

    id = f.String()
    client_id = f.String()
    client_code = f.String(allow_none=True)
    kind = f.String()
    status = f.String()
    source = f.String()
    requested_by = f.String(allow_none=True)
    notes = f.String(allow_none=True)
    opened_at = f.AwareDateTime()
    due_by = f.AwareDateTime()
    awaiting_confirmation = f.Boolean()
    parts = f.List(f.Nested(PartOut))
    completed_at = f.AwareDateTime(allow_none=True)
    late = f.Boolean()
    refused_code = f.String(allow_none=True)
