"""Sending long text within Telegram's limits, and retrying what Telegram asks us to retry."""

import asyncio
import logging

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

MESSAGE_LIMIT = 4096
log = logging.getLogger("bot.telegram")


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

    async def do_request(self, url, method, request_data: RequestData | None = None, **timeouts):
        api_method = url.rsplit("/", 1)[-1]
        attempts = 1 if api_method == "getUpdates" else self.attempts
        attempt = 1
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
