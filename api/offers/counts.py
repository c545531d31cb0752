"""Counting offer checks for staff statistics: by day, language, risk and flag, nothing more.

Each count is an atomic upsert (INSERT ... ON CONFLICT DO UPDATE SET n = n + 1; a check's
flags in one execution), so checks counted at once by several requests or workers are never
lost."""

import functools
from datetime import date

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import database_insert, utcnow
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import OfferCheckResult


@functools.cache
def _count_up_statement(
    dialect: str, model: type[OfferCheckDay | OfferFlagDay], counter: str, key: tuple[str, ...]
) -> Executable:
    column = getattr(model, counter)
    insert = database_insert(dialect, model.__table__)
    return insert.on_conflict_do_update(index_elements=list(key), set_={counter: column + 1})


async def _count_up(
    session: AsyncSession,
    model: type[OfferCheckDay | OfferFlagDay],
    counter: str,
    keys: list[dict[str, object]],
) -> None:
    """Add one to `counter` of each row of `model` with these keys (created at one if new),
    in one execution (the statement built once: building it cost as much as running it)."""
    statement = _count_up_statement(session.get_bind().dialect.name, model, counter, tuple(keys[0]))
    await session.execute(statement, [{**key, counter: 1} for key in keys])


async def record(
    session: AsyncSession, result: OfferCheckResult, *, lang: str, day: date | None = None
) -> None:
    day = day or utcnow().date()
    await _count_up(
        session, OfferCheckDay, "checks", [dict(day=day, language=lang, risk=result.risk)]
    )
    flags = sorted({flag.id for flag in result.flags})  # one lock order for every request
    if flags:
        await _count_up(
            session,
            OfferFlagDay,
            "hits",
            [dict(day=day, language=lang, flag=flag) for flag in flags],
        )
