from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class ContentReview(Base):
    """A native speaker's check of one topic translation, valid while its text is unchanged.

    `text_sha256` is the hash of the title and pages the reviewer read (TopicText.sha256):
    editing the text in content/ makes the translation unreviewed again."""

    __tablename__ = "content_reviews"
    __table_args__ = (UniqueConstraint("topic_slug", "language", "text_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_slug: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    text_sha256: Mapped[str] = mapped_column(String(64))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
