from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from api.agencies import service
from api.agencies.matching import RegisteredAgency
from api.agencies.schemas import AgencyCandidate, AgencyMatch, AgencyRead
from api.auth import ServiceAuth
from api.db import SessionDep
from api.errors import Unprocessable

router = APIRouter(prefix="/api/v1/agencies", tags=["agencies"], dependencies=[ServiceAuth])


async def registry_cache(request: Request) -> service.RegistryCache:
    return request.app.state.agency_registry


RegistryCacheDep = Annotated[service.RegistryCache, Depends(registry_cache)]


def _read(agency: RegisteredAgency) -> AgencyRead:
    return AgencyRead.model_validate(agency, from_attributes=True)


@router.get("/match", response_model=AgencyMatch)
async def match_agency(
    session: SessionDep,
    cache: RegistryCacheDep,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="a company name or licence number")
    ],
) -> AgencyMatch:
    """Whether a placement company is in the registry of licensed companies (P3MI), and its
    status there; spelling mistakes, missing "PT" and partial names are tolerated."""
    if "\x00" in q or not q.strip():
        raise Unprocessable("give a company name or licence number", code="bad_agency_query")
    registry = await cache.get(session)
    found = registry.match(q)
    return AgencyMatch(
        result=found.result,
        agency=_read(found.agency) if found.agency else None,
        score=found.score,
        candidates=[
            AgencyCandidate(agency=_read(candidate.agency), score=candidate.score)
            for candidate in found.candidates
        ],
        source_date=registry.source_date,
    )
