"""Counting offer checks for staff statistics: by day, language, risk and flag, nothing more."""

from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import Base, utcnow
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import OfferCheckResult

Row = TypeVar("Row", bound=Base)


async def _day_row(session: AsyncSession, model: type[Row], **key: object) -> Row:
    """The counter row of `model` for this key, created at zero when it is the first."""
    row = await session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key)
        session.add(row)
    return row


async def record(
    session: AsyncSession, result: OfferCheckResult, *, lang: str, day: date | None = None
) -> None:
    day = day or utcnow().date()
    check_day = await _day_row(session, OfferCheckDay, day=day, language=lang, risk=result.risk)
    check_day.checks = (check_day.checks or 0) + 1
    for flag in {flag.id for flag in result.flags}:
        flag_day = await _day_row(session, OfferFlagDay, day=day, language=lang, flag=flag)
        flag_day.hits = (flag_day.hits or 0) + 1
    await session.flush()
