"""The run modes, each migrating first: `helpline run` (backend and bot on Telegram),
`helpline serve` (the backend alone) and `helpline demo` (the bot on a local stand-in with a
database of its own)."""

import logging

import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from api import encryption, logs
from api.answers.content import Content, ContentError, Problem, load_content
from api.app import create_app
from api.cases import districts
from api.cases.danger import DangerWords
from api.cases.districts import Districts
from api.db import create_engine, create_sessionmaker
from api.migrations import upgrade
from api.offers.rules import load as load_offer_rules
from api.settings import Settings
from api.staff import service as staff_service

log = logging.getLogger("helpline.runner")


def button_problems(content: Content, district_names: Districts) -> list[Problem]:
    """Content ids too long for the data of the bot's buttons (see `bot.button_data`)."""
    from bot import button_data

    where = {f"topic {slug!r}": (f"topics/{slug}.yaml", 1) for slug in content.topics}
    where |= {f"category {c.id!r}": ("categories.yaml", c.line) for c in content.categories}
    return [
        Problem(*where.get(problem.split(" is ")[0], ("districts.yaml", 1)), problem)
        for problem in button_data.problems(
            content.topics, [category.id for category in content.categories], district_names.names
        )
    ]


def prepare(settings: Settings) -> None:
    """Before serving: refuse a missing data key and invalid content (saying why), then
    migrate the database (encrypting what an older version kept in clear)."""
    encryption.use(settings.keyring())
    logs.configure(settings.log_level)
    content = load_content(settings.content_dir)
    load_offer_rules(settings.content_dir)
    too_long = button_problems(content, districts.load(settings.content_dir))
    if too_long:
        raise ContentError(too_long)
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


def demo_settings(settings: Settings) -> Settings:
    """The demo's own world: a database, uploads and a data key under var/demo/, no Telegram,
    no staff chat, whatever the environment says, so demo and real data can never mix."""
    folder = settings.demo_dir
    folder.mkdir(parents=True, exist_ok=True)
    return settings.model_copy(
        update={
            "database_url": f"sqlite+aiosqlite:///{folder / 'helpline.db'}",
            "uploads_dir": folder / "uploads",
            "data_keys": SecretStr(encryption.development_key(folder)),
            "telegram_bot_token": None,
            "webhook_url": None,
            "staff_chat_id": None,
        }
    )


def _uvicorn(app: FastAPI, settings: Settings) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,  # the app applies HELPLINE_TRUSTED_PROXIES itself
    )
    return uvicorn.Server(config)


async def serve_telegram(settings: Settings) -> None:
    """`helpline run`: the backend and the bot on Telegram (or the Bot API server configured),
    with the outbox worker. The token must be set."""
    from bot.runner import add_webhook_route, telegram_lifespan

    if settings.webhook_url and not settings.webhook_secret:
        raise SystemExit("HELPLINE_WEBHOOK_SECRET must be set when HELPLINE_WEBHOOK_URL is.")
    app = create_app(settings, extra_lifespan=telegram_lifespan(settings))
    add_webhook_route(app, settings)
    await _uvicorn(app, settings).serve()


async def serve_backend(settings: Settings) -> None:
    """`helpline serve`: the backend alone (an extra worker); it never delivers the outbox."""
    await _uvicorn(create_app(settings), settings).serve()


async def serve_demo(settings: Settings) -> None:
    """`helpline demo`: the backend, the bot on the stand-in and the /demo page, on the demo's
    own database (`demo_settings`)."""
    from bot.demo.web import add_demo_routes, demo_lifespan

    app = create_app(settings, extra_lifespan=demo_lifespan(settings))
    add_demo_routes(app, settings)
    password = await _first_admin_password(settings)
    base = f"http://{settings.host}:{settings.port}"
    login = (
        f"log in as admin / {password} (shown once: write it down)"
        if password
        else "log in with the demo's staff account"
    )
    print(
        "\nDemo mode: the real bot on a local stand-in for Telegram, with a database of its own\n"
        f"({settings.demo_dir}). Nothing here reaches Telegram or the real helpline's data.\n"
        f"  • Chat with the bot as a migrant:   {base}/demo\n"
        f"  • Staff dashboard:                  {base}/staff  ({login})\n"
        "  • Or chat in this terminal:         .venv/bin/helpline chat\n"
        "  • To run on Telegram, get a token from @BotFather and start\n"
        "    TELEGRAM_BOT_TOKEN=... make run   (or .venv/bin/helpline run)\n"
        f"  • API documentation:               {base}/docs\n",
        flush=True,
    )
    await _uvicorn(app, settings).serve()
