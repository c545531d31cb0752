from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class Campaign(Base):
    """Safe-migration news for the subscribers of some districts and languages.

    Once due, its recipients are queued in the outbox in batches of reporters taken in id
    order; `queued_through` is the last reporter id queued, so a restart goes on where the
    last committed batch ended (and a unique (campaign, reporter) outbox row stops repeats)."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    texts: Mapped[dict[str, str]] = mapped_column(JSON)  # language code -> message
    districts: Mapped[list[str]] = mapped_column(JSON)
    languages: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[CampaignStatus] = mapped_column(
        String(16), default=CampaignStatus.DRAFT, index=True
    )
    send_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    queued_through: Mapped[int] = mapped_column(Integer, default=0)
    all_queued: Mapped[bool] = mapped_column(default=False)
