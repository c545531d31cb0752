"""The typed context every handler gets: the backend client, the catalogs, the user's language."""

from telegram.ext import Application, CallbackContext, ExtBot

from api.i18n import Catalogs, Translator
from bot.client import BackendClient

FALLBACK_LANGUAGE = "id"


class HelplineContext(CallbackContext[ExtBot, dict, dict, dict]):
    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ):
        super().__init__(application, chat_id, user_id)

    @property
    def api(self) -> BackendClient:
        return self.bot_data["api"]

    @property
    def catalogs(self) -> Catalogs:
        return self.bot_data["catalogs"]

    @property
    def languages(self) -> dict[str, str]:
        """Language code -> the language's own name, in menu order."""
        return self.bot_data["languages"]

    @property
    def state(self) -> dict:
        """The user's stored state: every update the bot handles comes from a user."""
        if self.user_data is None:
            raise LookupError("an update without a user")
        return self.user_data

    @property
    def chosen_language(self) -> str | None:
        """The language the user chose, None before they have chosen one."""
        return self.user_data.get("lang") if self.user_data is not None else None

    @property
    def lang(self) -> str:
        """The language to answer in: the chosen one, else Indonesian."""
        return self.chosen_language or FALLBACK_LANGUAGE

    @property
    def _(self) -> Translator:
        return self.catalogs.translator(self.lang)
