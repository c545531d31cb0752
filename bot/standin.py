"""A local stand-in for the Telegram Bot API.

It speaks the Bot API's own JSON and plugs into python-telegram-bot's request layer, so the
real `Application`, with all its handlers, runs without Telegram. It records what the bot
sends, and turns what a simulated user does (type, tap a button, send a sticker) into the
updates Telegram would deliver (type, tap a button, send a photo, share their phone number).
`helpline chat` and the tests use it.
"""

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.error import TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

FILE_URL = "/file/bot"
BOT_USER = {
    "id": 700000001,
    "is_bot": True,
    "first_name": "NTT Helpline",
    "username": "ntt_helpline_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class BotMessage:
    """A message from the bot as the user's phone shows it."""

    message_id: int
    chat_id: int
    text: str
    inline_buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None
    contact_buttons: list[str] = field(default_factory=list)  # reply buttons sharing the number
    edited: bool = False
    sent_at: float = field(default_factory=time.monotonic)

    @property
    def button_texts(self) -> list[str]:
        return [button["text"] for row in self.inline_buttons for button in row]


@dataclass
class Failure:
    """An injected Bot API failure: the next call of `method` answers with this."""

    method: str
    status: int
    description: str
    retry_after: int | None = None
    timeout: bool = False


class StandinRequest(BaseRequest):
    """python-telegram-bot's request layer, answered by the stand-in instead of the network."""

    def __init__(self, standin: "BotApiStandin"):
        self.standin = standin

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url, method, request_data: RequestData | None = None, **_timeouts):
        if FILE_URL in url:  # a download: {base_file_url}{token}/{file_path}
            data = self.standin.files.get(url.split(FILE_URL, 1)[1].split("/", 1)[1])
            return (200, data) if data is not None else (404, b"")
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        status, body = await self.standin.handle(api_method, params)
        return status, json.dumps(body).encode()


class BotApiStandin:
    """The Telegram side: chats, messages, commands and pending updates, all in memory."""

    def __init__(self) -> None:
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self.messages: dict[int, list[BotMessage]] = defaultdict(list)
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.calls: list[str] = []
        self.failures: deque[Failure] = deque()
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._by_id: dict[int, BotMessage] = {}
        self.files: dict[str, bytes] = {}  # file_path -> what a user sent

    def request(self) -> StandinRequest:
        return StandinRequest(self)

    def fail_next(self, failure: Failure) -> None:
        self.failures.append(failure)

    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls.append(method)
        for failure in list(self.failures):
            if failure.method == method:
                self.failures.remove(failure)
                if failure.timeout:
                    raise TimedOut(f"{method} timed out")  # what HTTPXRequest raises
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": failure.status,
                    "description": failure.description,
                }
                if failure.retry_after is not None:
                    body["parameters"] = {"retry_after": failure.retry_after}
                return failure.status, body
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        result = handler(params)
        if asyncio.iscoroutine(result):
            result = await result
        return 200, {"ok": True, "result": result}

    # The Bot API methods the helpline uses.

    def _api_getMe(self, params):
        return BOT_USER

    def _api_setMyCommands(self, params):
        self.commands[params.get("language_code", "")] = params["commands"]
        return True

    def _api_deleteWebhook(self, params):
        return True

    def _api_setWebhook(self, params):
        return True

    async def _api_getUpdates(self, params):
        updates = []
        try:
            timeout = float(params.get("timeout", 0))
            updates.append(await asyncio.wait_for(self.updates.get(), timeout=max(timeout, 0.01)))
        except TimeoutError:
            return []
        while not self.updates.empty():
            updates.append(self.updates.get_nowait())
        return updates

    def _api_getFile(self, params):
        file_id = params["file_id"]
        path = f"photos/{file_id}.jpg"
        if path not in self.files:
            raise LookupError(f"no file {file_id!r}")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(self.files[path]),
            "file_path": path,
        }

    def _api_sendChatAction(self, params):
        return True

    def _api_answerCallbackQuery(self, params):
        return True

    def _api_sendMessage(self, params):
        message = BotMessage(
            message_id=next(self._message_ids),
            chat_id=int(params["chat_id"]),
            text=params["text"],
        )
        self._apply_markup(message, params.get("reply_markup"))
        self.messages[message.chat_id].append(message)
        self._by_id[message.message_id] = message
        return self._message_json(message)

    def _api_editMessageText(self, params):
        message = self._by_id[int(params["message_id"])]
        message.text = params["text"]
        message.edited = True
        message.inline_buttons = []
        self._apply_markup(message, params.get("reply_markup"))
        return self._message_json(message)

    def _api_editMessageReplyMarkup(self, params):
        message = self._by_id[int(params["message_id"])]
        message.inline_buttons = []
        self._apply_markup(message, params.get("reply_markup"))
        return self._message_json(message)

    @staticmethod
    def _apply_markup(message: BotMessage, markup: dict[str, Any] | None) -> None:
        if not markup:
            return
        if "inline_keyboard" in markup:
            message.inline_buttons = markup["inline_keyboard"]
        elif "keyboard" in markup:
            message.reply_keyboard = [
                [button["text"] if isinstance(button, dict) else button for button in row]
                for row in markup["keyboard"]
            ]
            message.contact_buttons = [
                button["text"]
                for row in markup["keyboard"]
                for button in row
                if isinstance(button, dict) and button.get("request_contact")
            ]

    def _message_json(self, message: BotMessage) -> dict[str, Any]:
        data = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": BOT_USER,
            "text": message.text,
        }
        if message.inline_buttons:
            data["reply_markup"] = {"inline_keyboard": message.inline_buttons}
        return data

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def add_photo(self, data: bytes) -> str:
        """Keep a photo a user sends, as Telegram does; its file id."""
        file_id = f"photo{len(self.files) + 1}"
        self.files[f"photos/{file_id}.jpg"] = data
        return file_id


class TelegramUser:
    """A person in a private chat with the bot, driving the real Application through updates."""

    def __init__(
        self,
        standin: BotApiStandin,
        application: Application,
        *,
        user_id: int = 5550001,
        first_name: str = "Maria",
        language_code: str | None = "id",
    ):
        self.standin = standin
        self.application = application
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        self._last_update: dict[str, Any] | None = None

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

    async def _deliver(self, update: dict[str, Any]) -> list[BotMessage]:
        self._last_update = update
        before = {m.message_id: m.text for m in self.inbox}
        await self.application.process_update(Update.de_json(update, self.application.bot))
        return [m for m in self.inbox if before.get(m.message_id) != m.text]

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "update_id": self.standin.next_update_id(),
            "message": {
                "message_id": self.standin.next_message_id(),
                "date": int(time.time()),
                "chat": {
                    "id": self.chat_id,
                    "type": "private",
                    "first_name": self.user["first_name"],
                },
                "from": self.user,
                **content,
            },
        }

    async def send(self, text: str) -> list[BotMessage]:
        """Type a message (or a /command) and send it; returns what the bot sent back."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self._deliver(self._message(**content))

    async def send_sticker(self) -> list[BotMessage]:
        sticker = {
            "file_id": "sticker1",
            "file_unique_id": "s1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return await self._deliver(self._message(sticker=sticker))

    async def send_voice(self) -> list[BotMessage]:
        return await self._deliver(
            self._message(voice={"file_id": "voice1", "file_unique_id": "v1", "duration": 3})
        )

    async def send_location(self) -> list[BotMessage]:
        return await self._deliver(self._message(location={"latitude": -10.17, "longitude": 123.6}))

    async def send_document(self) -> list[BotMessage]:
        return await self._deliver(
            self._message(
                document={"file_id": "doc1", "file_unique_id": "d1", "file_name": "a.pdf"}
            )
        )

    async def send_photo(self, data: bytes, caption: str | None = None) -> list[BotMessage]:
        """Send a photo (its bytes are what the bot downloads with getFile)."""
        file_id = self.standin.add_photo(data)
        sizes = [
            {
                "file_id": f"{file_id}",
                "file_unique_id": f"u-{file_id}",
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

    async def press(self, button_text: str) -> list[BotMessage]:
        """Tap a button: an inline button on the latest message that has it, else the menu."""
        for message in reversed(self.inbox):
            for row in message.inline_buttons:
                for button in row:
                    if button["text"] == button_text and "callback_data" in button:
                        return await self._tap(message, button["callback_data"])
        keyboard = self._keyboard_message()
        if keyboard and button_text in keyboard.contact_buttons:
            return await self.share_contact()
        if keyboard and any(button_text in row for row in keyboard.reply_keyboard or []):
            return await self.send(button_text)
        raise LookupError(f"no button {button_text!r} on screen")

    async def _tap(self, message: BotMessage, data: str) -> list[BotMessage]:
        update = {
            "update_id": self.standin.next_update_id(),
            "callback_query": {
                "id": str(self.standin.next_update_id()),
                "from": self.user,
                "chat_instance": str(self.chat_id),
                "data": data,
                "message": self.standin._message_json(message),
            },
        }
        return await self._deliver(update)
