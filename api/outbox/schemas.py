from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.db import MAX_ID, UtcDateTime
from api.outbox.models import OutboxStatus, Purpose

DeliveryError = Literal[
    "timeout", "network", "retry_after", "blocked", "chat_not_found", "bad_request"
]


class Action(BaseModel):
    """A button under a message, said the same way for every channel: its `label` and what it
    does. Each adapter encodes it for its platform (Telegram: callback data)."""

    label: str
    action: Literal["reply_to_case"] = Field(description="reply_to_case: write to the case")
    case: str = Field(description="the case's reference")


class OutboxRead(BaseModel):
    """A message to deliver now: send `text` (with `buttons`, rows of actions) to `chat_id`."""

    id: int
    channel: str
    chat_id: str
    text: str
    buttons: list[list[Action]] | None
    purpose: Purpose
    attempts: int = Field(description="failed attempts so far")


class OutboxClaim(BaseModel):
    channel: str = Field(
        pattern=r"^[a-z][a-z0-9_]{0,15}$",
        description="the adapter's channel: only messages for it are handed out",
    )
    limit: int = Field(default=20, ge=1, le=100, description="at most this many messages")
    lease_seconds: int = Field(
        default=60,
        ge=5,
        le=3600,
        description="the messages are not handed out again for this long unless reported",
    )


class OutboxClaimed(BaseModel):
    messages: list[OutboxRead]


class OutboxFailure(BaseModel):
    error: DeliveryError = Field(
        description="blocked: the user blocked the bot (no retry); chat_not_found: Telegram does "
        "not know the chat (no retry); bad_request: Telegram refused the message (no retry); "
        "timeout, network, retry_after: tried again later"
    )
    retry_after: int | None = Field(
        default=None, ge=0, le=86_400, description="seconds Telegram asked to wait (429)"
    )


class OutboxState(BaseModel):
    id: int
    status: OutboxStatus
    attempts: int
    next_attempt_at: UtcDateTime | None = Field(description="when it is handed out again, if ever")


class OutboxDelivered(BaseModel):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=100, description="messages delivered"
    )


class OutboxDeliveredCount(BaseModel):
    delivered: int = Field(description="how many were not recorded as delivered before")
