"""Counting offer checks for staff statistics: by day, language, risk and flag, nothing more.

Each count is one atomic upsert (INSERT ... ON CONFLICT DO UPDATE SET n = n + 1), so checks
counted at once by several requests or workers are never lost."""

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import utcnow
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import OfferCheckResult


async def _count_up(
    session: AsyncSession, model: type[OfferCheckDay | OfferFlagDay], counter: str, **key: object
) -> None:
    """Add one to `counter` of the row of `model` with this key, created at one if new."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    column = getattr(model, counter)
    statement = (
        dialect.insert(model)
        .values(**key, **{counter: 1})
        .on_conflict_do_update(index_elements=list(key), set_={counter: column + 1})
    )
    await session.execute(statement)


async def record(
    session: AsyncSession, result: OfferCheckResult, *, lang: str, day: date | None = None
) -> None:
    day = day or utcnow().date()
    await _count_up(session, OfferCheckDay, "checks", day=day, language=lang, risk=result.risk)
    for flag in sorted({flag.id for flag in result.flags}):  # one lock order for every request
        await _count_up(session, OfferFlagDay, "hits", day=day, language=lang, flag=flag)
