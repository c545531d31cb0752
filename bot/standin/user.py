"""A person in a private chat with the bot, driving the real Application through updates."""

import time
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.standin.server import BotApiStandin, BotMessage

THINK_SECONDS = 3.0  # a person reads and types between two messages; flood limits see it


class TelegramUser:
    """Each action builds the update Telegram would deliver and hands it to the Application
    (in the same process), or, with `application=None`, queues it for a bot running apart
    (getUpdates or the webhook) and waits until it has answered; the action returns the bot's
    messages that are new or changed since."""

    def __init__(
        self,
        standin: BotApiStandin,
        application: Application | None,
        *,
        user_id: int = 5550001,
        first_name: str = "Maria",
        language_code: str | None = "id",
        think_seconds: float = THINK_SECONDS,
    ):
        self.standin = standin
        self.application = application
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        self.think_seconds = think_seconds
        self._acted_at = standin.now() - think_seconds  # when this person last did something
        self._last_update: dict[str, Any] | None = None

    def _think(self) -> None:
        """Read and type before acting: `think_seconds` after this person's last action."""
        self.standin.pass_time_until(self._acted_at + self.think_seconds)
        self._acted_at = self.standin.now()

    @property
    def chat_id(self) -> int:
        return self.user["id"]

    @property
    def inbox(self) -> list[BotMessage]:
        return self.standin.messages[self.chat_id]

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        message = self._keyboard_message()
        return message.reply_keyboard if message else None

    def _keyboard_message(self) -> BotMessage | None:
        for message in reversed(self.inbox):
            if message.reply_keyboard is not None:
                return message
        return None

    def block_bot(self) -> None:
        self.standin.block(self.chat_id)

    async def _deliver(self, update: dict[str, Any]) -> list[BotMessage]:
        self._last_update = update
        before = {m.message_id: (m.text, str(m.inline_buttons)) for m in self.inbox}
        if self.application is None:
            calls_before = self.standin.chat_calls[self.chat_id]
            self.standin.post_update(update)
            await self.standin.answered(self.chat_id, calls_before)
        else:
            await self.application.process_update(Update.de_json(update, self.application.bot))
        return [
            m for m in self.inbox if before.get(m.message_id) != (m.text, str(m.inline_buttons))
        ]

    def _message(self, **content: Any) -> dict[str, Any]:
        self._think()
        message = {
            "message_id": self.standin.next_message_id(self.chat_id),
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private", "first_name": self.user["first_name"]},
            "from": self.user,
            **content,
        }
        self.standin.record_user_message(message)
        return {"update_id": self.standin.next_update_id(), "message": message}

    async def send(self, text: str, *, reply_to: BotMessage | None = None) -> list[BotMessage]:
        """Type a message (or a /command) and send it, as a Telegram reply to `reply_to` if
        given; returns what the bot sent back."""
        content: dict[str, Any] = {"text": text}
        if reply_to is not None:
            content["reply_to_message"] = self.standin.message_json(reply_to)
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self._deliver(self._message(**content))

    async def send_sticker(self) -> list[BotMessage]:
        sticker = {
            "file_id": "CAACAgIAAxkBAAEBsticker1",
            "file_unique_id": "AgADsticker1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return await self._deliver(self._message(sticker=sticker))

    async def send_voice(self) -> list[BotMessage]:
        voice = {"file_id": self.standin.add_file(b"OggS", "voice", "oga"), "duration": 3}
        return await self._deliver(self._message(voice={**voice, "file_unique_id": "AgADv1"}))

    async def send_location(self) -> list[BotMessage]:
        return await self._deliver(self._message(location={"latitude": -10.17, "longitude": 123.6}))

    async def send_document(self) -> list[BotMessage]:
        file_id = self.standin.add_file(b"%PDF-1.4", "documents", "pdf")
        document = {"file_id": file_id, "file_unique_id": "AgADd1", "file_name": "a.pdf"}
        return await self._deliver(self._message(document=document))

    async def send_photo(self, data: bytes, caption: str | None = None) -> list[BotMessage]:
        """Send a photo (its bytes are what the bot downloads with getFile)."""
        file_id = self.standin.add_photo(data)
        sizes = [
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "width": 800,
                "height": 600,
                "file_size": len(data),
            },
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return await self._deliver(self._message(**content))

    async def share_contact(self, phone_number: str = "6281234567890") -> list[BotMessage]:
        """Tap "share my number": Telegram sends the user's own contact (no leading +)."""
        contact = {
            "phone_number": phone_number,
            "first_name": self.user["first_name"],
            "user_id": self.user["id"],
        }
        return await self._deliver(self._message(contact=contact))

    async def resend_last(self) -> list[BotMessage]:
        """Deliver the last update once more, unchanged: Telegram sometimes does."""
        if self._last_update is None:
            raise LookupError("nothing was sent yet")
        return await self._deliver(self._last_update)

    def _inline_button(self, button_text: str) -> tuple[BotMessage, str] | None:
        for message in reversed(self.inbox):
            for row in message.inline_buttons:
                for button in row:
                    if button["text"] == button_text and "callback_data" in button:
                        return message, button["callback_data"]
        return None

    async def press(self, button_text: str, *, late: float = 0.0) -> list[BotMessage]:
        """Tap a button: an inline button on the latest message that has it, else the menu.
        `late`: seconds between the tap and the bot receiving it (the bot was down)."""
        found = self._inline_button(button_text)
        if found:
            return await self._tap(*found, late=late)
        keyboard = self._keyboard_message()
        if keyboard and button_text in keyboard.contact_buttons:
            return await self.share_contact()
        if keyboard and any(button_text in row for row in keyboard.reply_keyboard or []):
            return await self.send(button_text)
        raise LookupError(f"no button {button_text!r} on screen")

    async def double_tap(self, button_text: str) -> list[BotMessage]:
        """Tap an inline button twice before the phone shows the bot's answer: two callback
        queries from the same message as it was."""
        found = self._inline_button(button_text)
        if not found:
            raise LookupError(f"no button {button_text!r} on screen")
        message, data = found
        snapshot = self.standin.message_json(message)
        first = await self._tap(message, data, snapshot=snapshot)
        second = await self._tap(message, data, snapshot=snapshot, think=False)
        return first + [m for m in second if m not in first]

    async def _tap(
        self,
        message: BotMessage,
        data: str,
        *,
        snapshot: dict[str, Any] | None = None,
        late: float = 0.0,
        think: bool = True,
    ) -> list[BotMessage]:
        if think:
            self._think()
        update = {
            "update_id": self.standin.next_update_id(),
            "callback_query": {
                "id": self.standin.new_callback_query(self.chat_id),
                "from": self.user,
                "chat_instance": str(self.chat_id),
                "data": data,
                "message": snapshot or self.standin.message_json(message),
            },
        }
        self.standin.pass_time(late)
        return await self._deliver(update)
