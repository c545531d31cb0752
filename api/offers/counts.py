"""Counting offer checks for staff statistics: by day, language, risk and flag, nothing more."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import utcnow
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import OfferCheckResult


async def record(
    session: AsyncSession, result: OfferCheckResult, *, lang: str, day: date | None = None
) -> None:
    day = day or utcnow().date()
    check_day = await session.scalar(
        select(OfferCheckDay).where(
            OfferCheckDay.day == day,
            OfferCheckDay.language == lang,
            OfferCheckDay.risk == result.risk,
        )
    )
    if check_day is None:
        check_day = OfferCheckDay(day=day, language=lang, risk=result.risk, checks=0)
        session.add(check_day)
    check_day.checks += 1
    for flag in {flag.id for flag in result.flags}:
        flag_day = await session.scalar(
            select(OfferFlagDay).where(
                OfferFlagDay.day == day, OfferFlagDay.language == lang, OfferFlagDay.flag == flag
            )
        )
        if flag_day is None:
            flag_day = OfferFlagDay(day=day, language=lang, flag=flag, hits=0)
            session.add(flag_day)
        flag_day.hits += 1
    await session.flush()
