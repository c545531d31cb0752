"""`helpline chat`: talk to the real bot in a terminal, through the local Bot API stand-in."""

import asyncio
from pathlib import Path

from api.settings import Settings
from bot.local import local_helpline
from bot.standin import BotMessage, TelegramUser

HELP = (
    "Type a message and press Enter. A number taps that button. /photo FILE sends a photo. "
    "/quit leaves."
)


def show(messages: list[BotMessage], menu: list[list[str]] | None) -> list[str]:
    """Print the bot's messages; return the buttons in the order they were numbered."""
    buttons: list[str] = []
    for message in messages:
        print()
        print(("(edited) " if message.edited else "") + message.text)
        for row in message.inline_buttons:
            labels: list[str] = []
            for button in row:
                buttons.append(button["text"])
                labels.append(f"[{len(buttons)}] {button['text']}")
            print("   " + "   ".join(labels))
    if menu and messages:
        labels = []
        for menu_row in menu:
            for label in menu_row:
                buttons.append(label)
                labels.append(f"[{len(buttons)}] {label}")
        print("Menu: " + "  ".join(labels))
    return buttons


def read_file(name: str) -> bytes:
    return Path(name.strip()).expanduser().read_bytes()


async def chat(settings: Settings, *, language_code: str = "id") -> None:
    async with local_helpline(settings, deliver_every=settings.outbox_poll_seconds) as helpline:
        user = TelegramUser(helpline.standin, helpline.application, language_code=language_code)
        print(f"NTT Safe Migration Helpline, local chat. {HELP}")
        buttons = show(await user.send("/start"), user.reply_keyboard)
        while True:
            try:
                line = (await asyncio.to_thread(input, "\n> ")).strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return
            if not line:
                continue
            if line == "/quit":
                return
            if line.isdigit() and 1 <= int(line) <= len(buttons):
                replies = await user.press(buttons[int(line) - 1])
            elif line.startswith("/photo "):
                try:
                    photo = await asyncio.to_thread(read_file, line.split(" ", 1)[1])
                except OSError as error:
                    print(f"cannot read the photo: {error.strerror}")
                    continue
                replies = await user.send_photo(photo)
            else:
                replies = await user.send(line)
            buttons = show(replies, user.reply_keyboard) or buttons
