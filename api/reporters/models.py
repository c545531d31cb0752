from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class Reporter(Base):
    """Someone who talks to the helpline through a channel; only what is needed to answer."""

    __tablename__ = "reporters"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Safe-migration news (campaigns): the district chosen with /subscribe, while subscribed.
    subscribed_district: Mapped[str | None] = mapped_column(String(32))
    subscribed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When Telegram last said the user blocked the bot; campaigns skip them until they subscribe.
    blocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the bot asked "Get safe-migration news?" (asked once, never again).
    news_offered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
