"""early warning: risk flags, thresholds per foundation, outreach; staff roles

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 20:30:00.000000
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
    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_staff_foundation"), "staff", ["foundation"])
    op.create_table(
        "risk_flags",
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("high_since", shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("rises", sa.Integer(), nullable=False),
        sa.Column("alerted_rise", sa.Integer(), nullable=False),
        sa.Column("updated_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id"),
    )
    op.create_index(op.f("ix_risk_flags_foundation"), "risk_flags", ["foundation"])
    op.create_table(
        "risk_settings",
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("thresholds", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("foundation"),
    )
    op.create_table(
        "outreach",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("episode_id", sa.String(length=36), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("notes", shared.crypto.EncryptedText(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outreach_client", "outreach", ["foundation", "client_id", "recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_outreach_client", table_name="outreach")
    op.drop_table("outreach")
    op.drop_table("risk_settings")
    op.drop_index(op.f("ix_risk_flags_foundation"), table_name="risk_flags")
    op.drop_table("risk_flags")
    op.drop_index(op.f("ix_staff_foundation"), table_name="staff")
    op.drop_table("staff")
