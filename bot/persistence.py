"""python-telegram-bot persistence kept by the backend: user data and conversation states.

PTB writes persistence on a timer; `HelplineApplication` writes it after every update, so a
report in progress survives a restart of the bot at the step the user was on."""

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any

from telegram import Update
from telegram.ext import Application, BasePersistence, PersistenceInput

from bot.client import BackendClient

ConversationKey = tuple[int | str, ...]
log = logging.getLogger("bot.persistence")


def _is_user_id(value: str) -> bool:
    """Telegram user ids are integers; one bad stored row must not stop the bot starting."""
    return value.lstrip("-").isdigit()


class BackendPersistence(BasePersistence[dict, dict, dict]):
    """Stores user_data and ConversationHandler states through the backend's HTTP API."""

    def __init__(self, api: BackendClient):
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=60,
        )
        self._api = api
        self._loaded: list[dict[str, Any]] | None = None
        self._saved_user_data: dict[int, str] = {}
        # PTB writes a user's data and conversation state at once: one write at a time per user
        self._user_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def _states(self) -> list[dict[str, Any]]:
        if self._loaded is None:
            self._loaded = await self._api.conversation_states()
        return self._loaded

    async def get_user_data(self) -> dict[int, dict]:
        user_data = {}
        for item in await self._states():
            if not _is_user_id(item["channel_user_id"]):
                log.warning("stored state with a non-numeric user id skipped")
                continue
            user_id = int(item["channel_user_id"])
            user_data[user_id] = item["user_data"]
            self._saved_user_data[user_id] = json.dumps(item["user_data"], sort_keys=True)
        return user_data

    async def get_conversations(self, name: str) -> dict[ConversationKey, object]:
        return {
            tuple(step["key"]): step["state"]
            for item in await self._states()
            if _is_user_id(item["channel_user_id"])
            for step in item["conversations"].get(name, [])
        }

    async def update_user_data(self, user_id: int, data: dict) -> None:
        serialized = json.dumps(data, sort_keys=True)
        if self._saved_user_data.get(user_id, "{}") == serialized:
            return
        async with self._user_locks[user_id]:
            await self._api.save_user_data(user_id, data)
        self._saved_user_data[user_id] = serialized

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        user_id = int(key[-1])
        async with self._user_locks[user_id]:
            await self._api.save_conversation_step(user_id, name, list(key), new_state)

    async def drop_user_data(self, user_id: int) -> None:
        """The backend deleted the user's state with the rest of their data."""
        self._saved_user_data.pop(user_id, None)
        self._user_locks.pop(user_id, None)

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Nothing to refresh: this process is the only writer of a user's bot state."""

    async def flush(self) -> None:
        """Nothing buffered: every change was sent when it happened."""

    # Chat data, bot data and callback data are not stored (store_data says so).

    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        return None

    async def update_bot_data(self, data: dict) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict) -> None:
        return None


class HelplineApplication(Application):
    """The PTB Application, writing the persistence after each update instead of on a timer."""

    async def process_update(self, update: object) -> None:
        await super().process_update(update)
        if isinstance(update, Update):
            await self.update_persistence()
