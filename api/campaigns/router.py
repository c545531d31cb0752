from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status

from api.campaigns import service
from api.campaigns.models import Campaign
from api.campaigns.schemas import (
    AudienceRead,
    CampaignCreate,
    CampaignList,
    CampaignRead,
    CampaignSend,
    CampaignUpdate,
)
from api.cases.dependencies import DistrictsDep
from api.db import MAX_ID, SessionDep
from api.errors import Unprocessable
from api.staff.auth import SupervisorStaff

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"])

COLUMNS = Campaign.__table__.columns
CampaignId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def language_codes(request: Request) -> list[str]:
    return request.app.state.content.language_codes


LanguagesDep = Annotated[list[str], Depends(language_codes)]


async def read(session: SessionDep, campaigns: Sequence[Campaign]) -> list[CampaignRead]:
    counts = await service.counts(session, [campaign.id for campaign in campaigns])
    return [
        CampaignRead.model_validate(
            {
                **{column.key: getattr(campaign, column.key) for column in COLUMNS},
                "counts": counts[campaign.id],
            }
        )
        for campaign in campaigns
    ]


@router.get("", response_model=CampaignList)
async def list_campaigns(session: SessionDep, staff: SupervisorStaff) -> CampaignList:
    """Every campaign, newest first, with its progress."""
    return CampaignList(items=await read(session, await service.list_all(session)))


@router.post("", response_model=CampaignRead, status_code=status.HTTP_201_CREATED)
async def create_campaign(
    body: CampaignCreate,
    session: SessionDep,
    staff: SupervisorStaff,
    districts: DistrictsDep,
    languages: LanguagesDep,
) -> CampaignRead:
    """A draft: nothing is sent until `/send`."""
    campaign = await service.create(
        session, data=body, actor=staff, districts=districts.names, languages=languages
    )
    return (await read(session, [campaign]))[0]


@router.get("/audience", response_model=AudienceRead)
async def audience(
    session: SessionDep,
    staff: SupervisorStaff,
    districts: DistrictsDep,
    languages: LanguagesDep,
    district: Annotated[list[str], Query()],
    language: Annotated[list[str], Query()],
) -> AudienceRead:
    """How many subscribers a campaign to these districts and languages would reach now."""
    for slug in district:
        if slug not in districts:
            raise Unprocessable(f"unknown district {slug!r}", code="unknown_district")
    for code in language:
        if code not in languages:
            raise Unprocessable(f"unknown language {code!r}", code="unknown_language")
    by_language = await service.audience(session, districts=district, languages=language)
    return AudienceRead(total=sum(by_language.values()), by_language=by_language)


@router.get(
    "/{campaign_id}",
    response_model=CampaignRead,
    responses={404: {"description": "no such campaign"}},
)
async def read_campaign(
    campaign_id: CampaignId, session: SessionDep, staff: SupervisorStaff
) -> CampaignRead:
    return (await read(session, [await service.get(session, campaign_id)]))[0]


@router.patch(
    "/{campaign_id}",
    response_model=CampaignRead,
    responses={
        404: {"description": "no such campaign"},
        409: {"description": "not possible in its status"},
    },
)
async def update_campaign(
    campaign_id: CampaignId,
    body: CampaignUpdate,
    session: SessionDep,
    staff: SupervisorStaff,
    districts: DistrictsDep,
    languages: LanguagesDep,
) -> CampaignRead:
    """Change a draft or scheduled campaign (409 `campaign_not_editable` once sending)."""
    campaign = await service.get(session, campaign_id)
    await service.update(
        session, campaign, data=body, actor=staff, districts=districts.names, languages=languages
    )
    return (await read(session, [campaign]))[0]


@router.post(
    "/{campaign_id}/send",
    response_model=CampaignRead,
    responses={
        404: {"description": "no such campaign"},
        409: {"description": "not possible in its status"},
    },
)
async def send_campaign(
    campaign_id: CampaignId, body: CampaignSend, session: SessionDep, staff: SupervisorStaff
) -> CampaignRead:
    """Schedule it, now or at `send_at`; 422 when a district, a language or a text is missing."""
    campaign = await service.get(session, campaign_id)
    await service.schedule(session, campaign, send_at=body.send_at, actor=staff)
    return (await read(session, [campaign]))[0]


@router.post(
    "/{campaign_id}/cancel",
    response_model=CampaignRead,
    responses={
        404: {"description": "no such campaign"},
        409: {"description": "not possible in its status"},
    },
)
async def cancel_campaign(
    campaign_id: CampaignId, session: SessionDep, staff: SupervisorStaff
) -> CampaignRead:
    """Stop it; messages not yet sent are withdrawn."""
    campaign = await service.get(session, campaign_id)
    await service.cancel(session, campaign, actor=staff)
    return (await read(session, [campaign]))[0]
