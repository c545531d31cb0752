from fastapi import APIRouter, Request

from api.agencies.router import RegistryCacheDep
from api.auth import ServiceAuth
from api.db import SessionDep
from api.offers import counts, service
from api.offers.schemas import OfferCheckRequest, OfferCheckResult, OfferDetectResult

router = APIRouter(prefix="/api/v1/offers", tags=["offers"], dependencies=[ServiceAuth])


@router.post("/check", response_model=OfferCheckResult)
async def check_offer(
    request: Request, body: OfferCheckRequest, session: SessionDep, agencies: RegistryCacheDep
) -> OfferCheckResult:
    """Red flags of a job offer, its risk level, and what to verify, in the asked language.

    A company the offer names that is not in the imported registry of licensed placement
    companies, or is suspended or revoked there, raises `unlicensed_recruiter` with a
    `reason`. The check is counted by day, language, risk and flag; the offer text is not
    stored."""
    registry = await agencies.get(session)
    result = service.check(body.text, body.lang, request.app.state.offer_rules, registry=registry)
    await counts.record(session, result, lang=body.lang)
    return result


@router.post("/detect", response_model=OfferDetectResult)
async def detect_offer(
    request: Request, body: OfferCheckRequest, session: SessionDep, agencies: RegistryCacheDep
) -> OfferDetectResult:
    """Check a message typed to the helpline only if it looks like a job offer.

    A message that recruits ("lowongan", "dicari", "hiring") and speaks of pay, contact or
    departure is checked and counted like `/check`; any other message gives `check: null`."""
    rules = request.app.state.offer_rules
    if not service.looks_like_offer(body.text, rules):
        return OfferDetectResult(looks_like_offer=False, check=None)
    result = service.check(body.text, body.lang, rules, registry=await agencies.get(session))
    await counts.record(session, result, lang=body.lang)
    return OfferDetectResult(looks_like_offer=True, check=result)
