"""Reviews of topic translations: which `reviewed: false` texts a native speaker has checked.

A review names the hash of the text that was read (`TopicText.sha256`), so it counts only while
the text in content/ is unchanged. An answer whose text is `reviewed: false` looks up its
review in the database (one small indexed query), so a review made on one worker counts at once
on all, and only once its transaction has committed."""

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.answers.content import Content, Language, TopicText
from api.answers.schemas import Answer
from api.audit import service as audit
from api.db import insert_or_ignore, utcnow
from api.errors import Conflict, NotFound
from api.reviews.models import ContentReview
from api.staff.models import Staff

ReviewKey = tuple[str, str, str]  # topic slug, language, sha256 of the text


def key_of(slug: str, text: TopicText) -> ReviewKey:
    return (slug, text.lang, text.sha256)


# built once, its values given at execution: asked with answers in unreviewed languages
_REVIEW_OF = (
    select(ContentReview.id)
    .where(
        ContentReview.topic_slug == bindparam("slug"),
        ContentReview.language == bindparam("language"),
        ContentReview.text_sha256 == bindparam("sha256"),
    )
    .limit(1)
)


async def add_review_state(session: AsyncSession, content: Content, answer: Answer) -> None:
    """Mark `answer` reviewed when its text, `reviewed: false` in content/, has been checked
    by a native speaker since its last change: one indexed query, and only for such texts."""
    if answer.reviewed:
        return
    text = content.topics[answer.slug].texts[answer.lang]
    answer.reviewed = (
        await session.scalar(
            _REVIEW_OF, {"slug": answer.slug, "language": text.lang, "sha256": text.sha256}
        )
        is not None
    )


@dataclass(frozen=True)
class ToReview:
    """A translation marked `reviewed: false` in content/, and the review of its current text."""

    slug: str
    text: TopicText
    review: ContentReview | None


async def list_unreviewed(
    session: AsyncSession, *, content: Content
) -> list[tuple[Language, list[ToReview]]]:
    """Every `reviewed: false` translation, by language (content order), then topic slug."""
    reviews = {
        (review.topic_slug, review.language, review.text_sha256): review
        for review in await session.scalars(select(ContentReview))
    }
    grouped = []
    for language in content.languages:
        texts = [
            ToReview(slug, text, reviews.get(key_of(slug, text)))
            for slug, topic in sorted(content.topics.items())
            if (text := topic.texts.get(language.code)) is not None and not text.reviewed
        ]
        if texts:
            grouped.append((language, texts))
    return grouped


async def mark_reviewed(
    session: AsyncSession,
    *,
    content: Content,
    slug: str,
    language: str,
    text_sha256: str,
    actor: Staff,
) -> ReviewKey:
    """Record that `actor` had the text with this hash checked; audited once (repeats are no-ops).

    Refused when the text is not the one that was shown (content changed since)."""
    topic = content.topics.get(slug)
    text = topic.texts.get(language) if topic is not None else None
    if text is None:
        raise NotFound(
            f"topic {slug!r} has no {language!r} translation", code="translation_not_found"
        )
    if text.reviewed:
        raise Conflict("this translation is marked reviewed in content/", code="already_reviewed")
    if text_sha256 != text.sha256:
        raise Conflict("the text has changed since it was shown", code="text_changed")
    inserted = await session.scalar(
        insert_or_ignore(
            session,
            ContentReview,
            topic_slug=slug,
            language=language,
            text_sha256=text.sha256,
            reviewer_id=actor.id,
            reviewed_at=utcnow(),
        ).returning(ContentReview.id)
    )
    if inserted is not None:
        await audit.record(
            session, actor=actor, action="content_reviewed", slug=slug, language=language
        )
    return key_of(slug, text)
