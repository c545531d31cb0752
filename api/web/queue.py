"""The queue page: cases the staff member may see, urgent first, with filters as a GET form.

`/staff/queue/rows` gives the table's body alone for the same filters: static/queue.js
fetches it every few seconds, so new cases appear without reloading (without script the page
is a plain page). The cases come from api.cases.queue, as the staff API's do."""

from datetime import date
from math import ceil
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from pydantic import (
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from starlette.responses import Response

from api.cases import queue
from api.cases.models import CaseStatus, Priority
from api.cases.schemas import CaseFilters, CaseKind, SortOrder
from api.db import SessionDep, utcnow
from api.i18n import N_
from api.staff import service as staff_service
from api.staff.models import Role, Staff
from api.web import labels
from api.web.auth import WebStaff
from api.web.form_errors import VALIDATION_MESSAGES, field_errors, translator
from api.web.form_fields import Blank, Day, PageNumber, day_range
from api.web.pages import language, render

router = APIRouter(prefix="/staff/queue", include_in_schema=False)

PAGE_SIZE = 50
OPEN = [status for status in CaseStatus if status != CaseStatus.CLOSED]
SHOWN_STATUSES = {"open": N_("Open (not closed)")} | labels.STATUSES | {"all": N_("All")}
SORTS = {
    "priority": N_("Urgent first, then oldest"),
    "-created": N_("Newest first"),
    "created": N_("Oldest first"),
    "updated": N_("Last changed first"),
}


class QueueForm(BaseModel):
    """The filter form as typed; `filters()` turns it into the staff API's CaseFilters."""

    model_config = ConfigDict(extra="ignore")

    status: Annotated[Literal["open", "all"] | CaseStatus, Blank] = "open"
    kind: Annotated[CaseKind | None, Blank] = None
    priority: Annotated[Priority | None, Blank] = None
    district: Annotated[str | None, Blank] = None
    assignee: Annotated[
        Annotated[str, StringConstraints(pattern=r"^(me|none|[1-9][0-9]{0,9})$")] | None, Blank
    ] = None
    since: Day = None
    until: Day = None
    q: Annotated[Annotated[str, StringConstraints(max_length=100)] | None, Blank] = None
    sort: Annotated[SortOrder, Blank] = "priority"
    page: PageNumber = 1

    @field_validator("until")
    @classmethod
    def _after_since(cls, until: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("since")
        if until and since and since > until:
            raise PydanticCustomError("day_range", "since is after until")
        return until

    def filters(self) -> CaseFilters:
        statuses = {"open": OPEN, "all": []}.get(self.status, [self.status])
        created_from, created_to = day_range(self.since, self.until)
        return CaseFilters(
            status=statuses,
            kind=self.kind,
            priority=self.priority,
            district=self.district,
            assignee=self.assignee,
            created_from=created_from,
            created_to=created_to,
            q=self.q,
            sort=self.sort,
        )


def _typed(request: Request) -> dict[str, str]:
    return {key: value[:100] for key, value in request.query_params.items()}


Validated = tuple[QueueForm, CaseFilters] | tuple[None, None]


def _validated(request: Request, typed: dict[str, str]) -> tuple[Validated, dict[str, str]]:
    """The form and its filters, or the refusals by field (an unknown district is one)."""
    _ = translator(request)
    try:
        form = QueueForm.model_validate(typed)
        filters = form.filters()
    except ValidationError as error:
        refused = field_errors(error, _)
    else:
        refused = {}
    kind = typed.get("kind") or None
    if kind is not None and kind not in request.app.state.forms:
        refused["kind"] = _(VALIDATION_MESSAGES["enum"])
    if refused:
        return (None, None), refused
    if form.district is not None and form.district not in request.app.state.districts:
        return (None, None), {"district": _(VALIDATION_MESSAGES["enum"])}
    return (form, filters), {}


async def _rows(
    request: Request, session: SessionDep, staff: Staff, form: QueueForm, filters: CaseFilters
) -> tuple[list[dict[str, Any]], int]:
    rows, total = await queue.list_page(
        session,
        viewer=staff,
        filters=filters,
        limit=PAGE_SIZE,
        offset=(form.page - 1) * PAGE_SIZE,
    )
    now, lang = utcnow(), language(request)
    districts = request.app.state.districts
    return [
        {
            "reference": row.reference,
            "kind": labels.kinds(request.app.state.forms).get(row.kind, row.kind),
            "status": labels.STATUSES[row.status],
            "priority": row.priority,
            "priority_label": labels.PRIORITIES[row.priority],
            "district": districts.name(row.district) if row.district else "",
            "age": labels.elapsed(row.created_at, now, lang),
            "since_reporter": labels.elapsed(row.last_reporter_message_at, now, lang),
            "assignee": row.assignee_name,
            "mine": row.assignee_id == staff.id,
            "has_news": row.has_news,
        }
        for row in rows
    ], total


def _query(form: QueueForm, **change: Any) -> str:
    kept = form.model_dump(exclude_none=True, mode="json") | change
    return urlencode({key: value for key, value in kept.items() if value != ""})


@router.get("")
async def queue_page(request: Request, session: SessionDep, staff: WebStaff) -> Response:
    typed = _typed(request)
    (form, filters), errors = _validated(request, typed)
    context: dict[str, Any] = dict(
        staff=staff,
        typed=typed,
        errors=errors,
        statuses=SHOWN_STATUSES,
        kinds=labels.kinds(request.app.state.forms),
        priorities=labels.PRIORITIES,
        sorts=SORTS,
        districts=request.app.state.districts.names,
        members=await staff_service.list_all(session) if staff.role != Role.AGENT else [],
        rows=[],
        total=0,
    )
    if form is None or filters is None:
        return render(request, "queue.html", status_code=422, **context)
    rows, total = await _rows(request, session, staff, form, filters)
    context.update(
        rows=rows,
        total=total,
        page_number=form.page,
        pages=ceil(total / PAGE_SIZE),
        previous_query=_query(form, page=form.page - 1),
        next_query=_query(form, page=form.page + 1),
        rows_query=_query(form),
    )
    return render(request, "queue.html", **context)


@router.get("/rows")
async def queue_rows(request: Request, session: SessionDep, staff: WebStaff) -> Response:
    """The table body of the queue page for the same filters (fetched by static/queue.js)."""
    (form, filters), _errors = _validated(request, _typed(request))
    if form is None or filters is None:
        return render(request, "queue_rows.html", status_code=422, rows=[], total=0, staff=staff)
    rows, total = await _rows(request, session, staff, form, filters)
    return render(request, "queue_rows.html", rows=rows, total=total, staff=staff)
