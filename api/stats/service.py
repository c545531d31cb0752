"""Statistics for staff and partners: cases by district, month, kind and status, time to first
response, and offer checks by risk and red flag. Counts and medians only.

Days and months are UTC, as the offer-check counters are kept."""

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import get_args

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases.districts import Districts
from api.cases.models import Case, CaseStatus
from api.db import as_utc
from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import FLAG_IDS, Risk
from api.stats.schemas import (
    CaseStats,
    DistrictCases,
    FlagCount,
    MonthCases,
    OfferCheckStats,
    Period,
    RiskCount,
    StatsQuery,
    StatsRead,
)

RISKS: tuple[str, ...] = get_args(Risk)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _created_in(query: StatsQuery) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = true()
    if query.date_from is not None:
        condition = condition & (Case.created_at >= _midnight(query.date_from))
    if query.date_to is not None:
        condition = condition & (Case.created_at < _midnight(query.date_to + timedelta(days=1)))
    return condition


def periods(first: str, last: str, period: Period) -> list[str]:
    """Every day (YYYY-MM-DD) or month (YYYY-MM) from `first` to `last`, both included."""
    if period == "day":
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
    months = []
    year, month = map(int, first.split("-"))
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _median_hours(hours: list[float]) -> float | None:
    return round(statistics.median(hours), 1) if hours else None


async def _count_by(session: AsyncSession, column, where: ColumnElement[bool]) -> dict:
    rows = await session.execute(select(column, func.count()).where(where).group_by(column))
    return dict(rows.all())


async def case_stats(
    session: AsyncSession, *, query: StatsQuery, districts: Districts, kinds: Iterable[str]
) -> CaseStats:
    where = _created_in(query)
    by_district = await _count_by(session, Case.district, where)
    by_kind = await _count_by(session, Case.kind, where)
    by_status = await _count_by(session, Case.status, where)
    opened: Counter[str] = Counter()
    response_hours: defaultdict[str, list[float]] = defaultdict(list)
    rows = await session.execute(select(Case.created_at, Case.first_response_at).where(where))
    for created_at, first_response_at in rows:
        month = as_utc(created_at).strftime("%Y-%m")
        opened[month] += 1
        if first_response_at is not None:
            hours = (as_utc(first_response_at) - as_utc(created_at)).total_seconds() / 3600
            response_hours[month].append(hours)
    # Every month from the first to the last case counted, zeros included.
    months = periods(min(opened), max(opened), "month") if opened else []
    every_response = [hours for month in response_hours.values() for hours in month]
    return CaseStats(
        total=sum(by_kind.values()),
        by_district=[
            DistrictCases(district=slug, name=name, cases=by_district.get(slug, 0))
            for slug, name in districts.names.items()
        ],
        without_district=by_district.get(None, 0),
        by_month=[
            MonthCases(
                month=month,
                cases=opened[month],
                responded=len(response_hours[month]),
                median_first_response_hours=_median_hours(response_hours[month]),
            )
            for month in months
        ],
        by_kind={kind: by_kind.get(kind, 0) for kind in kinds} | by_kind,
        by_status={status: by_status.get(status, 0) for status in CaseStatus},
        responded=len(every_response),
        median_first_response_hours=_median_hours(every_response),
    )


def _period(day: date, period: Period) -> str:
    return day.isoformat() if period == "day" else day.isoformat()[:7]


def _in_range(column, query: StatsQuery) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = true()
    if query.date_from is not None:
        condition = condition & (column >= query.date_from)
    if query.date_to is not None:
        condition = condition & (column <= query.date_to)
    return condition


def _per_period(rows: Iterable, period: Period, keys: Iterable[str]) -> dict[tuple[str, str], int]:
    """(day, key, count) rows summed per (period, key), oldest first; unknown keys left out."""
    known = set(keys)
    totals: Counter[tuple[str, str]] = Counter()
    for day, key, count in rows:
        if key in known:
            totals[_period(day, period), key] += count
    return dict(sorted(totals.items()))


async def offer_check_stats(session: AsyncSession, *, query: StatsQuery) -> OfferCheckStats:
    risks = await session.execute(
        select(OfferCheckDay.day, OfferCheckDay.risk, func.sum(OfferCheckDay.checks))
        .where(_in_range(OfferCheckDay.day, query))
        .group_by(OfferCheckDay.day, OfferCheckDay.risk)
    )
    flags = await session.execute(
        select(OfferFlagDay.day, OfferFlagDay.flag, func.sum(OfferFlagDay.hits))
        .where(_in_range(OfferFlagDay.day, query))
        .group_by(OfferFlagDay.day, OfferFlagDay.flag)
    )
    by_risk = _per_period(risks, query.offer_period, RISKS)
    by_flag = _per_period(flags, query.offer_period, FLAG_IDS)
    risk_totals = Counter({risk: 0 for risk in RISKS})
    for (_, risk), checks in by_risk.items():
        risk_totals[risk] += checks
    flag_totals = Counter({flag: 0 for flag in FLAG_IDS})
    for (_, flag), hits in by_flag.items():
        flag_totals[flag] += hits
    return OfferCheckStats(
        period=query.offer_period,
        total=sum(risk_totals.values()),
        by_risk=dict(risk_totals),
        by_flag=dict(flag_totals),
        by_period_and_risk=[
            RiskCount(period=period, risk=risk, checks=checks)
            for (period, risk), checks in by_risk.items()
        ],
        by_period_and_flag=[
            FlagCount(period=period, flag=flag, hits=hits)
            for (period, flag), hits in by_flag.items()
        ],
    )


async def get(
    session: AsyncSession, *, query: StatsQuery, districts: Districts, kinds: Iterable[str]
) -> StatsRead:
    """Every figure; `kinds` (of the report forms) are counted even when none was made."""
    return StatsRead(
        date_from=query.date_from,
        date_to=query.date_to,
        cases=await case_stats(session, query=query, districts=districts, kinds=kinds),
        offer_checks=await offer_check_stats(session, query=query),
    )
