"""transfer summaries: the assessment and plan another foundation shared on a transfer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import shared.crypto
import shared.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfer_summaries",
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("from_foundation", sa.String(length=40), nullable=False),
        sa.Column("content", shared.crypto.EncryptedText(), nullable=False),
        sa.Column("received_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("referral_id"),
    )
    op.create_index(op.f("ix_transfer_summaries_client_id"), "transfer_summaries", ["client_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_transfer_summaries_client_id"), table_name="transfer_summaries")
    op.drop_table("transfer_summaries")
