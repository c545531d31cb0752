"""Content review (admins): translations marked `reviewed: false`, and marking one reviewed
once a native speaker has checked it."""

from urllib.parse import quote

from fastapi import APIRouter, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.answers.content import TopicText
from api.answers.service import FALLBACK_LANGUAGE, render_page
from api.cases.schemas import WITA
from api.db import SessionDep, as_utc
from api.errors import DomainError
from api.i18n import N_
from api.reviews import service as reviews
from api.staff import service as staff_service
from api.staff.models import Staff
from api.web.auth import WebAdmin
from api.web.form_errors import form_text, refusal, translator
from api.web.pages import render
from api.web.security import checked_form

router = APIRouter(prefix="/staff/content", include_in_schema=False)

REVIEWED = N_("Marked reviewed: the bot no longer shows the unreviewed note with it.")


async def _page(
    request: Request,
    session: SessionDep,
    admin: Staff,
    *,
    status_code: int = status.HTTP_200_OK,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    content = request.app.state.content

    def shown(text: TopicText) -> list[str]:
        return [render_page(content, page, text.lang) for page in text.pages]

    groups = [
        (
            language,
            [
                (item, shown(item.text), shown(content.topics[item.slug].texts[FALLBACK_LANGUAGE]))
                for item in items
            ],
        )
        for language, items in await reviews.list_unreviewed(session, content=content)
    ]
    return render(
        request,
        "content_review.html",
        status_code=status_code,
        staff=admin,
        groups=groups,
        reviewers={member.id: member for member in await staff_service.list_all(session)},
        day=lambda moment: as_utc(moment).astimezone(WITA).strftime("%Y-%m-%d"),
        notice=notice,
        error=error,
    )


@router.get("")
async def content_review(
    request: Request, session: SessionDep, admin: WebAdmin, done: str | None = None
) -> Response:
    return await _page(request, session, admin, notice=REVIEWED if done == "reviewed" else None)


@router.post("/review")
async def mark_reviewed(request: Request, session: SessionDep, admin: WebAdmin) -> Response:
    form = await checked_form(request)
    slug, lang = form_text(form, "slug"), form_text(form, "lang")
    try:
        await reviews.mark_reviewed(
            session,
            content=request.app.state.content,
            slug=slug,
            language=lang,
            text_sha256=form_text(form, "sha256"),
            actor=admin,
        )
    except DomainError as error:
        message = refusal(error, translator(request))
        return await _page(request, session, admin, status_code=error.status_code, error=message)
    return RedirectResponse(
        f"/staff/content?done=reviewed#{quote(slug)}-{quote(lang)}",
        status_code=status.HTTP_303_SEE_OTHER,
    )
