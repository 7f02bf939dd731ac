"""referral and partners: partners, referrals and their changes, transfers between
foundations, the care summary behind the report to a compulsory referrer

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
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("transferred_to_foundation", sa.String(40), nullable=True))
        batch.add_column(sa.Column("transferred_to_client_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("transferred_from_foundation", sa.String(40), nullable=True))
        batch.add_column(sa.Column("transferred_from_client_id", sa.String(36), nullable=True))
    op.create_table(
        "partners",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("email", shared.crypto.EncryptedText(), nullable=True),
        sa.Column("phone", shared.crypto.EncryptedText(), nullable=True),
        sa.Column("foundation_slug", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_partners_foundation", "partners", ["foundation", "active", "name"])
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("partner_id", sa.String(length=36), nullable=False),
        sa.Column("to_foundation", sa.String(length=40), nullable=True),
        sa.Column("reason", shared.crypto.EncryptedText(), nullable=False),
        sa.Column("share", sa.String(length=60), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("override_reason", shared.crypto.EncryptedText(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_client_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_referrals_client_id", "referrals", ["client_id"])
    op.create_index("ix_referrals_partner_id", "referrals", ["partner_id"])
    op.create_index("ix_referrals_foundation", "referrals", ["foundation", "status", "created_at"])
    op.create_index(
        "ix_referrals_to_foundation", "referrals", ["to_foundation", "status", "created_at"]
    )
    op.create_table(
        "referral_changes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("note", shared.crypto.EncryptedText(), nullable=True),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_referral_changes_referral_id", "referral_changes", ["referral_id"])
    op.create_table(
        "care_summaries",
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("attended", sa.Integer(), nullable=False),
        sa.Column("absent", sa.Integer(), nullable=False),
        sa.Column("excused", sa.Integer(), nullable=False),
        sa.Column("last_attended_on", sa.Date(), nullable=True),
        sa.Column("program_name", sa.String(length=120), nullable=True),
        sa.Column("placed_on", sa.Date(), nullable=True),
        sa.Column("placement_ended_on", sa.Date(), nullable=True),
        sa.Column("followups", sa.Text(), nullable=False),
        sa.Column("as_of", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id"),
    )


def downgrade() -> None:
    op.drop_table("care_summaries")
    op.drop_index("ix_referral_changes_referral_id", table_name="referral_changes")
    op.drop_table("referral_changes")
    op.drop_index("ix_referrals_to_foundation", table_name="referrals")
    op.drop_index("ix_referrals_foundation", table_name="referrals")
    op.drop_index("ix_referrals_partner_id", table_name="referrals")
    op.drop_index("ix_referrals_client_id", table_name="referrals")
    op.drop_table("referrals")
    op.drop_index("ix_partners_foundation", table_name="partners")
    op.drop_table("partners")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("transferred_from_client_id")
        batch.drop_column("transferred_from_foundation")
        batch.drop_column("transferred_to_client_id")
        batch.drop_column("transferred_to_foundation")
