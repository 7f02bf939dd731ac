"""clients.erased_at: when a client's personal data was erased here

From then on nothing new is recorded about the client (410 ``gone``), and the early warning
leaves them out. Clients erased before this revision are marked by nothing here; their keys
are destroyed all the same, so nothing new about them can be sealed.

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
    with op.batch_alter_table("clients") as batch_op:
        batch_op.add_column(sa.Column("erased_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clients") as batch_op:
        batch_op.drop_column("erased_at")
