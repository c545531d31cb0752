from fastapi import APIRouter, HTTPException, Request, status

from api.at_rest import empty_wal
from api.auth import ServiceAuth
from api.cases.dependencies import DistrictsDep, FormsDep, StorageDep
from api.db import SessionDep
from api.reporters import service
from api.reporters.models import Reporter
from api.reporters.schemas import (
    NewsOffer,
    NewsOfferRead,
    ReporterRead,
    ReporterUpdate,
    SubscriptionRead,
    SubscriptionUpdate,
)

router = APIRouter(prefix="/api/v1/reporters", tags=["reporters"], dependencies=[ServiceAuth])


@router.get("/{channel}/{channel_user_id}", response_model=ReporterRead)
async def read_reporter(channel: str, channel_user_id: str, session: SessionDep) -> ReporterRead:
    reporter = await service.get(session, channel=channel, channel_user_id=channel_user_id)
    return ReporterRead(
        channel=channel,
        channel_user_id=channel_user_id,
        language=reporter.language if reporter else None,
    )


@router.put("/{channel}/{channel_user_id}", response_model=ReporterRead)
async def update_reporter(
    channel: str, channel_user_id: str, body: ReporterUpdate, session: SessionDep, request: Request
) -> ReporterRead:
    if body.language not in request.app.state.content.language_codes:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "unknown language")
    await service.set_language(
        session, channel=channel, channel_user_id=channel_user_id, language=body.language
    )
    return ReporterRead(channel=channel, channel_user_id=channel_user_id, language=body.language)


@router.delete("/{channel}/{channel_user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def forget_reporter(
    channel: str,
    channel_user_id: str,
    session: SessionDep,
    forms: FormsDep,
    storage: StorageDep,
) -> None:
    """Forget the user; their reports stay only as anonymous cases for the statistics."""
    await service.forget(
        session, channel=channel, channel_user_id=channel_user_id, forms=forms, storage=storage
    )
    await session.commit()
    await empty_wal(session)


def _subscription(reporter: Reporter | None) -> SubscriptionRead:
    if reporter is None or reporter.subscribed_at is None:
        return SubscriptionRead(subscribed=False, district=None, subscribed_at=None)
    return SubscriptionRead(
        subscribed=True,
        district=reporter.subscribed_district,
        subscribed_at=reporter.subscribed_at,
    )


@router.get("/{channel}/{channel_user_id}/subscription", response_model=SubscriptionRead)
async def read_subscription(
    channel: str, channel_user_id: str, session: SessionDep
) -> SubscriptionRead:
    reporter = await service.get(session, channel=channel, channel_user_id=channel_user_id)
    return _subscription(reporter)


@router.put("/{channel}/{channel_user_id}/subscription", response_model=SubscriptionRead)
async def subscribe(
    channel: str,
    channel_user_id: str,
    body: SubscriptionUpdate,
    session: SessionDep,
    request: Request,
    districts: DistrictsDep,
) -> SubscriptionRead:
    """Subscribe to the safe-migration news of a district (campaigns), or change the district."""
    if body.district not in districts:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "unknown district")
    language = body.language or request.app.state.settings.default_language
    if language not in request.app.state.content.language_codes:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "unknown language")
    reporter = await service.subscribe(
        session,
        channel=channel,
        channel_user_id=channel_user_id,
        district=body.district,
        language=language,
    )
    return _subscription(reporter)


@router.delete("/{channel}/{channel_user_id}/subscription", response_model=SubscriptionRead)
async def unsubscribe(channel: str, channel_user_id: str, session: SessionDep) -> SubscriptionRead:
    """Stop the news (/stop); harmless when not subscribed."""
    await service.unsubscribe(session, channel=channel, channel_user_id=channel_user_id)
    return _subscription(None)


@router.post("/{channel}/{channel_user_id}/news-offer", response_model=NewsOfferRead)
async def offer_news(
    channel: str, channel_user_id: str, body: NewsOffer, session: SessionDep, request: Request
) -> NewsOfferRead:
    """Whether the bot should ask this user now if they want the news: true once, ever, and
    never to a subscriber."""
    if body.language not in request.app.state.content.language_codes:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "unknown language")
    ask = await service.offer_news(
        session, channel=channel, channel_user_id=channel_user_id, language=body.language
    )
    return NewsOfferRead(ask=ask)
