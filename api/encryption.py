"""Personal data encrypted in the database: Fernet (AES-128-CBC with HMAC-SHA256, from the
`cryptography` package) with the keys of HELPLINE_DATA_KEYS, newest first, and column types
that encrypt on the way in and decrypt on the way out, so that services never see a token.

Older keys still decrypt (MultiFernet), which lets a new key be put in front of the list at
once; `helpline rotate-key` then re-encrypts every row with it, and the old key can go.

The staff search cannot look inside ciphertext, so beside it a case keeps keyed hashes
(HMAC-SHA256) of its normalised words: `search_token` of each key, derived from that key with
HKDF so that the hashing key is never the encryption key.

The keys are the process's configuration, set once at start (`use`) like the settings: the
column types have no other way to reach them."""

import hashlib
import hmac
import json
from base64 import urlsafe_b64decode
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from api.at_rest import write_private

SEARCH_TOKEN_BYTES = 8  # 16 hex characters: no two words of a helpline's data share one
NEW_KEY_COMMAND = (
    "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


class DataKeyError(RuntimeError):
    """No key, a malformed key, or data that none of the keys decrypts."""


def _search_key(key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"helpline search terms")
    return hkdf.derive(urlsafe_b64decode(key))


class KeyRing:
    """The data keys, newest first: the newest encrypts, any of them decrypts."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise DataKeyError("no data key given")
        for position, key in enumerate(keys, start=1):
            try:
                Fernet(key)
            except ValueError:
                raise DataKeyError(
                    f"data key {position} is not a Fernet key (32 bytes, URL-safe base64); "
                    f"make one with: {NEW_KEY_COMMAND}"
                ) from None
        self.keys = tuple(keys)
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        self._search_keys = tuple(_search_key(key) for key in keys)

    @classmethod
    def parse(cls, text: str) -> "KeyRing":
        """Keys separated by commas, newest first."""
        return cls(tuple(key.strip() for key in text.split(",") if key.strip()))

    def encrypt(self, data: bytes) -> str:
        return self._fernet.encrypt(data).decode("ascii")

    def decrypt(self, token: str) -> bytes:
        try:
            return self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            raise DataKeyError(
                "a stored value is not decrypted by any key of HELPLINE_DATA_KEYS "
                "(was a key removed before `helpline rotate-key` ran?)"
            ) from None

    def rotate(self, token: str) -> str:
        """The same data encrypted with the newest key."""
        return self.encrypt(self.decrypt(token))

    def search_tokens(self, term: str) -> list[str]:
        """The keyed hash of `term` under each key, newest first (a case indexed before a
        rotation is found until it is re-indexed)."""
        return [_token(key, term) for key in self._search_keys]

    def search_token(self, term: str) -> str:
        """The keyed hash of `term` under the newest key: what a case is indexed with."""
        return _token(self._search_keys[0], term)


def _token(key: bytes, term: str) -> str:
    digest = hmac.new(key, term.encode("utf-8"), hashlib.sha256).digest()
    return digest[:SEARCH_TOKEN_BYTES].hex()


_current: KeyRing | None = None


def use(keyring: KeyRing) -> None:
    """Make `keyring` the one the encrypted columns use in this process."""
    global _current
    _current = keyring


def keyring() -> KeyRing:
    if _current is None:
        raise DataKeyError("no data key configured: set HELPLINE_DATA_KEYS")
    return _current


def from_text(text: str | None) -> KeyRing:
    """The keys of HELPLINE_DATA_KEYS; refused, saying how to make one, when unset."""
    if not text or not text.strip():
        raise DataKeyError(
            "HELPLINE_DATA_KEYS must be set: the key that encrypts reporters' data in the "
            f"database. Make one with\n  {NEW_KEY_COMMAND}\nand keep it safe (a lost key is "
            "lost data); several keys, comma-separated, newest first, during a rotation."
        )
    return KeyRing.parse(text)


def development_key(folder: Path) -> str:
    """A key kept in `folder` (0600), made on first use: for the demo and `helpline chat`,
    whose data is not real."""
    path = folder / "data-key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_private(path, Fernet.generate_key())
    return path.read_text(encoding="ascii").strip()


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token. An empty text stays empty: it tells nothing, and erasure
    and retention compare with it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if not value:
            return value
        return keyring().encrypt(value.encode("utf-8"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if not value:
            return value
        return keyring().decrypt(value).decode("utf-8")


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document stored as one Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        document = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return keyring().encrypt(document.encode("utf-8"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(keyring().decrypt(value))


def encrypted_columns(tables: Sequence[Any]) -> list[tuple[str, str]]:
    """(table, column) of every encrypted column of these tables."""
    return [
        (table.name, column.name)
        for table in tables
        for column in table.columns
        if isinstance(column.type, EncryptedText | EncryptedJSON)
    ]


def random_key() -> str:
    """A new key (tests and benchmarks of a database of their own)."""
    return Fernet.generate_key().decode("ascii")
