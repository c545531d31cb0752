from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from api.db import MAX_ID, SessionDep
from api.settings import Settings
from api.staff import service, throttle
from api.staff.auth import AdminStaff, BearerToken, CurrentStaff
from api.staff.schemas import (
    PasswordReset,
    StaffCreate,
    StaffList,
    StaffRead,
    StaffUpdate,
    Token,
)

auth_router = APIRouter(prefix="/api/v1/auth", tags=["staff"])
router = APIRouter(prefix="/api/v1/staff", tags=["staff"])

LOGIN_FAILED = "wrong username or password"
StaffId = Annotated[int, Path(ge=1, le=MAX_ID)]


@auth_router.post(
    "/token",
    response_model=Token,
    responses={
        401: {"description": LOGIN_FAILED},
        429: {"description": "too many failed logins for this username or address (Retry-After)"},
        503: {"description": "too many logins being checked at once: try again in seconds"},
    },
)
async def log_in(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> Token | JSONResponse:
    """OAuth2 password login: a bearer token for the staff API."""
    staff = await service.authenticate(
        session,
        username=form.username,
        password=form.password,
        address=throttle.caller_address(request),
        limits=throttle.limits_of(request.app.state.settings),
    )
    if staff is None:
        # Returned, not raised, so that the request commits its `login_failed` audit entry.
        return JSONResponse(
            {"detail": LOGIN_FAILED, "code": "login_failed"},
            status_code=status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": "Bearer"},
        )
    settings: Settings = request.app.state.settings
    hours = settings.staff_session_hours
    token = await service.start_session(session, staff=staff, hours=hours)
    return Token(access_token=token, expires_in=hours * 3600)


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def log_out(staff: CurrentStaff, token: BearerToken, session: SessionDep) -> None:
    """End the session of this bearer token."""
    assert token is not None  # current_staff has refused calls without one
    await service.end_session(session, staff=staff, token=token)


@router.get("/me", response_model=StaffRead)
async def read_me(staff: CurrentStaff) -> StaffRead:
    return StaffRead.model_validate(staff)


@router.get("", response_model=StaffList)
async def list_staff(session: SessionDep, _admin: AdminStaff) -> StaffList:
    staff = await service.list_all(session)
    return StaffList(items=[StaffRead.model_validate(member) for member in staff])


@router.post(
    "",
    response_model=StaffRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "the username is taken"}},
)
async def create_staff(body: StaffCreate, session: SessionDep, admin: AdminStaff) -> StaffRead:
    return StaffRead.model_validate(await service.create(session, data=body, actor=admin))


@router.patch(
    "/{staff_id}",
    response_model=StaffRead,
    responses={
        404: {"description": "no such staff member"},
        409: {"description": "the last active admin cannot stop being one"},
    },
)
async def update_staff(
    staff_id: StaffId, body: StaffUpdate, session: SessionDep, admin: AdminStaff
) -> StaffRead:
    """Change name, role or active; disabling someone ends their sessions at once."""
    staff = await service.get(session, staff_id)
    return StaffRead.model_validate(await service.update(session, staff, data=body, actor=admin))


@router.post(
    "/{staff_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"description": "no such staff member"}},
)
async def reset_password(
    staff_id: StaffId, body: PasswordReset, session: SessionDep, admin: AdminStaff
) -> None:
    """Set a new password; the member's sessions end."""
    staff = await service.get(session, staff_id)
    await service.reset_password(session, staff, data=body, actor=admin)
