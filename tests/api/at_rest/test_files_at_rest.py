"""Personal data at rest: the database file and photos readable by the helpline's user only,
photos encrypted, and nothing of an erased report left in the bytes of the database file or the
uploads."""

import stat
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from api.cases.storage import LocalFolderStorage
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
    # encrypted: the photo's comment and the words
    assert [value for value in (NAME, PASSPORT, PHONE) if value.encode() in before] == []

    assert (await api.delete("/api/v1/reporters/telegram/5550001")).status_code == 204

    after = stored_bytes(database, settings.uploads_dir)
    assert [value for value in (NAME, PASSPORT, PHONE) if value.encode() in after] == []
    assert b"kota_kupang" in after  # the anonymous case stays for the statistics


async def test_a_photo_is_kept_encrypted_and_staff_see_it_as_sent(
    api, settings, report, staff_login
):
    key = (
        await api.post("/api/v1/uploads", content=PHOTO, headers={"Content-Type": "image/jpeg"})
    ).json()["key"]
    case = await api.post("/api/v1/cases", json=report("missing", photo_upload_key=key))
    stored = (settings.uploads_dir / key).read_bytes()
    assert NAME.encode() not in stored and not stored.startswith(b"\xff\xd8")
    supervisor = await staff_login("supervisor")
    photo = await api.get(
        f"/api/v1/cases/{case.json()['reference']}/photo", headers=supervisor["headers"]
    )
    assert (photo.status_code, photo.content) == (200, PHOTO)


def test_rotate_key_encrypts_photos_with_the_newest_key_and_those_kept_in_clear(
    settings, report, monkeypatch, tmp_path
):
    """A photo kept by a version that did not encrypt photos still opens; `helpline rotate-key`
    encrypts it, and re-encrypts the others, with the newest key."""
    import asyncio

    import httpx

    from api import encryption
    from api.app import create_app
    from api.encryption import DataKeyError, KeyRing
    from helpline.cli import main

    monkeypatch.setattr(encryption, "_current", encryption.keyring())  # restored afterwards
    old, new = settings.keyring().keys[0], encryption.random_key()
    clear_key = "0" * 32 + ".jpg"
    settings.uploads_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    (settings.uploads_dir / clear_key).write_bytes(PHOTO)  # as an older version kept it

    async def reports_with_photos() -> list[str]:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                client.headers["Authorization"] = "Bearer test-service-token"
                sent = await client.post(
                    "/api/v1/uploads", content=PHOTO, headers={"Content-Type": "image/jpeg"}
                )
                keys = [clear_key, sent.json()["key"]]
                for key in keys:  # a report refuses a photo it cannot open
                    made = await client.post(
                        "/api/v1/cases", json=report("missing", photo_upload_key=key)
                    )
                    assert made.status_code == 201
                return keys

    def opened(key: str) -> bytes:
        return asyncio.run(LocalFolderStorage(settings.uploads_dir).open(key))

    keys = asyncio.run(reports_with_photos())
    assert [opened(key) for key in keys] == [PHOTO, PHOTO]

    monkeypatch.chdir(tmp_path)  # no .env file
    monkeypatch.setenv("HELPLINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HELPLINE_DATA_KEYS", f"{new}, {old}")
    monkeypatch.setenv("HELPLINE_UPLOADS_DIR", str(settings.uploads_dir))
    assert main(["rotate-key"]) == 0
    assert NAME.encode() not in b"".join(p.read_bytes() for p in settings.uploads_dir.iterdir())
    assert [mode(path) for path in settings.uploads_dir.iterdir()] == [0o600, 0o600]

    encryption.use(KeyRing([new]))  # the old key removed: both photos still open
    assert [opened(key) for key in keys] == [PHOTO, PHOTO]
    encryption.use(KeyRing([old]))  # the old key alone opens neither
    for key in keys:
        with pytest.raises(DataKeyError):
            opened(key)
