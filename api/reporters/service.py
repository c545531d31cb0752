from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import service as cases
from api.cases.storage import Storage
from api.conversations import service as conversations
from api.db import changed_rows, insert_or_ignore, insert_or_update, utcnow
from api.forms.declarations import Forms
from api.outbox import service as outbox
from api.reporters.models import Reporter

# Built once, its values given at execution: asked on most updates, and building the statement
# cost a quarter of the request.
_BY_USER = select(Reporter).where(
    Reporter.channel == bindparam("channel"),
    Reporter.channel_user_id == bindparam("channel_user_id"),
)


async def get(session: AsyncSession, *, channel: str, channel_user_id: str) -> Reporter | None:
    return await session.scalar(_BY_USER, {"channel": channel, "channel_user_id": channel_user_id})


async def get_or_create(
    session: AsyncSession, *, channel: str, channel_user_id: str, language: str
) -> Reporter:
    """The reporter, created with `language` when unknown (once, even under concurrent calls)."""
    reporter = await get(session, channel=channel, channel_user_id=channel_user_id)
    if reporter is not None:
        return reporter
    await session.execute(
        insert_or_ignore(
            session, Reporter, channel=channel, channel_user_id=channel_user_id, language=language
        )
    )
    # inserted now, or by a concurrent request that committed first
    return (
        await session.scalars(_BY_USER, {"channel": channel, "channel_user_id": channel_user_id})
    ).one()


async def set_language(
    session: AsyncSession, *, channel: str, channel_user_id: str, language: str
) -> None:
    """Set the language, creating the reporter at first contact, in one upsert (two
    concurrent first messages of one new user make one reporter, not a duplicate-key error)."""
    await insert_or_update(
        session,
        Reporter,
        key=["channel", "channel_user_id"],
        update=["language"],
        channel=channel,
        channel_user_id=channel_user_id,
        language=language,
    )


async def subscribe(
    session: AsyncSession, *, channel: str, channel_user_id: str, district: str, language: str
) -> Reporter:
    """Subscribe to the news of `district` (or move there); a user who blocked the bot and
    subscribes again is reachable again."""
    reporter = await get_or_create(
        session, channel=channel, channel_user_id=channel_user_id, language=language
    )
    if reporter.subscribed_at is None:
        reporter.subscribed_at = utcnow()
    reporter.subscribed_district = district
    reporter.blocked_at = None
    await session.flush()
    return reporter


async def unsubscribe(session: AsyncSession, *, channel: str, channel_user_id: str) -> None:
    reporter = await get(session, channel=channel, channel_user_id=channel_user_id)
    if reporter is not None:
        reporter.subscribed_at = None
        reporter.subscribed_district = None
        await session.flush()


async def offer_news(
    session: AsyncSession, *, channel: str, channel_user_id: str, language: str
) -> bool:
    """Whether to ask the user now if they want the news: once in their life with the helpline,
    and never when they are already subscribed (concurrent calls: only one gets True)."""
    reporter = await get_or_create(
        session, channel=channel, channel_user_id=channel_user_id, language=language
    )
    if reporter.subscribed_at is not None:
        return False
    offered = await changed_rows(
        session,
        update(Reporter)
        .where(Reporter.id == reporter.id, Reporter.news_offered_at.is_(None))
        .values(news_offered_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    return offered == 1


async def forget(
    session: AsyncSession, *, channel: str, channel_user_id: str, forms: Forms, storage: Storage
) -> bool:
    """Delete everything the helpline keeps about this user, and blank the personal data of
    their reports (the cases stay, anonymous, for the statistics); True when there was some."""
    await conversations.forget(session, channel=channel, channel_user_id=channel_user_id)
    reporter = await get(session, channel=channel, channel_user_id=channel_user_id)
    if reporter is None:
        return False
    await cases.erase_reporter_data(session, reporter.id, forms=forms, storage=storage)
    await outbox.forget_reporter(session, reporter.id)
    await session.delete(reporter)
    await session.flush()
    return True
