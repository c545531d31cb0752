"""The statistics page and its CSV downloads over HTTP, on a small known set of cases and
offer checks."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from api.offers.models import OfferCheckDay, OfferFlagDay
from api.offers.schemas import FLAG_IDS


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
async def known(api, make_case) -> None:
    """Five cases from December 2025 to March 2026, three answered; offer checks in March and
    May 2026."""
    cases = [  # kind, district, opened, hours to the first staff message
        ("offer", "belu", at(2025, 12, 31), 1),
        ("danger", "belu", at(2026, 1, 20), 6),
        ("missing", "belu", at(2026, 1, 25), None),
        ("offer", "alor", at(2026, 3, 5), 2),
        ("question", None, at(2026, 3, 6), None),
    ]
    for kind, district, opened, hours in cases:
        answered = opened + timedelta(hours=hours) if hours is not None else None
        await make_case(
            kind, district=district, columns={"created_at": opened, "first_response_at": answered}
        )
    async with api._transport.app.state.sessionmaker() as session:
        session.add_all(
            [
                OfferCheckDay(day=date(2026, 3, 1), language="id", risk="high", checks=3),
                OfferCheckDay(day=date(2026, 3, 2), language="en", risk="low", checks=2),
                OfferCheckDay(day=date(2026, 5, 9), language="id", risk="medium", checks=1),
                OfferFlagDay(day=date(2026, 3, 1), language="id", flag="upfront_fee", hits=3),
                OfferFlagDay(day=date(2026, 5, 9), language="id", flag="secrecy", hits=1),
            ]
        )
        await session.commit()


def table_rows(html: str, section: str) -> list[list[str]]:
    """The cells of each body row of the tables in the page's section with that id."""
    part = re.search(rf'<section class="card" id="{section}">(.*?)</section>', html, re.S)
    assert part, section
    rows = re.findall(r"<tr>(.*?)</tr>", part.group(1), re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows if "<td" in row]


async def download(api, table: str, **params: str) -> list[list[str]]:
    response = await api.get(f"/staff/stats/{table}.csv", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.text)))


async def test_the_page_shows_every_count_beside_its_chart(api, known, signed_in):
    await signed_in("supervisor")
    page = await api.get("/staff/stats", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.text
    assert html.count('role="img"') == 6
    assert "<title>Belu: 3</title>" in html and "<title>2026-02: 0</title>" in html
    districts = table_rows(html, "districts")
    assert len(districts) == 23  # the 22 districts and "not given"
    assert ["Belu", "3"] in districts and ["Alor", "1"] in districts
    assert ["Sabu Raijua", "0"] in districts and districts[-1][1] == "1"
    assert table_rows(html, "months") == [
        ["2025-12", "1", "1", "1.0"],
        ["2026-01", "2", "1", "6.0"],
        ["2026-02", "0", "0", "–"],
        ["2026-03", "2", "1", "2.0"],
    ]
    assert table_rows(html, "kinds") == [
        ["Suspicious job offer", "2"],
        ["Someone in danger", "1"],
        ["Missing relative", "1"],
        ["Unpaid wages", "0"],
        ["Question for a caseworker", "1"],
    ]
    assert ["New", "5"] in table_rows(html, "statuses")
    assert "2.0 hours" in html  # median of 1, 6 and 2 hours
    checks, flags = table_rows(html, "offer-checks")[:3], table_rows(html, "offer-checks")[3:]
    assert checks == [
        ["2026-03", "5", "2", "0", "3"],
        ["2026-04", "0", "0", "0", "0"],
        ["2026-05", "1", "0", "1", "0"],
    ]
    assert len(flags) == len(FLAG_IDS)
    assert ["Asks for money up front", "3", "3", "0", "0"] in flags
    assert 'href="/staff/stats/districts.csv" download' in html


async def test_the_csv_downloads_hold_the_same_numbers(api, known, signed_in):
    await signed_in("admin")
    districts = await download(api, "districts")
    assert districts[0] == ["district", "name", "cases"]
    assert ["belu", "Belu", "3"] in districts and ["", "(not given)", "1"] in districts
    assert len(districts) == 1 + 22 + 1
    assert await download(api, "months", date_from="2026-01-01") == [
        ["month", "cases", "responded", "median_first_response_hours"],
        ["2026-01", "2", "1", "6.0"],
        ["2026-02", "0", "0", ""],
        ["2026-03", "2", "1", "2.0"],
    ]
    assert await download(api, "kinds") == [
        ["kind", "cases"],
        ["offer", "2"],
        ["danger", "1"],
        ["missing", "1"],
        ["unpaid_wages", "0"],
        ["question", "1"],
    ]
    assert (await download(api, "statuses"))[1:3] == [["new", "5"], ["triaged", "0"]]
    offers = await download(api, "offer-checks", offer_period="day", date_to="2026-03-31")
    header = offers[0]
    assert header[:5] == ["period", "checks", "low", "medium", "high"] and len(header) == 5 + len(
        FLAG_IDS
    )
    rows = [dict(zip(header, row, strict=True)) for row in offers[1:]]
    assert [(r["period"], r["checks"], r["high"], r["upfront_fee"]) for r in rows] == [
        ("2026-03-01", "3", "3", "3"),
        ("2026-03-02", "2", "0", "0"),
    ]
    audit = await api.get("/staff/audit", params={"action": "stats_exported"})
    assert "<td><code>" not in audit.text  # aggregates: nothing to audit


async def test_the_range_filters_the_page_and_its_download_links(api, known, signed_in):
    await signed_in("supervisor")
    params = {"date_from": "2026-01-01", "date_to": "2026-03-05", "offer_period": "day"}
    page = await api.get("/staff/stats", params=params, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert [row[0] for row in table_rows(page.text, "months")] == ["2026-01", "2026-02", "2026-03"]
    assert ["Belu", "2"] in table_rows(page.text, "districts")
    assert table_rows(page.text, "offer-checks")[:2] == [
        ["2026-03-01", "3", "0", "0", "3"],
        ["2026-03-02", "2", "2", "0", "0"],
    ]
    query = "date_from=2026-01-01&amp;date_to=2026-03-05&amp;offer_period=day"
    assert f'href="/staff/stats/kinds.csv?{query}"' in page.text
    assert 'value="2026-03-05"' in page.text and '<option value="day" selected>' in page.text
    months = await download(api, "months", **params)
    assert [row[0] for row in months[1:]] == ["2026-01", "2026-02", "2026-03"]
    empty = await api.get("/staff/stats", params={"date_from": "2027-01-01"})
    assert empty.status_code == 200 and "Tidak ada kasus" in empty.text


async def test_unusable_filters_are_explained_and_kept(api, signed_in):
    await signed_in("supervisor")
    page = await api.get(
        "/staff/stats",
        params={"date_from": "2026-03-01", "date_to": "2026-02-01", "offer_period": "day"},
    )
    assert page.status_code == 422
    assert "Hari pertama tidak boleh setelah hari terakhir." in page.text
    assert 'value="2026-03-01"' in page.text and '<option value="day" selected>' in page.text
    assert 'role="img"' not in page.text
    page = await api.get("/staff/stats", params={"date_from": "1.3.2026", "offer_period": "week"})
    assert "Dari: Masukkan tanggal dengan format TTTT-BB-HH." in page.text
    assert "Pengecekan tawaran per: Pilih salah satu pilihan yang tersedia." in page.text
    far = await api.get("/staff/stats", params={"date_to": "9999-12-31"})
    assert far.status_code == 422 and "antara tahun 2000 dan 2999" in far.text
    refused = await api.get("/staff/stats/months.csv", params={"date_from": "yesterday"})
    assert refused.status_code == 422 and "date_from:" in refused.text
    assert (await api.get("/staff/stats/cases.csv")).status_code == 404


async def test_only_supervisors_and_admins_open_the_statistics(api, signed_in):
    signed_out = await api.get("/staff/stats")
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/staff/login?next=/staff/stats"
    await signed_in("agent")
    for path in ("/staff/stats", "/staff/stats/districts.csv"):
        refused = await api.get(path)
        assert refused.status_code == 403 and 'role="img"' not in refused.text
        assert "Tidak diizinkan" in refused.text
