"""Backup and restore on PostgreSQL with the scripts of deploy/bin: the time and size of a
backup and the time of a restore, for a database of N cases made through the API (a report,
the reporter's follow-up and a staff message each; a photo with every tenth).

Two databases beside the given one are dropped and made again: `<name>_bench_backup` and
`<name>_bench_restored`.

Run: .venv/bin/python bench/bench_backup.py [--postgres URL] [--cases 2000]
     (--postgres defaults to $HELPLINE_BENCH_POSTGRES_URL)
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from api import encryption
from api.app import create_app
from api.db import create_engine, create_sessionmaker
from api.migrations import upgrade
from api.settings import PROJECT_ROOT, Settings
from api.staff import service as staff_service
from api.staff.schemas import StaffCreate

BIN = PROJECT_ROOT / "deploy" / "bin"
SERVICE_TOKEN = "bench-backup-service-token"
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(200_000)  # a phone photo's size
AT_ONCE = 8
MISSING = {
    "name": "Maria Nenobais",
    "sex": "female",
    "age": 24,
    "home_district": "timor_tengah_selatan",
    "village": "Kuanfatu",
    "destination_country": "MY",
    "destination_city": "Johor Bahru",
    "left_on": "2025-03-01",
    "last_contact_on": "2025-06-15",
    "recruiter": "PT Contoh Jaya",
    "passport_number": "C 1234567",
    "reporter_name": "Yohanes Nenobais",
    "reporter_relationship": "sibling",
    "reporter_phone": "081234567890",
}


def fresh_database(base: str, name: str) -> str:
    async def create() -> None:
        engine = create_async_engine(make_url(base), isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await engine.dispose()

    asyncio.run(create())
    return make_url(base).set(database=name).render_as_string(hide_password=False)


async def staff_token(url: str) -> str:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            data = StaffCreate(
                username="bench", name="Bench", role="supervisor", password="long bench phrase 7"
            )
            staff = await staff_service.create(session, data=data, actor=None)
            token = await staff_service.start_session(session, staff=staff, hours=1)
            await session.commit()
            return token
    finally:
        await engine.dispose()


async def seed(settings: Settings, cases: int) -> None:
    token = await staff_token(settings.database_url)
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    staff = {"Authorization": f"Bearer {token}"}
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as api:

            async def one(number: int) -> None:
                user = str(8_000_000 + number)
                report = {
                    "submission_id": str(uuid.uuid4()),
                    "kind": "missing",
                    "channel": "telegram",
                    "channel_user_id": user,
                    "language": "id",
                    "consent": True,
                    "district": "kota_kupang",
                    "details": MISSING,
                }
                if number % 10 == 0:
                    upload = await api.post(
                        "/api/v1/uploads",
                        content=PHOTO,
                        headers={**service, "Content-Type": "image/jpeg"},
                    )
                    report["photo_upload_key"] = upload.json()["key"]
                created = await api.post("/api/v1/cases", json=report, headers=service)
                reference = created.json()["reference"]
                reply = {"channel": "telegram", "channel_user_id": user, "message_key": "1"}
                reply["text"] = f"Dia terakhir telepon dari Johor Bahru, nomor {number}"
                await api.post(f"/api/v1/cases/{reference}/replies", json=reply, headers=service)
                message = {"text": "Kami sudah hubungi BP3MI Kupang untuk kasus ini."}
                await api.post(f"/api/v1/cases/{reference}/messages", json=message, headers=staff)

            for start in range(0, cases, AT_ONCE):
                await asyncio.gather(*(one(n) for n in range(start, min(start + AT_ONCE, cases))))


def timed(*command: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        command, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("HELPLINE_BENCH_POSTGRES_URL"))
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    if not args.postgres:
        sys.exit("give --postgres URL (or set HELPLINE_BENCH_POSTGRES_URL)")
    name = make_url(args.postgres).database
    source = fresh_database(args.postgres, f"{name}_bench_backup")
    target = fresh_database(args.postgres, f"{name}_bench_restored")
    upgrade(source)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings = Settings(
            _env_file=None,
            database_url=source,
            uploads_dir=work / "uploads",
            service_token=SERVICE_TOKEN,
            data_keys=encryption.random_key(),
            campaign_queue_seconds=0,
            retention_every_seconds=0,
        )
        started = time.perf_counter()
        asyncio.run(seed(settings, args.cases))
        seeding = time.perf_counter() - started
        env = {
            "HELPLINE_DATABASE_URL": source,
            "HELPLINE_BACKUP_DIR": str(work / "backups"),
            "HELPLINE_UPLOADS_DIR": str(settings.uploads_dir),
        }
        backup_seconds, written = timed(str(BIN / "helpline-backup"), env=env)
        dump, photos = (Path(line) for line in written.split())
        restore_seconds, _ = timed(
            str(BIN / "helpline-restore"), str(dump), target, str(work / "restored")
        )
        print(
            f"{args.cases} cases (seeded through the API in {seeding:.0f} s), "
            f"{args.cases // 10} photos of {len(PHOTO) // 1000} kB\n"
            f"backup:  {backup_seconds:.1f} s; dump {dump.stat().st_size / 1e6:.1f} MB, "
            f"photos {photos.stat().st_size / 1e6:.1f} MB\n"
            f"restore: {restore_seconds:.1f} s (database and photos)"
        )


if __name__ == "__main__":
    main()
