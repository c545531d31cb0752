"""A double tap on any button gives what one tap gives. Phones on a weak signal send a tap twice
(the second before the bot's answer arrives); Telegram then delivers two callback queries from
the same message. The crawl below starts from the bot's screens, taps every kind of button it
meets (by the first part of its callback data) once for one user and twice for another who
took the same path, down to three taps deep, and compares what each phone shows."""

import itertools
import re

from bot.local import LocalHelpline
from bot.standin import BotMessage, TelegramUser

OFFER = (
    "Dicari TKW ke Malaysia, gaji 15 juta, tidak perlu paspor cukup KTP, "
    "berangkat lewat jalur tikus minggu depan."
)
SCREENS = {  # how a person reaches each screen with buttons
    "languages": [("send", "/start")],
    "categories": [("send", "/start"), ("press", "English"), ("press", "❓ Ask a question")],
    "an answer": [("send", "/start"), ("press", "English"), ("send", "how do i get a passport")],
    "privacy": [("send", "/start"), ("press", "English"), ("send", "/privacy")],
    "an offer checked": [
        ("send", "/start"),
        ("press", "English"),
        ("press", "🔎 Check a job offer"),
        ("send", OFFER),
    ],
    "a report": [("send", "/start"), ("press", "English"), ("press", "📝 Report")],
    "news": [("send", "/start"), ("press", "English"), ("send", "/subscribe")],
    "languages again": [("send", "/start"), ("press", "English"), ("send", "/language")],
}
DEPTH = 3
REFERENCE = re.compile(r"NTT-[0-9A-Z]{6}")
Path = list[tuple[str, str]]


def phone_screen(user: TelegramUser) -> list[tuple[str, list[str]]]:
    """What the phone shows: every message of the bot with its buttons (references aside)."""
    return [(REFERENCE.sub("NTT-?", m.text), m.button_texts) for m in user.inbox]


def kind_of(message: BotMessage, label: str) -> str:
    for row in message.inline_buttons:
        for button in row:
            if button["text"] == label:
                return button.get("callback_data", "").split(":")[0]
    return ""


async def test_a_double_tap_on_any_button_gives_what_one_tap_gives(helpline: LocalHelpline):
    user_ids = itertools.count(7_100_001)

    async def walk(path: Path, last: str | None = None, twice: bool = False) -> TelegramUser:
        user = TelegramUser(
            helpline.standin, helpline.application, user_id=next(user_ids), language_code="id"
        )
        for action, text in path:
            await (user.send(text) if action == "send" else user.press(text))
        if last is not None:
            await (user.double_tap(last) if twice else user.press(last))
        return user

    tried: dict[str, list[str]] = {}
    different: list[str] = []
    frontier = [(name, path) for name, path in SCREENS.items()]
    for _depth in range(DEPTH):
        next_frontier = []
        for name, path in frontier:
            shown = await walk(path)
            if not shown.inbox:
                continue
            latest = shown.inbox[-1]
            for label in latest.button_texts:
                kind = kind_of(latest, label)
                if not kind or len(tried.get(kind, [])) >= 2:  # a URL button, or kind seen
                    continue
                tried.setdefault(kind, []).append(f"{name} › {label}")
                once = phone_screen(await walk(path, label))
                twice = phone_screen(await walk(path, label, twice=True))
                if once != twice:
                    extra = [m for m in twice if m not in once] or twice[len(once) :]
                    different.append(f"{name} › {label}: {extra} beside {once[-2:]}")
                assert not any("Sorry" in text for text, _ in twice), f"{name} › {label}"
                next_frontier.append((f"{name} › {label}", [*path, ("press", label)]))
        frontier = next_frontier
    assert different == []
    assert len(tried) >= 12, sorted(tried)  # the crawl reached the bot's kinds of button
    refused = {description for _method, _status, description in helpline.standin.refusals}
    assert refused <= {  # what the bot's helpers treat as done: a repeated tap's echoes
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    }
