"""Staff accounts, passwords (argon2) and login sessions."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import service as audit
from api.db import utcnow
from api.errors import Conflict, NotFound
from api.staff import passwords, throttle
from api.staff.models import Role, Staff, StaffSession
from api.staff.passwords import hash_password
from api.staff.schemas import PasswordReset, StaffCreate, StaffUpdate, normal_username
from api.staff.throttle import DEFAULT_LIMITS, LoginLimits


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def get(session: AsyncSession, staff_id: int) -> Staff:
    staff = await session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"no staff member {staff_id}", code="staff_not_found")
    return staff


async def get_by_username(session: AsyncSession, username: str) -> Staff | None:
    return await session.scalar(select(Staff).where(Staff.username == normal_username(username)))


async def list_all(session: AsyncSession) -> list[Staff]:
    return list(await session.scalars(select(Staff).order_by(Staff.username)))


async def create(session: AsyncSession, *, data: StaffCreate, actor: Staff | None) -> Staff:
    if await get_by_username(session, data.username) is not None:
        raise Conflict(f"the username {data.username!r} is taken", code="username_taken")
    staff = Staff(
        username=data.username,
        name=data.name,
        role=data.role,
        password_hash=await hash_password(data.password),
        active=True,
    )
    session.add(staff)
    await session.flush()
    await audit.record(
        session, actor=actor, action="staff_created", target_staff_id=staff.id, role=staff.role
    )
    return staff


async def _refuse_losing_last_admin(session: AsyncSession, staff: Staff, data: StaffUpdate) -> None:
    """There is always an active admin: the last one can be neither disabled nor demoted."""
    stays_admin = (data.role or staff.role) == Role.ADMIN and data.active is not False
    if stays_admin or not (staff.active and staff.role == Role.ADMIN):
        return
    other_admins = await session.scalar(
        select(func.count(Staff.id)).where(
            Staff.role == Role.ADMIN, Staff.active.is_(True), Staff.id != staff.id
        )
    )
    if not other_admins:
        raise Conflict("this is the last active admin: make another admin first", code="last_admin")


async def update(
    session: AsyncSession, staff: Staff, *, data: StaffUpdate, actor: Staff | None
) -> Staff:
    """Change name, role or active; disabling ends the member's sessions."""
    await _refuse_losing_last_admin(session, staff, data)
    changed = []
    for field in ("name", "role", "active"):
        value = getattr(data, field)
        if value is not None and value != getattr(staff, field):
            setattr(staff, field, value)
            changed.append(field)
    if not changed:
        return staff
    if not staff.active:
        await end_all_sessions(session, staff=staff)
    await session.flush()
    await audit.record(
        session, actor=actor, action="staff_updated", target_staff_id=staff.id, fields=changed
    )
    return staff


async def reset_password(
    session: AsyncSession, staff: Staff, *, data: PasswordReset, actor: Staff | None
) -> None:
    """Set a new password and end the member's sessions."""
    staff.password_hash = await hash_password(data.password)
    await end_all_sessions(session, staff=staff)
    await throttle.forget_failures(session, account=staff.username)
    await session.flush()
    await audit.record(session, actor=actor, action="password_reset", target_staff_id=staff.id)


async def authenticate(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    address: str,
    limits: LoginLimits = DEFAULT_LIMITS,
) -> Staff | None:
    """The active staff member with this username and password, or None (audited either way).

    Raises `throttle.LoginLocked` when this username or `address` (the caller's IP) failed too
    often lately, and `passwords.HashingBusy` when too many logins are being checked at once.
    Unknown usernames cost one hash check too, so timing does not tell which exist."""
    account = normal_username(username)
    await throttle.refuse_if_locked(session, account=account, address=address, limits=limits)
    staff = await get_by_username(session, account)
    # Give the database connection back while the password is checked (which may wait for
    # the hashing pool): a flood of logins must not hold every connection of the pool.
    await session.commit()
    if not await passwords.matches(staff.password_hash if staff else None, password):
        await throttle.record_failure(session, account=account, address=address, limits=limits)
        reason = "unknown_user" if staff is None else "wrong_password"
        await audit.record(session, actor=staff, action="login_failed", reason=reason)
        return None
    assert staff is not None  # matches() is False for an unknown username
    if not staff.active:
        await audit.record(session, actor=staff, action="login_failed", reason="disabled")
        return None
    await throttle.forget_failures(session, account=account)
    if passwords.needs_rehash(staff.password_hash):
        staff.password_hash = await hash_password(password)
    await audit.record(session, actor=staff, action="login")
    return staff


async def start_session(session: AsyncSession, *, staff: Staff, hours: int) -> str:
    """A new bearer token for `staff`; only its sha256 is stored. Expired sessions are purged."""
    now = utcnow()
    await session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_token_hash(token),
            staff_id=staff.id,
            expires_at=now + timedelta(hours=hours),
        )
    )
    await session.flush()
    return token


async def staff_for_token(session: AsyncSession, token: str) -> Staff | None:
    """The active staff member whose unexpired session this token is, or None."""
    return await session.scalar(
        select(Staff)
        .join(StaffSession, StaffSession.staff_id == Staff.id)
        .where(
            StaffSession.token_hash == _token_hash(token),
            StaffSession.expires_at > utcnow(),
            Staff.active.is_(True),
        )
    )


async def end_session(session: AsyncSession, *, staff: Staff, token: str) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))
    await audit.record(session, actor=staff, action="logout")


async def end_all_sessions(session: AsyncSession, *, staff: Staff) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.staff_id == staff.id))


FIRST_ADMIN = "admin"


async def create_first_admin(session: AsyncSession) -> str | None:
    """On a database without any staff: an admin named "admin" with a random password.

    The password is returned once (to print) and stored only as its hash."""
    if await session.scalar(select(func.count(Staff.id))):
        return None
    password = secrets.token_urlsafe(12)
    await create(
        session,
        data=StaffCreate(
            username=FIRST_ADMIN, name="Administrator", role=Role.ADMIN, password=password
        ),
        actor=None,
    )
    return password
