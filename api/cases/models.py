from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow
from api.encryption import EncryptedJSON, EncryptedText


class CaseStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    IN_PROGRESS = "in_progress"
    REFERRED = "referred"
    CLOSED = "closed"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Referral(StrEnum):
    """Where staff refer a case: police, KP2MI/BP3MI NTT, district manpower office, embassy or
    consulate, women and children protection unit, shelter, LPSK (witness protection), other."""

    POLICE = "police"
    BP3MI = "bp3mi"
    MANPOWER_OFFICE = "manpower_office"
    EMBASSY = "embassy"
    PPA_UNIT = "ppa_unit"
    SHELTER = "shelter"
    LPSK = "lpsk"
    OTHER = "other"


class EventKind(StrEnum):
    OPENED = "opened"
    ASSIGNED = "assigned"
    STATUS_CHANGED = "status_changed"
    REFERRED = "referred"
    PRIORITY_CHANGED = "priority_changed"
    NOTE = "note"
    MESSAGE_TO_REPORTER = "message_to_reporter"
    REPORTER_MESSAGE = "reporter_message"
    REOPENED = "reopened"
    CLOSED = "closed"
    ERASED = "erased"


class Audience(StrEnum):
    INTERNAL = "internal"
    REPORTER = "reporter"


class Direction(StrEnum):
    TO_REPORTER = "to_reporter"
    FROM_REPORTER = "from_reporter"
    NOTE = "note"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    BLOCKED = "blocked"
    UNREACHABLE = "unreachable"


class Case(Base):
    """A report to the helpline: who handles it, where it stands, where it came from."""

    __tablename__ = "cases"
    __table_args__ = (
        # the staff queue: filtered by any of these, newest first
        Index("ix_cases_status_created_at", "status", "created_at"),
        Index("ix_cases_kind_created_at", "kind", "created_at"),
        Index("ix_cases_priority_created_at", "priority", "created_at"),
        Index("ix_cases_district_created_at", "district", "created_at"),
        Index("ix_cases_assignee_id_created_at", "assignee_id", "created_at"),
        # ... and sorted urgent first: these hold every sort key (the id too: PostgreSQL's
        # index entries lack it), so a page is picked from the index alone; the kind second, so
        # that a status and a kind together ("danger, in progress") are one range of it
        Index("ix_cases_status_kind_priority", "status", "kind", "priority", "created_at", "id"),
        Index(
            "ix_cases_assignee_id_status_priority",
            "assignee_id",
            "status",
            "priority",
            "created_at",
            "id",
        ),
        # ... with news, or last changed first
        Index("ix_cases_has_news_updated_at", "has_news", "updated_at"),
        Index("ix_cases_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # a form of content/report_forms/
    status: Mapped[CaseStatus] = mapped_column(String(16), default=CaseStatus.NEW)
    priority: Mapped[Priority] = mapped_column(String(8))
    district: Mapped[str | None] = mapped_column(String(32))
    destination_country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(8))
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("reporters.id", ondelete="SET NULL"), index=True
    )
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    referral: Mapped[Referral | None] = mapped_column(String(24))
    referral_note: Mapped[str | None] = mapped_column(EncryptedText)
    resolution: Mapped[str | None] = mapped_column(EncryptedText)
    has_news: Mapped[bool] = mapped_column(Boolean, default=False)
    last_reporter_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the reporter answered, as checked by the kind's form (api/forms): {field: value},
    # encrypted (api/encryption).
    details: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    # Keyed hashes of the details' words and phone numbers, for the staff queue's text search
    # (api/cases/search_terms); blanked on erasure. On PostgreSQL a trigram index makes
    # LIKE '%hash%' on it an index search (migration 0006).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")


class CaseEvent(Base):
    """One entry of a case's timeline: who did what, when (ids and codes, never free text)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[EventKind] = mapped_column(String(24))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    audience: Mapped[Audience] = mapped_column(String(8))


class CaseMessage(Base):
    """A message of a case's thread: to the reporter, from the reporter, or an internal note."""

    __tablename__ = "case_messages"
    __table_args__ = (UniqueConstraint("case_id", "channel_message_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    direction: Mapped[Direction] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(EncryptedText)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivery_status: Mapped[DeliveryStatus | None] = mapped_column(String(16))
    channel_message_key: Mapped[str | None] = mapped_column(String(64))
