"""The login throttle: too many failed logins for one username, or from one address, lock
logins for a while. Counted in the database (`login_failures`), so every worker sees them.

A locked login is refused before any password is checked and is not counted again: the lock
ends `window` after the failures that caused it, whoever keeps trying."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import utcnow
from api.errors import DomainError
from api.settings import Settings
from api.staff.models import LoginFailure


@dataclass(frozen=True)
class LoginLimits:
    per_account: int = 10
    per_address: int = 50
    window: timedelta = timedelta(minutes=15)


DEFAULT_LIMITS = LoginLimits()


class LoginLocked(DomainError):
    code = "login_locked"
    status_code = 429

    def __init__(self, limits: LoginLimits):
        minutes = int(limits.window.total_seconds() // 60)
        super().__init__(f"too many failed logins: try again in {minutes} minutes")
        self.headers = {"Retry-After": str(int(limits.window.total_seconds()))}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


async def refuse_if_locked(
    session: AsyncSession, *, account: str, address: str, limits: LoginLimits
) -> None:
    """Raise `LoginLocked` when this account or this address has failed too often lately."""
    since = utcnow() - limits.window
    recent = select(func.count(LoginFailure.id)).where(LoginFailure.failed_at > since)
    by_account = await session.execute(recent.where(LoginFailure.account_hash == _digest(account)))
    if by_account.scalar_one() >= limits.per_account:
        raise LoginLocked(limits)
    by_address = await session.execute(recent.where(LoginFailure.address_hash == _digest(address)))
    if by_address.scalar_one() >= limits.per_address:
        raise LoginLocked(limits)


async def record_failure(
    session: AsyncSession, *, account: str, address: str, limits: LoginLimits
) -> None:
    """Count a failed login, and purge the failures older than the window."""
    now = utcnow()
    await session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - limits.window))
    session.add(
        LoginFailure(account_hash=_digest(account), address_hash=_digest(address), failed_at=now)
    )
    await session.flush()


async def forget_failures(session: AsyncSession, *, account: str) -> None:
    """After a successful login (or a password reset) the account starts with a clean slate."""
    await session.execute(delete(LoginFailure).where(LoginFailure.account_hash == _digest(account)))


def limits_of(settings: Settings) -> LoginLimits:
    return LoginLimits(
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address,
        window=timedelta(minutes=settings.login_lockout_minutes),
    )


def caller_address(request: Request) -> str:
    """The caller's IP: the proxy's `X-Forwarded-For` only when the proxy is trusted
    (`HELPLINE_TRUSTED_PROXIES`, applied by uvicorn)."""
    return request.client.host if request.client else "unknown"
