from typing import Annotated

from fastapi import APIRouter, Query

from api.cases.dependencies import DistrictsDep, FormsDep
from api.db import SessionDep
from api.staff.auth import CurrentStaff
from api.stats import service
from api.stats.schemas import StatsQuery, StatsRead

router = APIRouter(prefix="/api/v1/stats", tags=["staff: statistics"])


@router.get(
    "",
    response_model=StatsRead,
    responses={401: {"description": "no staff token (the bot's service token is refused)"}},
)
async def read_stats(
    query: Annotated[StatsQuery, Query()],
    session: SessionDep,
    _staff: CurrentStaff,
    districts: DistrictsDep,
    forms: FormsDep,
) -> StatsRead:
    """Cases by district (every district), month, kind and status; the median time to the
    first staff message, overall and by month; offer checks by risk and red flag, per day or
    month. Aggregates only, for every staff role. Days and months are UTC; the range filters
    the cases by the day they were opened."""
    return await service.get(session, query=query, districts=districts, kinds=forms)
