"""The statistics page (supervisors and admins): the numbers of GET /api/v1/stats as charts
with tables beside them, for a range of days, and each table as a CSV download. Aggregates
only (nothing about any case or person), so downloads are not audited."""

import csv
import io
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError
from starlette.responses import Response

from api.cases.dependencies import DistrictsDep
from api.db import SessionDep
from api.i18n import N_, Translator
from api.offers.schemas import FLAG_IDS
from api.stats import service as stats_service
from api.stats.schemas import Period, StatsQuery, StatsRead
from api.stats.service import RISKS
from api.web import labels
from api.web.audit_log import Day
from api.web.auth import WebSupervisor
from api.web.charts import bar_chart, column_chart
from api.web.form_errors import field_errors, translator
from api.web.pages import language, render

router = APIRouter(prefix="/staff/stats", include_in_schema=False)

RISK_LABELS = {"low": N_("Low risk"), "medium": N_("Medium risk"), "high": N_("High risk")}
TABLES = ("districts", "months", "kinds", "statuses", "offer-checks")


class StatsFilters(BaseModel):
    """The filter form: a range of UTC days (blank: open-ended) and the offer-check period."""

    model_config = ConfigDict(extra="ignore")

    date_from: Day = None
    date_to: Day = None
    offer_period: Period = "month"

    @model_validator(mode="after")
    def _in_order(self) -> "StatsFilters":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise PydanticCustomError("day_range", "the first day is after the last day")
        return self

    def query(self) -> StatsQuery:
        return StatsQuery(**self.model_dump())


def _typed(request: Request) -> dict[str, str]:
    """What was typed in the filter form, kept to show it again."""
    return {key: value[:100] for key, value in request.query_params.items()}


def _filters(typed: dict[str, str]) -> StatsFilters:
    """The filters of the form (blank fields: their default); ValidationError when unusable."""
    return StatsFilters.model_validate(
        {key: value for key, value in typed.items() if value.strip()}
    )


def offer_check_rows(stats: StatsRead) -> list[dict[str, Any]]:
    """One row per day or month from the first offer check to the last (none left out, so a
    chart over time shows the quiet ones): checks in all, by risk and by red flag."""
    offers = stats.offer_checks
    seen = sorted(
        {count.period for count in offers.by_period_and_risk}
        | {count.period for count in offers.by_period_and_flag}
    )
    if not seen:
        return []
    counts: dict[str, dict[str, int]] = {
        period: {"checks": 0, **dict.fromkeys(RISKS, 0), **dict.fromkeys(FLAG_IDS, 0)}
        for period in stats_service.periods(seen[0], seen[-1], offers.period)
    }
    for risk_count in offers.by_period_and_risk:
        counts[risk_count.period][risk_count.risk] += risk_count.checks
        counts[risk_count.period]["checks"] += risk_count.checks
    for flag_count in offers.by_period_and_flag:
        counts[flag_count.period][flag_count.flag] += flag_count.hits
    return [{"period": period, **numbers} for period, numbers in counts.items()]


def _flag_labels(request: Request) -> dict[str, str]:
    """Each red flag's label in the staff member's language (the offer rules hold them)."""
    lang = language(request)
    flags = request.app.state.offer_rules.flags
    return {flag: flags[flag].label.get(lang) or flags[flag].label["id"] for flag in FLAG_IDS}


def _charts(
    stats: StatsRead,
    offer_rows: list[dict[str, Any]],
    flag_labels: dict[str, str],
    kind_labels: dict[str, str],
    _: Translator,
) -> dict[str, Any]:
    cases = stats.cases
    offers = stats.offer_checks
    return {
        "districts": bar_chart(
            [(district.name, district.cases) for district in cases.by_district],
            title=_("Cases by district"),
        ),
        "months": column_chart(
            [(month.month, month.cases) for month in cases.by_month], title=_("Cases by month")
        ),
        "kinds": bar_chart(
            [(_(kind_labels.get(kind, kind)), count) for kind, count in cases.by_kind.items()],
            title=_("Cases by kind"),
        ),
        "statuses": bar_chart(
            [(_(labels.STATUSES[state]), count) for state, count in cases.by_status.items()],
            title=_("Cases by status"),
        ),
        "offer_periods": column_chart(
            [(row["period"], row["checks"]) for row in offer_rows],
            title=_("Offers checked per day")
            if offers.period == "day"
            else _("Offers checked per month"),
        ),
        "flags": bar_chart(
            [(flag_labels[flag], hits) for flag, hits in offers.by_flag.items()],
            title=_("Red flags found in checked offers"),
        ),
    }


@router.get("")
async def stats_page(
    request: Request, session: SessionDep, staff: WebSupervisor, districts: DistrictsDep
) -> Response:
    _ = translator(request)
    context: dict[str, Any] = dict(
        staff=staff,
        kind_labels=labels.kinds(request.app.state.forms),
        status_labels=labels.STATUSES,
        risks=RISKS,
        risk_labels=RISK_LABELS,
        errors={},
        stats=None,
    )
    retention = request.app.state.retention
    context.update(retention_due=await retention.due(), retention_periods=retention.periods)
    typed = _typed(request)
    context.update(typed=typed)
    try:
        filters = _filters(typed)
    except ValidationError as error:
        context.update(errors=field_errors(error, _))
        return render(request, "stats.html", status_code=422, **context)
    stats = await stats_service.get(
        session, query=filters.query(), districts=districts, kinds=request.app.state.forms
    )
    offer_rows = offer_check_rows(stats)
    flag_labels = _flag_labels(request)
    context.update(
        stats=stats,
        offer_rows=offer_rows,
        flag_labels=flag_labels,
        charts=_charts(stats, offer_rows, flag_labels, labels.kinds(request.app.state.forms), _),
        filter_query=urlencode(filters.model_dump(mode="json", exclude_defaults=True)),
    )
    return render(request, "stats.html", **context)


def _csv_rows(table: str, stats: StatsRead) -> list[list[Any]]:
    """A header row, then the numbers; ids and names from the content, never typed text."""
    cases = stats.cases
    if table == "districts":
        return [
            ["district", "name", "cases"],
            *([d.district, d.name, d.cases] for d in cases.by_district),
            ["", "(not given)", cases.without_district],
        ]
    if table == "months":
        return [
            ["month", "cases", "responded", "median_first_response_hours"],
            *(
                [m.month, m.cases, m.responded, m.median_first_response_hours]
                for m in cases.by_month
            ),
        ]
    if table == "kinds":
        return [["kind", "cases"], *([kind, n] for kind, n in cases.by_kind.items())]
    if table == "statuses":
        return [["status", "cases"], *([state.value, n] for state, n in cases.by_status.items())]
    columns = ["period", "checks", *RISKS, *FLAG_IDS]
    return [columns, *([row[column] for column in columns] for row in offer_check_rows(stats))]


@router.get("/{table}.csv")
async def stats_csv(
    request: Request,
    table: str,
    session: SessionDep,
    _staff: WebSupervisor,
    districts: DistrictsDep,
) -> Response:
    """One table of the page as CSV, for the same filters."""
    if table not in TABLES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "There is no such table.")
    try:
        filters = _filters(_typed(request))
    except ValidationError as error:
        problems = field_errors(error, translator(request))
        return PlainTextResponse(
            "\n".join(f"{field}: {message}" for field, message in problems.items()),
            status_code=422,
        )
    stats = await stats_service.get(
        session, query=filters.query(), districts=districts, kinds=request.app.state.forms
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_csv_rows(table, stats))
    days = [str(day) for day in (filters.date_from, filters.date_to) if day]
    filename = "_".join([f"stats-{table}", *days]) + ".csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
