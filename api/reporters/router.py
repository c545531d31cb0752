from fastapi import APIRouter, HTTPException, Request, status

from api.auth import ServiceAuth
from api.cases.dependencies import StorageDep
from api.db import SessionDep
from api.reporters import service
from api.reporters.schemas import ReporterRead, ReporterUpdate

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
    reporter = await service.set_language(
        session, channel=channel, channel_user_id=channel_user_id, language=body.language
    )
    return ReporterRead(
        channel=channel, channel_user_id=channel_user_id, language=reporter.language
    )


@router.delete("/{channel}/{channel_user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def forget_reporter(
    channel: str, channel_user_id: str, session: SessionDep, storage: StorageDep
) -> None:
    """Forget the user; their reports stay only as anonymous cases for the statistics."""
    await service.forget(session, channel=channel, channel_user_id=channel_user_id, storage=storage)
