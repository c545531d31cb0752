from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow
from api.encryption import EncryptedJSON


class ConversationState(Base):
    """Where a user is in the bot's conversations, and their unfinished answers (a report draft).

    Written after every step, so that a report in progress survives a restart of the bot;
    deleted with the rest of the user's data."""

    __tablename__ = "conversation_states"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    # the reporter's words: encrypted (api/encryption)
    user_data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    conversations: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
