from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow
from api.encryption import EncryptedText


class Purpose(StrEnum):
    REPORTER_MESSAGE = "reporter_message"
    STAFF_ALERT = "staff_alert"
    CAMPAIGN = "campaign"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    BLOCKED = "blocked"


class OutboxMessage(Base):
    """A message waiting for a channel adapter to deliver it; kept until it is delivered."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_campaign_id_status", "campaign_id", "status"),
        # one message per campaign and reporter, however often queuing is repeated
        UniqueConstraint("campaign_id", "reporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(EncryptedText)
    buttons: Mapped[list[list[dict[str, str]]] | None] = mapped_column(JSON)
    purpose: Mapped[Purpose] = mapped_column(String(24))
    case_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_messages.id", ondelete="SET NULL")
    )
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id", ondelete="SET NULL"))
    status: Mapped[OutboxStatus] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    leased_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
