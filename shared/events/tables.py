"""The tables every service keeps for its events: outbox, sequences, inbox, versions.

They are declared on the service's own ``MetaData`` so each service migrates them with its
own alembic history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from shared.db import UTCDateTime


@dataclass(frozen=True)
class EventTables:
    outbox: Table
    sequences: Table
    inbox: Table
    versions: Table
    attempts: Table


def event_tables(metadata: MetaData) -> EventTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("type", String(64), nullable=False),
        Column("subject", String(64), nullable=False),
        Column("sequence", Integer, nullable=False),
        Column("envelope", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("published_at", UTCDateTime(), nullable=True),
        Column("lease_until", UTCDateTime(), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Index("ix_outbox_pending", "published_at", "created_at"),
    )
    sequences = Table(
        "event_sequences",
        metadata,
        Column("subject", String(64), primary_key=True),
        Column("last", Integer, nullable=False),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("type", String(64), nullable=False),
        Column("outcome", String(16), nullable=False),
        Column("handled_at", UTCDateTime(), nullable=False),
    )
    versions = Table(
        "subject_versions",
        metadata,
        Column("producer", String(32), primary_key=True),
        Column("subject", String(64), primary_key=True),
        Column("sequence", Integer, nullable=False),
    )
    attempts = Table(
        "event_attempts",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("attempts", Integer, nullable=False),
    )
    return EventTables(outbox, sequences, inbox, versions, attempts)
