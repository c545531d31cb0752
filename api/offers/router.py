from fastapi import APIRouter, Request

from api.auth import ServiceAuth
from api.db import SessionDep
from api.offers import counts, service
from api.offers.schemas import OfferCheckRequest, OfferCheckResult

router = APIRouter(prefix="/api/v1/offers", tags=["offers"], dependencies=[ServiceAuth])


@router.post("/check", response_model=OfferCheckResult)
async def check_offer(
    request: Request, body: OfferCheckRequest, session: SessionDep
) -> OfferCheckResult:
    """Red flags of a job offer, its risk level, and what to verify, in the asked language.

    The check is counted by day, language, risk and flag; the offer text is not stored."""
    result = service.check(body.text, body.lang, request.app.state.offer_rules)
    await counts.record(session, result, lang=body.lang)
    return result
