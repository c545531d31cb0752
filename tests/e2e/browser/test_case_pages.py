"""The case pages in Chromium: an urgent report made through the bot appears in a supervisor's
queue without reloading, is answered (the reply reaching the reporter through the stand-in)
and closed; another agent's case is refused; reporter-written script shows as text."""

import re
import uuid

import pytest
from playwright.async_api import Dialog, Page

from bot.local import LocalHelpline
from bot.standin import TelegramUser

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"NTT-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}")
SCRIPT = "<script>alert(1)</script>"
WHAT_HAPPENS = f"My sister is locked in the house of her boss {SCRIPT}"
REPLY = "We have called the police in Kuching. Stay near your phone."


async def report_in_danger(user: TelegramUser) -> str:
    """An urgent report through the bot, in English, as a reporter makes it; its reference."""
    await user.send("/start")
    await user.press("English")
    await user.press("📝 Report")
    await user.press("Someone in danger")
    await user.press("I agree")
    await user.send(WHAT_HAPPENS)
    await user.send("Malaysia")
    await user.press("🤷 Don't know")  # their age
    await user.send("Kuching")
    await user.press("🤷 Don't know")  # employer
    await user.send("two months")
    await user.press("Yes")  # in danger now
    await user.press("🤷 Don't know")  # how to reach them
    sent = await user.press("✅ Send")
    found = REFERENCE.search(sent[-1].text)
    assert found, sent[-1].text
    return found.group()


async def seed_other_cases(api) -> None:
    """A few calmer cases, so that the queue looks like a queue."""
    reports = [
        ("offer", "kupang", {"offer_text": "Kerja di Malaysia gaji 15 juta, tanpa paspor"}),
        ("question", "belu", {"question": "How long does a passport take?"}),
        ("missing", "sumba_timur", {"name": "Maria Nenobais", "destination_country": "MY"}),
    ]
    for number, (kind, district, details) in enumerate(reports):
        response = await api.post(
            "/api/v1/cases",
            json={
                "submission_id": str(uuid.uuid4()),
                "kind": kind,
                "channel": "telegram",
                "channel_user_id": f"555000{number}",
                "language": "id",
                "consent": True,
                "district": district,
                "details": details,
            },
        )
        assert response.status_code == 201, response.text


async def submit(page: Page, form: str) -> None:
    async with page.expect_navigation():
        await page.locator(form).locator("button[type=submit]").click()


async def fits_a_phone(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a phone ({width} px)"


async def test_an_urgent_report_is_seen_answered_and_closed(
    desktop: Page,
    open_page,
    login,
    staff_login,
    screenshot,
    user: TelegramUser,
    helpline: LocalHelpline,
    api,
):
    dialogs: list[str] = []

    async def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    desktop.on("dialog", on_dialog)
    await seed_other_cases(api)
    agent = await staff_login("agent")
    await login(desktop, "supervisor", next="/staff/queue")
    assert await desktop.locator("h1").inner_text() == "Queue"
    assert await desktop.locator("tr.urgent").count() == 0

    reference = await report_in_danger(user)
    row = desktop.locator("tr.urgent", has_text=reference)
    await row.wait_for(timeout=12_000)  # the page polls every 5 s: no reload
    assert await desktop.locator("#queue-rows tr").first.inner_text() == await row.inner_text()
    assert "Urgent" in await row.inner_text()
    assert await desktop.locator("#queue-total").inner_text() == "4"
    await screenshot(desktop, "queue-desktop")

    phone = await open_page("phone")
    await login(phone, "supervisor", next="/staff/queue")
    assert await phone.locator("tr.urgent", has_text=reference).is_visible()
    await fits_a_phone(phone)
    await screenshot(phone, "queue-phone")

    async with desktop.expect_navigation():
        await row.locator("a").click()
    assert await desktop.locator("h1").inner_text() == f"{reference} Urgent New"
    report = await desktop.locator("dl.report").inner_text()
    assert SCRIPT in report and "Malaysia" in report  # the script is text: it did not run
    assert dialogs == []

    await desktop.select_option("#assign select[name=assignee_id]", str(agent["id"]))
    await submit(desktop, "#assign")
    assert await desktop.locator("[role=status]").inner_text() == "The case was assigned."
    other_agent = await open_page("phone")
    await login(other_agent, "agent", next="/staff/queue")
    assert await other_agent.locator("tr", has_text=reference).count() == 0
    refused = await other_agent.goto(f"/staff/cases/{reference}")
    assert refused.status == 403
    assert await other_agent.locator("h1").inner_text() == "Not allowed"
    assert SCRIPT not in await other_agent.content()

    await desktop.fill("#message textarea[name=text]", REPLY)
    await submit(desktop, "#message")
    thread = desktop.locator(".thread .message.to_reporter")
    assert REPLY in await thread.inner_text()
    assert "waiting to be sent" in await thread.inner_text()
    assert await helpline.outbox.deliver_due() == 1
    assert REPLY in user.inbox[-1].text and reference in user.inbox[-1].text
    await desktop.reload()
    assert "delivered" in await thread.locator(".delivery").inner_text()
    await screenshot(desktop, "case-desktop")

    await phone.goto(f"/staff/cases/{reference}")
    await fits_a_phone(phone)
    await screenshot(phone, "case-phone")

    await desktop.fill("#close textarea[name=resolution]", "The police freed her; she is home.")
    await submit(desktop, "#close")
    assert await desktop.locator("[role=status]").inner_text() == "The case was closed."
    assert "Closed" in await desktop.locator("h1").inner_text()
    assert await desktop.locator("#reopen").is_visible()
    assert dialogs == []


async def test_the_missing_person_sheet_prints(desktop: Page, login, screenshot, api):
    await seed_other_cases(api)
    await login(desktop, "agent", next="/staff/queue?kind=missing")
    async with desktop.expect_navigation():
        await desktop.locator("#queue-rows a").first.click()
    async with desktop.expect_navigation():
        await desktop.click("text=Printable missing-person sheet")
    assert await desktop.locator(".sheet-name").inner_text() == "Maria Nenobais"
    await desktop.emulate_media(media="print")
    assert not await desktop.locator("header.top").is_visible()
    assert not await desktop.locator("[data-print]").is_visible()
    assert "indonesia.iom.int" in await desktop.locator("ul.contacts").inner_text()
    await screenshot(desktop, "sheet-print")
