"""The case page: details, photo, thread with the reporter, notes, timeline, and the actions
the staff member's role allows (each one a plain form).

Cases are found by `case_to_work` and changed by api.cases.service, as in the staff API: the
same visibility rule, the same audit entries and timeline events. A refusal of the domain is
shown on the page again, with what was typed kept."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from api.audit import service as audit
from api.cases import service, workflow
from api.cases.dependencies import Reference, case_to_work
from api.cases.models import Case, CaseStatus, Direction, EventKind
from api.cases.schemas import (
    AssignmentChange,
    MessageCreate,
    NoteCreate,
    PriorityChange,
    ReferralCreate,
    StatusChange,
)
from api.db import SessionDep, utcnow
from api.errors import DomainError
from api.i18n import N_
from api.staff import service as staff_service
from api.staff.models import Role, Staff
from api.web import labels
from api.web.auth import WebStaff
from api.web.form_errors import field_errors, form_text, refusal, translator
from api.web.pages import language, render
from api.web.security import checked_form

router = APIRouter(prefix="/staff/cases", include_in_schema=False)

DONE = {
    "message": N_("The message is on its way to the reporter."),
    "note": N_("The note was added."),
    "assign": N_("The case was assigned."),
    "status": N_("The status was changed."),
    "refer": N_("The case was referred."),
    "priority": N_("The priority was changed."),
    "close": N_("The case was closed."),
    "reopen": N_("The case was reopened."),
}
NOT_ALLOWED, NOT_FOUND = N_("Not allowed"), N_("Not found")


class CaseRefused(Exception):
    """A case page the domain refused (unknown reference, another agent's case, no photo)."""

    def __init__(self, error: DomainError, staff: Staff):
        self.error = error
        # What the page header shows of them, read now: the request's session is rolled back
        # (and its objects expired) before the refusal is rendered.
        self.staff = {"name": staff.name, "role": staff.role}


def add_case_refused_page(app: FastAPI) -> None:
    @app.exception_handler(CaseRefused)
    async def refused(request: Request, refused: CaseRefused) -> Response:
        code = refused.error.status_code
        return render(
            request,
            "refused.html",
            status_code=code,
            staff=refused.staff,
            heading=NOT_ALLOWED if code == status.HTTP_403_FORBIDDEN else NOT_FOUND,
            message=refusal(refused.error, translator(request)),
        )


def _web_case(reading: str | None) -> Callable[..., Awaitable[Case]]:
    """The case of the path's `{reference}` if the signed-in staff member may work it; with
    `reading`, that read of its personal data is audited (see `case_to_work`)."""

    async def web_case(
        reference: Reference, request: Request, session: SessionDep, staff: WebStaff
    ) -> Case:
        try:
            return await case_to_work(
                session,
                reference=reference,
                staff=staff,
                sessionmaker=request.app.state.sessionmaker,
                reading=reading,
            )
        except DomainError as error:
            raise CaseRefused(error, staff) from error

    return web_case


WebCase = Annotated[Case, Depends(_web_case(None))]
WebCaseDetail = Annotated[Case, Depends(_web_case("detail"))]
WebCasePhoto = Annotated[Case, Depends(_web_case("photo"))]


def _timeline_text(event_kind: EventKind, data: dict[str, Any], names: dict[int, str], _) -> str:
    """What changed, in words: statuses, priorities, the assignee, the referral target."""
    if event_kind in (EventKind.STATUS_CHANGED, EventKind.CLOSED, EventKind.REOPENED):
        return f"{_(labels.STATUSES[data['from']])} → {_(labels.STATUSES[data['to']])}"
    if event_kind == EventKind.PRIORITY_CHANGED:
        return f"{_(labels.PRIORITIES[data['from']])} → {_(labels.PRIORITIES[data['to']])}"
    if event_kind == EventKind.REFERRED:
        return _(labels.REFERRALS[data["referral"]])
    if event_kind == EventKind.ASSIGNED:
        return names.get(data["to"], "") if data["to"] else _("Back to the queue")
    if event_kind == EventKind.OPENED:
        return _(labels.PRIORITIES[data["priority"]])
    return ""


def actions(staff: Staff, case: Case) -> dict[str, Any]:
    """The forms the page shows: what the role and the workflow allow (the service refuses
    the rest anyway)."""
    allowed = workflow.ALLOWED[case.status]
    closed = case.status == CaseStatus.CLOSED
    return {
        "assign_anyone": staff.role != Role.AGENT,
        "take": staff.role == Role.AGENT and case.assignee_id is None,
        "statuses": [
            to
            for to in CaseStatus
            if to in allowed and not closed and to not in (CaseStatus.REFERRED, CaseStatus.CLOSED)
        ],
        "refer": CaseStatus.REFERRED in allowed,
        "close": CaseStatus.CLOSED in allowed,
        "reopen": closed,
        "message": case.reporter_id is not None,
    }


async def _page(
    request: Request,
    session: SessionDep,
    staff: Staff,
    case: Case,
    *,
    status_code: int = status.HTTP_200_OK,
    done: str | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, dict[str, str]] | None = None,
) -> Response:
    """The case page; it shows the details and the timeline, so both reads are audited."""
    for part in ("detail", "timeline"):
        await audit.record(session, actor=staff, action="case_read", case_id=case.id, part=part)
    _, lang = translator(request), language(request)
    forms = request.app.state.forms
    items, _names = await service.timeline(session, case)
    assignee = await session.get(Staff, case.assignee_id) if case.assignee_id else None
    members = await staff_service.list_all(session)
    names = {member.id: member.name for member in members}  # actors and assignees
    now = utcnow()
    return render(
        request,
        "case.html",
        status_code=status_code,
        staff=staff,
        case=case,
        labels=labels,
        assignee=assignee,
        members=[member for member in members if member.active and staff.role != Role.AGENT],
        age=labels.elapsed(case.created_at, now, lang),
        local_time=labels.local_time,
        kind_title=labels.kinds(forms).get(case.kind, case.kind),
        details=labels.detail_rows(
            forms.get(case.kind),
            case.details,
            _=_,
            lang=lang,
            districts=request.app.state.districts,
            offer_rules=request.app.state.offer_rules,
        ),
        has_photo=bool(service.photo_key(case, forms)),
        district=request.app.state.districts.name(case.district) if case.district else "",
        country=labels.country_name(case.destination_country, lang),
        reporter_language=next(  # by its own name, as the reporter chose it
            (
                language.name
                for language in request.app.state.content.languages
                if language.code == case.language
            ),
            case.language,
        ),
        thread=[item.message for item in items if item.message is not None],
        timeline=[
            (item.event, _timeline_text(item.event.kind, item.event.data, names, _))
            for item in items
        ],
        names=names,
        Direction=Direction,
        actions=actions(staff, case),
        notice=DONE.get(done or ""),
        errors=errors or {},
        typed=typed or {},
    )


@router.get("/{reference}")
async def case_page(
    request: Request, session: SessionDep, staff: WebStaff, case: WebCase, done: str | None = None
) -> Response:
    """Opening the case marks the reporter's news as seen, as in the staff API."""
    await service.mark_seen(session, case)
    return await _page(request, session, staff, case, done=done)


@router.get("/{reference}/photo")
async def photo(request: Request, session: SessionDep, staff: WebStaff, case: WebCasePhoto):
    try:
        data, media_type = await service.get_photo(
            case, forms=request.app.state.forms, storage=request.app.state.storage
        )
    except DomainError as error:
        raise CaseRefused(error, staff) from error
    return Response(data, media_type=media_type, headers={"Cache-Control": "no-store"})


async def _act(
    request: Request,
    session: SessionDep,
    staff: Staff,
    case: Case,
    *,
    action: str,
    typed: dict[str, str],
    change: Callable[[], Awaitable[Any]],
) -> Response:
    """Make the change (`change` validates the form with the staff API's schema, then calls
    the service): back to the page, or the page again with the refusal and what was typed."""
    _ = translator(request)
    try:
        await change()
    except (ValidationError, DomainError) as error:
        if isinstance(error, ValidationError):
            code, message = 422, " ".join(field_errors(error, _).values())
        else:
            code, message = error.status_code, refusal(error, _)
        return await _page(
            request,
            session,
            staff,
            case,
            status_code=code,
            errors={action: message},
            typed={action: typed},
        )
    return RedirectResponse(
        f"/staff/cases/{case.reference}?done={action}#{action}",
        status_code=status.HTTP_303_SEE_OTHER,
    )


def _optional(text: str) -> str | None:
    return text if text.strip() else None


@router.post("/{reference}/messages")
async def send_message(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    typed = {"text": form_text(await checked_form(request), "text")}

    async def change() -> None:
        body = MessageCreate.model_validate(typed)
        await service.message_reporter(
            session, case, text=body.text, actor=staff, notices=request.app.state.notices
        )

    return await _act(request, session, staff, case, action="message", typed=typed, change=change)


@router.post("/{reference}/notes")
async def add_note(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    typed = {"text": form_text(await checked_form(request), "text")}

    async def change() -> None:
        body = NoteCreate.model_validate(typed)
        await service.add_note(session, case, text=body.text, actor=staff)

    return await _act(request, session, staff, case, action="note", typed=typed, change=change)


@router.post("/{reference}/assign")
async def assign(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    """Supervisors and admins pick anyone (empty: back to the queue); agents take it."""
    typed = {"assignee_id": form_text(await checked_form(request), "assignee_id")}

    async def change() -> None:
        body = AssignmentChange.model_validate({"assignee_id": _optional(typed["assignee_id"])})
        await service.assign(session, case, assignee_id=body.assignee_id, actor=staff)

    return await _act(request, session, staff, case, action="assign", typed=typed, change=change)


async def _transition(
    request: Request, session: SessionDep, staff: Staff, case: Case, *, action: str, **fields: str
) -> Response:
    async def change() -> None:
        body = StatusChange.model_validate(fields)
        await service.transition(
            session, case, to=body.to, actor=staff, reason=body.reason, resolution=body.resolution
        )

    return await _act(request, session, staff, case, action=action, typed=fields, change=change)


@router.post("/{reference}/status")
async def change_status(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    to = form_text(await checked_form(request), "to")
    return await _transition(request, session, staff, case, action="status", to=to)


@router.post("/{reference}/close")
async def close(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    resolution = form_text(await checked_form(request), "resolution")
    return await _transition(
        request, session, staff, case, action="close", to=CaseStatus.CLOSED, resolution=resolution
    )


@router.post("/{reference}/reopen")
async def reopen(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    reason = form_text(await checked_form(request), "reason")
    return await _transition(
        request, session, staff, case, action="reopen", to=CaseStatus.IN_PROGRESS, reason=reason
    )


@router.post("/{reference}/refer")
async def refer(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    form = await checked_form(request)
    typed = {"referral": form_text(form, "referral"), "note": form_text(form, "note")}

    async def change() -> None:
        body = ReferralCreate.model_validate(
            {"referral": typed["referral"], "note": _optional(typed["note"])}
        )
        await service.transition(
            session,
            case,
            to=CaseStatus.REFERRED,
            actor=staff,
            referral=body.referral,
            referral_note=body.note,
        )

    return await _act(request, session, staff, case, action="refer", typed=typed, change=change)


@router.post("/{reference}/priority")
async def change_priority(request: Request, session: SessionDep, staff: WebStaff, case: WebCase):
    typed = {"priority": form_text(await checked_form(request), "priority")}

    async def change() -> None:
        body = PriorityChange.model_validate(typed)
        await service.set_priority(session, case, priority=body.priority, actor=staff)

    return await _act(request, session, staff, case, action="priority", typed=typed, change=change)
