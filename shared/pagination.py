"""``?page=&per_page=`` (max 200) and the ``{items, page, per_page, total}`` envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

MAX_PER_PAGE = 200


class PageArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(
        load_default=50, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A response schema for a page of ``item_schema`` (for the OpenAPI document)."""
    return type(
        name,
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            "total": ma.fields.Integer(),
        },
    )


def paginate(
    session: Session,
    stmt: Select,
    args: dict[str, Any],
    transform: Callable[[Any], Any] = lambda row: row,
) -> dict[str, Any]:
    page, per_page = args["page"], args["per_page"]
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return {
        "items": [transform(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": int(total.scalar_one()),
    }
