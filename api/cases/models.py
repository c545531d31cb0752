from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class CaseKind(StrEnum):
    OFFER = "offer"
    DANGER = "danger"
    MISSING = "missing"
    QUESTION = "question"


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
    kind: Mapped[CaseKind] = mapped_column(String(16))
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
    referral_note: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
    has_news: Mapped[bool] = mapped_column(Boolean, default=False)
    last_reporter_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The details' text, lower-cased, for the staff queue's text search; blanked on erasure.
    # On PostgreSQL a trigram index makes LIKE '%word%' on it an index search (migration 0006).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")


class OfferReport(Base):
    """A suspicious job offer: the offer, its red flags, where it was seen, who offered it."""

    __tablename__ = "offer_reports"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    offer_text: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    seen_where: Mapped[str | None] = mapped_column(String(16))
    recruiter_name: Mapped[str | None] = mapped_column(String(120))
    recruiter_phone: Mapped[str | None] = mapped_column(String(20))
    village: Mapped[str | None] = mapped_column(String(120))


class DangerReport(Base):
    """Someone in danger or exploited: what happens, where, since when, how to reach them."""

    __tablename__ = "danger_reports"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    what_happens: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(120))
    employer: Mapped[str | None] = mapped_column(String(200))
    since_when: Mapped[str | None] = mapped_column(String(120))
    danger_now: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str | None] = mapped_column(String(200))


class MissingReport(Base):
    """A relative who left to work and can no longer be reached."""

    __tablename__ = "missing_reports"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str | None] = mapped_column(String(120))
    sex: Mapped[str | None] = mapped_column(String(8))
    age: Mapped[int | None] = mapped_column(Integer)
    birth_date: Mapped[date | None] = mapped_column(Date)
    home_district: Mapped[str | None] = mapped_column(String(32))
    village: Mapped[str | None] = mapped_column(String(120))
    destination_country: Mapped[str | None] = mapped_column(String(2))
    destination_city: Mapped[str | None] = mapped_column(String(120))
    left_on: Mapped[date | None] = mapped_column(Date)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    recruiter: Mapped[str | None] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    passport_number: Mapped[str | None] = mapped_column(String(16))
    photo_key: Mapped[str | None] = mapped_column(String(64))
    reporter_name: Mapped[str | None] = mapped_column(String(120))
    reporter_relationship: Mapped[str | None] = mapped_column(String(16))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))


class QuestionReport(Base):
    """A question the bot could not answer, for a person to answer."""

    __tablename__ = "question_reports"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(64))


DetailsModel = OfferReport | DangerReport | MissingReport | QuestionReport

DETAILS_MODELS: dict[CaseKind, type[DetailsModel]] = {
    CaseKind.OFFER: OfferReport,
    CaseKind.DANGER: DangerReport,
    CaseKind.MISSING: MissingReport,
    CaseKind.QUESTION: QuestionReport,
}

# What `erase_reporter_data` blanks: everything that can name or reach a person, and all free
# text (it may hold anything). Codes, districts, countries and ages stay for the statistics.
PERSONAL_FIELDS: dict[CaseKind, tuple[str, ...]] = {
    CaseKind.OFFER: ("offer_text", "recruiter_name", "recruiter_phone", "village"),
    CaseKind.DANGER: ("what_happens", "city", "employer", "since_when", "contact"),
    CaseKind.MISSING: (
        "name",
        "birth_date",
        "village",
        "destination_city",
        "left_on",
        "last_contact_on",
        "recruiter",
        "employer",
        "passport_number",
        "photo_key",
        "reporter_name",
        "reporter_relationship",
        "reporter_phone",
    ),
    CaseKind.QUESTION: ("question",),
}


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
    text: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivery_status: Mapped[DeliveryStatus | None] = mapped_column(String(16))
    channel_message_key: Mapped[str | None] = mapped_column(String(64))
