"""sessions of one client: their title and place under that client's key

Adds ``sessions.client_id``, the only participant of a session one client takes part in
(filled here for the sessions already scheduled), and encrypts ``sessions.title`` as
``location`` already was. Existing titles are encrypted under the deployment keys here;
``pendamping rekey-clients --service assessment`` then moves the titles and places of
one-client sessions under their client's key.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 21:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

from shared.alembic_env import data_cipher
from shared.client_keys import PREFIX
from shared.crypto import EncryptedText

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SESSIONS = sa.table(
    "sessions",
    sa.column("id", sa.String),
    sa.column("client_id", sa.String),
    sa.column("title", sa.Text),
)
_PARTICIPANTS = sa.table(
    "session_participants", sa.column("session_id", sa.String), sa.column("client_id", sa.String)
)


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=36), nullable=True))
        batch_op.alter_column("title", existing_type=sa.String(length=120), type_=EncryptedText())
    bind = op.get_bind()
    sole = (
        sa.select(_PARTICIPANTS.c.session_id, sa.func.min(_PARTICIPANTS.c.client_id))
        .group_by(_PARTICIPANTS.c.session_id)
        .having(sa.func.count() == 1)
    )
    for session_id, client_id in bind.execute(sole).all():
        bind.execute(
            _SESSIONS.update().where(_SESSIONS.c.id == session_id).values(client_id=client_id)
        )
    _rewrite_titles(bind, _titles(bind), lambda cipher, title: cipher.encrypt(title))


def _titles(bind) -> list[tuple[str, str]]:
    query = sa.select(_SESSIONS.c.id, _SESSIONS.c.title).where(_SESSIONS.c.title.is_not(None))
    return [(session_id, title) for session_id, title in bind.execute(query)]


def _rewrite_titles(bind, titled: list[tuple[str, str]], rewrite) -> None:
    """Each title of ``titled`` replaced by ``rewrite(cipher, title)``."""
    if not titled:
        return
    cipher = data_cipher()
    for session_id, title in titled:
        bind.execute(
            _SESSIONS.update()
            .where(_SESSIONS.c.id == session_id)
            .values(title=rewrite(cipher, title))
        )


def downgrade() -> None:
    """Titles back to plain text: only those under the deployment keys can be read here,
    so a database whose titles were rekeyed under client keys is refused, untouched."""
    bind = op.get_bind()
    titled = _titles(bind)
    if any(title.startswith(PREFIX) for _, title in titled):
        raise RuntimeError(
            "sessions hold titles under client keys (rekey-clients ran): "
            "a downgrade below 0006 cannot read them"
        )
    _rewrite_titles(bind, titled, lambda cipher, title: cipher.decrypt(title)[:120])
    with op.batch_alter_table("sessions") as batch_op:
        batch_op.alter_column("title", existing_type=EncryptedText(), type_=sa.String(length=120))
        batch_op.drop_column("client_id")
