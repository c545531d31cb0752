"""Personal data at rest: files only the helpline's own system user can read (0600 in 0700
folders), and nothing left behind by an erasure in a SQLite file: `secure_delete` overwrites
freed space with zeros, and a checkpoint empties the write-ahead log, which still holds the
pages as they were before the erasure."""

import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path, *, tighten: bool = False) -> None:
    """Create `path` (and missing parents) readable by its owner only. An existing folder
    keeps its mode unless `tighten` (the helpline's own folders; not a shared one like /tmp)."""
    if tighten or not path.is_dir():
        path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        path.chmod(PRIVATE_FOLDER)  # mkdir's mode is reduced by the umask


def private_file(path: Path) -> None:
    """Create `path` empty when missing, and make it readable and writable by its owner only
    (SQLite gives its -wal and -shm files the mode of the database file)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    path.chmod(PRIVATE_FILE)


def write_private(path: Path, data: bytes) -> None:
    """Write `path` as a new 0600 file, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    path.chmod(PRIVATE_FILE)


async def empty_wal(session: AsyncSession) -> None:
    """After an erasure is committed: copy the write-ahead log into the database file and
    truncate it, so that the erased values are in neither (nothing to do on PostgreSQL)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
