import asyncio
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from api.agencies.router import RegistryCacheDep
from api.auth import ServiceAuth
from api.cases.dependencies import DangerDep
from api.db import SessionDep
from api.offers import checking, ocr
from api.offers.schemas import (
    OfferCheckReply,
    OfferCheckRequest,
    OfferDetectResult,
    OfferImageCheckResult,
)

router = APIRouter(prefix="/api/v1/offers", tags=["offers"], dependencies=[ServiceAuth])

OCR_SLOTS = 2  # one Tesseract at a time per core at most: about a second of CPU a screenshot


@router.post("/check", response_model=OfferCheckReply)
async def check_offer(
    request: Request,
    body: OfferCheckRequest,
    session: SessionDep,
    agencies: RegistryCacheDep,
    danger: DangerDep,
) -> OfferCheckReply:
    """Red flags of a job offer, its risk level, and what to verify, in the asked language.

    A company the offer names that is not in the imported registry of licensed placement
    companies, or is suspended or revoked there, raises `unlicensed_recruiter` with a
    `reason`. The check is counted by day, language, risk and flag; the offer text is not
    stored. `danger_words` says whether the text has danger words, as `/safety/check`."""
    rules = request.app.state.offer_rules
    result = await checking.check_counted(session, body.text, body.lang, rules, agencies)
    return OfferCheckReply(**dict(result), danger_words=bool(danger.find(body.text)))


@router.post("/check-image", response_model=OfferImageCheckResult)
async def check_offer_image(
    request: Request,
    session: SessionDep,
    agencies: RegistryCacheDep,
    image: Annotated[UploadFile, File(description="a screenshot or photo of the offer")],
    lang: Annotated[str, Form(pattern=r"^[a-z]{2,3}$")] = "id",
    caption: Annotated[str, Form(max_length=4096)] = "",
    detect: Annotated[bool, Form()] = False,
) -> OfferImageCheckResult:
    """Read a screenshot of a job offer with OCR and check the text as if it were typed.

    The image is read in memory and dropped: neither it nor the text is stored; the check
    is counted like `/check`. An image with too little text gives `readable: false`. With
    `detect`, the text (with the caption) is checked only if it looks like a job offer, as
    in `/detect`; else `check: null`."""
    data = await image.read(ocr.MAX_BYTES + 1)
    try:
        async with request.app.state.ocr_slots:
            read = await asyncio.to_thread(ocr.read, data)
    except ocr.ImageError as error:
        raise HTTPException(
            status_code=422, detail=f"the image could not be read: {error}"
        ) from error
    except ocr.OcrUnavailable as error:
        raise HTTPException(status_code=503, detail=str(error)) from error
    text = "\n".join(part for part in (read.text, caption.strip()) if part)
    if not read.readable:
        return OfferImageCheckResult(readable=False, text=text, check=None)
    check = checking.check_if_offer if detect else checking.check_counted
    result = await check(session, text, lang, request.app.state.offer_rules, agencies)
    return OfferImageCheckResult(readable=True, text=text, check=result)


@router.post("/detect", response_model=OfferDetectResult)
async def detect_offer(
    request: Request, body: OfferCheckRequest, session: SessionDep, agencies: RegistryCacheDep
) -> OfferDetectResult:
    """Check a message typed to the helpline only if it looks like a job offer.

    A message that recruits ("lowongan", "dicari", "hiring") and speaks of pay, contact or
    departure is checked and counted like `/check`; any other message gives `check: null`."""
    result = await checking.check_if_offer(
        session, body.text, body.lang, request.app.state.offer_rules, agencies
    )
    return OfferDetectResult(looks_like_offer=result is not None, check=result)
