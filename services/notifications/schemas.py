"""Notifications' HTTP shapes."""

from __future__ import annotations

import marshmallow as ma
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from marshmallow import fields as f
from marshmallow import validate as v

from shared.fields import StrictBoolean

STATUSES = ("scheduled", "queued", "sending", "sent", "failed", "cancelled", "suppressed")


class RecipientOut(ma.Schema):
    kind = f.String()
    id = f.String()
    name = f.String(allow_none=True)


class MessageOut(ma.Schema):
    id = f.String()
    client_id = f.String(allow_none=True)
    recipient = f.Function(
        lambda m: {"kind": m.recipient_kind, "id": m.recipient_id, "name": m.recipient_name}
    )
    channel = f.String()
    template = f.String()
    locale = f.String()
    status = f.String()
    scheduled_for = f.AwareDateTime()
    sent_at = f.AwareDateTime(allow_none=True)
    attempts = f.Integer()
    body = f.String(allow_none=True)
    reason = f.String(allow_none=True)
    delivery_status = f.String(allow_none=True, metadata={"description": "From the provider."})
    created_at = f.AwareDateTime()


class MessageListArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    client_id = f.String(validate=v.Length(max=64))
    status = f.String(validate=v.OneOf(STATUSES))
    template = f.String(validate=v.Length(max=64))


class TemplateArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    locale = f.String(load_default="id", validate=v.OneOf(("id", "en")))


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
_parser = ImmutableSandboxedEnvironment()


def validate_template_source(source: str) -> None:
    """Refuse a template that uses more than values, conditions and harmless filters."""
    try:
        tree = _parser.parse(source)
    except TemplateSyntaxError as exc:
        raise ma.ValidationError(f"Not a valid template: {exc.message}") from exc
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, TEMPLATE_NODES):
            raise ma.ValidationError(
                "Templates may use values ({{ name }}), conditions ({% if %}) and the filters "
                f"{', '.join(sorted(TEMPLATE_FILTERS))}; not {type(node).__name__.lower()}."
            )
        if isinstance(node, nodes.Filter) and node.name not in TEMPLATE_FILTERS:
            raise ma.ValidationError(f"The filter {node.name!r} is not available in templates.")
        if isinstance(node, nodes.Test) and node.name not in TEMPLATE_TESTS:
            raise ma.ValidationError(f"The test {node.name!r} is not available in templates.")
        if isinstance(node, nodes.Name) and node.ctx != "load":
            raise ma.ValidationError("Templates may not assign values.")


class TemplateIn(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    body = f.String(required=True, validate=[v.Length(min=1, max=1000), validate_template_source])


class TemplateOut(ma.Schema):
    key = f.String()
    locale = f.String()
    body = f.String()
    customised = f.Boolean()


class RecipientPreferencesOut(ma.Schema):
    id = f.String()
    kind = f.String()
    name = f.String(allow_none=True)
    channel = f.String()
    locale = f.String()
    opted_out = f.Boolean()


class RecipientPreferencesIn(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    opted_out = StrictBoolean(
        required=True,
        metadata={
            "description": "true: send nothing more (as if they replied STOP); false: they "
            "asked to receive messages again."
        },
    )
