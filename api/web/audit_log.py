"""The audit log viewer (admins): filters, newest first, 50 entries a page."""

from datetime import datetime
from math import ceil
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.responses import Response

from api.audit import service as audit
from api.cases.schemas import WITA
from api.db import SessionDep, as_utc
from api.staff import service as staff_service
from api.web.auth import WebAdmin
from api.web.form_errors import field_errors, translator
from api.web.form_fields import Blank, Day, Id, PageNumber, day_range
from api.web.pages import render

router = APIRouter(prefix="/staff/audit", include_in_schema=False)

PAGE_SIZE = 50


class AuditFilters(BaseModel):
    """The filter form: ids, an action code and a range of days in NTT's time (WITA)."""

    model_config = ConfigDict(extra="ignore")

    staff_id: Id = None
    action: Annotated[Annotated[str, Field(max_length=40)] | None, Blank] = None
    case_id: Id = None
    since: Day = None
    until: Day = None
    page: PageNumber = 1

    def time_range(self) -> tuple[datetime | None, datetime | None]:
        """From the start of `since` to the end of `until` (inclusive), in WITA days."""
        return day_range(self.since, self.until)


def local_time(moment: datetime) -> str:
    return as_utc(moment).astimezone(WITA).strftime("%Y-%m-%d %H:%M")


@router.get("")
async def audit_log(request: Request, session: SessionDep, admin: WebAdmin) -> Response:
    typed = {key: value[:100] for key, value in request.query_params.items()}
    members = await staff_service.list_all(session)
    context: dict[str, Any] = dict(
        staff=admin,
        typed=typed,
        members=members,
        members_by_id={member.id: member for member in members},
        actions=await audit.list_actions(session),
        errors={},
        entries=[],
    )
    try:
        filters = AuditFilters.model_validate(typed)
    except ValidationError as error:
        context["errors"] = field_errors(error, translator(request))
        return render(request, "audit.html", status_code=422, **context)
    since, until = filters.time_range()
    entries, total = await audit.list_entries(
        session,
        staff_id=filters.staff_id,
        action=filters.action,
        case_id=filters.case_id,
        since=since,
        until=until,
        limit=PAGE_SIZE,
        offset=(filters.page - 1) * PAGE_SIZE,
    )
    kept = filters.model_dump(exclude={"page"}, exclude_none=True)
    context.update(
        entries=[(entry, local_time(entry.at)) for entry in entries],
        total=total,
        first=(filters.page - 1) * PAGE_SIZE + 1,
        page_number=filters.page,
        pages=ceil(total / PAGE_SIZE),
        filter_query=urlencode(kept),
    )
    return render(request, "audit.html", **context)
