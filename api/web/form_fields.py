"""Field types of the dashboard's GET filter forms, where an empty field means "any"."""

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from api.cases.schemas import WITA
from api.db import MAX_ID

FIRST_YEAR, LAST_YEAR = 2000, 2999


def _blank_is_none(value: Any) -> Any:
    """An empty field of the filter form means "any"."""
    return None if isinstance(value, str) and not value.strip() else value


def _plausible(day: date) -> date:
    """A day the database can hold (and that a day later than it exists)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PydanticCustomError("date_out_of_range", "the date is out of range")
    return day


Blank = BeforeValidator(_blank_is_none)
Id = Annotated[Annotated[int, Field(ge=1, le=MAX_ID)] | None, Blank]
Day = Annotated[Annotated[date, AfterValidator(_plausible)] | None, Blank]
PageNumber = Annotated[int, Blank, Field(ge=1, le=MAX_ID)]


def day_range(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """From the start of `since` to the end of `until` (inclusive), in NTT's days (WITA)."""
    start = datetime.combine(since, time(), WITA) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), WITA) if until else None
    return start, end
