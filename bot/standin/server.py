"""The Telegram side of the stand-in: chats, messages, callback queries, commands, updates,
webhooks and files, in memory, refusing what Telegram refuses (see `bot.standin.rules`).

It plugs into python-telegram-bot's request layer (`BotApiStandin.request()`), so the real
`Application` runs on it in one process, and `bot.standin.http` serves it over HTTP like a
Bot API server. Every call is read from what would go over the wire (form fields and files),
and every refusal is kept in `refusals`, so a test can say "nothing was refused".
"""

import asyncio
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.standin import rules
from bot.standin.rules import ApiError, bad_request

FILE_URL = "/file/bot"
TOKEN_PATTERN = re.compile(r"(\d+):[A-Za-z0-9_-]+")
CALLBACK_QUERY_SECONDS = 15.0  # an unanswered query is "too old" after this
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
BOT_NAME = {"first_name": "NTT Helpline", "username": "ntt_helpline_bot"}


@dataclass
class BotMessage:
    """A message in a chat as the user's phone shows it."""

    message_id: int
    chat_id: int
    text: str
    inline_buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None
    contact_buttons: list[str] = field(default_factory=list)  # reply buttons sharing the number
    edited: bool = False
    sent_at: float = field(default_factory=time.monotonic)
    from_bot: bool = True
    editable: bool = True  # sent without a reply keyboard (Telegram cannot edit those)

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


@dataclass
class Chat:
    chat_id: int
    kind: str = "private"
    blocked: bool = False


@dataclass
class CallbackQuery:
    query_id: str
    chat_id: int
    issued_at: float
    answered: bool = False


@dataclass
class StoredFile:
    path: str
    data: bytes


@dataclass
class Toast:
    """A callback answer's text, shown by Telegram at the top of the chat for a moment."""

    chat_id: int
    text: str
    shown_at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's guidance: about one message a second in a chat (a short burst passes) and
    30 a second over all chats. Beyond them it answers 429 with `retry_after`."""

    per_chat_rate: float = 1.0
    per_chat_burst: int = 5
    overall_rate: float = 30.0
    overall_burst: int = 30


class _Bucket:
    def __init__(self, rate: float, burst: int, now: float):
        self.rate, self.burst = rate, burst
        self.tokens, self.updated = float(burst), now

    def wait(self, now: float) -> float:
        """Seconds until a message may go; 0 takes one now."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


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

    async def do_request(  # the timeouts are the network's: the stand-in has none
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        path = unquote(urlsplit(url).path)
        if path.startswith(FILE_URL):  # a download: {base_file_url}{token}/{file_path}
            token, _, file_path = path.removeprefix(FILE_URL).partition("/")
            status, data = self.standin.download(token, file_path)
            return status, data
        token, _, api_method = path.rpartition("/bot")[2].partition("/")
        params = request_data.json_parameters if request_data else {}
        files = {
            name: content if isinstance(content, bytes) else content.read()
            for name, (_name, content, *_type) in (
                request_data.multipart_data if request_data else {}
            ).items()
        }
        status, body = await self.standin.handle(token, api_method, params, files)
        return status, json.dumps(body).encode()


class BotApiStandin:
    """A Bot API server in memory. `token`: the one token it answers (any well-formed token
    when None). `local`: behave as a self-hosted server started with --local (webhooks over
    plain HTTP on any port, no 20 MB download limit). `flood`: None turns flood control off."""

    def __init__(
        self,
        *,
        token: str | None = None,
        local: bool = False,
        flood: FloodLimits | None = FloodLimits(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.local = local
        self.flood = flood
        self._clock = clock
        self._skew = 0.0
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_200_000_000_001)
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, list[BotMessage]] = defaultdict(list)  # what the bot sent
        self._stored: dict[tuple[int, int], BotMessage] = {}
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.calls: list[str] = []
        self.refusals: list[tuple[str, int, str]] = []  # (method, status, description)
        self.failures: deque[Failure] = deque()
        self.files: dict[str, StoredFile] = {}  # file_id -> file
        self.queries: dict[str, CallbackQuery] = {}
        self.toasts: list[Toast] = []
        self.webhook: tuple[str, str | None] | None = None  # (url, secret_token)
        self.pending: list[dict[str, Any]] = []  # updates not yet confirmed by getUpdates
        self.webhook_queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._new_update = asyncio.Event()
        self._pollers = itertools.count(1)
        self._poller = 0
        self._chat_buckets: dict[int, _Bucket] = {}
        self._overall: _Bucket | None = None
        self.chat_calls: dict[int, int] = defaultdict(int)  # calls the bot made about a chat
        self._chat_called = asyncio.Event()

    # Time: tests let time pass as a person would (reading, typing) instead of sleeping.

    def now(self) -> float:
        return self._clock() + self._skew

    def pass_time(self, seconds: float) -> None:
        self._skew += seconds

    def pass_time_until(self, moment: float) -> None:
        """Let time pass up to `moment`, if it has not already: people think at the same time,
        so one person's thinking must not age another's pending tap."""
        self._skew += max(0.0, moment - self.now())

    def request(self) -> StandinRequest:
        return StandinRequest(self)

    def fail_next(self, failure: Failure) -> None:
        self.failures.append(failure)

    # Chats and what users do

    def open_chat(self, chat_id: int, kind: str = "private") -> Chat:
        """A chat the bot may write to: a user who started it, or a group it is in."""
        return self.chats.setdefault(chat_id, Chat(chat_id, kind))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every call for this chat is refused with 403."""
        self.open_chat(chat_id).blocked = True

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids[chat_id])

    def record_user_message(self, message: dict[str, Any]) -> None:
        """Keep a user's message, so that the bot cannot edit it (Telegram refuses)."""
        chat_id = message["chat"]["id"]
        self.open_chat(chat_id)
        self._stored[(chat_id, message["message_id"])] = BotMessage(
            message["message_id"], chat_id, message.get("text", ""), from_bot=False
        )

    def new_callback_query(self, chat_id: int) -> str:
        query_id = str(next(self._query_ids))
        self.queries[query_id] = CallbackQuery(query_id, chat_id, self.now())
        return query_id

    def post_update(self, update: dict[str, Any]) -> None:
        """An update for the bot: to its webhook if one is set, else for getUpdates."""
        if self.webhook:
            self.webhook_queue.put_nowait(update)
        else:
            self.pending.append(update)
            self._new_update.set()

    def add_file(self, data: bytes, kind: str = "photos", extension: str = "jpg") -> str:
        """Keep a file a user sends, as Telegram does; its file id."""
        file_id = f"AgAC{kind[:3]}{len(self.files) + 1:06d}"
        self.files[file_id] = StoredFile(f"{kind}/file_{len(self.files)}.{extension}", data)
        return file_id

    def add_photo(self, data: bytes) -> str:
        return self.add_file(data)

    def download(self, token: str, file_path: str) -> tuple[int, bytes]:
        if not self._token_ok(token):
            return 401, b""
        for stored in self.files.values():
            if stored.path == file_path:
                return 200, stored.data
        return 404, json.dumps(
            {"ok": False, "error_code": 404, "description": "Not Found"}
        ).encode()

    def toasts_for(self, chat_id: int) -> list[Toast]:
        return [toast for toast in self.toasts if toast.chat_id == chat_id]

    async def answered(
        self, chat_id: int, calls_before: int, *, quiet: float = 0.3, patience: float = 10.0
    ) -> None:
        """Wait until the bot has called about `chat_id` since it had made `calls_before` such
        calls, and then made none for `quiet` seconds: a bot running apart (polling or a
        webhook) has answered. Returns after `patience` seconds in any case, so silence shows."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + patience
        while loop.time() < deadline:
            self._chat_called.clear()
            seen = self.chat_calls[chat_id]
            wait = quiet if seen > calls_before else deadline - loop.time()
            try:
                await asyncio.wait_for(self._chat_called.wait(), min(wait, deadline - loop.time()))
            except TimeoutError:
                if self.chat_calls[chat_id] > calls_before:
                    return

    def _note_chat_call(self, params: dict[str, str]) -> None:
        query = self.queries.get(params.get("callback_query_id", ""))
        chat_id = query.chat_id if query else params.get("chat_id", "")
        if isinstance(chat_id, int) or str(chat_id).lstrip("-").isdigit():
            self.chat_calls[int(chat_id)] += 1
            self._chat_called.set()

    # The API

    def _token_ok(self, token: str) -> bool:
        return bool(TOKEN_PATTERN.fullmatch(token)) and (self.token is None or token == self.token)

    async def handle(
        self, token: str, method: str, params: dict[str, str], files: dict[str, bytes] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Answer one call as Telegram would: (HTTP status, JSON body)."""
        self.calls.append(method)
        for failure in list(self.failures):
            if failure.method == method:
                self.failures.remove(failure)
                if failure.timeout:
                    raise TimedOut(f"{method} timed out")  # what HTTPXRequest raises
                return failure.status, ApiError(
                    failure.status, failure.description, retry_after=failure.retry_after
                ).body()
        try:
            if not self._token_ok(token):
                raise ApiError(401, "Unauthorized")
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params, files or {})
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            self.refusals.append((method, error.code, error.description))
            return error.code, error.body()
        finally:
            self._note_chat_call(params)
        return 200, {"ok": True, "result": result}

    def _bot_user(self) -> dict[str, Any]:
        token = TOKEN_PATTERN.fullmatch(self.token or "")
        bot_id = int(token.group(1)) if token else 700000001
        return {
            "id": bot_id,
            "is_bot": True,
            **BOT_NAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _chat(self, params: dict[str, str]) -> Chat:
        raw = rules.required(params, "chat_id")
        try:
            chat = self.chats.get(int(raw))
        except ValueError:
            chat = None  # an @username: no such public chat here
        if chat is None:
            raise bad_request("chat not found")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _flood_control(self, chat_id: int) -> None:
        if self.flood is None:
            return
        now = self.now()
        if self._overall is None:
            self._overall = _Bucket(self.flood.overall_rate, self.flood.overall_burst, now)
        bucket = self._chat_buckets.setdefault(
            chat_id, _Bucket(self.flood.per_chat_rate, self.flood.per_chat_burst, now)
        )
        wait = bucket.wait(now)
        if not wait:
            wait = self._overall.wait(now)
            if wait:
                bucket.tokens += 1  # not sent: the chat keeps its turn
        if wait > 0:
            seconds = math.ceil(wait)
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)

    def message_json(self, message: BotMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": self.chats[message.chat_id].kind},
            "text": message.text,
        }
        if message.from_bot:
            data["from"] = self._bot_user()
        if message.edited:
            data["edit_date"] = int(time.time())
        if message.inline_buttons:
            data["reply_markup"] = {"inline_keyboard": message.inline_buttons}
        return data

    @staticmethod
    def _apply_markup(message: BotMessage, markup: dict[str, Any] | None) -> None:
        message.inline_buttons = []
        if not markup:
            return
        if "inline_keyboard" in markup:
            message.inline_buttons = markup["inline_keyboard"]
            return
        message.editable = False  # reply keyboards, their removal and force_reply
        if "keyboard" in markup:
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
        elif markup.get("remove_keyboard"):
            message.reply_keyboard = []

    def _api_getMe(self, params, files):
        return self._bot_user()

    def _api_logOut(self, params, files):
        return True

    def _api_close(self, params, files):
        return True

    def _api_setMyCommands(self, params, files):
        commands = rules.commands(rules.json_field(params, "commands"))
        code = rules.language_code(params.get("language_code", ""))
        scope = rules.json_field(params, "scope") or {"type": "default"}
        if scope.get("type") != "default":
            raise bad_request("the stand-in keeps commands for the default scope only")
        self.commands[code] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _api_getMyCommands(self, params, files):
        return self.commands.get(rules.language_code(params.get("language_code", "")), [])

    def _api_deleteMyCommands(self, params, files):
        self.commands.pop(rules.language_code(params.get("language_code", "")), None)
        return True

    def _api_setWebhook(self, params, files):
        url = params.get("url", "")
        secret = params.get("secret_token")
        if not url:
            self.webhook = None
            return True
        rules.webhook(url, secret, local=self.local)
        if rules.boolean(params, "drop_pending_updates"):
            self.pending.clear()
        self.webhook = (url, secret)
        for update in self.pending:
            self.webhook_queue.put_nowait(update)
        self.pending.clear()
        return True

    def _api_deleteWebhook(self, params, files):
        self.webhook = None
        if rules.boolean(params, "drop_pending_updates"):
            self.pending.clear()
        return True

    def _api_getWebhookInfo(self, params, files):
        url = self.webhook[0] if self.webhook else ""
        count = self.webhook_queue.qsize() if self.webhook else len(self.pending)
        return {"url": url, "has_custom_certificate": False, "pending_update_count": count}

    async def _api_getUpdates(self, params, files):
        if self.webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = rules.integer(params, "offset", 0)
        limit = min(max(rules.integer(params, "limit", 100), 1), 100)
        timeout = max(rules.integer(params, "timeout", 0), 0)
        if offset < 0:
            self.pending = self.pending[offset:]
        elif offset:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        poller = self._poller = next(self._pollers)
        self._new_update.set()  # an earlier getUpdates still waiting is terminated
        deadline = time.monotonic() + timeout
        self._new_update.clear()
        while not self.pending and time.monotonic() < deadline:
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
            self._new_update.clear()
            if self._poller != poller:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
        return self.pending[:limit]

    def _api_getFile(self, params, files):
        stored = self.files.get(rules.required(params, "file_id"))
        if stored is None:
            raise bad_request("invalid file_id")
        if not self.local and len(stored.data) > rules.DOWNLOAD_LIMIT_BYTES:
            raise bad_request("file is too big")
        file_id = params["file_id"]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(stored.data),
            "file_path": stored.path,
        }

    def _api_sendChatAction(self, params, files):
        self._chat(params)
        if params.get("action") not in rules.CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _api_answerCallbackQuery(self, params, files):
        query = self.queries.get(rules.required(params, "callback_query_id"))
        text = rules.callback_answer_text(params.get("text"))
        if query is None or query.answered or self.now() - query.issued_at > CALLBACK_QUERY_SECONDS:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        query.answered = True
        if text:
            self.toasts.append(Toast(query.chat_id, text))
        return True

    def _api_sendMessage(self, params, files):
        chat = self._chat(params)
        formatted = rules.message_text(params.get("text"), params.get("parse_mode"))
        markup = rules.reply_markup(rules.json_field(params, "reply_markup"))
        self._flood_control(chat.chat_id)
        message = BotMessage(
            self.next_message_id(chat.chat_id), chat.chat_id, formatted.text, sent_at=self.now()
        )
        self._apply_markup(message, markup)
        self.messages[chat.chat_id].append(message)
        self._stored[(chat.chat_id, message.message_id)] = message
        return self.message_json(message)

    def _message_to_edit(self, params: dict[str, str]) -> BotMessage:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(params)
        message = self._stored.get((chat.chat_id, rules.integer(params, "message_id")))
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot or not message.editable:
            raise bad_request("message can't be edited")
        return message

    @staticmethod
    def _inline_markup(params: dict[str, str]) -> list[list[dict[str, Any]]]:
        markup = rules.reply_markup(rules.json_field(params, "reply_markup"))
        if markup is None:
            return []
        if "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        return markup["inline_keyboard"]

    def _api_editMessageText(self, params, files):
        message = self._message_to_edit(params)
        formatted = rules.message_text(params.get("text"), params.get("parse_mode"))
        buttons = self._inline_markup(params)
        if formatted.text == message.text and buttons == message.inline_buttons:
            raise bad_request(NOT_MODIFIED)
        message.text, message.inline_buttons, message.edited = formatted.text, buttons, True
        return self.message_json(message)

    def _api_editMessageReplyMarkup(self, params, files):
        message = self._message_to_edit(params)
        buttons = self._inline_markup(params)
        if buttons == message.inline_buttons:
            raise bad_request(NOT_MODIFIED)
        message.inline_buttons, message.edited = buttons, True
        return self.message_json(message)
