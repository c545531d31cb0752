from typing import Annotated

from fastapi import APIRouter, Path, Request

from api.auth import ServiceAuth
from api.db import MAX_ID, SessionDep
from api.outbox import service
from api.outbox.models import OutboxMessage, OutboxStatus
from api.outbox.schemas import (
    OutboxClaim,
    OutboxClaimed,
    OutboxDelivered,
    OutboxDeliveredCount,
    OutboxFailure,
    OutboxRead,
    OutboxState,
)

router = APIRouter(prefix="/api/v1/outbox", tags=["outbox"], dependencies=[ServiceAuth])


def _state(message: OutboxMessage) -> OutboxState:
    return OutboxState(
        id=message.id,
        status=message.status,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at if message.status == OutboxStatus.PENDING else None,
    )


MessageId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/claim", response_model=OutboxClaimed)
async def claim(body: OutboxClaim, session: SessionDep, request: Request) -> OutboxClaimed:
    """Messages of the caller's channel to deliver now, leased to the caller: report each as
    delivered or failed."""
    messages = await service.claim(
        session, channel=body.channel, limit=body.limit, lease_seconds=body.lease_seconds
    )
    return OutboxClaimed(
        messages=[OutboxRead.model_validate(m, from_attributes=True) for m in messages]
    )


@router.post("/delivered", response_model=OutboxDeliveredCount)
async def delivered_many(body: OutboxDelivered, session: SessionDep) -> OutboxDeliveredCount:
    """Record the delivery of several messages at once (repeating it is harmless)."""
    return OutboxDeliveredCount(delivered=await service.mark_delivered_many(session, body.ids))


@router.post(
    "/{message_id}/delivered",
    response_model=OutboxState,
    responses={404: {"description": "no such message"}},
)
async def delivered(message_id: MessageId, session: SessionDep) -> OutboxState:
    return _state(await service.mark_delivered(session, message_id))


@router.post(
    "/{message_id}/failed",
    response_model=OutboxState,
    responses={
        404: {"description": "no such message"},
        409: {"description": "the message is no longer being delivered"},
    },
)
async def failed(message_id: MessageId, body: OutboxFailure, session: SessionDep) -> OutboxState:
    """A failed try: retried later, or given up (blocked by the user, bad request, 20 tries)."""
    message = await service.mark_failed(
        session, message_id, error=body.error, retry_after=body.retry_after
    )
    return _state(message)
