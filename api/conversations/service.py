from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.conversations.models import ConversationState
from api.db import insert_or_update


async def list_for_channel(
    session: AsyncSession, *, channel: str, after: int, limit: int
) -> list[ConversationState]:
    """A page of the channel's states in id order: the `limit` first with an id above `after`."""
    return list(
        await session.scalars(
            select(ConversationState)
            .where(ConversationState.channel == channel, ConversationState.id > after)
            .order_by(ConversationState.id)
            .limit(limit)
        )
    )


# built once, its values given at execution (see reporters.service)
_BY_USER = select(ConversationState).where(
    ConversationState.channel == bindparam("channel"),
    ConversationState.channel_user_id == bindparam("channel_user_id"),
)


async def _get_or_create(
    session: AsyncSession, *, channel: str, channel_user_id: str
) -> ConversationState:
    state = await session.scalar(_BY_USER, {"channel": channel, "channel_user_id": channel_user_id})
    if state is None:
        state = ConversationState(
            channel=channel, channel_user_id=channel_user_id, user_data={}, conversations={}
        )
        session.add(state)
    return state


async def _drop_if_empty(session: AsyncSession, state: ConversationState) -> None:
    if not state.user_data and not state.conversations:
        if state.id is not None:
            await session.delete(state)
        else:
            session.expunge(state)
    await session.flush()


def _set_step(state: ConversationState, name: str, key: list[int | str], step: Any) -> None:
    """Record the state of one conversation for one key; None means it ended."""
    steps = {tuple(item["key"]): item["state"] for item in state.conversations.get(name, [])}
    if step is None:
        steps.pop(tuple(key), None)
    else:
        steps[tuple(key)] = step
    conversations = dict(state.conversations)
    if steps:
        conversations[name] = [{"key": list(k), "state": s} for k, s in steps.items()]
    else:
        conversations.pop(name, None)
    state.conversations = conversations


async def save_state(
    session: AsyncSession,
    *,
    channel: str,
    channel_user_id: str,
    user_data: dict[str, Any] | None,
    steps: list[tuple[str, list[int | str], Any]],
) -> None:
    """The user data (None: unchanged) and the steps of conversations, in one change.

    The user's data alone (most writes: a report's draft as it grows) is one statement; steps
    merge with the stored ones, and a state left empty is deleted."""
    if user_data and not steps:
        await insert_or_update(
            session,
            ConversationState,
            key=["channel", "channel_user_id"],
            update=["user_data"],
            channel=channel,
            channel_user_id=channel_user_id,
            user_data=user_data,
            conversations={},
        )
        return
    state = await _get_or_create(session, channel=channel, channel_user_id=channel_user_id)
    if user_data is not None:
        state.user_data = user_data
    for name, key, step in steps:
        _set_step(state, name, key, step)
    await _drop_if_empty(session, state)


async def save_step(
    session: AsyncSession,
    *,
    channel: str,
    channel_user_id: str,
    name: str,
    key: list[int | str],
    step: Any,
) -> None:
    """Record the state of one conversation for one key; None means it ended."""
    await save_state(
        session,
        channel=channel,
        channel_user_id=channel_user_id,
        user_data=None,
        steps=[(name, key, step)],
    )


async def forget(session: AsyncSession, *, channel: str, channel_user_id: str) -> None:
    await session.execute(
        delete(ConversationState).where(
            ConversationState.channel == channel,
            ConversationState.channel_user_id == channel_user_id,
        )
    )
