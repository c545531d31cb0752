"""Who is calling: the staff member behind a bearer token, and what their role allows.

`CurrentStaff` (any active staff), `SupervisorStaff` and `AdminStaff` are the dependencies
routes use; `require_role(...)` builds others."""

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from api.db import SessionDep
from api.errors import Forbidden
from api.staff import service
from api.staff.models import Role, Staff

bearer_token = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
BearerToken = Annotated[str | None, Depends(bearer_token)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"}
    )


async def current_staff(request: Request, session: SessionDep, token: BearerToken) -> Staff:
    """The active staff member whose unexpired token is in `Authorization: Bearer ...`.

    The bot's service token is refused: it speaks for the bot, not for a person."""
    service_token: str = request.app.state.service_token
    if token is None or secrets.compare_digest(token.encode(), service_token.encode()):
        raise _unauthorized("staff token required")
    staff = await service.staff_for_token(session, token)
    if staff is None:
        raise _unauthorized("invalid or expired staff token")
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]


def require_role(*roles: Role) -> Callable[[Staff], Awaitable[Staff]]:
    """A dependency giving the current staff member when their role is one of `roles`."""

    async def staff_with_role(staff: CurrentStaff) -> Staff:
        if staff.role not in roles:
            raise Forbidden("your role cannot do this")
        return staff

    return staff_with_role


SupervisorStaff = Annotated[Staff, Depends(require_role(Role.SUPERVISOR, Role.ADMIN))]
AdminStaff = Annotated[Staff, Depends(require_role(Role.ADMIN))]
