"""The /demo page in Chromium: a newcomer asks the bot for help and reports in one tab; the
caseworker's reply, sent by staff, appears in that tab through the outbox."""

import re
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from playwright.async_api import Page, expect

from api.app import create_app
from api.settings import Settings
from bot.demo.web import add_demo_routes, demo_lifespan

pytestmark = pytest.mark.browser


@pytest.fixture
async def helpline(settings: Settings) -> AsyncIterator[SimpleNamespace]:
    """What `helpline run` serves without a token: the backend with the bot on the stand-in
    and the /demo page (the browser fixtures serve `helpline.app`)."""
    settings = settings.model_copy(update={"outbox_poll_seconds": 0.2, "per_chat_interval": 0})
    app = create_app(settings, extra_lifespan=demo_lifespan(settings))
    add_demo_routes(app)
    async with app.router.lifespan_context(app):
        yield SimpleNamespace(app=app)


async def tap(page: Page, label: str) -> None:
    await page.locator("button", has_text=label).last.click()


async def say(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.locator("#composer button[type=submit]").click()


async def test_report_in_the_demo_and_read_the_caseworkers_reply(
    phone: Page, helpline, staff_login, screenshot
):
    await phone.goto("/demo")
    bot = phone.locator(".bubble.bot")
    await expect(bot.last).to_contain_text("choose your language")
    await tap(phone, "English")
    await say(phone, "how do i get a passport")
    await expect(bot.last).to_contain_text("passport")
    await tap(phone, "🙋 Talk to a person")
    await tap(phone, "I agree")
    await say(phone, "Can my cousin apply for me? <script>alert(1)</script>")
    await expect(bot.last).to_contain_text("<script>alert(1)</script>")  # shown as text
    await tap(phone, "✅ Send")
    await expect(bot.last).to_contain_text("NTT-")
    reference = re.search(r"NTT-[0-9A-Z]{6}", await bot.last.inner_text())[0]
    await screenshot(phone, "demo-report-phone")

    supervisor = await staff_login("supervisor")
    api = phone.context.request
    sent = await api.post(
        f"/api/v1/cases/{reference}/messages",
        headers=supervisor["headers"],
        data={"text": "Yes, with a letter from you. We will call you."},
    )
    assert sent.status == 201
    await expect(bot.last).to_contain_text("We will call you.")  # the page polls every 2 s
    await expect(phone.locator(".bubble.bot").last.locator("button")).to_have_count(1)
    await screenshot(phone, "demo-reply-phone")
