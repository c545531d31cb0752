from typing import Any

from pydantic import BaseModel, Field

# Telegram user ids are integers: the bot turns stored ids back into numbers when it starts.
USER_ID_PATTERN = r"^-?[0-9]{1,20}$"


class ConversationStep(BaseModel):
    key: list[int | str] = Field(description="the conversation key (chat id, user id)")
    state: Any = Field(description="the state the user is in; null when the conversation ended")


class NamedStep(ConversationStep):
    name: str = Field(description="the conversation's name")


class StateUpdate(BaseModel):
    """What changed in one user's state since the last write, written at once."""

    user_data: dict[str, Any] | None = Field(None, description="the whole user data; null: same")
    steps: list[NamedStep] = Field([], description="the conversations whose state changed")


class UserStateUpdate(StateUpdate):
    channel_user_id: str = Field(pattern=USER_ID_PATTERN, description="the user's id")


MAX_USERS_A_WRITE = 500


class StateUpdates(BaseModel):
    """Several users' changes, written in one transaction: what the bot sends when updates of
    several users ended at about the same time."""

    users: list[UserStateUpdate] = Field(max_length=MAX_USERS_A_WRITE)


class ConversationStateRead(BaseModel):
    channel_user_id: str
    user_data: dict[str, Any]
    conversations: dict[str, list[ConversationStep]] = Field(
        description="conversation name -> the steps the user is on"
    )


class ConversationStateList(BaseModel):
    items: list[ConversationStateRead]
    next_after: int | None = Field(
        description="pass as `after` for the next page; null on the last page"
    )
