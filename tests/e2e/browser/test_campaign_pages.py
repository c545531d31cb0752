"""A supervisor writes a campaign in Chromium, previews it, sends it and watches its progress;
the message arrives in a stand-in chat."""

import pytest
from playwright.async_api import Page, expect

from bot.standin import TelegramUser

pytestmark = pytest.mark.browser

TEXT = "Hati-hati: calo menawarkan kerja di Malaysia tanpa paspor. Cek dulu ke BP3MI."


async def submit(page: Page, form: str) -> None:
    async with page.expect_navigation():
        await page.locator(form).locator("button[type=submit]").click()


async def test_a_supervisor_writes_sends_and_follows_a_campaign(
    desktop: Page, open_page, login, screenshot, helpline, user: TelegramUser
):
    await user.send("/subscribe")
    await user.press("Belu")

    await login(desktop, "supervisor", next="/staff/campaigns")
    assert await desktop.locator("h1").inner_text() == "Campaigns"
    await desktop.click("text=New campaign")
    form = "form.campaign"
    await desktop.fill(f"{form} [name=title]", "Calo di Belu")
    await desktop.fill(f"{form} [name=text_id]", TEXT)
    for code in ("en", "mkn", "tet", "aoz"):  # only Indonesian this time
        await desktop.uncheck(f"{form} input[name=language][value={code}]")
    await screenshot(desktop, "campaign-new-desktop")
    await submit(desktop, form)
    assert "saved as a draft" in await desktop.locator("[role=status]").inner_text()
    assert await desktop.locator("#audience").inner_text() == "Subscribers who get it now: 1"
    assert await desktop.locator(".preview .bubble").inner_text() == TEXT
    await screenshot(desktop, "campaign-preview-desktop")

    await submit(desktop, "form.send")
    await expect(desktop.locator("#status")).to_have_text("Scheduled")  # the page after sending
    queuer = helpline.app.state.campaign_queuer
    await queuer.run_once()  # the backend queues the recipients
    while await helpline.outbox.deliver_due():  # the bot's worker delivers it
        await queuer.run_once()
    await desktop.reload()
    assert await desktop.locator("#status").inner_text() == "Sent"
    assert await desktop.locator("#sent").inner_text() == "1"
    assert TEXT in user.inbox[-1].text and "/stop" in user.inbox[-1].text
    await screenshot(desktop, "campaign-sent-desktop")

    phone = await open_page("phone")
    await login(phone, "admin", next="/staff/campaigns")
    row = phone.locator("table.campaigns tr", has_text="Calo di Belu")
    assert "1 sent, 0 failed, 0 blocked, 0 waiting" in await row.inner_text()
    await screenshot(phone, "campaigns-phone")


async def test_agents_see_no_campaigns(desktop: Page, login):
    await login(desktop, "agent")
    assert await desktop.locator("a[href='/staff/campaigns']").count() == 0
    refused = await desktop.goto("/staff/campaigns")
    assert refused.status == 403


async def test_an_incomplete_campaign_is_not_sent_and_says_why(desktop: Page, login):
    await login(desktop, "supervisor", next="/staff/campaigns/new")
    await desktop.fill("form.campaign [name=title]", "No text yet")
    await submit(desktop, "form.campaign")
    await submit(desktop, "form.send")
    assert (
        "Write the text in each chosen language"
        in await desktop.locator("[role=alert]").inner_text()
    )
    assert await desktop.locator("#status").inner_text() == "Draft"
