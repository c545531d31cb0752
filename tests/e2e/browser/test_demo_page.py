"""The /demo page in Chromium: a newcomer asks the bot for help and reports in one tab; the
caseworker's reply, sent by staff, appears in that tab through the outbox."""

import io
import re
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw
from playwright.async_api import Page, expect

from api.app import create_app
from api.settings import Settings
from bot.demo.web import add_demo_routes, demo_lifespan

pytestmark = pytest.mark.browser


@pytest.fixture
async def helpline(settings: Settings) -> AsyncIterator[SimpleNamespace]:
    """What `helpline demo` serves: the backend with the bot on the stand-in and the /demo
    page (the browser fixtures serve `helpline.app`)."""
    settings = settings.model_copy(update={"outbox_poll_seconds": 0.2, "per_chat_interval": 0})
    app = create_app(settings, extra_lifespan=demo_lifespan(settings))
    add_demo_routes(app, settings)
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


async def started_in_english(phone: Page) -> None:
    await phone.goto("/demo")
    await expect(phone.locator(".bubble.bot").last).to_contain_text("choose your language")
    await tap(phone, "English")
    await expect(phone.locator("#keyboard button").first).to_be_visible()


async def test_every_menu_row_is_as_wide_as_the_keyboard(phone: Page, helpline):
    await started_in_english(phone)
    keyboard = await phone.locator("#keyboard .rows").bounding_box()
    rows = phone.locator("#keyboard .row")
    assert await rows.count() >= 2
    for index in range(await rows.count()):
        row = await rows.nth(index).bounding_box()
        assert row["width"] == pytest.approx(keyboard["width"], abs=2), index


async def test_a_callback_answer_shows_as_a_toast(phone: Page, helpline):
    await started_in_english(phone)
    await say(phone, "how do i get a passport")
    await expect(phone.locator(".bubble.bot").last).to_contain_text("passport")
    await tap(phone, "👍")
    await expect(phone.locator("#toast")).to_have_text("Thank you for your feedback.")
    await expect(phone.locator("#toast")).to_be_hidden(timeout=6000)


async def test_an_over_long_message_is_kept_and_explained(phone: Page, helpline):
    await started_in_english(phone)
    bubbles = await phone.locator(".bubble").count()
    await say(phone, "tolong " * 700)  # 4,900 characters: more than Telegram takes
    await expect(phone.locator("#toast")).to_contain_text("too long: at most 4096 characters")
    assert len(await phone.input_value("#text")) > 4096
    assert await phone.locator(".bubble").count() == bubbles


def offer_screenshot(image_format: str) -> bytes:
    image = Image.new("RGB", (900, 260), "white")
    draw = ImageDraw.Draw(image)
    for line, text in enumerate(("LOWONGAN KERJA MALAYSIA", "GAJI 8 JUTA, TANPA PASPOR")):
        draw.text((30, 40 + line * 90), text, fill="black", font_size=48)
    out = io.BytesIO()
    image.save(out, format=image_format)
    return out.getvalue()


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
async def test_a_picture_of_any_common_type_is_sent_as_a_photo(phone: Page, helpline, image_format):
    await started_in_english(phone)
    await tap(phone, "🔎 Check a job offer")
    await phone.set_input_files(
        "#photo",
        files=[
            {
                "name": f"offer.{image_format.lower()}",
                "mimeType": f"image/{image_format.lower()}",
                "buffer": offer_screenshot(image_format),
            }
        ],
    )
    await expect(phone.locator(".bubble.user").last).to_have_text("📷")
    await expect(phone.locator(".bubble.bot").last).to_contain_text("read", timeout=20000)
    assert "Sorry" not in await phone.locator(".bubble.bot").last.inner_text()


async def test_a_file_that_is_no_picture_gets_a_kind_word(phone: Page, helpline):
    await started_in_english(phone)
    await phone.set_input_files(
        "#photo", files=[{"name": "a.png", "mimeType": "image/png", "buffer": b"not an image"}]
    )
    await expect(phone.locator("#toast")).to_contain_text("not a picture")
