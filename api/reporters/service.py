from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.conversations import service as conversations
from api.reporters.models import Reporter


async def get(session: AsyncSession, *, channel: str, channel_user_id: str) -> Reporter | None:
    return await session.scalar(
        select(Reporter).where(
            Reporter.channel == channel, Reporter.channel_user_id == channel_user_id
        )
    )


async def set_language(
    session: AsyncSession, *, channel: str, channel_user_id: str, language: str
) -> Reporter:
    reporter = await get(session, channel=channel, channel_user_id=channel_user_id)
    if reporter is None:
        reporter = Reporter(channel=channel, channel_user_id=channel_user_id, language=language)
        session.add(reporter)
    else:
        reporter.language = language
    await session.flush()
    return reporter


async def forget(session: AsyncSession, *, channel: str, channel_user_id: str) -> bool:
    """Delete everything the helpline keeps about this user; True when there was something."""
    await conversations.forget(session, channel=channel, channel_user_id=channel_user_id)
    result = await session.execute(
        delete(Reporter).where(
            Reporter.channel == channel, Reporter.channel_user_id == channel_user_id
        )
    )
    return bool(result.rowcount)
