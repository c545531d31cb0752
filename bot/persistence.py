"""python-telegram-bot persistence kept by the backend: user data and conversation states.

PTB writes persistence on a timer; `HelplineApplication` writes it after every update, so a
report in progress survives a restart of the bot at the step the user was on. Only what
changed is written (PTB hands over every touched user's data and every conversation state a
handler returned, changed or not), and what changed of every user whose update ended meanwhile
goes in one request (a group write: see `BackendPersistence._write`). The user's
language is not written with it: the backend keeps it with the reporter, and the bot asks for it
again after a restart (`handlers.load_language`)."""

import asyncio
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, BasePersistence, PersistenceInput

from bot.client import BackendClient, BackendError, UserStateChange

ConversationKey = tuple[int | str, ...]
log = logging.getLogger("bot.persistence")
# user_data keys that only cache what the backend keeps elsewhere: never written back
CACHED_KEYS = frozenset({"lang"})


def _stored(user_data: dict) -> dict:
    return {key: value for key, value in user_data.items() if key not in CACHED_KEYS}


def _is_user_id(value: str) -> bool:
    """Telegram user ids are integers; one bad stored row must not stop the bot starting."""
    return value.lstrip("-").isdigit()


@dataclass
class Changes:
    """One user's state handed over by PTB and not yet written."""

    user_data: dict | None = None
    steps: dict[tuple[str, ConversationKey], object] = field(default_factory=dict)


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
        # what the backend holds, as last written: user data serialized, conversation states
        self._saved_user_data: dict[int, str] = {}
        self._saved_steps: dict[tuple[str, ConversationKey], object] = {}
        self._pending: defaultdict[int, Changes] = defaultdict(Changes)
        # the group write being gathered, the future its callers wait on, the task writing
        self._gathering: dict[int, Changes] = {}
        self._gathered: asyncio.Future[dict[int, Exception]] | None = None
        self._writer: asyncio.Task[None] | None = None

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
            user_data[user_id] = _stored(item["user_data"])
            self._saved_user_data[user_id] = json.dumps(user_data[user_id], sort_keys=True)
        return user_data

    async def get_conversations(self, name: str) -> dict[ConversationKey, object]:
        conversations = {
            tuple(step["key"]): step["state"]
            for item in await self._states()
            if _is_user_id(item["channel_user_id"])
            for step in item["conversations"].get(name, [])
        }
        for key, state in conversations.items():
            self._saved_steps[name, key] = state
        return conversations

    async def update_user_data(self, user_id: int, data: dict) -> None:
        self._pending[user_id].user_data = data  # written by `write_changes`

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        self._pending[int(key[-1])].steps[name, key] = new_state

    async def write_user_now(self, user_id: int, data: dict) -> None:
        """Write one user's data (and their changed steps) at once, not at the next round:
        for what must be stored before the user sees the next message."""
        self._pending[user_id].user_data = data
        await self._write({user_id: self._pending.pop(user_id)})

    async def write_changes(self) -> Exception | None:
        """Write what changed since the last write; why it failed, if it did."""
        pending, self._pending = self._pending, defaultdict(Changes)
        if not pending:
            return None
        try:
            await self._write(pending)
        except Exception as error:
            return error
        return None

    async def _write(self, changes: dict[int, Changes]) -> None:
        """Join the next group write; return once these users' changes are stored, or raise
        why one was not.

        Updates of many users end at about the same time: what each one changed goes into the
        group being gathered, and one request writes the whole group while the next gathers.
        Groups go one at a time, so a user's later change is never written before an earlier
        one."""
        for user_id, change in changes.items():
            gathered = self._gathering.setdefault(user_id, Changes())
            if change.user_data is not None:
                gathered.user_data = change.user_data
            gathered.steps.update(change.steps)
        if self._gathered is None:
            self._gathered = asyncio.get_running_loop().create_future()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_groups())
        # shielded: a caller cancelled must not cancel the write of everyone in its group
        failures = await asyncio.shield(self._gathered)
        for user_id in changes:
            if user_id in failures:
                raise failures[user_id]

    async def _write_groups(self) -> None:
        while self._gathered is not None:
            group, written = self._gathering, self._gathered
            self._gathering, self._gathered = {}, None
            try:
                written.set_result(await self._write_group(group))
            except Exception as error:  # the group's callers hear it; the next group goes on
                written.set_exception(error)
            except BaseException:  # cancelled (the bot stops): so is the wait of its callers
                written.cancel()
                raise

    async def _write_group(self, group: dict[int, Changes]) -> dict[int, Exception]:
        """Write what changed of each user in `group` (compared with what the backend holds);
        why each user whose change was not stored was not."""
        writes: list[tuple[UserStateChange, str | None]] = []
        failures: dict[int, Exception] = {}
        for user_id, changes in group.items():
            try:
                write = self._diff(user_id, changes)
            except (TypeError, ValueError) as error:  # data that JSON cannot hold: this user's
                failures[user_id] = error
                continue
            if write is not None:
                writes.append(write)
        if not writes:
            return failures
        try:
            await self._api.save_states([change for change, _serialized in writes])
        except Exception as error:
            self._forget_saved(writes)
            refused = isinstance(error, BackendError) and 400 <= (error.status or 0) < 500
            if refused and len(writes) > 1:
                # one user's state refused must not hold back the others': each on its own
                return failures | await self._write_each(
                    {change.user_id: group[change.user_id] for change, _serialized in writes}
                )
            return failures | {change.user_id: error for change, _serialized in writes}
        except BaseException:
            self._forget_saved(writes)
            raise
        for change, serialized in writes:
            if serialized is not None:
                self._saved_user_data[change.user_id] = serialized
            for name, key, state in change.steps:
                if state is None:
                    self._saved_steps.pop((name, key), None)
                else:
                    self._saved_steps[name, key] = state
        return failures

    async def _write_each(self, group: dict[int, Changes]) -> dict[int, Exception]:
        failures: dict[int, Exception] = {}
        for result in await asyncio.gather(
            *(self._write_group({user_id: changes}) for user_id, changes in group.items())
        ):
            failures |= result
        return failures

    def _diff(self, user_id: int, changes: Changes) -> tuple[UserStateChange, str | None] | None:
        """What to write of one user's changes (and their data serialized), or None."""
        user_data, serialized = None, None
        if changes.user_data is not None:
            stored = _stored(changes.user_data)
            serialized = json.dumps(stored, sort_keys=True)
            if self._saved_user_data.get(user_id, "{}") != serialized:
                user_data = stored
        steps = [
            (name, key, state)
            for (name, key), state in changes.steps.items()
            if (name, key) not in self._saved_steps or self._saved_steps[name, key] != state
        ]
        if user_data is None and not steps:
            return None
        return UserStateChange(user_id, user_data, steps), serialized

    def _forget_saved(self, writes: list[tuple[UserStateChange, str | None]]) -> None:
        """Not known what the backend holds now: each user's next update writes it all again."""
        for change, _serialized in writes:
            self._saved_user_data.pop(change.user_id, None)
            for name, key, _state in change.steps:
                self._saved_steps.pop((name, key), None)

    async def drop_user_data(self, user_id: int) -> None:
        """The backend deleted the user's state with the rest of their data."""
        self._saved_user_data.pop(user_id, None)
        self._pending.pop(user_id, None)
        self._gathering.pop(user_id, None)
        for step in [step for step in self._saved_steps if int(step[1][-1]) == user_id]:
            del self._saved_steps[step]

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Nothing to refresh: this process is the only writer of a user's bot state."""

    async def flush(self) -> None:
        """PTB's last call at shutdown, after its last `update_persistence`: write what is left."""
        if error := await self.write_changes():
            log.error("state not written at shutdown", extra={"error": type(error).__name__})

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

    async def update_persistence(self) -> None:
        """PTB hands the changes to the persistence; they are then written (with other users'
        that ended meanwhile). A failed write goes to the error handler, as PTB's own failed
        writes do."""
        await super().update_persistence()
        if isinstance(self.persistence, BackendPersistence):
            if error := await self.persistence.write_changes():
                await self.process_error(update=None, error=error)
