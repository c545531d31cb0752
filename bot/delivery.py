"""The outbox delivery worker: sends what the backend has queued (staff replies, alerts,
campaigns).

The backend keeps each message until it is delivered; this worker claims a batch (a lease, so
that a crashed worker's messages are claimed again later), sends each one at most once a
second per chat (campaigns at their own pace, below Telegram's 30 a second for bulk), and
reports to the backend whether it was delivered, should be retried, or the user blocked the bot.
Campaign messages also wait for their turn of a `Pacer` (25 a second by default), which leaves
room under Telegram's 30 for the replies people are waiting for.
"""

import asyncio
import logging
import math
import time
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut

from bot import button_data
from bot.client import BackendClient, BackendError
from bot.telegram_io import split_text

log = logging.getLogger("bot.delivery")


def _failure(error: Exception) -> tuple[str, int | None]:
    """The backend's failure code for a Telegram error, and the wait Telegram asked for."""
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else wait
        return "retry_after", math.ceil(seconds)
    if isinstance(error, Forbidden):
        return "blocked", None
    if isinstance(error, TimedOut | TimeoutError):
        return "timeout", None
    if isinstance(error, BadRequest):  # no retry can make Telegram take it
        if "chat not found" in error.message.lower():
            return "chat_not_found", None
        return "bad_request", None
    return "network", None


def _markup(buttons: list[list[dict[str, str]]] | None) -> InlineKeyboardMarkup | None:
    """The backend's neutral actions as Telegram buttons."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    button["label"], callback_data=button_data.ACTIONS[button["action"]](button)
                )
                for button in row
            ]
            for row in buttons
        ]
    )


class Pacer:
    """Lets callers through one at a time, at least 1/`rate` seconds apart (measured when each
    is let through), so that no second holds more than `rate` of them. `clock` and `sleep`
    can be replaced (tests)."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.interval = 1.0 / rate
        self.clock = clock
        self.sleep = sleep
        self._last = -math.inf
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            wait = self._last + self.interval - self.clock()
            if wait > 0:
                await self.sleep(wait)
            self._last = self.clock()


class OutboxWorker:
    def __init__(
        self,
        api: BackendClient,
        bot: Bot,
        *,
        batch_size: int = 30,
        lease_seconds: int = 60,
        per_chat_interval: float = 1.0,
        campaign_rate: float = 25.0,
        pacer: Pacer | None = None,
    ):
        self.api = api
        self.bot = bot
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.per_chat_interval = per_chat_interval
        self.campaign_pacer = pacer or Pacer(campaign_rate)
        # chat -> when it was last sent to; oldest first, forgotten after `per_chat_interval`
        self._last_sent: OrderedDict[str, float] = OrderedDict()
        self._in_flight = asyncio.Lock()  # held from a send until its outcome is recorded

    async def deliver_due(self) -> int:
        """Claim the messages that are due and try each once; the number tried."""
        messages = await self.api.claim_outbox(self.batch_size, self.lease_seconds)
        self._forget_quiet_chats()
        by_chat: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for message in messages:
            by_chat[message["chat_id"]].append(message)
        await asyncio.gather(
            *(self._deliver_chat(chat, queued) for chat, queued in by_chat.items())
        )
        return len(messages)

    async def _deliver_chat(self, chat_id: str, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            wait = self._last_sent.get(chat_id, -1e9) + self.per_chat_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if message["purpose"] == "campaign":
                await self.campaign_pacer.wait()
            try:
                code = await self._deliver(chat_id, message)
            finally:
                self._last_sent[chat_id] = time.monotonic()
                self._last_sent.move_to_end(chat_id)
            if code == "retry_after":
                return  # Telegram asked this chat to wait: the rest keep their turn

    async def _deliver(self, chat_id: str, message: dict[str, Any]) -> str | None:
        """Send one message and report the outcome; the failure code, None when delivered.

        One message at a time, from its send until its outcome is recorded: a crash (kill -9)
        can only strike between Telegram's answer and the report of one message, so it sends
        at most one message twice once the lease runs out."""
        async with self._in_flight:
            try:
                await self._send(chat_id, message)
            except (TelegramError, TimeoutError) as error:
                code, retry_after = _failure(error)
                log.warning("delivery failed", extra={"outbox_id": message["id"], "error": code})
                await self._report(self.api.outbox_failed(message["id"], code, retry_after))
                return code
            await self._report(self.api.outbox_delivered(message["id"]))
            return None

    def _forget_quiet_chats(self) -> None:
        """Drop the chats whose interval has passed (a campaign reaches thousands of chats)."""
        quiet_since = time.monotonic() - self.per_chat_interval
        while self._last_sent and next(iter(self._last_sent.values())) < quiet_since:
            self._last_sent.popitem(last=False)

    async def _send(self, chat_id: str, message: dict[str, Any]) -> None:
        parts = split_text(message["text"])
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self.bot.send_message(
                chat_id, part, reply_markup=_markup(message.get("buttons")) if last else None
            )

    @staticmethod
    async def _report(call) -> None:
        """Tell the backend the outcome; if it cannot hear it, the lease expires and it retries."""
        try:
            await call
        except BackendError as error:
            log.error("delivery outcome not recorded", extra={"detail": str(error)[:200]})

    async def run(self, poll_interval: float = 1.0) -> None:
        """Deliver until cancelled: at once while there is work, else every `poll_interval`."""
        while True:
            try:
                tried = await self.deliver_due()
            except BackendError as error:
                log.error("outbox not reachable", extra={"detail": str(error)[:200]})
                tried = 0
            if not tried:
                await asyncio.sleep(poll_interval)


@asynccontextmanager
async def delivering(worker: OutboxWorker, poll_interval: float) -> AsyncIterator[None]:
    """Run the worker in the background while the block runs."""
    task = asyncio.create_task(worker.run(poll_interval))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
