"""Writing and reading the audit log."""

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.audit.models import AuditEntry
from api.db import as_utc
from api.staff.models import Staff

AuditDetail = int | str | bool | None | list[int] | list[str]


async def record(
    session: AsyncSession,
    *,
    actor: Staff | None,
    action: str,
    case_id: int | None = None,
    **detail: AuditDetail,
) -> AuditEntry:
    """Add an audit entry for `action` done by `actor` (None: the system or the CLI).

    `detail` holds ids and codes only (`target_staff_id=5`, `reason="disabled"`,
    `fields=["role"]`), never personal data: no names, phone numbers, message text,
    chat ids or usernames. The entry is written with the caller's transaction."""
    entry = AuditEntry(
        staff_id=actor.id if actor else None, action=action, case_id=case_id, detail=detail
    )
    session.add(entry)
    await session.flush()
    return entry


async def record_apart(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    actor: Staff | None,
    action: str,
    case_id: int | None = None,
    **detail: AuditDetail,
) -> None:
    """Like `record`, in a transaction of its own committed at once: for refusals, whose
    request is rolled back and would take its entry with it."""
    async with sessionmaker() as session:
        await record(session, actor=actor, action=action, case_id=case_id, **detail)
        await session.commit()


def _conditions(
    *,
    staff_id: int | None,
    action: str | None,
    case_id: int | None,
    since: datetime | None,
    until: datetime | None,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the filters that are given."""
    conditions: list[ColumnElement[bool]] = []
    if staff_id is not None:
        conditions.append(AuditEntry.staff_id == staff_id)
    if action is not None:
        conditions.append(AuditEntry.action == action)
    if case_id is not None:
        conditions.append(AuditEntry.case_id == case_id)
    # In UTC on both databases: SQLite compares the stored naive UTC text.
    if since is not None:
        conditions.append(AuditEntry.at >= as_utc(since))
    if until is not None:
        conditions.append(AuditEntry.at < as_utc(until))
    return conditions


async def list_entries(
    session: AsyncSession,
    *,
    staff_id: int | None = None,
    action: str | None = None,
    case_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """One page of matching entries, newest first, and how many match in all."""
    conditions = _conditions(
        staff_id=staff_id, action=action, case_id=case_id, since=since, until=until
    )
    total = await session.scalar(select(func.count(AuditEntry.id)).where(*conditions))
    entries = await session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(entries), total or 0


async def list_actions(session: AsyncSession) -> list[str]:
    """The actions that occur in the log, for choosing one to filter by."""
    return list(await session.scalars(select(AuditEntry.action).distinct().order_by("action")))
