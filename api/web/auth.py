"""Who is using the dashboard: the staff session in a cookie, and what their role allows."""

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse

from api.db import SessionDep
from api.staff import service as staff_service
from api.staff.models import Role, Staff
from api.web.security import SESSION_COOKIE


class LoginRequired(Exception):
    def __init__(self, path: str):
        self.path = path


class RoleRefused(Exception):
    """The page exists but this role may not use it."""


async def web_staff(request: Request, session: SessionDep) -> Staff:
    token = request.cookies.get(SESSION_COOKIE)
    staff = await staff_service.staff_for_token(session, token) if token else None
    if staff is None:
        raise LoginRequired(request.url.path)
    return staff


WebStaff = Annotated[Staff, Depends(web_staff)]


def web_role(*roles: Role):
    async def check(staff: WebStaff) -> Staff:
        if staff.role not in roles:
            raise RoleRefused()
        return staff

    return Depends(check)


WebSupervisor = Annotated[Staff, web_role(Role.SUPERVISOR, Role.ADMIN)]
WebAdmin = Annotated[Staff, web_role(Role.ADMIN)]


def safe_next(path: str | None) -> str:
    """Where to go after login: only a page of the dashboard, never another site."""
    if path and path.startswith("/staff") and not path.startswith("//"):
        return path
    return "/staff"


def add_login_redirect(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, error: LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/staff/login?next={quote(error.path)}", status_code=303)
