"""an account's language is optional: none until it signs in or chooses one

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.alter_column("locale", existing_type=sa.String(length=8), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE accounts SET locale = 'id' WHERE locale IS NULL")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.alter_column("locale", existing_type=sa.String(length=8), nullable=False)
