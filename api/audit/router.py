from typing import Annotated

from fastapi import APIRouter, Query

from api.audit import service
from api.audit.schemas import AuditList, AuditRead, UtcDateTime
from api.db import MAX_ID, SessionDep
from api.staff.auth import AdminStaff

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

Id = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("", response_model=AuditList)
async def list_audit_entries(
    session: SessionDep,
    _admin: AdminStaff,
    staff_id: Id = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    case_id: Id = None,
    since: Annotated[
        UtcDateTime | None, Query(description="from this time on (ISO 8601; UTC without a zone)")
    ] = None,
    until: Annotated[UtcDateTime | None, Query(description="before this time")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> AuditList:
    """The audit log, newest first, one page at a time (admins only).

    `staff_id` is who acted; `since` and `until` bound the time of the entry."""
    entries, total = await service.list_entries(
        session,
        staff_id=staff_id,
        action=action,
        case_id=case_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return AuditList(
        items=[AuditRead.model_validate(entry) for entry in entries],
        total=total,
        limit=limit,
        offset=offset,
    )
