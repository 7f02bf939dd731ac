"""Transport keys: how a client's key crosses the broker without outliving an erasure.

An event's personal values are under the producing service's key for the client
(``shared.client_keys``); its consumers need that key to read them. Wrapping it under the
deployment data key would leave it readable, for as long as that key lives, in every copy
of the broker's append-only file and its backups, erasure or not. Instead each service
holds an X25519 key pair per day (its **transport key**), keeps the private half in its own
key store and publishes the public half (``transport_key.<service>`` events, and
``pendamping migrate`` installs the first ones directly). The relay seals the client key to
each subscriber's newest public key (an ephemeral X25519 exchange, HKDF-SHA256, Fernet) in
the envelope's ``client_keys``; the subscriber opens its box with its private key. A private
key is destroyed :data:`KEEP_DAYS` after it was made: from then on no copy of an envelope
sealed to it opens, whatever else survives, and after an erasure the client's own keys are
gone too. Only while a subscriber has published no key yet does the relay fall back to
the data-key wrapping (``client_key``), and it logs that it did.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column, String, Table, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from shared.client_keys import KEY_METADATA, ClientKey, KeyStore, key_id_of

log = logging.getLogger(__name__)

KEEP_DAYS = 7  # a private transport key lives this long; a new pair is made each day
CACHE_SECONDS = 60.0
_RAW = serialization.Encoding.Raw


def _table() -> Table:
    from shared.crypto import EncryptedText
    from shared.db import UTCDateTime

    return Table(
        "transport_keys",
        KEY_METADATA,
        Column("service", String(16), primary_key=True),
        Column("key_id", String(40), primary_key=True),
        Column("public_key", String(64), nullable=False),
        # only the owning service's rows have one, under the deployment data keys
        Column("private_key", EncryptedText(), nullable=True),
        Column("created_at", UTCDateTime(), nullable=False),
        # an own key: when its publication went to the outbox (it goes again until then)
        Column("published_at", UTCDateTime(), nullable=True),
        Column("destroyed_at", UTCDateTime(), nullable=True),
    )


TRANSPORT_KEYS = _table()


def key_id_for(service: str, now: datetime) -> str:
    """The day's key of ``service`` (one per UTC day: made by whichever process is first)."""
    return f"{service}-{now:%Y%m%d}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


def _box_key(shared_secret: bytes, key_id: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"pendamping-transport:" + key_id.encode("ascii"),
    ).derive(shared_secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(public: X25519PublicKey, key_id: str, secret: bytes) -> dict[str, str]:
    """``secret`` sealed so that only the holder of ``key_id``'s private half opens it."""
    ephemeral = X25519PrivateKey.generate()
    box = _box_key(ephemeral.exchange(public), key_id).encrypt(secret)
    return {
        "key_id": key_id,
        "epk": _b64(ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)),
        "box": box.decode("ascii"),
    }


def open_sealed(private: X25519PrivateKey, sealed: dict[str, Any]) -> bytes | None:
    """What :func:`seal` sealed, or ``None`` when it does not open with ``private``."""
    try:
        ephemeral = X25519PublicKey.from_public_bytes(_unb64(str(sealed["epk"])))
        box = _box_key(private.exchange(ephemeral), str(sealed["key_id"]))
        return box.decrypt(str(sealed["box"]).encode("ascii"))
    except (KeyError, ValueError, TypeError, InvalidToken):
        return None


class TransportKeys:
    """A service's view of the transport keys in its key store: its own pairs and the
    public keys of the others."""

    def __init__(self, store: KeyStore):
        self.store = store
        self._lock = threading.Lock()
        self._newest: dict[str, tuple[tuple[str, X25519PublicKey] | None, float]] = {}
        self._private: dict[tuple[str, str], X25519PrivateKey | None] = {}

    @property
    def db(self):
        return self.store.db

    def ensure_own(self, service: str, now: datetime) -> tuple[str, str] | None:
        """Make ``service``'s key of the day if nobody has; returns ``(key_id, public)``
        when this call made it (the caller publishes it), else ``None``."""
        key_id = key_id_for(service, now)
        t = TRANSPORT_KEYS
        with self.db.reading() as session:
            if session.execute(
                select(t.c.key_id).where(and_(t.c.service == service, t.c.key_id == key_id))
            ).first():
                return None
        private = X25519PrivateKey.generate()
        public = _b64(private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw))
        secret = _b64(
            private.private_bytes(
                _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
        )
        try:
            with self.db.transaction() as session:
                session.execute(
                    insert(t).values(
                        service=service,
                        key_id=key_id,
                        public_key=public,
                        private_key=secret,
                        created_at=now,
                    )
                )
        except IntegrityError:
            return None  # another process made it first
        self._newest.pop(service, None)
        return key_id, public

    def install_public(self, service: str, key_id: str, public: str, created_at: datetime) -> bool:
        """Remember another service's published public key (idempotent)."""
        X25519PublicKey.from_public_bytes(_unb64(public))  # refuse what is not a key
        try:
            with self.db.transaction() as session:
                session.execute(
                    insert(TRANSPORT_KEYS).values(
                        service=service, key_id=key_id, public_key=public, created_at=created_at
                    )
                )
        except IntegrityError:
            return False
        self._newest.pop(service, None)
        return True

    def own_public(self, service: str) -> tuple[str, str, datetime] | None:
        """``service``'s newest own key as ``(key_id, public, created_at)``."""
        t = TRANSPORT_KEYS
        with self.db.reading() as session:
            row = session.execute(
                select(t.c.key_id, t.c.public_key, t.c.created_at)
                .where(and_(t.c.service == service, t.c.private_key.is_not(None)))
                .order_by(t.c.created_at.desc())
                .limit(1)
            ).first()
        return (row.key_id, row.public_key, row.created_at) if row else None

    def newest_public(self, service: str) -> tuple[str, X25519PublicKey] | None:
        """The key to seal to for ``service``: its newest public key known here."""
        entry = self._newest.get(service)
        if entry is not None and entry[1] > time.monotonic():
            return entry[0]
        t = TRANSPORT_KEYS
        with self.db.reading() as session:
            row = session.execute(
                select(t.c.key_id, t.c.public_key)
                .where(and_(t.c.service == service, t.c.destroyed_at.is_(None)))
                .order_by(t.c.created_at.desc(), t.c.key_id.desc())
                .limit(1)
            ).first()
        found = (
            (row.key_id, X25519PublicKey.from_public_bytes(_unb64(row.public_key))) if row else None
        )
        with self._lock:
            self._newest[service] = (found, time.monotonic() + CACHE_SECONDS)
        return found

    def private(self, service: str, key_id: str) -> X25519PrivateKey | None:
        cached = self._private.get((service, key_id))
        if cached is not None:
            return cached
        t = TRANSPORT_KEYS
        with self.db.reading() as session:
            secret = session.execute(
                select(t.c.private_key).where(and_(t.c.service == service, t.c.key_id == key_id))
            ).scalar()
        if not secret:
            return None
        key = X25519PrivateKey.from_private_bytes(_unb64(secret))
        with self._lock:
            self._private[(service, key_id)] = key
        return key

    def destroy_old(self, service: str, now: datetime, keep_days: int = KEEP_DAYS) -> int:
        """Destroy ``service``'s private keys older than ``keep_days``, and forget the
        others' public keys as old: envelopes sealed to them no longer open anywhere. The
        newest key of each service is kept whatever its age (a service whose rotation
        stopped still reads what is sealed to it)."""
        t = TRANSPORT_KEYS
        before = now - timedelta(days=keep_days)
        destroyed = 0
        with self.db.transaction() as session:
            rows = session.execute(
                select(t.c.service, t.c.key_id, t.c.created_at)
                .where(t.c.destroyed_at.is_(None))
                .order_by(t.c.service, t.c.created_at.desc(), t.c.key_id.desc())
            ).all()
            newest: set[str] = set()
            for row in rows:
                if row.service not in newest:
                    newest.add(row.service)
                    continue
                if row.created_at < before:
                    session.execute(
                        update(t)
                        .where(and_(t.c.service == row.service, t.c.key_id == row.key_id))
                        .values(private_key=None, destroyed_at=now)
                    )
                    destroyed += row.service == service
        with self._lock:
            self._private.clear()
            self._newest.clear()
        return destroyed

    def unpublished(self, service: str) -> list[tuple[str, str, datetime]]:
        """``service``'s own keys whose publication has not gone out yet."""
        t = TRANSPORT_KEYS
        with self.db.reading() as session:
            rows = session.execute(
                select(t.c.key_id, t.c.public_key, t.c.created_at).where(
                    and_(
                        t.c.service == service,
                        t.c.private_key.is_not(None),
                        t.c.published_at.is_(None),
                    )
                )
            ).all()
        return [(r.key_id, r.public_key, r.created_at) for r in rows]

    def mark_published(self, service: str, key_id: str, now: datetime) -> None:
        t = TRANSPORT_KEYS
        with self.db.transaction() as session:
            session.execute(
                update(t)
                .where(and_(t.c.service == service, t.c.key_id == key_id))
                .values(published_at=now)
            )

    # --- the envelope's boxes --------------------------------------------------------

    def boxes_for(self, key: ClientKey, subscribers: tuple[str, ...]) -> tuple[dict, list[str]]:
        """``key`` sealed to each subscriber's newest transport key; also the subscribers
        that have none yet."""
        boxes, missing = {}, []
        for subscriber in subscribers:
            public = self.newest_public(subscriber)
            if public is None:
                missing.append(subscriber)
                continue
            boxes[subscriber] = seal(public[1], public[0], key.raw)
        return boxes, missing

    def open_box(self, service: str, client_id: str, sealed: Any) -> ClientKey | None:
        if not isinstance(sealed, dict) or not isinstance(sealed.get("key_id"), str):
            return None
        private = self.private(service, sealed["key_id"])
        if private is None:
            return None
        raw = open_sealed(private, sealed)
        if raw is None:
            return None
        try:
            Fernet(raw)
        except ValueError:
            return None
        return ClientKey(client_id, key_id_of(raw), Fernet(raw), raw)


def install_everywhere(stores: dict[str, KeyStore], now: datetime) -> None:
    """``pendamping migrate``: give each service its key of the day and every other
    service its public half, so the first events are sealed without waiting for a
    publication to travel."""
    keys = {service: TransportKeys(store) for service, store in stores.items()}
    for service, own in keys.items():
        own.ensure_own(service, now)
        published = own.own_public(service)
        if published is None:
            continue
        for other, theirs in keys.items():
            if other != service:
                theirs.install_public(service, *published)
        own.mark_published(service, published[0], now)  # installed: no event needed


def rotate(runtime, now: datetime) -> int:
    """A service's hourly turn (``<service>.rotate_transport_key``): make the day's key,
    publish what is unpublished (through the outbox: at least once; installing is
    idempotent), destroy what is past :data:`KEEP_DAYS`. Returns the keys published."""
    store = runtime.db.key_store
    if store is None:
        return 0
    transport: TransportKeys = store.transport
    transport.ensure_own(runtime.name, now)
    published = 0
    for key_id, public, created_at in transport.unpublished(runtime.name):
        with runtime.unit_of_work() as uow:
            uow.emit(
                f"transport_key.{runtime.name}",
                subject=key_id,
                foundation=None,
                data={
                    "service": runtime.name,
                    "key_id": key_id,
                    "public_key": public,
                    "created_at": created_at,
                },
            )
        transport.mark_published(runtime.name, key_id, now)
        published += 1
    transport.destroy_old(runtime.name, now)
    return published


def install_published(uow, event, newer: bool) -> None:
    """Handler of ``transport_key.<other service>``: seal to that key from now on."""
    store = uow.db.key_store
    if store is None:
        return
    data = event.data
    store.transport.install_public(
        data["service"], data["key_id"], data["public_key"], data["created_at"]
    )
