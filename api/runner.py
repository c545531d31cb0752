"""`helpline run`: migrate, then serve the backend and, with a token, the bot in one process."""

import logging

import uvicorn

from api import logs
from api.answers.content import load_content
from api.app import create_app
from api.cases import districts
from api.cases.danger import DangerWords
from api.db import create_engine, create_sessionmaker
from api.migrations import upgrade
from api.offers.rules import load as load_offer_rules
from api.settings import Settings
from api.staff import service as staff_service

log = logging.getLogger("api.runner")


def prepare(settings: Settings) -> None:
    """Before serving: refuse invalid content (saying why), then migrate the database."""
    logs.configure(settings.log_level)
    load_content(settings.content_dir)
    load_offer_rules(settings.content_dir)
    districts.load(settings.content_dir)
    DangerWords.load(settings.content_dir)
    upgrade(settings.database_url)


async def _first_admin_password(settings: Settings) -> str | None:
    """Seed the admin account of a new database; its password, or None if staff exist."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            password = await staff_service.create_first_admin(session)
            await session.commit()
    finally:
        await engine.dispose()
    return password


async def serve(settings: Settings) -> None:
    """Serve until stopped; the database must already be migrated (see `prepare`)."""
    if settings.telegram_bot_token:
        from bot.runner import add_webhook_route, telegram_lifespan

        if settings.webhook_url and not settings.webhook_secret:
            raise SystemExit("HELPLINE_WEBHOOK_SECRET must be set when HELPLINE_WEBHOOK_URL is.")
        app = create_app(settings, extra_lifespan=telegram_lifespan(settings))
        add_webhook_route(app, settings)
    else:
        from bot.demo.web import add_demo_routes, demo_lifespan

        app = create_app(settings, extra_lifespan=demo_lifespan(settings))
        add_demo_routes(app)
        password = await _first_admin_password(settings)
        base = f"http://{settings.host}:{settings.port}"
        login = (
            f"log in as admin / {password} (shown once: write it down)"
            if password
            else "log in with your staff account"
        )
        print(
            "\nNo TELEGRAM_BOT_TOKEN is set: the bot runs on a local stand-in for Telegram.\n"
            f"  • Demo: chat with the bot as a migrant:   {base}/demo\n"
            f"  • Staff dashboard:                        {base}/staff  ({login})\n"
            "  • Or chat in this terminal:               .venv/bin/helpline chat\n"
            "  • To connect Telegram, get a token from @BotFather and start again with\n"
            "    TELEGRAM_BOT_TOKEN=... make run\n"
            f"  • API documentation:                     {base}/docs\n",
            flush=True,
        )
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_config=None, access_log=False
    )
    await uvicorn.Server(config).serve()
