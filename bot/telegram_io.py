"""Sending long text within Telegram's limits, retrying what Telegram asks us to retry, and
taking taps as Telegram delivers them (late, or twice)."""

import asyncio
import logging
import time
from collections.abc import Callable

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram._utils.types import ODVInput
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ApplicationHandlerStop, ContextTypes
from telegram.request import BaseRequest, RequestData

MESSAGE_LIMIT = 4096
REPEATED_TAP_SECONDS = 3.0
log = logging.getLogger("bot.telegram")


class RepeatedTaps:
    """A double tap reaches the bot as two callback queries for the same button of the same
    message. The second, within `window` seconds, is answered and goes no further, so every
    handler acts once (one confirmation, one menu, one reference)."""

    def __init__(
        self, window: float = REPEATED_TAP_SECONDS, clock: Callable[[], float] = time.monotonic
    ):
        self.window, self.clock = window, clock
        self.seen: dict[tuple[int, int, str | None], float] = {}

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        now = self.clock()
        if len(self.seen) > 1000:
            self.seen = {key: at for key, at in self.seen.items() if now - at < self.window}
        key = (query.message.chat.id, query.message.message_id, query.data)
        if now - self.seen.get(key, -self.window) < self.window:
            await answer_query(query)
            raise ApplicationHandlerStop
        self.seen[key] = now


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into messages of at most `limit` characters, at paragraph or line breaks."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(
            rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit)
        )
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


class RetryingRequest(BaseRequest):
    """Wraps a request layer: retries timeouts and 5xx answers with backoff.

    429 answers (retry_after) are retried by python-telegram-bot's AIORateLimiter. Logs name
    the Bot API method and the status, never the URL (it holds the token) or the payload.
    """

    def __init__(self, inner: BaseRequest, *, attempts: int = 3, backoff: float = 0.5):
        self.inner = inner
        self.attempts = attempts
        self.backoff = backoff

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        timeouts = {
            "read_timeout": read_timeout,
            "write_timeout": write_timeout,
            "connect_timeout": connect_timeout,
            "pool_timeout": pool_timeout,
        }
        api_method = url.rsplit("/", 1)[-1]
        attempts = 1 if api_method == "getUpdates" else self.attempts
        attempt = 1
        problem: dict[str, str | int]
        while True:
            try:
                status, payload = await self.inner.do_request(
                    url, method, request_data=request_data, **timeouts
                )
            except (TimedOut, NetworkError, TimeoutError) as error:
                if attempt >= attempts:
                    raise
                problem = {"error": type(error).__name__}
            else:
                if status < 500 or attempt >= attempts:
                    return status, payload
                problem = {"status": status}
            log.warning(
                "telegram call retried", extra={"method": api_method, "attempt": attempt, **problem}
            )
            await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            attempt += 1


def _refusal(error: BadRequest, *phrases: str) -> bool:
    message = error.message.lower()
    return any(phrase in message for phrase in phrases)


async def answer_query(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a tap (with an optional toast). A query that expired while the bot was down, or
    that was answered already (Telegram delivered the tap twice), is done: the handler's work
    goes on."""
    try:
        await query.answer(text)
    except BadRequest as error:
        if not _refusal(error, "query is too old", "query id is invalid"):
            raise
        log.info("callback query already answered or expired")


async def edit_text(
    query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Show `text` in place of the tapped message. Already showing it (a double tap) is
    success; a message Telegram will not edit any more gets the text as a new message."""
    try:
        await query.edit_message_text(text, reply_markup=reply_markup)
    except BadRequest as error:
        if _refusal(error, "message is not modified"):
            return
        if not _refusal(error, "message can't be edited", "message to edit not found"):
            raise
        if query.message is not None:
            await query.message.chat.send_message(text, reply_markup=reply_markup)


async def edit_buttons(
    query: CallbackQuery, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace (or, with None, remove) the tapped message's buttons; "not modified" (they are
    already so) and a message that can no longer be edited are success."""
    try:
        await query.edit_message_reply_markup(reply_markup)
    except BadRequest as error:
        if not _refusal(
            error, "message is not modified", "message can't be edited", "message to edit not found"
        ):
            raise
