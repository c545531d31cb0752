"""Telegram errors (timeouts, 5xx, 429 retry_after) are retried as the Bot API asks."""

import pytest

from bot.standin import Failure, TelegramUser
from bot.telegram_io import split_text


@pytest.mark.parametrize(
    "failure",
    [
        Failure("sendMessage", 502, "Bad Gateway"),
        Failure("sendMessage", 500, "Internal Server Error"),
        Failure("sendMessage", 0, "", timeout=True),
        Failure("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1),
    ],
    ids=["502", "500", "timeout", "429"],
)
async def test_user_still_gets_the_answer_after_a_telegram_failure(
    user: TelegramUser, helpline, failure: Failure
):
    await user.send("/start")
    await user.press("English")
    helpline.standin.fail_next(failure)
    replies = await user.send("how to report")
    assert replies and "report" in replies[-1].text.lower()
    assert helpline.standin.calls.count("sendMessage") >= 3


def test_long_text_is_split_within_telegram_limit():
    text = ("kalimat pendek. " * 50 + "\n\n") * 10
    parts = split_text(text, limit=4096)
    assert len(parts) > 1
    assert all(len(part) <= 4096 for part in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
