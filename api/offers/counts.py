"""Counting offer checks for staff statistics: by day, language, risk and flag, nothing more.

Each count is an atomic upsert (INSERT ... ON CONFLICT DO UPDATE SET n = n + 1; a check's
flags in one statement), so checks counted at once by several requests or workers are never
lost."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from api.db import dialect_insert, utcnow
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import OfferCheckResult


async def _count_up(
    session: AsyncSession,
    model: type[OfferCheckDay | OfferFlagDay],
    counter: str,
    keys: list[dict[str, object]],
) -> None:
    """Add one to `counter` of each row of `model` with these keys (created at one if new),
    in one statement."""
    column = getattr(model, counter)
    statement = (
        dialect_insert(session, model)
        .values([{**key, counter: 1} for key in keys])
        .on_conflict_do_update(index_elements=list(keys[0]), set_={counter: column + 1})
    )
    await session.execute(statement)


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
