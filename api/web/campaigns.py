"""Campaign pages (supervisors and admins): the list with progress, writing a campaign in each
language for some districts and languages, its preview (who gets it, each text), sending it
now or at a time (WITA), cancelling it. Changes go through api.campaigns.service (audited)."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from api.campaigns import service
from api.campaigns.models import Campaign, CampaignStatus
from api.campaigns.schemas import CampaignCreate, CampaignUpdate
from api.cases.schemas import WITA
from api.db import MAX_ID, SessionDep, as_utc
from api.errors import DomainError
from api.i18n import N_
from api.staff.models import Staff
from api.web.auth import WebSupervisor
from api.web.form_errors import field_errors, form_text, refusal, translator
from api.web.pages import render
from api.web.security import checked_form

router = APIRouter(prefix="/staff/campaigns", include_in_schema=False)

CampaignId = Annotated[int, Path(ge=1, le=MAX_ID)]
STATUSES = {
    CampaignStatus.DRAFT: N_("Draft"),
    CampaignStatus.SCHEDULED: N_("Scheduled"),
    CampaignStatus.SENDING: N_("Sending"),
    CampaignStatus.SENT: N_("Sent"),
    CampaignStatus.CANCELLED: N_("Cancelled"),
}
DONE = {
    "created": N_("The campaign was saved as a draft. Check the preview, then send it."),
    "saved": N_("The campaign was saved."),
    "scheduled": N_("The campaign is on its way: it is sent as soon as its time comes."),
    "cancelled": N_("The campaign was cancelled; messages not yet sent were withdrawn."),
}
REFUSALS = {
    "no_districts": N_("Choose at least one district."),
    "no_languages": N_("Choose at least one language."),
    "missing_text": N_("Write the text in each chosen language, or untick that language."),
    "campaign_not_editable": N_("This campaign is already sending or finished."),
    "campaign_not_cancellable": N_("This campaign is already finished."),
    "campaign_not_found": N_("There is no such campaign."),
}


def wita(moment: datetime | None) -> str:
    return as_utc(moment).astimezone(WITA).strftime("%Y-%m-%d %H:%M") if moment else ""


def _choices(request: Request) -> dict[str, Any]:
    state = request.app.state
    return {
        "district_names": state.districts.names,
        "language_names": {language.code: language.name for language in state.content.languages},
    }


def _typed(form: FormData, request: Request) -> dict[str, Any]:
    """The campaign fields of a posted form (texts left empty are not kept)."""
    languages = _choices(request)["language_names"]
    texts = {code: form_text(form, f"text_{code}") for code in languages}
    return {
        "title": form_text(form, "title"),
        "texts": {code: text for code, text in texts.items() if text.strip()},
        "districts": [value for value in form.getlist("district") if isinstance(value, str)],
        "languages": [value for value in form.getlist("language") if isinstance(value, str)],
    }


def _message(error: DomainError, request: Request) -> str:
    _ = translator(request)
    known = REFUSALS.get(error.code)
    return _(known) if known else refusal(error, _)


async def _list_page(request: Request, session: SessionDep, staff: Staff) -> Response:
    campaigns = await service.list_all(session)
    counts = await service.counts(session, [campaign.id for campaign in campaigns])
    return render(
        request,
        "campaigns.html",
        staff=staff,
        campaigns=campaigns,
        counts=counts,
        statuses=STATUSES,
        wita=wita,
        refresh=any(c.status == CampaignStatus.SENDING for c in campaigns),
    )


def _form_page(
    request: Request,
    staff: Staff,
    *,
    typed: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    return render(
        request,
        "campaign_new.html",
        status_code=status_code,
        staff=staff,
        typed=typed,
        errors=errors or {},
        **_choices(request),
    )


async def _campaign_page(
    request: Request,
    session: SessionDep,
    staff: Staff,
    campaign: Campaign,
    *,
    done: str | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    audience = await service.audience(
        session, districts=campaign.districts, languages=campaign.languages
    )
    counts = (await service.counts(session, [campaign.id]))[campaign.id]
    return render(
        request,
        "campaign.html",
        status_code=status_code,
        staff=staff,
        campaign=campaign,
        audience=audience,
        counts=counts,
        statuses=STATUSES,
        editable=campaign.status in service.EDITABLE,
        cancellable=campaign.status in service.CANCELLABLE,
        notice=DONE.get(done or ""),
        errors=errors or {},
        typed=typed
        or {
            "title": campaign.title,
            "texts": campaign.texts,
            "districts": campaign.districts,
            "languages": campaign.languages,
        },
        wita=wita,
        refresh=campaign.status == CampaignStatus.SENDING,
        **_choices(request),
    )


def _done(campaign_id: int, what: str) -> RedirectResponse:
    return RedirectResponse(
        f"/staff/campaigns/{campaign_id}?done={what}", status_code=status.HTTP_303_SEE_OTHER
    )


@router.get("")
async def campaigns(request: Request, session: SessionDep, staff: WebSupervisor) -> Response:
    return await _list_page(request, session, staff)


@router.get("/new")
async def new_campaign(request: Request, staff: WebSupervisor) -> Response:
    choices = _choices(request)
    typed = {
        "title": "",
        "texts": {},
        "districts": list(choices["district_names"]),
        "languages": list(choices["language_names"]),
    }
    return _form_page(request, staff, typed=typed)


@router.post("")
async def create_campaign(request: Request, session: SessionDep, staff: WebSupervisor) -> Response:
    typed = _typed(await checked_form(request), request)
    choices = _choices(request)
    try:
        campaign = await service.create(
            session,
            data=CampaignCreate(**typed),
            actor=staff,
            districts=choices["district_names"],
            languages=choices["language_names"],
        )
    except ValidationError as error:
        errors = field_errors(error, translator(request))
        return _form_page(request, staff, typed=typed, errors=errors, status_code=422)
    except DomainError as error:
        errors = {"form": _message(error, request)}
        return _form_page(request, staff, typed=typed, errors=errors, status_code=422)
    return _done(campaign.id, "created")


async def _found(request: Request, session: SessionDep, staff: Staff, campaign_id: int):
    try:
        return await service.get(session, campaign_id)
    except DomainError as error:
        return render(
            request,
            "campaigns.html",
            status_code=error.status_code,
            staff=staff,
            campaigns=[],
            counts={},
            statuses=STATUSES,
            wita=wita,
            refresh=False,
            error=_message(error, request),
        )


@router.get("/{campaign_id}")
async def campaign_page(
    request: Request,
    session: SessionDep,
    staff: WebSupervisor,
    campaign_id: CampaignId,
    done: str | None = None,
) -> Response:
    campaign = await _found(request, session, staff, campaign_id)
    if isinstance(campaign, Response):
        return campaign
    return await _campaign_page(request, session, staff, campaign, done=done)


@router.post("/{campaign_id}")
async def save_campaign(
    request: Request, session: SessionDep, staff: WebSupervisor, campaign_id: CampaignId
) -> Response:
    typed = _typed(await checked_form(request), request)
    campaign = await _found(request, session, staff, campaign_id)
    if isinstance(campaign, Response):
        return campaign
    choices = _choices(request)
    try:
        data = CampaignUpdate(**typed)
        await service.update(
            session,
            campaign,
            data=data,
            actor=staff,
            districts=choices["district_names"],
            languages=choices["language_names"],
        )
    except ValidationError as error:
        errors = field_errors(error, translator(request))
        return await _campaign_page(
            request, session, staff, campaign, errors=errors, typed=typed, status_code=422
        )
    except DomainError as error:
        await session.rollback()
        campaign = await service.get(session, campaign_id)
        errors = {"form": _message(error, request)}
        return await _campaign_page(
            request, session, staff, campaign, errors=errors, typed=typed, status_code=422
        )
    return _done(campaign.id, "saved")


@router.post("/{campaign_id}/send")
async def send_campaign(
    request: Request, session: SessionDep, staff: WebSupervisor, campaign_id: CampaignId
) -> Response:
    form = await checked_form(request)
    campaign = await _found(request, session, staff, campaign_id)
    if isinstance(campaign, Response):
        return campaign
    send_at = None
    if form_text(form, "when") == "at":
        try:
            send_at = datetime.fromisoformat(form_text(form, "send_at")).replace(tzinfo=WITA)
        except ValueError:
            _ = translator(request)
            errors = {"send_at": _("Enter a date and time, such as 2026-12-01 08:00.")}
            return await _campaign_page(
                request, session, staff, campaign, errors=errors, status_code=422
            )
    try:
        await service.schedule(session, campaign, send_at=send_at, actor=staff)
    except DomainError as error:
        errors = {"form": _message(error, request)}
        return await _campaign_page(
            request, session, staff, campaign, errors=errors, status_code=error.status_code
        )
    return _done(campaign.id, "scheduled")


@router.post("/{campaign_id}/cancel")
async def cancel_campaign(
    request: Request, session: SessionDep, staff: WebSupervisor, campaign_id: CampaignId
) -> Response:
    await checked_form(request)
    campaign = await _found(request, session, staff, campaign_id)
    if isinstance(campaign, Response):
        return campaign
    try:
        await service.cancel(session, campaign, actor=staff)
    except DomainError as error:
        errors = {"form": _message(error, request)}
        return await _campaign_page(
            request, session, staff, campaign, errors=errors, status_code=error.status_code
        )
    return _done(campaign.id, "cancelled")
