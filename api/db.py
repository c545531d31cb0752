"""Database engine, declarative base and the session dependency."""

import functools
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from pydantic import AfterValidator
from sqlalchemy import Executable, MetaData, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

from api import sqlite_driver
from api.at_rest import private_file, private_folder

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


MAX_ID = 2**31 - 1  # the largest integer primary key both databases hold; larger ids are refused


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime: SQLite gives back the naive UTC time that was stored."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]  # in schemas: always with its zone


def database_insert(dialect: str, model: Any) -> postgresql.Insert | sqlite.Insert:
    """INSERT of the database `dialect` names, with its ON CONFLICT clauses (PostgreSQL, SQLite)."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def dialect_insert(session: AsyncSession, model: Any) -> postgresql.Insert | sqlite.Insert:
    """INSERT of the session's database, with its ON CONFLICT clauses (PostgreSQL, SQLite)."""
    return database_insert(session.get_bind().dialect.name, model)


def insert_or_ignore(
    session: AsyncSession, model: type, **values: object
) -> postgresql.Insert | sqlite.Insert:
    """INSERT that does nothing when it would break a unique constraint (PostgreSQL, SQLite).

    Concurrent requests use it to create a row once without a failed transaction; add
    `.returning(...)`: no row comes back when the row already existed."""
    return dialect_insert(session, model).values(**values).on_conflict_do_nothing()


@functools.cache
def _upsert(dialect: str, table: Any, key: tuple[str, ...], update: tuple[str, ...]) -> Executable:
    insert = database_insert(dialect, table)
    return insert.on_conflict_do_update(
        index_elements=list(key),
        set_={name: insert.excluded[name] for name in (*update, "updated_at")},
    )


async def insert_or_update(
    session: AsyncSession, model: Any, *, key: list[str], update: list[str], **values: object
) -> None:
    """Insert a row of `model`; where a row with the same `key` (a unique constraint) exists,
    set that row's `update` columns to the new values and its `updated_at` to now instead
    (PostgreSQL, SQLite). One statement, so concurrent requests never meet a duplicate-key
    error.

    The statement is built once per database, table and columns, on the table rather than the
    ORM model, the values passed at execution: building it (its `excluded` alias copies every
    column) cost more CPU than the rest of the request, and an ORM insert given values at
    execution goes through the ORM's bulk path, which builds it anew each time."""
    statement = _upsert(session.get_bind().dialect.name, model.__table__, tuple(key), tuple(update))
    await session.execute(statement, values | {"updated_at": utcnow()})


async def changed_rows(session: AsyncSession, statement: Executable) -> int:
    """How many rows an UPDATE or DELETE (without RETURNING) changed."""
    result = await session.execute(statement)
    # Session.execute is typed to return a Result for any statement; for DML without RETURNING
    # it is a CursorResult, which holds the rowcount (SQLAlchemy's documented way to read it).
    return cast(CursorResult, result).rowcount


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite database file (the embedded default lives under var/) and
    the file itself, both readable by the helpline's system user only (0700, 0600)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        database = Path(parsed.database)
        private_folder(database.parent)
        private_file(database)


SQLITE_BUSY_TIMEOUT_MS = 15_000


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """WAL (readers never wait for the writer), a busy timeout (a second process's write
    waits for the lock instead of failing with "database is locked") and secure_delete
    (deleted and overwritten values are zeroed, not left readable in free space)."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


PING_AFTER_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Check a pooled connection before use when it has lain idle for `idle_seconds`: one that
    died meanwhile (a database restart, an idle timeout) is replaced, not handed to a request.
    SQLAlchemy's pool_pre_ping checks every checkout, three round trips each on asyncpg; under
    load connections come back within milliseconds, so those checks find nothing."""

    @event.listens_for(engine.sync_engine, "checkin")
    def returned(_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def checked_out(connection: Any, record: ConnectionPoolEntry, _proxy: object) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(connection)
        except Exception as error:
            raise DisconnectionError("a pooled connection did not answer") from error


def create_engine(url: str, *, ping_after_idle: float = PING_AFTER_IDLE_SECONDS) -> AsyncEngine:
    """The engine; pooled connections end their transactions themselves (sessions commit or
    roll back, connections roll back on close), so the pool adds no reset of its own."""
    ensure_sqlite_folder(url)
    if not url.startswith("sqlite"):
        engine = create_async_engine(url, pool_reset_on_return=None)
        _ping_when_idle(engine, ping_after_idle)
        return engine
    engine = create_async_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        pool_reset_on_return=None,
        module=sqlite_driver.dbapi(),
    )
    if make_url(url).database not in (None, "", ":memory:"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


async def ping(url: str) -> None:
    """Connect to the database at `url` and run a trivial query; raises when it does not answer."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request: committed at the end, rolled back on error."""
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


# scope="function": the commit happens before the response is sent, so a 2xx always means
# stored (a redirect followed at once finds what was written; a failed commit is an error the
# caller sees). FastAPI's default ends such dependencies after the response has gone out.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
