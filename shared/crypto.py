"""Personal-data encryption.

Names, phones, emails, message bodies and note text never reach a database, Redis or a log
in plaintext. ``DataCipher`` wraps ``cryptography``'s MultiFernet: the first key encrypts,
every key decrypts, so a key is rotated by putting a new one first in
``PENDAMPING_DATA_KEY`` (comma-separated) and re-encrypting with :meth:`DataCipher.rotate`.

``blind_index`` gives a keyed hash for equality look-ups (NIK, name tokens) without
decrypting; it uses a key derived from the *last* data key, the one that stays in the list
longest during a rotation.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator


class DecryptionError(ValueError):
    """A ciphertext was made with a key this process does not hold."""


class DataCipher:
    """Encrypts and decrypts personal data with the deployment's data keys."""

    def __init__(self, keys: Sequence[str | bytes]):
        if not keys:
            raise ValueError("at least one data key is needed")
        raw = [k.encode() if isinstance(k, str) else bytes(k) for k in keys]
        self._fernet = MultiFernet([Fernet(k) for k in raw])
        self._index_key = hashlib.sha256(b"pendamping-blind-index:" + raw[-1]).digest()

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise DecryptionError("ciphertext does not match any data key") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` under the current first key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def blind_index(self, value: str) -> str:
        """A keyed hash of ``value`` for equality look-ups without decryption."""
        return hmac.new(self._index_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


_cipher: DataCipher | None = None


def configure(keys: Sequence[str | bytes]) -> DataCipher:
    """Install the process-wide cipher (done once by each service's ``create_app``)."""
    global _cipher
    _cipher = DataCipher(keys)
    return _cipher


def cipher() -> DataCipher:
    if _cipher is None:
        raise RuntimeError("shared.crypto.configure() has not been called")
    return _cipher


class EncryptedText(TypeDecorator):
    """A column whose value is stored as Fernet ciphertext and read back as ``str``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else cipher().encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else cipher().decrypt(value)
