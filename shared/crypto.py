"""Personal-data encryption.

Names, phones, emails, message bodies and note text never reach a database, Redis or a log
in plaintext. ``DataCipher`` wraps ``cryptography``'s MultiFernet: the first key encrypts,
every key decrypts, so a key is rotated by putting a new one first in
``PENDAMPING_DATA_KEY`` (comma-separated), re-encrypting what is stored with
``pendamping rotate-data-key`` (:meth:`DataCipher.rotate`, one value at a time) and then
removing the old key.

``blind_index`` gives a keyed hash for equality look-ups (NIK, date of birth, name tokens,
an opted-out address, a console email) without decrypting. Its key is deliberately *not*
one of the data keys, because blind indexes cannot be rotated the way ciphertext can:
``MultiFernet.rotate`` needs only the old ciphertext, but a new hash needs the plaintext,
and some indexes are stored without it (an opt-out keeps only the hash of the address, on
purpose). So the index key is set once and kept for the life of the deployment:

- ``PENDAMPING_INDEX_KEY`` (64 hex characters) when set: the HMAC key itself;
- otherwise the key is derived from the *last* data key, as every deployment started out.
  ``pendamping index-key`` prints that derived key, to be pinned as
  ``PENDAMPING_INDEX_KEY`` before the last data key is retired; the existing indexes then
  stay valid unchanged. The derivation is one-way (SHA-256): the pinned value indexes but
  decrypts nothing, so the retired data key really is gone.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text, event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from shared import client_keys


class DecryptionError(ValueError):
    """A ciphertext was made with a key this process does not hold."""


class ClientKeyUnavailable(DecryptionError):
    """A value under a client's key whose key is not held here (destroyed by an erasure,
    or never sent): unlike a deployment key missing, no retry will make it readable."""


class DataCipher:
    """Encrypts and decrypts personal data with the deployment's data keys."""

    def __init__(self, keys: Sequence[str | bytes], index_key: str = ""):
        """``keys``: the data keys, newest first. ``index_key``: the blind-index key as 64
        hex characters; empty, it is derived from the last data key (see the module)."""
        if not keys:
            raise ValueError("at least one data key is needed")
        raw = [k.encode() if isinstance(k, str) else bytes(k) for k in keys]
        self._primary = Fernet(raw[0])
        self._fernet = MultiFernet([Fernet(k) for k in raw])
        self._index_key = parse_index_key(index_key) if index_key else derive_index_key(raw[-1])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        if token.startswith(client_keys.PREFIX):
            try:
                return client_keys.open_value(token)
            except client_keys.KeyUnavailable as exc:
                raise ClientKeyUnavailable(str(exc)) from exc
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise DecryptionError("ciphertext does not match any data key") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` under the current first key (keeping its timestamp)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise DecryptionError("ciphertext does not match any data key") from exc

    def is_current(self, token: str) -> bool:
        """Whether ``token`` was made with the first key, so rotating it would change
        nothing (checks the token's MAC only; decrypts nothing). A value under a client's
        own key is never rotated: only its wrapped key is."""
        if token.startswith(client_keys.PREFIX):
            return True
        try:
            self._primary.extract_timestamp(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            return False
        return True

    def blind_index(self, value: str) -> str:
        """A keyed hash of ``value`` for equality look-ups without decryption."""
        return hmac.new(self._index_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    @property
    def index_key(self) -> str:
        """The blind-index key in effect, as ``PENDAMPING_INDEX_KEY`` takes it."""
        return self._index_key.hex()


def derive_index_key(data_key: str | bytes) -> bytes:
    """The blind-index key a deployment without ``PENDAMPING_INDEX_KEY`` uses: derived from
    its last data key, one-way."""
    raw = data_key.encode() if isinstance(data_key, str) else bytes(data_key)
    return hashlib.sha256(b"pendamping-blind-index:" + raw).digest()


def parse_index_key(value: str) -> bytes:
    """``PENDAMPING_INDEX_KEY``'s 64 hex characters as the key's 32 bytes (``ValueError``
    otherwise, without repeating the value)."""
    text = value.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ValueError("an index key is 64 hex characters")
    return key


_cipher: DataCipher | None = None


def configure(keys: Sequence[str | bytes], index_key: str = "") -> DataCipher:
    """Install the process-wide cipher (done once by each service's ``create_app``)."""
    global _cipher
    _cipher = DataCipher(keys, index_key)
    return _cipher


def cipher() -> DataCipher:
    if _cipher is None:
        raise RuntimeError("shared.crypto.configure() has not been called")
    return _cipher


class Sealed(str):
    """A plaintext that carries its ciphertext already: ``EncryptedText`` stores that
    instead of encrypting again. Sealing before a write transaction keeps the cipher's work
    out of the time the writer holds the database."""

    ciphertext: str


_ENCRYPTED_KEYS: dict[object, tuple[str, ...]] = {}  # per mapper: its EncryptedText attributes


def _encrypted_keys(instance: object) -> tuple[str, ...]:
    mapper = inspect(instance).mapper
    keys = _ENCRYPTED_KEYS.get(mapper)
    if keys is None:
        keys = _ENCRYPTED_KEYS[mapper] = tuple(
            attribute.key
            for attribute in mapper.column_attrs
            if isinstance(attribute.columns[0].type, EncryptedText)
        )
    return keys


def client_of(instance: object) -> str | None:
    """The client whose key seals ``instance``'s personal values: its class names the
    attribute in ``__client_key__`` (``None``: data about no client, under the deployment
    keys)."""
    attribute = getattr(type(instance), "__client_key__", None)
    if attribute is None:
        return None
    value = getattr(instance, attribute, None)
    return str(value) if value else None


def _seal(instance: object, value: str, store) -> Sealed:
    sealed = Sealed(value)
    client_id = client_of(instance) if store is not None else None
    if client_id is not None:
        foundation = getattr(instance, "foundation", None)
        sealed.ciphertext = store.for_client(client_id, foundation).seal(value)
    else:
        sealed.ciphertext = cipher().encrypt(value)
    return sealed


def seal_columns(instance: object, store=None) -> None:
    """Encrypt the values of ``instance``'s ``EncryptedText`` columns now, ahead of its
    INSERT; they read as the same strings. With ``store`` (a service's
    :class:`~shared.client_keys.KeyStore`), a client's values go under the client's key."""
    for key in _encrypted_keys(instance):
        value = getattr(instance, key)
        if isinstance(value, str) and not isinstance(value, Sealed):
            setattr(instance, key, _seal(instance, value, store))


@event.listens_for(Session, "before_flush")
def _seal_client_values(session: Session, _context, _instances) -> None:
    """Every ORM write of a client's personal value goes under the client's key: new rows
    and changed columns are sealed here, before the flush binds them."""
    store = session.info.get("key_store")
    if store is None:
        return
    for instance in (*session.new, *session.dirty):
        if getattr(type(instance), "__client_key__", None) is None:
            continue
        state = inspect(instance)
        for key in _encrypted_keys(instance):
            value = getattr(instance, key)
            if not isinstance(value, str) or isinstance(value, Sealed):
                continue
            if not state.pending and not state.attrs[key].history.has_changes():
                continue
            setattr(instance, key, _seal(instance, value, store))


class EncryptedText(TypeDecorator):
    """A column whose value is stored as Fernet ciphertext and read back as ``str``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, Sealed):
            return value.ciphertext
        return None if value is None else cipher().encrypt(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        try:
            return cipher().decrypt(value)
        except DecryptionError:
            if value.startswith(client_keys.PREFIX):
                return ERASED  # the client's key was destroyed: there is nothing to read
            raise


class EncryptedOnceClearText(EncryptedText):
    """An ``EncryptedText`` column that held plain text before it was encrypted (a
    session's title): a value that is no ciphertext (a Fernet token, ``gAAAAA…``, or a
    client value, ``c1:…``) was written in clear, by code from before the change still
    running beside the new during a rolling upgrade, and reads as it is."""

    cache_ok = True

    def process_result_value(self, value, dialect):
        if value is not None and not is_ciphertext(value):
            return value
        return super().process_result_value(value, dialect)


FERNET_MARK = "gAAAAA"  # a Fernet token's version byte and its timestamp's high bytes


def is_ciphertext(value: str) -> bool:
    """Whether a stored or sent personal value is encrypted: a Fernet token
    (``gAAAAA…``) or a client value (``c1:…``)."""
    return value.startswith((client_keys.PREFIX, FERNET_MARK))


ERASED = ""  # what a value reads as once its client's key is destroyed
