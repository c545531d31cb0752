"""Where report photos are kept: a small interface, a local folder by default. A photo shows
the person it is about (and a phone's camera may write their name into it): it is kept
encrypted with the data key, like the reporters' words in the database."""

import asyncio
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

from api import encryption
from api.at_rest import private_folder, write_private
from api.encryption import KeyRing
from api.errors import DomainError, NotFound

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {  # content type -> (magic bytes at the start, file extension)
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
}


class Storage(Protocol):
    async def save(self, data: bytes, content_type: str) -> str:
        """Keep a photo (refused by `check_photo` unless JPEG or PNG, 5 MB at most); its key."""
        ...

    async def open(self, key: str) -> bytes:
        """The data kept under `key`; NotFound when there is none."""
        ...

    async def delete(self, key: str) -> None:
        """Forget `key`; nothing happens when it is unknown."""
        ...

    async def kept_before(self, moment: datetime) -> list[str]:
        """The keys of the photos kept before `moment` (retention looks for orphans in them)."""
        ...

    async def rotate(self, keys: KeyRing) -> int:
        """Encrypt every photo with the newest of `keys` (`helpline rotate-key`); how many."""
        ...


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def check_photo(data: bytes, content_type: str) -> None:
    """Refuse anything but a JPEG or PNG image of at most 5 MB, whatever its header claims."""
    if len(data) > MAX_PHOTO_BYTES:
        raise DomainError("the photo is larger than 5 MB", code="photo_too_large", status_code=413)
    kind = PHOTO_TYPES.get(_media_type(content_type))
    if kind is None:
        raise DomainError(
            "send the photo as image/jpeg or image/png",
            code="unsupported_photo_type",
            status_code=415,
        )
    if not data.startswith(kind[0]):
        raise DomainError(
            f"the data is not a {_media_type(content_type)} image",
            code="not_an_image",
            status_code=415,
        )


class LocalFolderStorage:
    """Photos as files named by a random key in one folder (HELPLINE_UPLOADS_DIR), the folder
    0700 and each file 0600: readable by the helpline's system user only, and each file a
    Fernet token of the photo under the data key. A file kept before photos were encrypted
    (it starts as an image does) is read as it is until `rotate` encrypts it."""

    _KEY = re.compile(r"[0-9a-f]{32}\.(jpg|png)")

    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        if not self._KEY.fullmatch(key):
            raise NotFound(f"no upload {key!r}", code="unknown_upload")
        return self.root / key

    async def save(self, data: bytes, content_type: str) -> str:
        check_photo(data, content_type)
        key = f"{uuid.uuid4().hex}.{PHOTO_TYPES[_media_type(content_type)][1]}"
        sealed = encryption.keyring().encrypt(data).encode("ascii")
        await asyncio.to_thread(self._write, self.root / key, sealed)
        return key

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        private_folder(path.parent, tighten=True)
        partial = path.with_suffix(".part")
        write_private(partial, data)
        partial.replace(path)

    async def open(self, key: str) -> bytes:
        path = self._path(key)
        try:
            stored = await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError as error:
            raise NotFound(f"no upload {key!r}", code="unknown_upload") from error
        return _opened(stored, encryption.keyring())

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def kept_before(self, moment: datetime) -> list[str]:
        return await asyncio.to_thread(self._kept_before, moment.timestamp())

    def _kept_before(self, timestamp: float) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            path.name
            for path in self.root.iterdir()
            if self._KEY.fullmatch(path.name) and path.stat().st_mtime < timestamp
        )

    async def rotate(self, keys: KeyRing) -> int:
        return await asyncio.to_thread(self._rotate, keys)

    def _rotate(self, keys: KeyRing) -> int:
        if not self.root.is_dir():
            return 0
        done = 0
        for path in sorted(self.root.iterdir()):
            if not self._KEY.fullmatch(path.name):
                continue
            try:
                stored = path.read_bytes()
            except FileNotFoundError:  # deleted meanwhile (retention, an erasure)
                continue
            partial = path.with_suffix(".part")
            write_private(partial, keys.encrypt(_opened(stored, keys)).encode("ascii"))
            if not path.exists():  # erased meanwhile: it must not come back
                partial.unlink()
                continue
            partial.replace(path)
            done += 1
        return done


def _opened(stored: bytes, keys: KeyRing) -> bytes:
    """The photo a file holds: decrypted, or as it is if kept before photos were encrypted."""
    if any(stored.startswith(magic) for magic, _extension in PHOTO_TYPES.values()):
        return stored
    return keys.decrypt(stored.decode("ascii", errors="replace"))
