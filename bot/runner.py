"""Runs the bot inside the backend's process and event loop (polling or webhook)."""

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request, status
from telegram import Update
from telegram.ext import Application

from api.settings import Settings
from bot.application import build_application, start_application
from bot.client import BackendClient
from bot.delivery import OutboxWorker, delivering

log = logging.getLogger("bot.runner")
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def in_process_client(app: FastAPI) -> BackendClient:
    """A backend client that calls the ASGI app directly, without a network hop."""
    return BackendClient("http://helpline.internal", app.state.service_token, app=app)


def add_webhook_route(app: FastAPI, settings: Settings) -> None:
    """Telegram posts updates here; the secret token header is verified on every call."""

    @app.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> dict[str, bool]:
        application: Application | None = getattr(request.app.state, "telegram", None)
        expected = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
        given = request.headers.get(SECRET_HEADER, "")
        if (
            application is None
            or not expected
            or not hmac.compare_digest(given.encode(), expected.encode())
        ):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "forbidden")
        try:
            update = Update.de_json(await request.json(), application.bot)
        except ValueError as error:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "not a Telegram update") from error
        await application.update_queue.put(update)
        return {"ok": True}


def telegram_lifespan(settings: Settings):
    """The bot's start and stop, to run inside the backend's lifespan."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        token = settings.telegram_bot_token
        if token is None:
            raise RuntimeError("the bot needs TELEGRAM_BOT_TOKEN")  # `helpline run` checks it
        api = in_process_client(app)
        languages = await api.languages()
        webhook = bool(settings.webhook_url)
        application = build_application(
            token=token.get_secret_value(),
            api=api,
            catalogs=app.state.catalogs,  # the backend's, compiled once
            languages=languages,
            polling=not webhook,
            api_url=settings.telegram_api_url,
        )
        app.state.telegram = application
        await start_application(application)
        await application.start()
        if settings.webhook_url:
            secret = settings.webhook_secret
            await application.bot.set_webhook(
                settings.webhook_url,
                secret_token=secret.get_secret_value() if secret else None,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("bot started", extra={"mode": "webhook"})
        elif application.updater is not None:
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("bot started", extra={"mode": "polling"})
        outbox = OutboxWorker(
            api,
            application.bot,
            lease_seconds=settings.outbox_lease_seconds,
            per_chat_interval=settings.per_chat_interval,
            campaign_rate=settings.campaign_rate,
        )
        try:
            async with delivering(outbox, settings.outbox_poll_seconds):
                yield
        finally:
            if application.updater and application.updater.running:
                await application.updater.stop()
            await application.stop()
            await application.shutdown()

    return lifespan
