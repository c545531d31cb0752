"""Runs migrations with the async engine of the helpline's own settings."""

import asyncio

from sqlalchemy import text
from sqlalchemy.engine import Connection

from alembic import context
from api.db import create_engine
from api.models import Base, include_object
from api.settings import Settings

target_metadata = Base.metadata


def _database_url() -> str:
    return context.config.attributes.get("database_url") or Settings().database_url


MIGRATION_LOCK = 0x48454C50  # "HELP": the PostgreSQL advisory lock held while migrating


def _run(connection: Connection) -> None:
    """On PostgreSQL under an advisory lock: two processes starting on a new database, the
    second waits, then finds the schema up to date, instead of both creating the tables."""
    if connection.dialect.name != "postgresql":
        _migrate(connection)
        return
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
    connection.commit()
    try:
        _migrate(connection)
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        connection.commit()


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(_database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
