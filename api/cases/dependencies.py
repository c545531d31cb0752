"""What the case routes take from the application state (loaded in the lifespan), and the
case a staff route is about."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.audit import service as audit
from api.cases import queue, service
from api.cases.danger import DangerWords
from api.cases.districts import Districts
from api.cases.models import Case
from api.cases.notices import Notices
from api.cases.storage import Storage
from api.db import SessionDep
from api.errors import Forbidden
from api.forms.declarations import Forms
from api.staff.auth import CurrentStaff
from api.staff.models import Staff


async def _danger_words(request: Request) -> DangerWords:
    return request.app.state.danger_words


async def _districts(request: Request) -> Districts:
    return request.app.state.districts


async def _forms(request: Request) -> Forms:
    return request.app.state.forms


async def _notices(request: Request) -> Notices:
    return request.app.state.notices


async def _storage(request: Request) -> Storage:
    return request.app.state.storage


DangerDep = Annotated[DangerWords, Depends(_danger_words)]
DistrictsDep = Annotated[Districts, Depends(_districts)]
FormsDep = Annotated[Forms, Depends(_forms)]
NoticesDep = Annotated[Notices, Depends(_notices)]
StorageDep = Annotated[Storage, Depends(_storage)]

Reference = Annotated[str, Path(max_length=40, examples=["NTT-7KQ3X9"])]


async def case_to_work(
    session: AsyncSession,
    *,
    reference: str,
    staff: Staff,
    sessionmaker: async_sessionmaker[AsyncSession],
    reading: str | None = None,
) -> Case:
    """The case of `reference` for a staff member who may work it: NotFound for an unknown
    reference, Forbidden (audited `case_access_refused`, in a transaction of its own) for
    another agent's case. With `reading`, the read of that part of its personal data is
    audited (`case_read`). The staff API and the dashboard both find their cases here."""
    case = await service.get_by_reference(session, reference)
    if not queue.may_work(staff, case):
        await audit.record_apart(
            sessionmaker, actor=staff, action="case_access_refused", case_id=case.id
        )
        raise Forbidden("this case is assigned to another agent", code="not_your_case")
    if reading is not None:
        await audit.record(session, actor=staff, action="case_read", case_id=case.id, part=reading)
    return case


def _staff_case(reading: str | None) -> Callable[..., Awaitable[Case]]:
    """A dependency giving the case of the path's `{reference}` (see `case_to_work`)."""

    async def staff_case(
        reference: Reference, request: Request, session: SessionDep, staff: CurrentStaff
    ) -> Case:
        return await case_to_work(
            session,
            reference=reference,
            staff=staff,
            sessionmaker=request.app.state.sessionmaker,
            reading=reading,
        )

    return staff_case


CaseDep = Annotated[Case, Depends(_staff_case(None))]  # changes are audited by the service
CaseDetailDep = Annotated[Case, Depends(_staff_case("detail"))]
CasePhotoDep = Annotated[Case, Depends(_staff_case("photo"))]
CaseTimelineDep = Annotated[Case, Depends(_staff_case("timeline"))]
