"""`helpline run`: migrate, then serve the backend and, with a token, the bot in one process."""

import logging

import uvicorn

from api import logs
from api.answers.content import load_content
from api.app import create_app
from api.cases import districts
from api.cases.danger import DangerWords
from api.migrations import upgrade
from api.offers.rules import load as load_offer_rules
from api.settings import Settings

log = logging.getLogger("api.runner")


def prepare(settings: Settings) -> None:
    """Before serving: refuse invalid content (saying why), then migrate the database."""
    logs.configure(settings.log_level)
    load_content(settings.content_dir)
    load_offer_rules(settings.content_dir)
    districts.load(settings.content_dir)
    DangerWords.load(settings.content_dir)
    upgrade(settings.database_url)


async def serve(settings: Settings) -> None:
    """Serve until stopped; the database must already be migrated (see `prepare`)."""
    if settings.telegram_bot_token:
        from bot.runner import add_webhook_route, telegram_lifespan

        if settings.webhook_url and not settings.webhook_secret:
            raise SystemExit("HELPLINE_WEBHOOK_SECRET must be set when HELPLINE_WEBHOOK_URL is.")
        app = create_app(settings, extra_lifespan=telegram_lifespan(settings))
        add_webhook_route(app, settings)
    else:
        app = create_app(settings)
        print(
            "\nNo TELEGRAM_BOT_TOKEN is set: serving the backend only.\n"
            "  • Chat with the bot in this terminal instead:  .venv/bin/helpline chat\n"
            "  • To connect Telegram, get a token from @BotFather and start again with\n"
            "    TELEGRAM_BOT_TOKEN=... make run\n"
            f"  • API documentation: http://{settings.host}:{settings.port}/docs\n",
            flush=True,
        )
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_config=None, access_log=False
    )
    await uvicorn.Server(config).serve()
