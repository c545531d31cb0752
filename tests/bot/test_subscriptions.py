"""/subscribe, /stop and the one-time "Get safe-migration news?" through the stand-in, with the
subscription kept by the backend."""

import httpx
import pytest

from bot.local import LocalHelpline, local_helpline
from bot.standin import TelegramUser


async def subscription(helpline: LocalHelpline, user: TelegramUser) -> dict:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=helpline.app),
        base_url="http://helpline.test",
        headers={"Authorization": "Bearer test-service-token"},
    ) as client:
        response = await client.get(f"/api/v1/reporters/telegram/{user.chat_id}/subscription")
    return response.json()


async def start_in_english(user: TelegramUser) -> None:
    await user.send("/start")
    await user.press("English")


async def test_subscribe_with_a_district_then_stop(helpline, user):
    await start_in_english(user)
    replies = await user.send("/subscribe")
    buttons = replies[-1].button_texts
    assert len(buttons) == 22 and "Belu" in buttons and "Kupang (kota)" in buttons
    replies = await user.press("Belu")
    assert "news for Belu" in replies[-1].text and "/stop" in replies[-1].text
    assert not replies[-1].edited and user.inbox[-2].button_texts == []  # buttons removed
    state = await subscription(helpline, user)
    assert (state["subscribed"], state["district"]) == (True, "belu")

    replies = await user.send("/stop")
    assert "no more news" in replies[-1].text
    assert (await subscription(helpline, user))["subscribed"] is False


async def test_news_is_offered_once_after_a_helpful_answer_even_after_a_restart(
    settings, helpline, user
):
    await start_in_english(user)
    await user.send("how do i get a passport")
    replies = await user.press("👎")
    assert replies == []  # not after an unhelpful answer
    replies = await user.press("👍")
    assert replies[-1].text.startswith("Get safe-migration news?")
    replies = await user.press("No, thanks")
    assert "/subscribe" in replies[-1].text

    await user.send("how do i get a passport")
    assert await user.press("👍") == []  # asked once, never again
    async with local_helpline(settings, retry_backoff=0) as restarted:  # a new bot, no user_data
        again = TelegramUser(restarted.standin, restarted.application, language_code="en")
        await again.send("how do i get a passport")
        assert await again.press("👍") == []


async def test_saying_yes_to_the_news_asks_for_the_district(helpline, user):
    await start_in_english(user)
    await user.send("how do i get a passport")
    await user.press("👍")
    replies = await user.press("Yes, choose my district")
    assert len(replies[-1].button_texts) == 22
    await user.press("Sikka")
    assert (await subscription(helpline, user))["district"] == "sikka"


async def test_a_subscriber_is_not_asked(helpline, user):
    await start_in_english(user)
    await user.send("/subscribe")
    await user.press("Belu")
    await user.send("how do i get a passport")
    assert await user.press("👍") == []


@pytest.mark.parametrize("language", ["id", "en", ""])
async def test_the_news_commands_are_in_each_languages_menu(helpline, user, language):
    """Telegram keeps command lists for two-letter codes; "" is everyone else's (Indonesian)."""
    _ = helpline.application.bot_data["catalogs"].translator(language or "id")
    commands = {c["command"]: c["description"] for c in helpline.standin.commands[language]}
    assert commands["subscribe"] == _("Safe-migration news for your district")
    assert commands["stop"] == _("Stop the safe-migration news")
