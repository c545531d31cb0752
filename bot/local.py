"""The whole helpline in one process without Telegram: backend, bot and the Bot API stand-in."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from telegram.ext import Application

from api.app import create_app
from api.settings import Settings
from bot.application import build_application, start_application
from bot.delivery import OutboxWorker, delivering
from bot.runner import in_process_client
from bot.standin import BotApiStandin

STANDIN_TOKEN = "700000001:local-standin-token"


@dataclass
class LocalHelpline:
    app: FastAPI
    standin: BotApiStandin
    application: Application
    outbox: OutboxWorker


@asynccontextmanager
async def standin_bot(
    app: FastAPI,
    settings: Settings,
    *,
    retry_backoff: float = 0.5,
    standin: BotApiStandin | None = None,
) -> AsyncIterator[LocalHelpline]:
    """The real bot on the stand-in, calling `app` (whose lifespan runs) in-process. Pass the
    `standin` of an earlier run to restart the bot on the same Telegram (chats, messages)."""
    api = in_process_client(app)
    standin = standin or BotApiStandin()
    application = build_application(
        token=STANDIN_TOKEN,
        api=api,
        catalogs=app.state.catalogs,  # the backend's, compiled once
        languages=await api.languages(),
        request=standin.request(),
        polling=False,
        retry_backoff=retry_backoff,
    )
    await start_application(application)
    outbox = OutboxWorker(
        api,
        application.bot,
        per_chat_interval=settings.per_chat_interval,
        campaign_rate=settings.campaign_rate,
    )
    try:
        yield LocalHelpline(app, standin, application, outbox)
    finally:
        await application.shutdown()


@asynccontextmanager
async def local_helpline(
    settings: Settings,
    *,
    retry_backoff: float = 0.5,
    deliver_every: float | None = None,
    standin: BotApiStandin | None = None,
) -> AsyncIterator[LocalHelpline]:
    """Start the backend (an already migrated database) and the real bot on the stand-in.

    With `deliver_every`, the outbox worker runs in the background (chat); without it,
    callers deliver when they choose with `outbox.deliver_due()` (tests)."""
    app = create_app(settings)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(app.router.lifespan_context(app))
        helpline = await stack.enter_async_context(
            standin_bot(app, settings, retry_backoff=retry_backoff, standin=standin)
        )
        if deliver_every is not None:
            await stack.enter_async_context(delivering(helpline.outbox, deliver_every))
        yield helpline
