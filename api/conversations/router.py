from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import ServiceAuth
from api.conversations import service
from api.conversations.schemas import (
    USER_ID_PATTERN,
    ConversationStateList,
    ConversationStateRead,
    ConversationStep,
    StateUpdate,
    StateUpdates,
)
from api.db import MAX_ID, SessionDep

MAX_PAGE = 500

UserId = Annotated[str, Path(pattern=USER_ID_PATTERN)]
Channel = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,15}$")]  # the column holds 16

router = APIRouter(
    prefix="/api/v1/conversations", tags=["conversations"], dependencies=[ServiceAuth]
)


@router.get("/{channel}", response_model=ConversationStateList)
async def list_states(
    channel: Channel,
    session: SessionDep,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="`next_after` of the last page")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
) -> ConversationStateList:
    """Users' unfinished conversations and data, a page at a time: what the bot loads when it
    starts (page after page, never all in one answer)."""
    states = await service.list_for_channel(session, channel=channel, after=after, limit=limit)
    return ConversationStateList(
        next_after=states[-1].id if len(states) == limit else None,
        items=[
            ConversationStateRead(
                channel_user_id=state.channel_user_id,
                user_data=state.user_data,
                conversations=state.conversations,
            )
            for state in states
        ],
    )


@router.put("/{channel}", status_code=status.HTTP_204_NO_CONTENT)
async def save_states(channel: Channel, body: StateUpdates, session: SessionDep) -> None:
    """Several users' data and changed steps in one write, in order (a user named twice: the
    later change wins). What the bot sends when several users' updates end together."""
    for user in body.users:
        await _save(session, channel, user.channel_user_id, user)


@router.put("/{channel}/{channel_user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def save_state(
    channel: Channel, channel_user_id: UserId, body: StateUpdate, session: SessionDep
) -> None:
    """A user's data and the conversation steps that changed, in one write (what the bot
    sends after an update)."""
    await _save(session, channel, channel_user_id, body)


async def _save(
    session: AsyncSession, channel: str, channel_user_id: str, update: StateUpdate
) -> None:
    await service.save_state(
        session,
        channel=channel,
        channel_user_id=channel_user_id,
        user_data=update.user_data,
        steps=[(step.name, step.key, step.state) for step in update.steps],
    )


@router.put("/{channel}/{channel_user_id}/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def save_step(
    channel: Channel,
    channel_user_id: UserId,
    name: str,
    body: ConversationStep,
    session: SessionDep,
) -> None:
    await service.save_step(
        session,
        channel=channel,
        channel_user_id=channel_user_id,
        name=name,
        key=body.key,
        step=body.state,
    )
