"""family conversation: replies, contacts found by blind index, SMS fallbacks

Adds the replies table, the blind indexes of each family contact's phone and e-mail (filled
here for the contacts already known, so a family that answers right after the upgrade is
recognised) and ``messages.fallback_of``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 20:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

from services.notifications.addresses import optional_index
from shared.alembic_env import data_cipher
from shared.crypto import EncryptedText
from shared.db import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("foundation", sa.String(length=40), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("text", EncryptedText(), nullable=False),
        sa.Column("intent", sa.String(length=16), nullable=False),
        sa.Column("in_reply_to", sa.String(length=36), nullable=True),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("followup_id", sa.String(length=36), nullable=True),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.Column("read_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_replies_client", "replies", ["foundation", "client_id", "received_at"])
    op.create_index("ix_replies_contact", "replies", ["foundation", "contact_id", "received_at"])
    with op.batch_alter_table("family_contacts") as batch_op:
        batch_op.add_column(sa.Column("phone_index", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("email_index", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_family_contacts_phone_index", ["phone_index"])
        batch_op.create_index("ix_family_contacts_email_index", ["email_index"])
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("fallback_of", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_messages_fallback_of", ["fallback_of"])

    contacts = sa.table(
        "family_contacts",
        sa.column("id", sa.String),
        sa.column("phone", EncryptedText()),
        sa.column("email", EncryptedText()),
        sa.column("phone_index", sa.String),
        sa.column("email_index", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(contacts.c.id, contacts.c.phone, contacts.c.email)).all()
    if rows:
        data_cipher()  # the indexes below need the deployment's keys
    for contact_id, phone, email in rows:
        bind.execute(
            contacts.update()
            .where(contacts.c.id == contact_id)
            .values(phone_index=optional_index(phone), email_index=optional_index(email))
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_index("ix_messages_fallback_of")
        batch_op.drop_column("fallback_of")
    with op.batch_alter_table("family_contacts") as batch_op:
        batch_op.drop_index("ix_family_contacts_email_index")
        batch_op.drop_index("ix_family_contacts_phone_index")
        batch_op.drop_column("email_index")
        batch_op.drop_column("phone_index")
    op.drop_index("ix_replies_contact", table_name="replies")
    op.drop_index("ix_replies_client", table_name="replies")
    op.drop_table("replies")
