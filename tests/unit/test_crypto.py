"""DataCipher: encryption, key rotation and blind indexes."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared import crypto
from shared.crypto import DataCipher, DecryptionError


def new_key() -> str:
    return Fernet.generate_key().decode()


OLD_KEY = new_key()
NEW_KEY = new_key()
OTHER_KEY = new_key()

PLAINTEXTS = [
    "Siti Rahmawati",
    "+6281234567890",
    "budi@example.org",
    "",
    "Catatan: klien mengalami krisis 😟 — hubungi konselor",
    "x" * 5000,
]


@pytest.mark.parametrize("plaintext", PLAINTEXTS)
def test_round_trip(plaintext):
    cipher = DataCipher([NEW_KEY])
    token = cipher.encrypt(plaintext)
    assert isinstance(token, str)
    assert token != plaintext
    if plaintext:
        assert plaintext not in token
    assert cipher.decrypt(token) == plaintext


@pytest.mark.parametrize("plaintext", PLAINTEXTS)
def test_two_encryptions_differ(plaintext):
    cipher = DataCipher([NEW_KEY])
    first, second = cipher.encrypt(plaintext), cipher.encrypt(plaintext)
    assert first != second
    assert cipher.decrypt(first) == cipher.decrypt(second) == plaintext


@pytest.mark.parametrize("plaintext", ["Siti", "+6281234567890", ""])
def test_new_key_first_still_reads_old_ciphertext(plaintext):
    old = DataCipher([OLD_KEY])
    rotated = DataCipher([NEW_KEY, OLD_KEY])
    assert rotated.decrypt(old.encrypt(plaintext)) == plaintext


@pytest.mark.parametrize("plaintext", ["Siti", "+6281234567890", ""])
def test_rotate_reencrypts_under_the_first_key(plaintext):
    old_token = DataCipher([OLD_KEY]).encrypt(plaintext)
    rotated = DataCipher([NEW_KEY, OLD_KEY]).rotate(old_token)
    assert rotated != old_token
    only_new = DataCipher([NEW_KEY])
    assert only_new.decrypt(rotated) == plaintext
    with pytest.raises(DecryptionError):
        only_new.decrypt(old_token)


@pytest.mark.parametrize(
    ("writer_keys", "reader_keys"),
    [
        ([OLD_KEY], [OTHER_KEY]),
        ([NEW_KEY, OLD_KEY], [OTHER_KEY]),
        ([OLD_KEY], [NEW_KEY, OTHER_KEY]),
    ],
)
def test_unrelated_key_raises_decryption_error(writer_keys, reader_keys):
    token = DataCipher(writer_keys).encrypt("Siti")
    with pytest.raises(DecryptionError):
        DataCipher(reader_keys).decrypt(token)


@pytest.mark.parametrize("garbage", ["not-a-token", "", "gAAAAAB"])
def test_garbage_raises_decryption_error(garbage):
    with pytest.raises(DecryptionError):
        DataCipher([NEW_KEY]).decrypt(garbage)


def test_decryption_error_is_a_value_error():
    assert issubclass(DecryptionError, ValueError)


def test_no_keys_is_refused():
    with pytest.raises(ValueError):
        DataCipher([])


@pytest.mark.parametrize("value", ["3171234567890001", "siti", "budi", ""])
def test_blind_index_is_deterministic(value):
    first = DataCipher([OLD_KEY]).blind_index(value)
    second = DataCipher([OLD_KEY]).blind_index(value)
    assert first == second
    assert len(first) == 64
    int(first, 16)
    assert value == "" or value not in first


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("3171234567890001", "3171234567890002"),
        ("siti", "Siti"),
        ("siti", "siti "),
        ("budi", "sita"),
    ],
)
def test_blind_index_differs_across_values(a, b):
    cipher = DataCipher([OLD_KEY])
    assert cipher.blind_index(a) != cipher.blind_index(b)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ([OLD_KEY], [NEW_KEY, OLD_KEY]),
        ([NEW_KEY, OLD_KEY], [OTHER_KEY, NEW_KEY, OLD_KEY]),
    ],
)
@pytest.mark.parametrize("value", ["3171234567890001", "siti"])
def test_blind_index_stable_across_rotation_keeping_last_key(before, after, value):
    assert DataCipher(before).blind_index(value) == DataCipher(after).blind_index(value)


@pytest.mark.parametrize(
    ("a", "b"), [([OLD_KEY], [NEW_KEY]), ([NEW_KEY, OLD_KEY], [OLD_KEY, NEW_KEY])]
)
def test_blind_index_depends_on_the_last_key(a, b):
    assert DataCipher(a).blind_index("siti") != DataCipher(b).blind_index("siti")


def test_module_cipher_is_the_configured_one(monkeypatch):
    monkeypatch.setattr(crypto, "_cipher", None)
    with pytest.raises(RuntimeError):
        crypto.cipher()
    installed = crypto.configure([NEW_KEY])
    assert crypto.cipher() is installed
    assert DataCipher([NEW_KEY]).decrypt(crypto.cipher().encrypt("Siti")) == "Siti"


def test_bytes_keys_are_accepted():
    cipher = DataCipher([Fernet.generate_key()])
    assert cipher.decrypt(cipher.encrypt("Siti")) == "Siti"


class Base(DeclarativeBase):
    pass


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(crypto.EncryptedText())
    phone: Mapped[str | None] = mapped_column(crypto.EncryptedText())
    note: Mapped[str | None] = mapped_column(String(20))


def test_sealed_columns_read_the_same_and_are_stored_as_sealed(monkeypatch):
    monkeypatch.setattr(crypto, "_cipher", None)
    crypto.configure([NEW_KEY])
    person = Person(name="Siti Rahmawati", phone=None, note="plain")
    crypto.seal_columns(person)
    assert person.name == "Siti Rahmawati" and person.phone is None and person.note == "plain"
    assert not isinstance(person.note, crypto.Sealed)  # not an encrypted column
    stored = crypto.EncryptedText().process_bind_param(person.name, None)
    assert stored == person.name.ciphertext  # encrypted once, ahead of the write
    assert DataCipher([NEW_KEY]).decrypt(stored) == "Siti Rahmawati"
    crypto.seal_columns(person)  # sealing again keeps the first ciphertext
    assert crypto.EncryptedText().process_bind_param(person.name, None) == stored


# --- retiring a data key ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("writer_keys", "reader_keys", "current"),
    [
        ([NEW_KEY], [NEW_KEY, OLD_KEY], True),
        ([OLD_KEY], [NEW_KEY, OLD_KEY], False),
        ([OTHER_KEY], [NEW_KEY, OLD_KEY], False),
        ([NEW_KEY, OLD_KEY], [NEW_KEY], True),
    ],
)
def test_is_current_tells_whether_the_first_key_made_a_token(writer_keys, reader_keys, current):
    token = DataCipher(writer_keys).encrypt("Siti")
    assert DataCipher(reader_keys).is_current(token) is current


@pytest.mark.parametrize("garbage", ["not-a-token", "", "gAAAAAB", "é"])
def test_garbage_is_not_current(garbage):
    assert DataCipher([NEW_KEY]).is_current(garbage) is False


def test_rotated_tokens_are_current_and_keep_their_timestamp():
    old_token = DataCipher([OLD_KEY]).encrypt("Siti")
    both = DataCipher([NEW_KEY, OLD_KEY])
    rotated = both.rotate(old_token)
    assert both.is_current(rotated) and not both.is_current(old_token)
    assert Fernet(NEW_KEY).extract_timestamp(rotated.encode()) == Fernet(OLD_KEY).extract_timestamp(
        old_token.encode()
    )


@pytest.mark.parametrize("token", ["not-a-token", DataCipher([OTHER_KEY]).encrypt("Siti")])
def test_rotating_what_no_key_reads_is_a_decryption_error(token):
    with pytest.raises(DecryptionError):
        DataCipher([NEW_KEY, OLD_KEY]).rotate(token)


@pytest.mark.parametrize("keys", [[OLD_KEY], [NEW_KEY, OLD_KEY], [OTHER_KEY, NEW_KEY, OLD_KEY]])
def test_index_key_is_what_blind_indexes_use(keys):
    derived = DataCipher(keys)
    pinned = DataCipher([NEW_KEY], index_key=derived.index_key)
    assert len(derived.index_key) == 64
    assert pinned.index_key == derived.index_key
    assert pinned.blind_index("nik:3171234567890001") == derived.blind_index("nik:3171234567890001")


def test_a_pinned_index_key_ignores_the_data_keys():
    pinned = "ab" * 32
    assert DataCipher([OLD_KEY], pinned).blind_index("siti") == DataCipher(
        [NEW_KEY, OTHER_KEY], pinned
    ).blind_index("siti")
    assert DataCipher([OLD_KEY], pinned).blind_index("siti") != DataCipher([OLD_KEY]).blind_index(
        "siti"
    )


def test_the_index_key_reveals_no_data_key():
    index_key = DataCipher([OLD_KEY]).index_key
    # a Fernet key is its 16-byte signing key then its 16-byte encryption key, base64'd
    raw = base64.urlsafe_b64decode(OLD_KEY)
    assert index_key not in (OLD_KEY, raw.hex(), raw[:16].hex(), raw[16:].hex())
    assert bytes.fromhex(index_key) == crypto.derive_index_key(OLD_KEY)


@pytest.mark.parametrize("value", ["", "ab" * 31, "ab" * 33, "zz" * 32, OLD_KEY])
def test_parse_index_key_takes_only_32_bytes_of_hex(value):
    with pytest.raises(ValueError) as refused:
        crypto.parse_index_key(value)
    assert value == "" or value not in str(refused.value)


def test_a_column_once_in_clear_reads_old_clear_values_and_decrypts_the_rest():
    """A session's title, written in clear by code of an earlier release still running
    during a rolling upgrade: read as written; an encrypted one decrypted; a garbled
    token still refused."""
    crypto.configure([new_key()])
    column = crypto.EncryptedOnceClearText()
    assert column.process_result_value("Kelompok pagi", None) == "Kelompok pagi"
    sealed = column.process_bind_param("Kunjungan rumah", None)
    assert sealed.startswith("gAAAAA") and sealed != "Kunjungan rumah"
    assert column.process_result_value(sealed, None) == "Kunjungan rumah"
    with pytest.raises(DecryptionError):
        column.process_result_value(sealed[:-8] + "AAAAAAAA", None)
    assert column.process_result_value(None, None) is None
