from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.cases.models import CaseStatus
from api.offers.schemas import FlagId, Risk

Period = Literal["day", "month"]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


class StatsQuery(BaseModel):
    """The days counted (UTC), both included; open-ended when left out."""

    model_config = ConfigDict(extra="forbid")

    date_from: date | None = Field(
        default=None, ge=FIRST_DAY, le=LAST_DAY, description="first day (YYYY-MM-DD)"
    )
    date_to: date | None = Field(
        default=None, ge=FIRST_DAY, le=LAST_DAY, description="last day (YYYY-MM-DD)"
    )
    offer_period: Period = Field(
        default="month", description="offer checks counted per `day` or per `month`"
    )

    @model_validator(mode="after")
    def _range(self) -> "StatsQuery":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must not be after date_to")
        return self


class DistrictCases(BaseModel):
    district: str = Field(description="slug of content/districts.yaml")
    name: str
    cases: int


class MonthCases(BaseModel):
    month: str = Field(examples=["2026-06"])
    cases: int = Field(description="opened in the month")
    responded: int = Field(description="of those, answered by staff")
    median_first_response_hours: float | None = Field(
        description="median time from opening to the first staff message; null: none answered"
    )


class CaseStats(BaseModel):
    total: int
    by_district: list[DistrictCases] = Field(description="every district, in content order")
    without_district: int
    by_month: list[MonthCases] = Field(description="every month of the range, oldest first")
    by_kind: dict[str, int] = Field(description="by kind of report (content/report_forms/)")
    by_status: dict[CaseStatus, int]
    responded: int
    median_first_response_hours: float | None


class RiskCount(BaseModel):
    period: str = Field(description="YYYY-MM-DD or YYYY-MM")
    risk: Risk
    checks: int


class FlagCount(BaseModel):
    period: str
    flag: FlagId
    hits: int


class OfferCheckStats(BaseModel):
    period: Period
    total: int = Field(description="offers checked")
    by_risk: dict[Risk, int]
    by_flag: dict[FlagId, int] = Field(description="offers in which each red flag was found")
    by_period_and_risk: list[RiskCount] = Field(description="periods with checks, oldest first")
    by_period_and_flag: list[FlagCount]


class StatsRead(BaseModel):
    """Aggregate numbers only: nothing about any person."""

    date_from: date | None
    date_to: date | None
    cases: CaseStats
    offer_checks: OfferCheckStats
