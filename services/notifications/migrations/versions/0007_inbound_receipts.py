"""the inbound webhook's receipts: provider message ids already taken

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_receipts",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_inbound_receipts_received_at", "inbound_receipts", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_inbound_receipts_received_at", table_name="inbound_receipts")
    op.drop_table("inbound_receipts")
