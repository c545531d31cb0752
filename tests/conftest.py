"""Shared fixtures: a migrated database per backend (SQLite always, PostgreSQL when it answers),
the backend app, and the real bot driven through the local Bot API stand-in."""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from api.app import create_app
from api.db import create_engine
from api.migrations import upgrade
from api.models import Base
from api.settings import PROJECT_ROOT, Settings
from bot.local import LocalHelpline, local_helpline
from bot.standin import TelegramUser

SHARED = PROJECT_ROOT.parent / "shared"
POSTGRES_URL = os.environ.get("HELPLINE_TEST_POSTGRES_URL")


def _postgres_answers(url: str) -> bool:
    async def ping() -> None:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        asyncio.run(asyncio.wait_for(ping(), timeout=5))
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


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """PostgreSQL migrated once for the session, or None when it is not configured/answering."""
    if not POSTGRES_URL or not _postgres_answers(POSTGRES_URL):
        return None
    _reset_postgres(POSTGRES_URL)
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path, postgres_url: str | None) -> Iterator[str]:
    """A migrated, empty database: every database test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'helpline.db'}"
        upgrade(url)
        yield url
        return
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    yield postgres_url
    _empty_tables(postgres_url)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, service_token="test-service-token")


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


@pytest.fixture
async def helpline(settings: Settings) -> AsyncIterator[LocalHelpline]:
    async with local_helpline(settings, retry_backoff=0) as running:
        yield running


@pytest.fixture
def user(helpline: LocalHelpline) -> TelegramUser:
    return TelegramUser(helpline.standin, helpline.application, language_code="id")
