"""Opt-outs: an address that replied STOP/BERHENTI (or asked staff in person) gets nothing
more from that foundation, until it replies START/MULAI (or asks staff again).

Opt-outs are keyed by a blind index of the normalised address, never the address itself,
so recording one keeps nothing readable, whoever sent it.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from services.notifications.addresses import address_index, normalise_address
from services.notifications.models import Message, OptOut
from shared.db import insert_unless_present, utcnow
from shared.vocabulary import PENDING_MESSAGE_STATUSES, MessageStatus

OPTED_OUT = "recipient_opted_out"  # the reason code of a message suppressed by an opt-out


def is_opted_out(session, foundation: str, address: str) -> bool:
    """Whether ``address`` asked ``foundation`` to send it nothing more."""
    return session.get(OptOut, (foundation, address_index(address))) is not None


def opt_out(session, foundation: str, channel: str, address: str) -> int:
    """Record the opt-out (once) and suppress the address's pending messages; returns how
    many were suppressed."""
    # Two STOPs at once must not collide: the second insert simply does nothing.
    insert_unless_present(
        session,
        OptOut,
        ["foundation", "address_index"],
        foundation=foundation,
        address_index=address_index(address),
        channel=channel,
        opted_out_at=utcnow(),
    )
    wanted = normalise_address(address)
    pending = session.execute(
        select(Message).where(
            Message.foundation == foundation, Message.status.in_(PENDING_MESSAGE_STATUSES)
        )
    ).scalars()
    to_them = [m.id for m in pending if m.address and normalise_address(m.address) == wanted]
    if not to_them:
        return 0
    # read again, locked (PostgreSQL): a send claiming one of them at this moment commits
    # first, and that message, no longer pending, keeps what its send made of it
    still_pending = session.execute(
        select(Message)
        .where(Message.id.in_(to_them), Message.status.in_(PENDING_MESSAGE_STATUSES))
        .with_for_update()
    ).scalars()
    suppressed = 0
    for message in still_pending:
        message.set_status(MessageStatus.SUPPRESSED, OPTED_OUT)
        suppressed += 1
    return suppressed


def lift_opt_out(session, foundation: str, address: str) -> bool:
    """Let ``address`` receive ``foundation``'s messages again; whether it had opted out.
    Messages suppressed meanwhile stay suppressed: they were not sent when they were due."""
    removed = session.execute(
        delete(OptOut).where(
            OptOut.foundation == foundation, OptOut.address_index == address_index(address)
        )
    )
    return bool(removed.rowcount)
