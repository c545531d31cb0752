import re

from sqlalchemy.ext.asyncio import AsyncSession

from api.answers.content import CONTACT_PLACEHOLDER, PLACEHOLDER, Contact, Content
from api.answers.matching import MessageReader
from api.answers.models import AnswerFeedback
from api.answers.schemas import Answer, AnswerList, CategoryRead, TopicLink, TopicScore

FALLBACK_LANGUAGE = "id"
QUERY_LIMIT = 1000


def _pick(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()), "")


def render_contact(contact: Contact, lang: str) -> str:
    """One contact as the lines shown to a user (the name, then how to reach it)."""
    lines = [f"• {_pick(contact.name, lang)}"]
    ways = [f"☎️ {number}" for number in contact.phone]
    ways += [f"WhatsApp {number}" for number in contact.whatsapp]
    if ways:
        lines.append("  " + " · ".join(ways))
    if contact.website:
        lines.append(f"  🌐 {contact.website}")
    if contact.email:
        lines.append(f"  ✉️ {contact.email}")
    if note := _pick(contact.note, lang) if contact.note else "":
        lines.append(f"  ({note})")
    return "\n".join(lines)


def render_page(content: Content, page: str, lang: str) -> str:
    def replace(match: re.Match[str]) -> str:
        contact = CONTACT_PLACEHOLDER.fullmatch(match.group(1))
        if contact is None:  # loading the content refuses such a page (content check)
            raise ValueError(f"broken placeholder {match.group(0)!r}")
        return render_contact(content.contacts[contact.group(1)], lang)

    return PLACEHOLDER.sub(replace, page)


def render_topic(content: Content, slug: str, lang: str) -> Answer | None:
    """The topic in `lang` (or Indonesian); `reviewed` as content/ says (a native speaker's
    later check is the reviews' to add: `reviews.service.add_review_state`)."""
    topic = content.topics.get(slug)
    if topic is None:
        return None
    text = topic.texts.get(lang) or topic.texts[FALLBACK_LANGUAGE]
    return Answer(
        slug=slug,
        title=text.title,
        pages=[render_page(content, page, text.lang) for page in text.pages],
        lang=text.lang,
        reviewed=text.reviewed,
        fallback=text.lang != lang,
        actions=list(topic.actions),
    )


def title_of(content: Content, slug: str, lang: str) -> str:
    texts = content.topics[slug].texts
    return (texts.get(lang) or texts[FALLBACK_LANGUAGE]).title


def answer(
    reader: MessageReader,
    content: Content,
    *,
    text: str,
    lang: str,
) -> AnswerList:
    """The answer to a message, in the message's own language when it is one we speak."""
    reading = reader.read(text[:QUERY_LIMIT])
    detected = reading.lang if reading.lang in content.language_codes else None
    lang = detected or lang
    return AnswerList(
        query=text,
        lang=lang,
        topic=reading.topic,
        score=reading.score,
        ranking=[
            TopicScore(slug=m.slug, score=m.score, title=title_of(content, m.slug, lang))
            for m in reading.ranking
        ],
        answer=(render_topic(content, reading.topic, lang) if reading.topic else None),
        suggestions=[
            TopicLink(slug=slug, title=title_of(content, slug, lang))
            for slug in reading.suggestions
        ],
        small_talk=reading.small_talk,
        danger=reading.danger,
        detected_lang=detected,
    )


def list_categories(content: Content, lang: str) -> list[CategoryRead]:
    return [
        CategoryRead(
            id=category.id,
            title=_pick(category.title, lang),
            topics=[
                TopicLink(slug=slug, title=title_of(content, slug, lang))
                for slug in category.topics
            ],
        )
        for category in content.categories
    ]


async def record_feedback(session: AsyncSession, *, topic: str, lang: str, helpful: bool) -> None:
    session.add(AnswerFeedback(topic=topic, language=lang, helpful=helpful))
    await session.flush()
