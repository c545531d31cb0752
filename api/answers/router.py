from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from api.agencies.router import RegistryCacheDep
from api.answers import service
from api.answers.schemas import (
    Answer,
    AnswerList,
    CategoryRead,
    FeedbackCreate,
    LanguageRead,
)
from api.auth import ServiceAuth
from api.cases import service as cases
from api.cases.dependencies import DangerDep
from api.db import SessionDep
from api.offers import checking
from api.reviews import service as reviews

router = APIRouter(prefix="/api/v1", tags=["answers"])

Lang = Annotated[str, Query(min_length=2, max_length=8, description="language code")]


def _known_language(request: Request, lang: str) -> str:
    if lang not in request.app.state.content.language_codes:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown language {lang!r}")
    return lang


@router.get("/answers", response_model=AnswerList)
async def answer_question(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=4096, description="the question")],
    session: SessionDep,
    danger: DangerDep,
    agencies: RegistryCacheDep,
    lang: Lang = "id",
    channel: Annotated[str | None, Query(max_length=16, description="the asker's channel")] = None,
    user: Annotated[str | None, Query(max_length=64, description="their id there")] = None,
    check_offer: Annotated[
        bool, Query(description="also check the message as a job offer if it looks like one")
    ] = False,
) -> AnswerList:
    """The answer to a message, with its danger words checked, given `channel` and `user` the
    case a caseworker waits for them to answer, and with `check_offer` its check as a job
    offer when it looks like one: what an adapter needs to know of a typed message, in one
    request."""
    state = request.app.state
    lang = _known_language(request, lang)
    answered = service.answer(state.message_reader, state.content, text=q, lang=lang)
    if answered.answer is not None:
        await reviews.add_review_state(session, state.content, answered.answer)
    answered.danger_words = bool(danger.find(q))
    if channel is not None and user is not None:
        answered.awaited_reply = await cases.awaiting_reply(
            session, channel=channel, channel_user_id=user
        )
    if check_offer and answered.awaited_reply is None:
        answered.offer_check = await checking.check_if_offer(
            session, q, lang, state.offer_rules, agencies, topic=answered.topic
        )
    return answered


@router.get("/languages", response_model=list[LanguageRead])
async def list_languages(request: Request) -> list[LanguageRead]:
    return [
        LanguageRead(code=language.code, name=language.name)
        for language in request.app.state.content.languages
    ]


@router.get("/topics", response_model=list[CategoryRead])
async def browse_topics(request: Request, lang: Lang = "id") -> list[CategoryRead]:
    return service.list_categories(request.app.state.content, _known_language(request, lang))


@router.get(
    "/topics/{slug}", response_model=Answer, responses={404: {"description": "no such topic"}}
)
async def read_topic(request: Request, slug: str, session: SessionDep, lang: Lang = "id") -> Answer:
    lang = _known_language(request, lang)
    topic = service.render_topic(request.app.state.content, slug, lang)
    if topic is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no topic {slug!r}")
    await reviews.add_review_state(session, request.app.state.content, topic)
    return topic


@router.post(
    "/answers/feedback",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[ServiceAuth],
    responses={404: {"description": "no such topic"}},
)
async def give_feedback(request: Request, body: FeedbackCreate, session: SessionDep) -> None:
    if body.topic not in request.app.state.content.topics:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no topic {body.topic!r}")
    await service.record_feedback(
        session, topic=body.topic, lang=_known_language(request, body.lang), helpful=body.helpful
    )
