"""family answers: session RSVPs, follow-up check-ins

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 19:44:30.879847
"""

import sqlalchemy as sa
from alembic import op

import shared.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_family_rsvps",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("answered_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reply_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
        ),
        sa.PrimaryKeyConstraint("session_id", "contact_id"),
    )
    with op.batch_alter_table("session_family_rsvps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_family_rsvps_client_id"), ["client_id"], unique=False
        )

    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_checkin", sa.String(length=8), nullable=True))
        batch_op.add_column(
            sa.Column("family_checkin_at", shared.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.drop_column("family_checkin_at")
        batch_op.drop_column("family_checkin")

    with op.batch_alter_table("session_family_rsvps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_family_rsvps_client_id"))

    op.drop_table("session_family_rsvps")
