from datetime import date

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base


class OfferCheckDay(Base):
    """How many offers were checked on a day, by language and risk; no text, no user."""

    __tablename__ = "offer_check_days"
    __table_args__ = (UniqueConstraint("day", "language", "risk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(8))
    risk: Mapped[str] = mapped_column(String(8))
    checks: Mapped[int] = mapped_column(default=0)


class OfferFlagDay(Base):
    """How often each red flag was found on a day, by language."""

    __tablename__ = "offer_flag_days"
    __table_args__ = (UniqueConstraint("day", "language", "flag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(8))
    flag: Mapped[str] = mapped_column(String(40))
    hits: Mapped[int] = mapped_column(default=0)
