"""Staff-facing case routes (staff bearer tokens): the queue, a case and its timeline, the
changes staff make, and the CSV export.

Agents work the unassigned cases and their own; supervisors and admins all cases. Reads of
personal data are audited by the case dependencies, changes by the service functions."""

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.audit import service as audit
from api.cases import queue, service
from api.cases.dependencies import (
    CaseDep,
    CaseDetailDep,
    CasePhotoDep,
    CaseTimelineDep,
    DistrictsDep,
    FormsDep,
    NoticesDep,
    StorageDep,
)
from api.cases.models import Case, CaseMessage, CaseStatus
from api.cases.schemas import (
    AssignmentChange,
    CaseFilters,
    CaseList,
    CaseQuery,
    CaseRead,
    CaseSummary,
    CaseTimeline,
    DetailsRead,
    MessageCreate,
    MessageRead,
    NoteCreate,
    PriorityChange,
    ReferralCreate,
    StaffRef,
    StatusChange,
    TimelineEntry,
)
from api.db import SessionDep, as_utc, utcnow
from api.errors import Unprocessable
from api.staff.auth import CurrentStaff
from api.staff.models import Role, Staff

router = APIRouter(prefix="/api/v1/cases", tags=["staff: cases"])

Responses = dict[int | str, dict[str, Any]]
_NO_STAFF: Responses = {401: {"description": "no staff token (the service token is refused)"}}
_ERRORS: Responses = {  # of the routes on one case
    **_NO_STAFF,
    403: {"description": "another agent's case, or a change the role may not make"},
    404: {"description": "no case with this reference"},
}


def _check_filters(filters: CaseFilters, districts: DistrictsDep, forms: FormsDep) -> None:
    if filters.kind is not None and filters.kind not in forms:
        message = f"unknown kind {filters.kind!r}; use one of {', '.join(forms)}"
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", "kind"), "msg": message, "input": ""}]
        )
    if filters.district is not None and filters.district not in districts:
        raise Unprocessable(
            f"unknown district {filters.district!r}; use a slug of content/districts.yaml",
            code="unknown_district",
        )


def _staff_ref(staff_id: int | None, names: dict[int, str]) -> StaffRef | None:
    return StaffRef(id=staff_id, name=names.get(staff_id, "")) if staff_id is not None else None


def _summary(row: Row[Any] | Case, *, assignee_name: str | None, now: datetime) -> CaseSummary:
    created_at = as_utc(row.created_at)
    return CaseSummary(
        reference=row.reference,
        kind=row.kind,
        status=row.status,
        priority=row.priority,
        district=row.district,
        destination_country=row.destination_country,
        assignee=StaffRef(id=row.assignee_id, name=assignee_name or "")
        if row.assignee_id is not None
        else None,
        created_at=created_at,
        updated_at=row.updated_at,
        last_reporter_message_at=row.last_reporter_message_at,
        has_news=row.has_news,
        age_hours=int((now - created_at).total_seconds() // 3600),
    )


async def _case_summary(session: AsyncSession, case: Case) -> CaseSummary:
    assignee = await session.get(Staff, case.assignee_id) if case.assignee_id else None
    return _summary(case, assignee_name=assignee.name if assignee else None, now=utcnow())


def _details(case: Case, forms: FormsDep) -> DetailsRead:
    """The answers as kept, the photo's key left out (GET .../photo gives the photo)."""
    form = forms.get(case.kind)
    photo = form.photo_field if form else None
    fields = {key: value for key, value in case.details.items() if key != photo}
    return DetailsRead(kind=case.kind, has_photo=bool(photo and case.details.get(photo)), **fields)


def _message(message: CaseMessage, names: dict[int, str]) -> MessageRead:
    return MessageRead(
        id=message.id,
        at=message.at,
        direction=message.direction,
        text=message.text,
        staff=_staff_ref(message.staff_id, names),
        delivery_status=message.delivery_status,
        delivered_at=message.delivered_at,
    )


@router.get("", response_model=CaseList, responses=_NO_STAFF)
async def list_cases(
    query: Annotated[CaseQuery, Query()],
    session: SessionDep,
    staff: CurrentStaff,
    districts: DistrictsDep,
    forms: FormsDep,
) -> CaseList:
    """The queue: cases matching the filters, one page at a time, without personal data.

    Agents see the unassigned cases and their own; supervisors and admins see all."""
    _check_filters(query, districts, forms)
    rows, total = await queue.list_page(
        session, viewer=staff, filters=query, limit=query.limit, offset=query.offset
    )
    now = utcnow()
    return CaseList(
        items=[_summary(row, assignee_name=row.assignee_name, now=now) for row in rows],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


async def _csv(
    sessionmaker: async_sessionmaker[AsyncSession],
    staff: Staff,
    filters: CaseFilters,
    forms: FormsDep,
) -> AsyncIterator[str]:
    """The export, in a session of its own: its audit entry is committed before the first row
    leaves, and no request transaction stays open while the file streams."""
    personal = staff.role != Role.AGENT
    async with sessionmaker() as session:
        case_ids = await queue.matching_ids(session, viewer=staff, filters=filters)
        await audit.record(
            session, actor=staff, action="cases_exported", count=len(case_ids), personal=personal
        )
        await session.commit()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        async for row in queue.export_rows(session, case_ids, personal=personal, forms=forms):
            writer.writerow(row)
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses={
        **_NO_STAFF,
        200: {"content": {"text/csv": {}}, "description": "the matching cases, in their order"},
    },
)
async def export_cases(
    request: Request,
    filters: Annotated[CaseFilters, Query()],
    staff: CurrentStaff,
    districts: DistrictsDep,
    forms: FormsDep,
) -> StreamingResponse:
    """Every case matching the filters as CSV (audited `cases_exported` with the count).

    Supervisors and admins get the personal columns (free text and each kind's details, as
    `<kind>_<field>`); agents the case columns only."""
    _check_filters(filters, districts, forms)
    return StreamingResponse(
        _csv(request.app.state.sessionmaker, staff, filters, forms),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="cases.csv"'},
    )


@router.get("/{reference}", response_model=CaseRead, responses=_ERRORS)
async def read_case(case: CaseDetailDep, session: SessionDep, forms: FormsDep) -> CaseRead:
    """A case with its kind's details (personal data: audited `case_read`). Opening it marks
    the reporter's news as seen."""
    await service.mark_seen(session, case)
    summary = await _case_summary(session, case)
    return CaseRead(
        **summary.model_dump(),
        language=case.language,
        first_response_at=case.first_response_at,
        closed_at=case.closed_at,
        referral=case.referral,
        referral_note=case.referral_note,
        resolution=case.resolution,
        reporter_erased=case.reporter_id is None,
        details=_details(case, forms),
    )


@router.get(
    "/{reference}/photo",
    response_class=Response,
    responses={
        **_ERRORS,
        200: {"content": {"image/jpeg": {}, "image/png": {}}, "description": "the photo"},
    },
)
async def read_photo(case: CasePhotoDep, forms: FormsDep, storage: StorageDep) -> Response:
    """The photo of a report (audited); 404 when it has none."""
    data, media_type = await service.get_photo(case, forms=forms, storage=storage)
    return Response(data, media_type=media_type, headers={"Cache-Control": "no-store"})


@router.get("/{reference}/timeline", response_model=CaseTimeline, responses=_ERRORS)
async def read_timeline(case: CaseTimelineDep, session: SessionDep) -> CaseTimeline:
    """Every event of the case, oldest first, with its note or message and the delivery of
    messages to the reporter (personal data: audited `case_read`)."""
    items, names = await service.timeline(session, case)
    return CaseTimeline(
        reference=case.reference,
        entries=[
            TimelineEntry(
                id=item.event.id,
                at=item.event.at,
                kind=item.event.kind,
                audience=item.event.audience,
                actor=_staff_ref(item.event.actor_staff_id, names),
                data=item.event.data,
                message=_message(item.message, names) if item.message else None,
            )
            for item in items
        ],
    )


@router.post(
    "/{reference}/assign",
    response_model=CaseSummary,
    responses={**_ERRORS, 409: {"description": "another agent has just taken it"}},
)
async def assign_case(
    body: AssignmentChange, case: CaseDep, session: SessionDep, staff: CurrentStaff
) -> CaseSummary:
    """Give the case to a staff member, or back to the queue (null). Supervisors and admins
    assign anyone; an agent can only take an unassigned case for themselves (409
    `case_taken` when another agent was quicker)."""
    await service.assign(session, case, assignee_id=body.assignee_id, actor=staff)
    return await _case_summary(session, case)


@router.post(
    "/{reference}/status",
    response_model=CaseSummary,
    responses={**_ERRORS, 409: {"description": "the workflow does not allow this change"}},
)
async def change_status(
    body: StatusChange, case: CaseDep, session: SessionDep, staff: CurrentStaff
) -> CaseSummary:
    """Move the case along the workflow (409 `invalid_transition` otherwise). Closing needs a
    `resolution`, reopening a closed case (to `in_progress`) a `reason`."""
    await service.transition(
        session,
        case,
        to=body.to,
        actor=staff,
        reason=body.reason,
        resolution=body.resolution,
    )
    return await _case_summary(session, case)


@router.post(
    "/{reference}/refer",
    response_model=CaseSummary,
    responses={**_ERRORS, 409: {"description": "only a triaged or in-progress case"}},
)
async def refer_case(
    body: ReferralCreate, case: CaseDep, session: SessionDep, staff: CurrentStaff
) -> CaseSummary:
    """Refer a triaged or in-progress case to a partner (police, BP3MI, ...)."""
    await service.transition(
        session,
        case,
        to=CaseStatus.REFERRED,
        actor=staff,
        referral=body.referral,
        referral_note=body.note,
    )
    return await _case_summary(session, case)


@router.post("/{reference}/priority", response_model=CaseSummary, responses=_ERRORS)
async def change_priority(
    body: PriorityChange, case: CaseDep, session: SessionDep, staff: CurrentStaff
) -> CaseSummary:
    """Set the case's priority."""
    await service.set_priority(session, case, priority=body.priority, actor=staff)
    return await _case_summary(session, case)


@router.post(
    "/{reference}/notes",
    response_model=MessageRead,
    status_code=status.HTTP_201_CREATED,
    responses=_ERRORS,
)
async def add_note(
    body: NoteCreate, case: CaseDep, session: SessionDep, staff: CurrentStaff
) -> MessageRead:
    """An internal note: in the case thread for staff, never sent to the reporter."""
    note = await service.add_note(session, case, text=body.text, actor=staff)
    return _message(note, {staff.id: staff.name})


@router.post(
    "/{reference}/messages",
    response_model=MessageRead,
    status_code=status.HTTP_201_CREATED,
    responses={**_ERRORS, 409: {"description": "the reporter deleted their data"}},
)
async def message_reporter(
    body: MessageCreate,
    case: CaseDep,
    session: SessionDep,
    staff: CurrentStaff,
    notices: NoticesDep,
) -> MessageRead:
    """A message to the reporter, delivered by the bot through the outbox (`delivery_status`
    follows in the timeline)."""
    message = await service.message_reporter(
        session, case, text=body.text, actor=staff, notices=notices
    )
    return _message(message, {staff.id: staff.name})
