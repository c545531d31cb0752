"""The staff dashboard's pages: server-rendered, plain forms, no build step."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.db import SessionDep
from api.i18n import N_
from api.staff import passwords, throttle
from api.staff import service as staff_service
from api.web.auth import WebStaff, safe_next
from api.web.pages import LANGUAGES, remember_language, render
from api.web.security import SESSION_COOKIE, checked_form, renew_csrf_cookie, set_cookie

router = APIRouter(prefix="/staff", include_in_schema=False)

LOGIN_FAILED = N_("Wrong username or password, or the account is disabled.")
LOGIN_REFUSED = {
    "login_locked": N_(
        "Too many failed logins for this username or from this computer."
        " Try again later, or ask an admin to reset your password."
    ),
    "login_busy": N_("The server is busy checking other logins. Try again in a few seconds."),
}


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=status.HTTP_303_SEE_OTHER)


@router.get("/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", staff=None, next=safe_next(next), error=None)


@router.post("/login")
async def log_in(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=500)] = "/staff",
) -> Response:
    await checked_form(request)
    refused: throttle.LoginLocked | passwords.HashingBusy | None = None
    try:
        staff = await staff_service.authenticate(
            session,
            username=username,
            password=password,
            address=throttle.caller_address(request),
            limits=throttle.limits_of(request.app.state.settings),
        )
    except (throttle.LoginLocked, passwords.HashingBusy) as error:
        staff, refused = None, error
    if staff is None:
        response = render(
            request,
            "login.html",
            status_code=refused.status_code if refused else status.HTTP_401_UNAUTHORIZED,
            staff=None,
            next=safe_next(next),
            error=LOGIN_REFUSED[refused.code] if refused else LOGIN_FAILED,
            username=username,
        )
        if refused is not None and refused.headers:
            response.headers.update(refused.headers)
        return response
    hours = request.app.state.settings.staff_session_hours
    token = await staff_service.start_session(session, staff=staff, hours=hours)
    response = _redirect(safe_next(next))
    set_cookie(request, response, SESSION_COOKIE, token, max_age=hours * 3600)
    renew_csrf_cookie(request, response)
    return response


@router.post("/logout")
async def log_out(request: Request, staff: WebStaff, session: SessionDep) -> Response:
    await checked_form(request)
    await staff_service.end_session(
        session, staff=staff, token=request.cookies.get(SESSION_COOKIE, "")
    )
    response = _redirect("/staff/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language/{code}")
async def choose_language(request: Request, code: str, next: str | None = None) -> Response:
    response = _redirect(safe_next(next))
    if code in LANGUAGES:
        remember_language(request, response, code)
    return response


@router.get("")
async def home(staff: WebStaff) -> Response:
    return _redirect("/staff/queue")
