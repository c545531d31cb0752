from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.conversations.models import ConversationState


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


async def _get_or_create(
    session: AsyncSession, *, channel: str, channel_user_id: str
) -> ConversationState:
    state = await session.scalar(
        select(ConversationState).where(
            ConversationState.channel == channel,
            ConversationState.channel_user_id == channel_user_id,
        )
    )
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


async def save_user_data(
    session: AsyncSession, *, channel: str, channel_user_id: str, user_data: dict[str, Any]
) -> None:
    state = await _get_or_create(session, channel=channel, channel_user_id=channel_user_id)
    state.user_data = user_data
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
    state = await _get_or_create(session, channel=channel, channel_user_id=channel_user_id)
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
    await _drop_if_empty(session, state)


async def forget(session: AsyncSession, *, channel: str, channel_user_id: str) -> None:
    await session.execute(
        delete(ConversationState).where(
            ConversationState.channel == channel,
            ConversationState.channel_user_id == channel_user_id,
        )
    )
