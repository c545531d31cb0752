"""The backup and restore of deploy/ done for real on PostgreSQL: a helpline database made by
the migrations holds a missing-person case with its photo, the reporter's follow-up and a staff
message; `deploy/bin/helpline-backup` dumps it (pg_dump) with the photos; the source database
is then dropped; `deploy/bin/helpline-restore` puts the backup into a new database and photo
folder, and `helpline serve` started on them shows the same case, thread and photo to the same
supervisor. A restore over a database that has tables, or over a folder that has photos, is
refused. PostgreSQL only (HELPLINE_TEST_POSTGRES_URL)."""

import asyncio
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from api.app import create_app
from api.migrations import upgrade
from api.settings import PROJECT_ROOT, Settings
from tests.api.conftest import DETAILS
from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.e2e.test_run_command import free_port, helpline
from tests.e2e.test_run_modes import wait_until_ready
from tests.e2e.test_several_workers import supervisor_token

pytestmark = [
    pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only"),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs PostgreSQL's client tools"),
]
BIN = PROJECT_ROOT / "deploy" / "bin"
SERVICE_TOKEN = "backup-restore-service-token"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
DAY = 24 * 3600


def drop_database(url: str) -> None:
    name = make_url(url).database

    async def drop() -> None:
        engine = create_async_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        finally:
            await engine.dispose()

    asyncio.run(drop())


async def make_case(settings: Settings, staff_token: str) -> str:
    """Through the API: a missing-person report with a photo, a follow-up, a staff message."""
    app = create_app(settings)
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://helpline.test") as api:
            upload = await api.post(
                "/api/v1/uploads", content=JPEG, headers={**service, "Content-Type": "image/jpeg"}
            )
            report = {
                "submission_id": str(uuid.uuid4()),
                "kind": "missing",
                "channel": "telegram",
                "channel_user_id": "5550001",
                "language": "id",
                "consent": True,
                "district": "kota_kupang",
                "details": DETAILS["missing"],
                "photo_upload_key": upload.json()["key"],
            }
            created = await api.post("/api/v1/cases", json=report, headers=service)
            assert created.status_code == 201, created.text
            reference = created.json()["reference"]
            follow_up = {
                "channel": "telegram",
                "channel_user_id": "5550001",
                "text": "Dia terakhir telepon dari Johor Bahru",
                "message_key": "m-1",
            }
            replied = await api.post(
                f"/api/v1/cases/{reference}/replies", json=follow_up, headers=service
            )
            assert replied.status_code == 201, replied.text
            staff = {"Authorization": f"Bearer {staff_token}"}
            message = {"text": "Kami sudah hubungi BP3MI Kupang."}
            sent = await api.post(
                f"/api/v1/cases/{reference}/messages", json=message, headers=staff
            )
            assert sent.status_code == 201, sent.text
    return reference


async def seen_by(api: httpx.AsyncClient, reference: str, token: str) -> dict[str, object]:
    """What a supervisor sees of the case: its detail, its thread and its photo."""
    headers = {"Authorization": f"Bearer {token}"}
    answers = {
        part: await api.get(f"/api/v1/cases/{reference}{part}", headers=headers)
        for part in ("", "/timeline", "/photo")
    }
    assert all(answer.status_code == 200 for answer in answers.values()), answers
    return {
        "detail": answers[""].json(),
        "timeline": answers["/timeline"].json(),
        "photo": answers["/photo"].content,
    }


async def seen_in_process(settings: Settings, reference: str, token: str) -> dict[str, object]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://helpline.test") as api:
            return await seen_by(api, reference, token)


async def seen_over_http(base_url: str, reference: str, token: str) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as api:
        return await seen_by(api, reference, token)


def run(script: str, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [BIN / script, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_restored_backup_serves_the_same_case_thread_and_photo(tmp_path: Path):
    name = make_url(POSTGRES_URL).database
    source = fresh_postgres_database(f"{name}_backup_source")
    upgrade(source)
    settings = Settings(
        _env_file=None,
        database_url=source,
        uploads_dir=tmp_path / "uploads",
        service_token=SERVICE_TOKEN,
        campaign_queue_seconds=0,
        retention_every_seconds=0,
    )
    token = asyncio.run(supervisor_token(source))
    reference = asyncio.run(make_case(settings, token))
    before = asyncio.run(seen_in_process(settings, reference, token))
    assert before["photo"] == JPEG
    thread = [entry["message"] for entry in before["timeline"]["entries"]]
    assert [message["text"] for message in thread if message] == [
        "Dia terakhir telepon dari Johor Bahru",
        "Kami sudah hubungi BP3MI Kupang.",
    ]

    backups = tmp_path / "backups"
    backups.mkdir()
    stale = backups / "helpline-20200101T000000Z.dump"
    stale.write_bytes(b"an old backup")
    os.utime(stale, (time.time() - 20 * DAY,) * 2)
    backup = run(
        "helpline-backup",
        env={
            "HELPLINE_DATABASE_URL": source,
            "HELPLINE_BACKUP_DIR": str(backups),
            "HELPLINE_UPLOADS_DIR": str(settings.uploads_dir),
            "HELPLINE_BACKUP_KEEP_DAYS": "14",
        },
    )
    assert backup.returncode == 0, backup.stderr
    dump, photos, removed = backup.stdout.split()
    assert dump.endswith(".dump") and photos == dump.removesuffix(".dump") + "-uploads.tar"
    assert removed == str(stale) and not stale.exists()  # older than 14 days
    assert sorted(p.name for p in backups.iterdir()) == sorted(Path(p).name for p in (dump, photos))
    assert {oct(Path(p).stat().st_mode & 0o777) for p in (dump, photos)} == {"0o600"}
    assert oct(backups.stat().st_mode & 0o777) == "0o700"

    drop_database(source)  # what is served next comes from the backup alone
    target = fresh_postgres_database(f"{name}_backup_restored")
    restored_uploads = tmp_path / "restored-uploads"
    restore = run("helpline-restore", dump, target, str(restored_uploads))
    assert restore.returncode == 0, restore.stderr
    again = run("helpline-restore", dump, target)
    assert again.returncode == 1 and "restore into a new one" in again.stderr
    # nor over photos: refused before the (empty) database is touched
    spare = fresh_postgres_database(f"{name}_backup_spare")
    over_photos = run("helpline-restore", dump, spare, str(restored_uploads))
    assert over_photos.returncode == 1 and "is not empty" in over_photos.stderr
    assert run("helpline-restore", dump, spare).returncode == 0  # it was left empty
    drop_database(spare)

    port = free_port()
    env = {
        "HELPLINE_DATABASE_URL": target,
        "HELPLINE_UPLOADS_DIR": str(restored_uploads),
        "HELPLINE_SERVICE_TOKEN": SERVICE_TOKEN,
    }
    server = helpline("serve", "--port", str(port), env=env)
    try:
        wait_until_ready(server, port)
        after = asyncio.run(seen_over_http(f"http://127.0.0.1:{port}", reference, token))
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert after == before, output
