"""Shared fixtures: a migrated database per backend (SQLite always, PostgreSQL when it answers),
the backend app, and the real bot driven through the local Bot API stand-in."""

import asyncio
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from api import encryption
from api.app import create_app
from api.db import create_engine, create_sessionmaker, ping
from api.migrations import upgrade
from api.models import Base
from api.settings import PROJECT_ROOT, Settings
from api.staff import passwords
from api.staff import service as staff_service
from api.staff.schemas import StaffCreate
from bot.local import LocalHelpline, local_helpline
from bot.standin import TelegramUser

# The tests' data key (api/encryption), new for each run: in the environment, so that every
# Settings a test makes and every `helpline` command it starts has it; and in use at once for
# the tests that migrate a database with rows in it before any app starts.
os.environ.setdefault("HELPLINE_DATA_KEYS", encryption.random_key())
encryption.use(encryption.from_text(os.environ["HELPLINE_DATA_KEYS"]))

SHARED = PROJECT_ROOT.parent / "shared"
POSTGRES_URL = os.environ.get("HELPLINE_TEST_POSTGRES_URL")
STAFF_PASSWORD = "correct horse battery staple"


def _postgres_answers(url: str) -> bool:
    try:
        asyncio.run(asyncio.wait_for(ping(url), timeout=5))
    except Exception:
        return False
    return True


def _reset_postgres(url: str) -> None:
    async def reset() -> None:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        finally:
            await engine.dispose()

    asyncio.run(reset())


def _empty_tables(url: str) -> None:
    async def empty() -> None:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                for table in reversed(Base.metadata.sorted_tables):
                    await connection.execute(table.delete())
        finally:
            await engine.dispose()

    asyncio.run(empty())


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """argon2's test profile: the same code path, without 0.15 s of hashing per login."""
    strong = passwords.hasher
    passwords.hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    yield
    passwords.hasher = strong


def fresh_postgres_database(name: str) -> str:
    """A new, empty database `name` on the test server (dropped first if a run left it), for
    tests that start processes or migrate from nothing; its URL."""
    base = make_url(POSTGRES_URL)

    async def create() -> None:
        engine = create_async_engine(base, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await engine.dispose()

    asyncio.run(create())
    return base.set(database=name).render_as_string(hide_password=False)


def _worker_database(url: str, worker: str) -> str:
    """A database of its own for one pytest-xdist worker, beside the configured one."""
    base = make_url(url)
    name = f"{base.database}_{worker}"

    async def create() -> None:
        engine = create_async_engine(base, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                exists = await connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                )
                if not exists:
                    await connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await engine.dispose()

    asyncio.run(create())
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> str | None:
    """PostgreSQL migrated once for the session (a database per parallel worker), or None
    when it is not configured or not answering."""
    if not POSTGRES_URL or not _postgres_answers(POSTGRES_URL):
        return None
    url = POSTGRES_URL if worker_id == "master" else _worker_database(POSTGRES_URL, worker_id)
    _reset_postgres(url)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once; each test gets a copy (migrating costs ~0.7 s)."""
    database = tmp_path_factory.mktemp("schema") / "migrated.db"
    upgrade(f"sqlite+aiosqlite:///{database}")
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request, tmp_path: Path, migrated_sqlite: Path, postgres_url: str | None
) -> Iterator[str]:
    """A migrated, empty database: every database test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = tmp_path / "helpline.db"
        shutil.copyfile(migrated_sqlite, database)
        yield f"sqlite+aiosqlite:///{database}"
        return
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    yield postgres_url
    _empty_tables(postgres_url)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        service_token="test-service-token",
        demo_dir=tmp_path / "demo",
        uploads_dir=tmp_path / "uploads",  # each test's photos its own, under its own key
        campaign_queue_seconds=0,  # tests queue campaigns when they choose (run_once)
        retention_every_seconds=0,  # ... and run retention when they choose (run_once)
    )


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the backend, with its lifespan running."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://helpline.test"
        ) as client:
            client.headers["Authorization"] = "Bearer test-service-token"
            yield client


StaffLogin = Callable[..., Awaitable[dict]]


@pytest.fixture
async def staff_login(settings: Settings) -> AsyncIterator[StaffLogin]:
    """`await staff_login("supervisor")`: a new staff member with that role, logged in, on the
    test's database: {"id", "token", "headers": {"Authorization": "Bearer ..."}, "username",
    "password"}."""
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    numbers = itertools.count(1)

    async def login(role: str = "agent", username: str | None = None) -> dict:
        number = next(numbers)
        data = StaffCreate(
            username=username or f"{role}-{number}",
            name=f"Test {role} {number}",
            role=role,
            password=STAFF_PASSWORD,
        )
        async with sessionmaker() as session:
            staff = await staff_service.create(session, data=data, actor=None)
            token = await staff_service.start_session(
                session, staff=staff, hours=settings.staff_session_hours
            )
            await session.commit()
        return {
            "id": staff.id,
            "token": token,
            "headers": {"Authorization": f"Bearer {token}"},
            "username": staff.username,
            "password": STAFF_PASSWORD,
        }

    yield login
    await engine.dispose()


@pytest.fixture
async def helpline(settings: Settings) -> AsyncIterator[LocalHelpline]:
    async with local_helpline(settings, retry_backoff=0) as running:
        yield running


@pytest.fixture
def user(helpline: LocalHelpline) -> TelegramUser:
    return TelegramUser(helpline.standin, helpline.application, language_code="id")
