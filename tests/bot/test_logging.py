"""Logs never carry what users wrote, nor their ids, nor the bot token, even at DEBUG."""

import logging

import httpx
import pytest

from api import logs
from bot.client import BackendClient, BackendError
from bot.local import STANDIN_TOKEN
from bot.standin import Failure, TelegramUser


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logs.JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    logs.configure("DEBUG")
    collect = Collect()
    logging.getLogger().addHandler(collect)
    yield collect.lines
    logging.getLogger().removeHandler(collect)
    logs.configure("INFO")


async def test_logs_hold_no_message_text_user_id_or_token(user: TelegramUser, helpline, log_lines):
    await user.send("/start")
    await user.press("English")
    helpline.standin.fail_next(Failure("sendMessage", 502, "Bad Gateway"))
    await user.send("my sister Yuliana Tefa is missing in Tawau")
    assert any("telegram call retried" in line for line in log_lines)
    for line in log_lines:
        assert "Yuliana" not in line
        assert str(user.chat_id) not in line, line
        assert STANDIN_TOKEN.split(":")[1] not in line


async def test_a_backend_failure_is_logged_by_route_without_the_users_number():
    down = httpx.MockTransport(lambda request: httpx.Response(503))
    client = BackendClient("http://backend.test", "token", transport=down)
    with pytest.raises(BackendError) as failure:
        await client.language_of(5550001)
    await client.close()
    assert str(failure.value) == "GET /api/v1/reporters/telegram/{user}: HTTP 503"
