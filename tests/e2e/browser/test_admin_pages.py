"""The admin pages in Chromium: staff management, the audit log and content review, on a
desktop and a 360-pixel phone."""

import pytest
from playwright.async_api import Page

pytestmark = pytest.mark.browser

PASSWORD = "yohana's first password"


async def submit(page: Page, form: str) -> None:
    """Submit the form matched by the `form` selector and wait for the next page."""
    async with page.expect_navigation():
        await page.locator(form).locator("button[type=submit]").click()


async def actions_listed(page: Page) -> list[str]:
    return await page.locator("table.audit td code").all_inner_texts()


async def test_an_admin_adds_an_agent_disables_them_and_reviews_a_translation(
    desktop: Page, open_page, login, screenshot
):
    await login(desktop, "admin", next="/staff/team")
    assert await desktop.locator("h1").inner_text() == "Staff"
    form = "form[action='/staff/team']"
    await desktop.fill(f"{form} [name=username]", "yohana")
    await desktop.fill(f"{form} [name=name]", "Yohana Tefa")
    await desktop.select_option(f"{form} [name=role]", "agent")
    await desktop.fill(f"{form} [name=password]", PASSWORD)
    await submit(desktop, form)
    assert await desktop.locator("[role=status]").inner_text() == "The account was created."
    assert await desktop.locator("table.team tr", has_text="Yohana Tefa").count() == 1
    await screenshot(desktop, "team-desktop")

    agent = await open_page("phone")
    await login(agent, username="yohana", password=PASSWORD, next="/staff/team")
    refused = await agent.goto("/staff/team")
    assert refused.status == 403
    assert await agent.locator("h1").inner_text() == "Not allowed"
    assert await agent.locator("a[href='/staff/team']").count() == 0
    await screenshot(agent, "refused-phone")

    await desktop.click("table.team a:text('yohana')")
    await screenshot(desktop, "team-member-desktop")
    await submit(desktop, "form[action$='/disable']")
    assert "disabled" in await desktop.locator("[role=status]").inner_text()
    await agent.reload()
    assert "/staff/login" in agent.url

    await desktop.goto("/staff/audit")
    listed = await actions_listed(desktop)
    assert {"login", "staff_created", "staff_updated"} <= set(listed)
    assert listed[0] == "staff_updated"  # newest first
    await desktop.select_option("select[name=action]", "staff_updated")
    await submit(desktop, "form[action='/staff/audit']")
    assert await actions_listed(desktop) == ["staff_updated"]
    row = await desktop.locator("table.audit tbody tr").inner_text()
    assert "Test admin 1" in row and "fields: active" in row and "(Yohana Tefa)" in row
    await screenshot(desktop, "audit-desktop")

    await desktop.goto("/staff/content")
    translation = desktop.locator("#hotlines-tet")
    await translation.locator("summary").first.click()
    assert await translation.locator(".translation").first.is_visible()
    await submit(desktop, "#hotlines-tet form")
    assert "Marked reviewed" in await desktop.locator("[role=status]").inner_text()
    assert await translation.locator(".badge").inner_text() == "Reviewed"
    await translation.locator("summary").first.click()
    assert "Reviewed by Test admin 1" in await translation.inner_text()
    topic = await desktop.request.get("/api/v1/topics/hotlines?lang=tet")
    assert (await topic.json())["reviewed"] is True
    await screenshot(desktop, "content-review-desktop")


async def test_the_admin_pages_fit_a_phone(open_page, login, screenshot):
    phone = await open_page("phone", locale="id-ID")
    admin = await login(phone, "admin", next="/staff/team")
    pages = {
        "team": "/staff/team",
        "team-member": f"/staff/team/{admin['id']}",
        "audit": "/staff/audit",
        "content-review": "/staff/content",
    }
    for name, path in pages.items():
        response = await phone.goto(path)
        assert response.status == 200
        assert await phone.locator("h1").is_visible()
        width = await phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways on a phone ({width} px)"
        await screenshot(phone, f"{name}-phone")
