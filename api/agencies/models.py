from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, utcnow


class AgencyStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Agency(Base):
    """A licensed placement company (P3MI) as the imported registry export lists it."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    normalized_name: Mapped[str] = mapped_column(String(200), index=True)
    licence_number: Mapped[str | None] = mapped_column(String(100))
    licence_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    address: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16))
    source_date: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
