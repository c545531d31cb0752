"""A local stand-in for the Telegram Bot API, as strict as Telegram.

It speaks the Bot API's own JSON, refuses what Telegram refuses with Telegram's own codes and
descriptions (`rules`), and plugs into python-telegram-bot's request layer, so the real
`Application`, with all its handlers, runs without Telegram (`server`). `user` turns what a
simulated person does (type, tap, double-tap, send a photo, share a number) into the updates
Telegram would deliver; `http` serves the stand-in on a port like a Bot API server.
`helpline chat`, the demo and the tests use it.
"""

from bot.standin.rules import ApiError
from bot.standin.server import (
    FILE_URL,
    BotApiStandin,
    BotMessage,
    Failure,
    FloodLimits,
    StandinRequest,
    Toast,
)
from bot.standin.user import TelegramUser

__all__ = [
    "FILE_URL",
    "ApiError",
    "BotApiStandin",
    "BotMessage",
    "Failure",
    "FloodLimits",
    "StandinRequest",
    "TelegramUser",
    "Toast",
]
