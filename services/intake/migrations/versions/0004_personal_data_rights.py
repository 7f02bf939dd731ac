"""personal-data rights: data requests and their parts, a foundation's retention, a
client's erasure date

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import shared.crypto
import shared.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("foundations") as batch:
        batch.add_column(
            sa.Column("retention_years", sa.Integer(), nullable=False, server_default="5")
        )
    with op.batch_alter_table("clients") as batch:
        batch.add_column(
            sa.Column("erased_at", shared.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "data_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("requested_by", shared.crypto.EncryptedText(), nullable=True),
        sa.Column("notes", shared.crypto.EncryptedText(), nullable=True),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_by", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.String(length=64), nullable=True),
        sa.Column("completed_at", shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("refused_code", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_data_requests_foundation", "data_requests", ["foundation", "status", "due_by"]
    )
    op.create_index("ix_data_requests_client_id", "data_requests", ["client_id"])
    op.create_table(
        "data_request_parts",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("answered_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("content", shared.crypto.EncryptedText(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["data_requests.id"]),
        sa.PrimaryKeyConstraint("request_id", "service"),
    )


def downgrade() -> None:
    op.drop_table("data_request_parts")
    op.drop_index("ix_data_requests_client_id", table_name="data_requests")
    op.drop_index("ix_data_requests_foundation", table_name="data_requests")
    op.drop_table("data_requests")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("foundations") as batch:
        batch.drop_column("retention_years")
