"""Reporters' data encrypted in the database (api/encryption): nothing of a report readable in
the stored rows or the SQLite file while the case exists, the staff search still finding it by
name and phone, a key rotation, and no backend without a key."""

import asyncio
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import make_url, select, text

from api import encryption
from api.app import create_app
from api.cases import search_terms
from api.cases.models import Case, CaseMessage
from api.conversations.models import ConversationState
from api.encryption import DataKeyError, KeyRing
from api.models import Base
from api.settings import Settings
from helpline.cli import main
from helpline.runner import demo_settings

NAME, PHONE = "Maria Nenobais", "081234567890"  # the missing-person report's (tests/api/conftest)
# what the report holds that names or reaches someone, as given and as kept (+E.164)
PERSONAL = (NAME, "Nenobais", "Yohanes", PHONE, "6281234567890", "C 1234567", "Kuanfatu")
REPORTER = {"channel": "telegram", "channel_user_id": "5550001"}


async def stored_rows(settings: Settings) -> str:
    """Every value of every table, as the database holds it (no decryption)."""
    from api.db import create_engine

    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            tables = [
                (await connection.execute(text(f"SELECT * FROM {table.name}"))).all()
                for table in Base.metadata.sorted_tables
            ]
    finally:
        await engine.dispose()
    return repr(tables).lower()


def database_file_bytes(settings: Settings) -> bytes | None:
    """The SQLite file and its write-ahead log (None on PostgreSQL)."""
    if not settings.is_sqlite:
        return None
    database = Path(make_url(settings.database_url).database or "")
    files = (database, database.with_name(database.name + "-wal"))
    return b"".join(path.read_bytes() for path in files if path.is_file()).lower()


async def report_with_thread(api: httpx.AsyncClient, report) -> str:
    """A missing-person report, a draft of another, and a thread: the reporter's reply and a
    staff message queued in the outbox. Its reference."""
    draft = {"report": {"name": NAME, "reporter_phone": PHONE}}
    response = await api.put("/api/v1/conversations/telegram/5550001", json={"user_data": draft})
    assert response.status_code == 204
    case = await api.post("/api/v1/cases", json=report("missing"))
    assert case.status_code == 201
    reference = case.json()["reference"]
    reply = {**REPORTER, "message_key": "1", "text": f"{NAME} HP {PHONE}"}
    assert (await api.post(f"/api/v1/cases/{reference}/replies", json=reply)).status_code == 201
    return reference


async def test_a_reports_name_and_phone_are_stored_encrypted_and_still_found(
    api, settings, report, staff_login
):
    reference = await report_with_thread(api, report)
    supervisor = (await staff_login("supervisor"))["headers"]
    message = {"text": f"Kami sudah menelepon {NAME} di {PHONE}"}
    sent = await api.post(f"/api/v1/cases/{reference}/messages", json=message, headers=supervisor)
    assert sent.status_code == 201

    rows = await stored_rows(settings)
    assert reference.lower() in rows  # the scan sees the case
    assert [value for value in PERSONAL if value.lower() in rows] == []
    stored_file = database_file_bytes(settings)
    if stored_file is not None:
        assert b"kota_kupang" in stored_file  # the scan sees the file's plain columns
        assert [value for value in PERSONAL if value.lower().encode() in stored_file] == []

    detail = (await api.get(f"/api/v1/cases/{reference}", headers=supervisor)).json()
    assert (detail["details"]["name"], detail["details"]["reporter_phone"]) == (
        NAME,
        "+6281234567890",
    )
    for search in ("0812-3456-7890", "+62 812 3456 7890", "nenobais", "MARIA nenobais"):
        found = await api.get("/api/v1/cases", params={"q": search}, headers=supervisor)
        assert [item["reference"] for item in found.json()["items"]] == [reference], search
    for search in ("0812-3456-7899", "nenoba", "maria yohanes kupang"):
        found = await api.get("/api/v1/cases", params={"q": search}, headers=supervisor)
        assert found.json()["total"] == 0, search
    draft = (await api.get("/api/v1/conversations/telegram", params={"after": 0})).json()
    assert draft["items"][0]["user_data"]["report"]["name"] == NAME


async def _with_app(settings: Settings, steps: Callable[[httpx.AsyncClient], Awaitable[Any]]):
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://helpline.test"
        ) as client:
            client.headers["Authorization"] = "Bearer test-service-token"
            return await steps(client)


async def _read_back(settings: Settings, reference: str) -> dict[str, Any]:
    """The case, its thread, the draft and a search by phone, as the process's key reads them."""
    from api.db import create_engine, create_sessionmaker

    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            case = await session.scalar(select(Case).where(Case.reference == reference))
            assert case is not None
            found = await session.scalars(
                select(Case.reference).where(
                    search_terms.matches("0812 3456 7890", encryption.keyring())
                )
            )
            return {
                "name": case.details["name"],
                "updated_at": case.updated_at,
                "thread": list(await session.scalars(select(CaseMessage.text))),
                "draft": (await session.scalar(select(ConversationState.user_data))),
                "found": list(found),
            }
    finally:
        await engine.dispose()


def test_rotate_key_re_encrypts_every_row_with_the_newest_key(
    settings, report, monkeypatch, tmp_path, capsys
):
    monkeypatch.setattr(encryption, "_current", encryption.keyring())  # restored afterwards
    old, new = settings.keyring().keys[0], encryption.random_key()

    async def a_report_and_an_erased_one(api: httpx.AsyncClient) -> str:
        reference = await report_with_thread(api, report)
        other = report("danger", details={"contact": "0812 3456 7890"}, channel_user_id="77")
        assert (await api.post("/api/v1/cases", json=other)).status_code == 201
        assert (await api.delete("/api/v1/reporters/telegram/77")).status_code == 204
        return reference

    reference = asyncio.run(_with_app(settings, a_report_and_an_erased_one))
    before = asyncio.run(_read_back(settings, reference))

    monkeypatch.chdir(tmp_path)  # no .env file
    monkeypatch.setenv("HELPLINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HELPLINE_DATA_KEYS", f"{new}, {old}")
    monkeypatch.setenv("HELPLINE_UPLOADS_DIR", str(settings.uploads_dir))
    assert main(["rotate-key"]) == 0
    out = capsys.readouterr().out
    # both details documents (what erasure left of the other), the draft (two documents),
    # the reply: 5 values; the erased case is not indexed again
    assert "re-encrypted 5 values and 0 photos and re-indexed 1 cases" in out
    assert "1 older key(s) can now be removed" in out

    encryption.use(KeyRing([new]))  # the old key removed
    after = asyncio.run(_read_back(settings, reference))
    assert after == before
    assert after["found"] == [reference] and after["name"] == NAME  # not the erased case
    assert after["thread"] == [f"{NAME} HP {PHONE}"]

    encryption.use(KeyRing([old]))  # what the old key alone still reads: nothing
    with pytest.raises(DataKeyError, match="not decrypted by any key"):
        asyncio.run(_read_back(settings, reference))


def test_a_new_key_in_front_reads_the_old_rows_before_the_rotation(settings, report, monkeypatch):
    monkeypatch.setattr(encryption, "_current", encryption.keyring())
    reference = asyncio.run(_with_app(settings, lambda api: report_with_thread(api, report)))
    encryption.use(KeyRing([encryption.random_key(), *settings.keyring().keys]))
    assert asyncio.run(_read_back(settings, reference))["found"] == [reference]


def test_the_backend_refuses_to_start_without_a_data_key(settings, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(encryption, "_current", encryption.keyring())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPLINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HELPLINE_SERVICE_TOKEN", "a-service-token-long-enough")
    monkeypatch.delenv("HELPLINE_DATA_KEYS")
    for command in (["serve"], ["rotate-key"]):
        assert main(command) == 2
        assert "HELPLINE_DATA_KEYS must be set" in capsys.readouterr().err
    monkeypatch.setenv("HELPLINE_DATA_KEYS", "not-a-key")
    assert main(["serve"]) == 2
    assert "data key 1 is not a Fernet key" in capsys.readouterr().err

    app = create_app(settings.model_copy(update={"data_keys": None}))

    async def start() -> None:
        async with app.router.lifespan_context(app):
            pass

    with pytest.raises(DataKeyError):
        asyncio.run(start())


def test_the_demo_keeps_its_own_key_readable_by_its_owner_only(settings):
    first = demo_settings(settings).keyring()
    assert demo_settings(settings).keyring().keys == first.keys != settings.keyring().keys
    key_file = settings.demo_dir / "data-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
