"""One bad stored row does not stop the bot from starting."""

from api.conversations.models import ConversationState
from api.db import create_engine, create_sessionmaker
from bot.local import local_helpline
from bot.standin import TelegramUser


async def test_a_state_row_with_a_non_numeric_user_id_does_not_stop_start_up(settings):
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            session.add(
                ConversationState(
                    channel="telegram",
                    channel_user_id="not-a-number",
                    user_data={"language": "id"},
                    conversations={},
                )
            )
            await session.commit()
    finally:
        await engine.dispose()
    async with local_helpline(settings, retry_backoff=0) as helpline:
        user = TelegramUser(helpline.standin, helpline.application, language_code="id")
        replies = await user.send("/start")
        assert "Bahasa Indonesia" in " ".join(replies[-1].button_texts)
