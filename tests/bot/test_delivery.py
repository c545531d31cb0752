"""Staff messages and alerts reach Telegram through the outbox, despite Telegram's failures and
restarts of the bot, one a second per chat at most."""

import uuid

import httpx
import pytest
from sqlalchemy import select, update

from api.cases import service as cases
from api.cases.models import CaseMessage, DeliveryStatus
from api.db import utcnow
from api.outbox.models import OutboxMessage, OutboxStatus
from api.settings import Settings
from api.staff.models import Staff
from bot.local import LocalHelpline, local_helpline
from bot.standin import Failure, TelegramUser

STAFF_CHAT = -1009876543


@pytest.fixture
def settings(settings: Settings, tmp_path) -> Settings:
    return settings.model_copy(
        update={
            "staff_chat_id": str(STAFF_CHAT),
            "uploads_dir": tmp_path / "uploads",
            "per_chat_interval": 0.2,
        }
    )


async def report(helpline: LocalHelpline, user: TelegramUser, *, danger: bool = False) -> str:
    """A question for staff from `user`, sent as the bot sends it; its reference."""
    helpline.standin.open_chat(user.chat_id)  # the user is writing to the bot
    helpline.standin.open_chat(STAFF_CHAT, "supergroup")  # the bot is a member of staff's group
    body = {
        "submission_id": str(uuid.uuid4()),
        "kind": "question",
        "channel": "telegram",
        "channel_user_id": str(user.chat_id),
        "language": "en",
        "consent": True,
        "details": {"question": "They locked me in, help me" if danger else "Is PT Maju licensed?"},
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=helpline.app),
        base_url="http://helpline.test",
        headers={"Authorization": f"Bearer {helpline.app.state.service_token}"},
    ) as client:
        response = await client.post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.text
    return response.json()["reference"]


async def staff_writes(helpline: LocalHelpline, reference: str, staff_id: int, text: str) -> None:
    async with helpline.app.state.sessionmaker() as session:
        case = await cases.get_by_reference(session, reference)
        staff = await session.get(Staff, staff_id)
        await cases.message_reporter(
            session, case, text=text, actor=staff, notices=helpline.app.state.notices
        )
        await session.commit()


async def outbox_rows(helpline: LocalHelpline) -> list[OutboxMessage]:
    async with helpline.app.state.sessionmaker() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_a_staff_reply_reaches_the_reporter_with_a_reply_button(
    helpline: LocalHelpline, user: TelegramUser, staff_login
):
    agent = await staff_login("agent")
    reference = await report(helpline, user)
    await staff_writes(helpline, reference, agent["id"], "Yes, PT Maju is licensed.")
    assert await helpline.outbox.deliver_due() == 1
    message = user.inbox[-1]
    assert reference in message.text and "PT Maju is licensed" in message.text
    assert message.button_texts  # a button to answer the caseworker
    assert [row.status for row in await outbox_rows(helpline)] == [OutboxStatus.DELIVERED]
    assert await helpline.outbox.deliver_due() == 0  # delivered once, never again


async def test_an_urgent_report_alerts_the_staff_chat(helpline: LocalHelpline, user):
    reference = await report(helpline, user, danger=True)
    await helpline.outbox.deliver_due()
    alert = helpline.standin.messages[STAFF_CHAT][-1]
    assert reference in alert.text and "/staff/cases/" in alert.text
    assert "locked" not in alert.text  # no words of the report in the staff chat


async def test_a_user_who_blocked_the_bot_is_not_tried_again(helpline, user, staff_login):
    agent = await staff_login("agent")
    reference = await report(helpline, user)
    await staff_writes(helpline, reference, agent["id"], "Hello")
    user.block_bot()
    await helpline.outbox.deliver_due()
    assert [row.status for row in await outbox_rows(helpline)] == [OutboxStatus.BLOCKED]
    assert await helpline.outbox.deliver_due() == 0
    assert not user.inbox


async def test_a_timed_out_message_is_kept_and_delivered_after_a_restart(
    settings, helpline, user, staff_login
):
    agent = await staff_login("agent")
    reference = await report(helpline, user)
    await staff_writes(helpline, reference, agent["id"], "We called the embassy.")
    for _ in range(3):  # the request layer's own retries all time out
        helpline.standin.fail_next(Failure("sendMessage", 0, "", timeout=True))
    await helpline.outbox.deliver_due()
    [row] = await outbox_rows(helpline)
    assert (row.status, row.last_error, row.attempts) == (OutboxStatus.PENDING, "timeout", 1)
    assert not user.inbox
    async with helpline.app.state.sessionmaker() as session:  # the backoff has passed
        await session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        await session.commit()
    async with local_helpline(settings, retry_backoff=0, standin=helpline.standin) as restarted:
        assert await restarted.outbox.deliver_due() == 1
        [received] = restarted.standin.messages[user.chat_id]
    assert "We called the embassy." in received.text


async def test_a_message_claimed_by_a_worker_that_died_is_delivered_by_the_next(
    settings, helpline, user, staff_login
):
    agent = await staff_login("agent")
    reference = await report(helpline, user)
    await staff_writes(helpline, reference, agent["id"], "Please call us.")
    api = helpline.application.bot_data["api"]
    assert len(await api.claim_outbox(10, 60)) == 1  # claimed, then the worker crashed
    assert await helpline.outbox.deliver_due() == 0  # leased: nobody sends it twice
    async with helpline.app.state.sessionmaker() as session:  # the lease ran out
        await session.execute(update(OutboxMessage).values(leased_until=utcnow()))
        await session.commit()
    assert await helpline.outbox.deliver_due() == 1
    assert "Please call us." in user.inbox[-1].text


async def test_two_messages_to_one_chat_are_spaced_by_the_per_chat_interval(
    settings, helpline, user, staff_login
):
    agent = await staff_login("agent")
    reference = await report(helpline, user)
    await staff_writes(helpline, reference, agent["id"], "First")
    await staff_writes(helpline, reference, agent["id"], "Second")
    assert await helpline.outbox.deliver_due() == 2
    first, second = user.inbox[-2:]
    assert "First" in first.text and "Second" in second.text
    assert second.sent_at - first.sent_at >= settings.per_chat_interval


async def test_a_reply_telegram_cannot_deliver_is_final_with_its_reason_for_staff(
    helpline: LocalHelpline, user: TelegramUser, staff_login
):
    """Telegram's 400s cannot succeed on a retry: the message is given up at once, with the
    reason staff see on the case, and never claimed again."""
    agent = await staff_login("agent")
    reference = await report(helpline, user)
    helpline.standin.chats.pop(user.chat_id)  # the reporter deleted their Telegram account
    await staff_writes(helpline, reference, agent["id"], "Are you safe?")
    assert await helpline.outbox.deliver_due() == 1
    [row] = await outbox_rows(helpline)
    assert (row.status, row.last_error, row.attempts) == (OutboxStatus.FAILED, "chat_not_found", 1)
    assert await helpline.outbox.deliver_due() == 0
    async with helpline.app.state.sessionmaker() as session:
        case = await cases.get_by_reference(session, reference)
        [message] = await session.scalars(select(CaseMessage).where(CaseMessage.case_id == case.id))
    assert message.delivery_status == DeliveryStatus.UNREACHABLE


async def test_each_delivery_is_recorded_before_the_next_message_is_sent(
    helpline: LocalHelpline, staff_login
):
    """A kill -9 strikes between Telegram taking a message and the backend hearing of it for
    one message at most, so at most one is sent twice after a crash: when Telegram receives a
    message, every message it took before is already recorded as delivered, also across
    chats and in one round of the worker."""
    agent = await staff_login("agent")
    users = [TelegramUser(helpline.standin, None, user_id=5550100 + n) for n in range(3)]
    for reporter in users:
        reference = await report(helpline, reporter)
        for text in ("First", "Second"):
            await staff_writes(helpline, reference, agent["id"], text)
    recorded_at_each_send: list[int] = []
    handle = helpline.standin.handle

    async def telegram(token, method, params, files=None):
        if method == "sendMessage":
            rows = await outbox_rows(helpline)
            recorded_at_each_send.append(sum(row.status == OutboxStatus.DELIVERED for row in rows))
        return await handle(token, method, params, files)

    helpline.standin.handle = telegram  # type: ignore[method-assign]
    assert await helpline.outbox.deliver_due() == 6
    assert recorded_at_each_send == [0, 1, 2, 3, 4, 5]
