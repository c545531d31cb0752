"""The statistics page in Chromium, on a desktop and a 360-pixel phone."""

import uuid

import httpx
import pytest
from playwright.async_api import Page

from api.offers.schemas import FLAG_IDS

pytestmark = pytest.mark.browser


async def report_questions(base_url: str, districts: list[str]) -> None:
    """Cases reported through the bot's route, and two offers checked."""
    async with httpx.AsyncClient(
        base_url=base_url, headers={"Authorization": "Bearer test-service-token"}
    ) as bot:
        for district in districts:
            body = {
                "submission_id": str(uuid.uuid4()),
                "kind": "question",
                "channel": "telegram",
                "channel_user_id": "5550001",
                "language": "id",
                "consent": True,
                "district": district,
                "details": {"question": "How long does a passport take?"},
            }
            response = await bot.post("/api/v1/cases", json=body)
            assert response.status_code == 201, response.text
        for text in ("Kerja di Malaysia, bayar biaya pendaftaran 5 juta dulu", "Halo"):
            response = await bot.post("/api/v1/offers/check", json={"text": text})
            assert response.status_code == 200, response.text


async def cells(page: Page, section: str, name: str) -> list[str]:
    row = page.locator(f"#{section} table tr", has=page.locator(f"td:text-is('{name}')"))
    return await row.locator("td").all_inner_texts()


async def test_a_supervisor_reads_the_statistics_and_downloads_them(
    desktop: Page, open_page, login, screenshot, base_url
):
    await report_questions(base_url, ["belu", "belu", "alor"])
    await login(desktop, "supervisor", next="/staff/stats")
    assert await desktop.locator("h1").inner_text() == "Statistics"
    assert await desktop.locator("svg.chart[role=img]").count() == 6
    assert await cells(desktop, "districts", "Belu") == ["Belu", "2"]
    assert await cells(desktop, "kinds", "Question for a caseworker") == [
        "Question for a caseworker",
        "3",
    ]
    assert await desktop.locator("#offer-checks tbody tr").count() == 1 + len(FLAG_IDS)
    belu_bar = desktop.locator("#districts svg rect", has_text="Belu: 2")
    alor_bar = desktop.locator("#districts svg rect", has_text="Alor: 1")
    belu, alor = await belu_bar.bounding_box(), await alor_bar.bounding_box()
    assert belu and alor and belu["width"] == pytest.approx(2 * alor["width"], rel=0.02)
    await screenshot(desktop, "stats-desktop")

    today = await desktop.locator("#months td").first.inner_text()
    await desktop.fill("input[name=date_from]", "2000-01-01")
    await desktop.select_option("select[name=offer_period]", "day")
    async with desktop.expect_navigation():
        await desktop.click("main form button[type=submit]")
    assert "offer_period=day" in desktop.url
    link = desktop.locator("#districts a.csv")
    assert await link.get_attribute("href") == (
        "/staff/stats/districts.csv?date_from=2000-01-01&offer_period=day"
    )
    async with desktop.expect_download() as downloading:
        await link.click()
    download = await downloading.value
    assert download.suggested_filename == "stats-districts_2000-01-01.csv"
    assert "belu,Belu,2" in (await download.path()).read_text().splitlines()
    months = await desktop.request.get("/staff/stats/months.csv")
    assert months.headers["content-type"] == "text/csv; charset=utf-8"
    assert (await months.text()).splitlines()[1:] == [f"{today},3,0,"]

    phone = await open_page("phone", locale="id-ID")
    await login(phone, "admin", next="/staff/stats")
    assert await phone.locator("h1").inner_text() == "Statistik"
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the statistics page scrolls sideways on a phone ({width} px)"
    chart = await phone.locator("#districts svg").bounding_box()
    assert chart and chart["width"] <= 330
    await screenshot(phone, "stats-phone")
