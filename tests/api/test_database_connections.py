"""Pooled PostgreSQL connections that died while idle (a database restart, an idle timeout)
are replaced before a request gets them; one used a moment ago is handed over unchecked."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.db import create_engine


async def _kill_pooled_connection(url: str, ping_after_idle: float) -> int:
    """Use a pooled connection, let the server end it while it is idle in the pool, then ask
    the pool again: what the next request's query returns."""
    engine = create_engine(url, ping_after_idle=ping_after_idle)
    try:
        async with engine.connect() as connection:
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        async with create_engine(url).connect() as other:
            # waits (up to 5 s) until the server process has ended
            await other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        async with engine.connect() as connection:
            return (await connection.scalar(text("SELECT 1"))) or 0
    finally:
        await engine.dispose()


async def test_a_connection_that_died_while_idle_is_replaced(postgres_url: str | None):
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    assert await _kill_pooled_connection(postgres_url, ping_after_idle=0) == 1


async def test_without_the_idle_check_the_dead_connection_would_reach_the_request(
    postgres_url: str | None,
):
    """What the check is for: the same dead connection, not checked, fails the query."""
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    with pytest.raises(DBAPIError):
        await _kill_pooled_connection(postgres_url, ping_after_idle=3600)
