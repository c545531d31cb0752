"""Bot-facing case routes (service token): reports, photos, the reporter's cases and replies,
and the danger-word check."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.exceptions import RequestValidationError

from api.auth import ServiceAuth
from api.cases import service
from api.cases.dependencies import DangerDep, DistrictsDep, FormsDep, NoticesDep, StorageDep
from api.cases.models import CaseStatus
from api.cases.schemas import (
    AwaitedReply,
    CaseCreate,
    CaseCreated,
    DistrictRead,
    ReplyCreate,
    ReplyCreated,
    ReporterCase,
    SafetyCheck,
    SafetyResult,
    ThreadMessage,
    UploadCreated,
)
from api.cases.storage import MAX_PHOTO_BYTES, PHOTO_TYPES
from api.db import SessionDep
from api.errors import DomainError
from api.forms import service as forms_service
from api.forms.declarations import Form
from api.reporters import service as reporters

router = APIRouter(prefix="/api/v1", tags=["cases"], dependencies=[ServiceAuth])

_PHOTO_BODY = {
    "required": True,
    "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in PHOTO_TYPES},
}


def _checked_report(
    request: Request, body: CaseCreate, forms: FormsDep, districts: DistrictsDep
) -> tuple[Form, dict[str, Any]]:
    """The report's form and its details checked by it; districts and language against the
    content. Problems are 422 like any other validation error."""
    errors: list[dict[str, Any]] = []

    def error(loc: tuple[str, ...], message: str, given: Any) -> None:
        errors.append({"type": "value_error", "loc": loc, "msg": message, "input": given})

    form = forms.get(body.kind)
    if form is None:
        error(("body", "kind"), f"unknown kind; use one of {', '.join(forms)}", body.kind)
    if body.district is not None and body.district not in districts:
        message = f"unknown district {body.district!r}; use a slug of content/districts.yaml"
        error(("body", "district"), message, body.district)
    if body.language not in request.app.state.content.language_codes:
        error(("body", "language"), f"unknown language {body.language!r}", body.language)
    document: dict[str, Any] = {}
    if form is not None:
        details = dict(body.details)
        if body.photo_upload_key:
            if form.photo_field is None:
                error(("body", "photo_upload_key"), "this kind of report takes no photo", "")
            else:
                details[form.photo_field] = body.photo_upload_key
        try:
            document = forms_service.checked_document(
                form,
                details,
                districts,
                district=body.district if body.district in districts else None,
                country=body.destination_country,
            )
        except ValueError as problem:
            field, _sep, message = str(problem).partition(": ")
            error(("body", "details", field), message, "")
    if errors or form is None:
        raise RequestValidationError(errors)
    return form, document


@router.post(
    "/cases",
    response_model=CaseCreated,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": CaseCreated, "description": "this submission was already made"}},
)
async def create_case(
    request: Request,
    body: CaseCreate,
    response: Response,
    session: SessionDep,
    forms: FormsDep,
    districts: DistrictsDep,
    danger: DangerDep,
    notices: NoticesDep,
    storage: StorageDep,
) -> CaseCreated:
    """Open a case from a report (201), or return the case this submission already made (200).

    Creates the reporter when unknown. Danger now or danger words make it urgent."""
    form, document = _checked_report(request, body, forms, districts)
    case, created = await service.create(
        session,
        data=body,
        form=form,
        document=document,
        danger=danger,
        notices=notices,
        storage=storage,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return CaseCreated(
        reference=case.reference,
        kind=case.kind,
        status=case.status,
        priority=case.priority,
        created=created,
    )


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    too_large = DomainError(
        f"the photo is larger than {limit // (1024 * 1024)} MB",
        code="photo_too_large",
        status_code=status.HTTP_413_CONTENT_TOO_LARGE,
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise too_large
    return bytes(data)


@router.post(
    "/uploads",
    response_model=UploadCreated,
    status_code=status.HTTP_201_CREATED,
    openapi_extra={"requestBody": _PHOTO_BODY},
    responses={
        413: {"description": "larger than 5 MB"},
        415: {"description": "not a JPEG or PNG image"},
    },
)
async def upload_photo(
    request: Request,
    storage: StorageDep,
    content_type: Annotated[str, Header()] = "",
) -> UploadCreated:
    """Keep a photo for a report (JPEG or PNG, 5 MB at most): its key for `photo_upload_key`."""
    data = await _read_body(request, MAX_PHOTO_BYTES)
    return UploadCreated(key=await storage.save(data, content_type))


@router.get("/reporters/{channel}/{channel_user_id}/cases", response_model=list[ReporterCase])
async def reporter_cases(
    channel: str, channel_user_id: str, session: SessionDep
) -> list[ReporterCase]:
    """The user's cases, newest first, with staff messages and their replies (no notes)."""
    reporter = await reporters.get(session, channel=channel, channel_user_id=channel_user_id)
    if reporter is None:
        return []
    return [
        ReporterCase(
            reference=case.reference,
            kind=case.kind,
            status=case.status,
            referral=case.referral if case.status == CaseStatus.REFERRED else None,
            created_at=case.created_at,
            messages=[ThreadMessage(direction=m.direction, text=m.text, at=m.at) for m in messages],
        )
        for case, messages in await service.list_for_reporter(session, reporter_id=reporter.id)
    ]


@router.get("/reporters/{channel}/{channel_user_id}/awaited-reply", response_model=AwaitedReply)
async def awaited_reply(channel: str, channel_user_id: str, session: SessionDep) -> AwaitedReply:
    """The case a caseworker is waiting for this person to answer, if any: an adapter asks
    before reading a message as a question, so that an answer never gets lost as one."""
    return AwaitedReply(
        reference=await service.awaiting_reply(
            session, channel=channel, channel_user_id=channel_user_id
        )
    )


@router.post(
    "/cases/{reference}/replies",
    response_model=ReplyCreated,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": ReplyCreated, "description": "this message was already added"},
        404: {"description": "no case with this reference is this user's"},
    },
)
async def reply(
    reference: str,
    body: ReplyCreate,
    response: Response,
    session: SessionDep,
    danger: DangerDep,
    notices: NoticesDep,
) -> ReplyCreated:
    """A reply of the reporter to their case (404 for a case that is not theirs)."""
    case = await service.get_reporters_case(
        session, reference, channel=body.channel, channel_user_id=body.channel_user_id
    )
    _message, created = await service.add_reporter_message(
        session, case, text=body.text, message_key=body.message_key, danger=danger, notices=notices
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return ReplyCreated(reference=case.reference, created=created)


@router.post("/safety/check", response_model=SafetyResult, tags=["safety"])
async def safety_check(body: SafetyCheck, danger: DangerDep) -> SafetyResult:
    """Whether a text contains danger words (content/danger.yaml)."""
    return SafetyResult(danger=bool(danger.find(body.text)))


@router.get("/districts", response_model=list[DistrictRead])
async def list_districts(districts: DistrictsDep) -> list[DistrictRead]:
    """The districts a report can name (content/districts.yaml), in the order of the file."""
    return [DistrictRead(slug=slug, name=name) for slug, name in districts.names.items()]
