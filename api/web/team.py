"""Staff management pages (admins): the team, adding a member, role, access and password.

Every change goes through api.staff.service, which audits it and keeps an active admin."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from api.db import MAX_ID, SessionDep
from api.errors import DomainError
from api.i18n import N_
from api.staff import service as staff_service
from api.staff.models import Role, Staff
from api.staff.schemas import PasswordReset, StaffCreate, StaffUpdate
from api.web.auth import WebAdmin
from api.web.form_errors import field_errors, form_text, refusal, translator
from api.web.pages import render
from api.web.security import checked_form

router = APIRouter(prefix="/staff/team", include_in_schema=False)

StaffId = Annotated[int, Path(ge=1, le=MAX_ID)]
ROLES = {
    Role.AGENT: N_("Agent"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.ADMIN: N_("Admin"),
}
DONE = {
    "created": N_("The account was created."),
    "role": N_("The role was changed."),
    "disabled": N_("The account was disabled and its sessions have ended."),
    "enabled": N_("The account was enabled."),
    "password": N_("The password was reset and the member's sessions have ended."),
}


def _done(path: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?done={what}", status_code=status.HTTP_303_SEE_OTHER)


async def _team_page(
    request: Request,
    session: SessionDep,
    admin: Staff,
    *,
    status_code: int = status.HTTP_200_OK,
    done: str | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "team.html",
        status_code=status_code,
        staff=admin,
        members=await staff_service.list_all(session),
        roles=ROLES,
        notice=DONE.get(done or ""),
        errors=errors or {},
        typed=typed or {"role": Role.AGENT},
    )


def _member_page(
    request: Request,
    admin: Staff,
    member: Staff,
    *,
    status_code: int = status.HTTP_200_OK,
    done: str | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "team_member.html",
        status_code=status_code,
        staff=admin,
        member=member,
        roles=ROLES,
        notice=DONE.get(done or ""),
        errors=errors or {},
    )


@router.get("")
async def team(
    request: Request, session: SessionDep, admin: WebAdmin, done: str | None = None
) -> Response:
    return await _team_page(request, session, admin, done=done)


@router.post("")
async def add_member(request: Request, session: SessionDep, admin: WebAdmin) -> Response:
    form = await checked_form(request)
    typed = {field: form_text(form, field) for field in ("username", "name", "role")}
    _ = translator(request)
    try:
        data = StaffCreate(**typed, password=form_text(form, "password"))
        await staff_service.create(session, data=data, actor=admin)
    except ValidationError as error:
        errors = field_errors(error, _)
        return await _team_page(
            request, session, admin, status_code=422, errors=errors, typed=typed
        )
    except DomainError as error:
        errors = {"username" if error.code == "username_taken" else "form": refusal(error, _)}
        return await _team_page(
            request, session, admin, status_code=error.status_code, errors=errors, typed=typed
        )
    return _done("/staff/team", "created")


async def _member_or_refusal(
    request: Request, session: SessionDep, admin: Staff, staff_id: int
) -> Staff | Response:
    try:
        return await staff_service.get(session, staff_id)
    except DomainError as error:
        errors = {"form": refusal(error, translator(request))}
        return await _team_page(
            request, session, admin, status_code=error.status_code, errors=errors
        )


@router.get("/{staff_id}")
async def member(
    request: Request,
    session: SessionDep,
    admin: WebAdmin,
    staff_id: StaffId,
    done: str | None = None,
) -> Response:
    found = await _member_or_refusal(request, session, admin, staff_id)
    if isinstance(found, Response):
        return found
    return _member_page(request, admin, found, done=done)


async def _change(
    request: Request, session: SessionDep, admin: Staff, staff_id: int, *, done: str, **fields
) -> Response:
    """Apply a StaffUpdate built from `fields`; the member's page again with any refusal."""
    found = await _member_or_refusal(request, session, admin, staff_id)
    if isinstance(found, Response):
        return found
    _ = translator(request)
    try:
        await staff_service.update(session, found, data=StaffUpdate(**fields), actor=admin)
    except ValidationError as error:
        return _member_page(request, admin, found, status_code=422, errors=field_errors(error, _))
    except DomainError as error:
        errors = {"form": refusal(error, _)}
        return _member_page(request, admin, found, status_code=error.status_code, errors=errors)
    return _done(f"/staff/team/{staff_id}", done)


@router.post("/{staff_id}/role")
async def change_role(
    request: Request, session: SessionDep, admin: WebAdmin, staff_id: StaffId
) -> Response:
    role = form_text(await checked_form(request), "role")
    return await _change(request, session, admin, staff_id, done="role", role=role)


@router.post("/{staff_id}/disable")
async def disable(
    request: Request, session: SessionDep, admin: WebAdmin, staff_id: StaffId
) -> Response:
    await checked_form(request)
    return await _change(request, session, admin, staff_id, done="disabled", active=False)


@router.post("/{staff_id}/enable")
async def enable(
    request: Request, session: SessionDep, admin: WebAdmin, staff_id: StaffId
) -> Response:
    await checked_form(request)
    return await _change(request, session, admin, staff_id, done="enabled", active=True)


@router.post("/{staff_id}/password")
async def reset_password(
    request: Request, session: SessionDep, admin: WebAdmin, staff_id: StaffId
) -> Response:
    form = await checked_form(request)
    found = await _member_or_refusal(request, session, admin, staff_id)
    if isinstance(found, Response):
        return found
    try:
        data = PasswordReset(password=form_text(form, "password"))
    except ValidationError as error:
        errors = field_errors(error, translator(request))
        return _member_page(request, admin, found, status_code=422, errors=errors)
    await staff_service.reset_password(session, found, data=data, actor=admin)
    return _done(f"/staff/team/{staff_id}", "password")
