"""GET /api/v1/stats: counts and medians on a small known set of cases and offer checks."""

from datetime import UTC, date, datetime, timedelta

import pytest

from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import FLAG_IDS

STATS = "/api/v1/stats"


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
async def known(api, make_case, staff_login) -> dict:
    """Six cases from December 2025 to March 2026, four answered; offer checks in March and
    April 2026."""
    cases = [  # kind, district, opened, hours to the first staff message
        ("offer", "kota_kupang", at(2026, 1, 10), 2),
        ("danger", "belu", at(2026, 1, 20), 6),
        ("missing", "belu", at(2026, 1, 25), None),
        ("question", None, at(2026, 3, 5), None),
        ("offer", "belu", at(2026, 3, 31, 23, 30), 10),
        ("danger", "alor", at(2025, 12, 31, 23, 59), 1),
    ]
    for kind, district, opened, hours in cases:
        answered = opened + timedelta(hours=hours) if hours is not None else None
        columns = {"created_at": opened, "first_response_at": answered}
        await make_case(kind, district=district, columns=columns)
    async with api._transport.app.state.sessionmaker() as session:
        session.add_all(
            [
                OfferCheckDay(day=date(2026, 3, 1), language="id", risk="high", checks=3),
                OfferCheckDay(day=date(2026, 3, 1), language="en", risk="high", checks=1),
                OfferCheckDay(day=date(2026, 3, 2), language="id", risk="low", checks=2),
                OfferCheckDay(day=date(2026, 4, 1), language="id", risk="medium", checks=1),
                OfferFlagDay(day=date(2026, 3, 1), language="id", flag="upfront_fee", hits=3),
                OfferFlagDay(day=date(2026, 3, 1), language="en", flag="upfront_fee", hits=1),
                OfferFlagDay(day=date(2026, 3, 2), language="id", flag="vague_job", hits=1),
                OfferFlagDay(day=date(2026, 4, 1), language="id", flag="secrecy", hits=1),
            ]
        )
        await session.commit()
    return {"agent": await staff_login("agent")}


async def stats(api, member: dict, **params) -> dict:
    response = await api.get(STATS, params=params, headers=member["headers"])
    assert response.status_code == 200, response.text
    return response.json()


async def test_cases_by_district_month_kind_status_and_time_to_first_response(api, known):
    cases = (await stats(api, known["agent"]))["cases"]
    assert cases["total"] == 6
    by_district = {d["district"]: d["cases"] for d in cases["by_district"]}
    assert len(by_district) == 22 and sum(by_district.values()) == 5
    assert (by_district["belu"], by_district["alor"], by_district["kota_kupang"]) == (3, 1, 1)
    assert by_district["sabu_raijua"] == 0
    assert cases["by_district"][0] == {
        "district": "kota_kupang",
        "name": "Kupang (kota)",
        "cases": 1,
    }
    assert cases["without_district"] == 1
    assert cases["by_kind"] == {
        "offer": 2,
        "danger": 2,
        "missing": 1,
        "unpaid_wages": 0,
        "question": 1,
    }
    assert cases["by_status"] == {
        "new": 6,
        "triaged": 0,
        "in_progress": 0,
        "referred": 0,
        "closed": 0,
    }
    assert cases["by_month"] == [
        {"month": "2025-12", "cases": 1, "responded": 1, "median_first_response_hours": 1.0},
        {"month": "2026-01", "cases": 3, "responded": 2, "median_first_response_hours": 4.0},
        {"month": "2026-02", "cases": 0, "responded": 0, "median_first_response_hours": None},
        {"month": "2026-03", "cases": 2, "responded": 1, "median_first_response_hours": 10.0},
    ]
    assert (cases["responded"], cases["median_first_response_hours"]) == (4, 4.0)


async def test_the_date_range_takes_whole_utc_days(api, known):
    body = await stats(api, known["agent"], date_from="2026-01-01", date_to="2026-03-31")
    assert (body["date_from"], body["date_to"]) == ("2026-01-01", "2026-03-31")
    cases = body["cases"]
    assert cases["total"] == 5  # not the one of 31 December
    assert [m["month"] for m in cases["by_month"]] == ["2026-01", "2026-02", "2026-03"]
    assert (cases["responded"], cases["median_first_response_hours"]) == (3, 6.0)
    only_march = (await stats(api, known["agent"], date_from="2026-03-31"))["cases"]
    assert only_march["by_kind"] == {
        "offer": 1,
        "danger": 0,
        "missing": 0,
        "unpaid_wages": 0,
        "question": 0,
    }


async def test_offer_checks_by_risk_and_flag_per_month_or_day(api, known):
    month = (await stats(api, known["agent"], date_to="2026-03-31"))["offer_checks"]
    assert (month["period"], month["total"]) == ("month", 6)
    assert month["by_risk"] == {"low": 2, "medium": 0, "high": 4}
    assert month["by_flag"]["upfront_fee"] == 4 and month["by_flag"]["vague_job"] == 1
    assert month["by_flag"]["secrecy"] == 0 and len(month["by_flag"]) == len(FLAG_IDS)
    assert month["by_period_and_risk"] == [
        {"period": "2026-03", "risk": "high", "checks": 4},
        {"period": "2026-03", "risk": "low", "checks": 2},
    ]
    day = (await stats(api, known["agent"], offer_period="day"))["offer_checks"]
    assert day["total"] == 7
    assert day["by_period_and_risk"] == [
        {"period": "2026-03-01", "risk": "high", "checks": 4},
        {"period": "2026-03-02", "risk": "low", "checks": 2},
        {"period": "2026-04-01", "risk": "medium", "checks": 1},
    ]
    assert day["by_period_and_flag"] == [
        {"period": "2026-03-01", "flag": "upfront_fee", "hits": 4},
        {"period": "2026-03-02", "flag": "vague_job", "hits": 1},
        {"period": "2026-04-01", "flag": "secrecy", "hits": 1},
    ]


async def test_every_role_may_read_them_and_bad_ranges_are_422(api, staff_login):
    for role in ("agent", "supervisor", "admin"):
        member = await staff_login(role)
        body = await stats(api, member)
        assert body["cases"]["total"] == 0 and body["cases"]["by_month"] == []
        assert body["cases"]["median_first_response_hours"] is None
    for params in (
        {"date_from": "2026-02-01", "date_to": "2026-01-31"},
        {"date_from": "2026-13-01"},
        {"date_to": "9999-12-31"},
        {"offer_period": "week"},
        {"district": "belu"},
    ):
        response = await api.get(STATS, params=params, headers=member["headers"])
        assert response.status_code == 422, params
