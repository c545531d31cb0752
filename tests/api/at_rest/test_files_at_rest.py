"""Personal data at rest: the database file and photos readable by the helpline's user only,
and nothing of an erased report left in the bytes of the database file or the uploads."""

import stat
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from api.settings import Settings

NAME, PASSPORT, PHONE = "Maria Nenobais", "C 1234567", "081234567890"
# a JPEG with the person's name in a comment segment, as a phone camera app may write it
PHOTO = b"\xff\xd8\xff\xfe\x00\x10" + NAME.encode() + b"\x00" * 100


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"uploads_dir": tmp_path / "uploads"})


def sqlite_file(settings: Settings) -> Path:
    if not settings.is_sqlite:
        pytest.skip("only a SQLite database is a file the helpline owns")
    return Path(make_url(settings.database_url).database or "")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def stored_bytes(database: Path, uploads: Path) -> bytes:
    """Everything on disk that holds the helpline's data: the database file, its write-ahead
    log and every file in the uploads folder."""
    files = [database, database.with_name(database.name + "-wal"), *uploads.rglob("*")]
    return b"".join(path.read_bytes() for path in files if path.is_file())


async def test_the_database_and_photos_are_readable_by_the_helpline_user_only(
    api, settings, report
):
    upload = await api.post(
        "/api/v1/uploads", content=PHOTO, headers={"Content-Type": "image/jpeg"}
    )
    assert upload.status_code == 201
    await api.post("/api/v1/cases", json=report("missing", photo_upload_key=upload.json()["key"]))

    assert mode(settings.uploads_dir) == 0o700
    assert [mode(path) for path in settings.uploads_dir.iterdir()] == [0o600]
    database = sqlite_file(settings)
    for path in (database, database.with_name(database.name + "-wal")):
        assert mode(path) == 0o600, path.name


async def test_a_new_database_file_and_its_folder_are_private(tmp_path: Path):
    from api.db import create_engine, ping

    database = tmp_path / "new" / "helpline.db"
    await ping(f"sqlite+aiosqlite:///{database}")
    create_engine(f"sqlite+aiosqlite:///{database}")
    assert (mode(database.parent), mode(database)) == (0o700, 0o600)


async def test_every_connection_zeroes_what_it_deletes(api, settings):
    """Debian's SQLite zeroes by default; other builds (macOS, python.org) do not."""
    sqlite_file(settings)
    async with api._transport.app.state.sessionmaker() as session:
        assert await session.scalar(text("PRAGMA secure_delete")) == 1


async def test_delete_my_data_leaves_no_trace_in_the_database_file_or_uploads(
    api, settings, report
):
    database = sqlite_file(settings)
    channel_user = "/api/v1/conversations/telegram/5550001"
    draft = {"report": {"name": NAME, "passport_number": PASSPORT, "reporter_phone": PHONE}}
    assert (await api.put(channel_user, json={"user_data": draft})).status_code == 204
    key = (
        await api.post("/api/v1/uploads", content=PHOTO, headers={"Content-Type": "image/jpeg"})
    ).json()["key"]
    case = await api.post("/api/v1/cases", json=report("missing", photo_upload_key=key))
    reference = case.json()["reference"]
    reply = {"channel": "telegram", "channel_user_id": "5550001", "message_key": "1"}
    await api.post(
        f"/api/v1/cases/{reference}/replies", json={**reply, "text": f"{NAME} HP {PHONE}"}
    )
    before = stored_bytes(database, settings.uploads_dir)
    assert NAME.encode() in before  # the scan sees: the photo's comment (uploads are files)
    assert [value for value in (PASSPORT, PHONE) if value.encode() in before] == []  # encrypted

    assert (await api.delete("/api/v1/reporters/telegram/5550001")).status_code == 204

    after = stored_bytes(database, settings.uploads_dir)
    assert [value for value in (NAME, PASSPORT, PHONE) if value.encode() in after] == []
    assert b"kota_kupang" in after  # the anonymous case stays for the statistics
