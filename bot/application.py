"""Builds the python-telegram-bot Application of the helpline."""

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

from api.i18n import Catalogs
from bot.client import BackendClient
from bot.context import HelplineContext
from bot.handlers import add_handlers, menu_actions, register_commands
from bot.persistence import BackendPersistence, HelplineApplication
from bot.telegram_io import RetryingRequest


def build_application(
    *,
    token: str,
    api: BackendClient,
    catalogs: Catalogs,
    languages: dict[str, str],
    request: BaseRequest | None = None,
    polling: bool = True,
    retry_backoff: float = 0.5,
    api_url: str = "https://api.telegram.org",
) -> Application:
    """The bot with all its handlers. `request` replaces the network (the local stand-in);
    `api_url` is the Bot API server (Telegram's, a self-hosted one, or the served stand-in)."""

    async def post_shutdown(application: Application) -> None:
        await api.close()

    builder = (
        ApplicationBuilder()
        .application_class(HelplineApplication)
        .token(token)
        .base_url(f"{api_url.rstrip('/')}/bot")
        .base_file_url(f"{api_url.rstrip('/')}/file/bot")
        .persistence(BackendPersistence(api))
        .context_types(ContextTypes(context=HelplineContext))
        # No overall limit: an answer to someone who just wrote never queues behind other
        # answers or bulk. Bulk (campaigns, queued staff messages) keeps its own pace in the
        # outbox worker (25 a second, one a second a chat); a 429 still pauses every call
        # for its retry_after, and is retried.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=3))
        .request(RetryingRequest(request or HTTPXRequest(), backoff=retry_backoff))
        .get_updates_request(request or HTTPXRequest(read_timeout=40))
        .post_shutdown(post_shutdown)
    )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data.update(
        api=api,
        catalogs=catalogs,
        languages=languages,
        menu_actions=menu_actions(catalogs, languages),
    )
    add_handlers(application)
    return application


async def start_application(application: Application) -> None:
    """Initialise the bot (checks the token with getMe) and register its commands."""
    await application.initialize()
    await register_commands(application)
