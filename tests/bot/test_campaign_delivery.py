"""Campaigns reach subscribers through the outbox and the stand-in: paced, once each, despite
Telegram's failures (blocked, 429, timeouts) and a restart in the middle."""

import asyncio

import httpx
import pytest
from sqlalchemy import select, update

from api.db import utcnow
from api.outbox.models import OutboxMessage
from api.reporters.models import Reporter
from api.settings import Settings
from bot.delivery import Pacer
from bot.local import LocalHelpline, local_helpline
from bot.standin import Failure

SUBSCRIBERS = [7001, 7002, 7003, 7004, 7005]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"campaign_batch_size": 2, "campaign_rate": 50})


def client(helpline: LocalHelpline, token: str = "test-service-token") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=helpline.app),
        base_url="http://helpline.test",
        headers={"Authorization": f"Bearer {token}"},
    )


async def subscribe(helpline: LocalHelpline, *user_ids: int) -> None:
    async with client(helpline) as api:
        for user_id in user_ids:
            helpline.standin.open_chat(user_id)  # they subscribed through the bot
            response = await api.put(
                f"/api/v1/reporters/telegram/{user_id}/subscription",
                json={"district": "belu", "language": "id"},
            )
            assert response.status_code == 200


async def send_campaign(helpline: LocalHelpline, staff_login, text: str) -> int:
    supervisor = await staff_login("supervisor")
    async with client(helpline, supervisor["token"]) as api:
        body = {"title": text, "texts": {"id": text}, "districts": ["belu"], "languages": ["id"]}
        campaign = (await api.post("/api/v1/campaigns", json=body)).json()
        await api.post(f"/api/v1/campaigns/{campaign['id']}/send", json={})
    return campaign["id"]


async def campaign_state(helpline: LocalHelpline, staff_login, campaign_id: int) -> dict:
    supervisor = await staff_login("supervisor")
    async with client(helpline, supervisor["token"]) as api:
        return (await api.get(f"/api/v1/campaigns/{campaign_id}")).json()


async def queue_and_deliver(helpline: LocalHelpline) -> int:
    """A round of the backend's campaign queuer, then one of the bot's outbox worker."""
    await helpline.app.state.campaign_queuer.run_once()
    return await helpline.outbox.deliver_due()


async def deliver_all(helpline: LocalHelpline) -> None:
    """Deliver until the outbox has nothing due (the queuer's round after the last delivery
    ends the campaign)."""
    while await queue_and_deliver(helpline):
        pass


async def make_due_again(helpline: LocalHelpline) -> None:
    """As if the backoffs and leases had run out."""
    async with helpline.app.state.sessionmaker() as session:
        await session.execute(
            update(OutboxMessage).values(next_attempt_at=utcnow(), leased_until=None)
        )
        await session.commit()


def received(*helplines: LocalHelpline, text: str) -> dict[int, int]:
    """How many times each subscriber got the campaign `text`, over all these stand-ins."""
    return {
        chat: sum(
            1 for h in helplines for message in h.standin.messages[chat] if text in message.text
        )
        for chat in SUBSCRIBERS
    }


async def test_a_campaign_reaches_each_subscriber_once_paced(helpline, staff_login, settings):
    await subscribe(helpline, *SUBSCRIBERS)
    campaign_id = await send_campaign(helpline, staff_login, "Hati-hati calo di desa.")
    await deliver_all(helpline)
    assert received(helpline, text="Hati-hati calo") == dict.fromkeys(SUBSCRIBERS, 1)
    sent_at = sorted(helpline.standin.messages[chat][0].sent_at for chat in SUBSCRIBERS)
    gaps = [later - earlier for earlier, later in zip(sent_at, sent_at[1:], strict=False)]
    assert min(gaps) >= 0.9 / settings.campaign_rate  # unpaced, they would leave together
    state = await campaign_state(helpline, staff_login, campaign_id)
    assert state["status"] == "sent" and state["counts"]["sent"] == 5


async def test_blocked_429_and_timeouts_are_handled_and_the_blocked_user_skipped_next_time(
    helpline, staff_login
):
    await subscribe(helpline, *SUBSCRIBERS)
    campaign_id = await send_campaign(helpline, staff_login, "Kabar pertama")
    helpline.standin.block(SUBSCRIBERS[2])
    for _ in range(3):  # the request layer retries a timeout twice, then gives up
        helpline.standin.fail_next(Failure("sendMessage", 0, "", timeout=True))
    # PTB's rate limiter waits as asked (1 s), holding every other send back, and tries again
    helpline.standin.fail_next(
        Failure("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    )
    await deliver_all(helpline)
    state = await campaign_state(helpline, staff_login, campaign_id)
    assert state["status"] == "sending"
    counts = state["counts"]
    assert (counts["blocked"], counts["pending"], counts["sent"]) == (1, 1, 3)
    async with helpline.app.state.sessionmaker() as session:
        [error] = await session.scalars(
            select(OutboxMessage.last_error).where(OutboxMessage.status == "pending")
        )
        [blocked_user] = await session.scalars(
            select(Reporter.channel_user_id).where(Reporter.blocked_at.is_not(None))
        )
    assert error == "timeout"
    assert not helpline.standin.failures  # the 429 was met, and its message sent after it

    await make_due_again(helpline)
    await deliver_all(helpline)
    state = await campaign_state(helpline, staff_login, campaign_id)
    assert state["status"] == "sent"
    assert state["counts"] | {"queued": 0} == {
        "queued": 0,
        "sent": 4,
        "failed": 0,
        "blocked": 1,
        "pending": 0,
    }
    got = received(helpline, text="Kabar pertama")
    assert got == {chat: int(str(chat) != blocked_user) for chat in SUBSCRIBERS}

    await send_campaign(helpline, staff_login, "Kabar kedua")
    await deliver_all(helpline)
    got = received(helpline, text="Kabar kedua")
    assert got == {chat: int(str(chat) != blocked_user) for chat in SUBSCRIBERS}


async def test_a_restart_in_the_middle_neither_loses_nor_repeats_a_message(
    settings, helpline, staff_login
):
    await subscribe(helpline, *SUBSCRIBERS)
    campaign_id = await send_campaign(helpline, staff_login, "Kabar sebelum restart")
    assert await queue_and_deliver(helpline) == 2  # the first batch of two went out
    api = helpline.application.bot_data["api"]
    await helpline.app.state.campaign_queuer.run_once()
    assert len(await api.claim_outbox(10, 60)) == 2  # the next two were claimed, then it died

    async with local_helpline(settings, retry_backoff=0, standin=helpline.standin) as restarted:
        await deliver_all(restarted)  # the fifth; the two claimed wait for their lease
        async with restarted.app.state.sessionmaker() as session:  # the lease ran out
            await session.execute(update(OutboxMessage).values(leased_until=None))
            await session.commit()
        await deliver_all(restarted)
        got = received(restarted, text="Kabar sebelum restart")  # on the one Telegram
        state = await campaign_state(restarted, staff_login, campaign_id)
    assert got == dict.fromkeys(SUBSCRIBERS, 1)
    assert state["status"] == "sent" and state["counts"]["sent"] == 5


async def test_the_pacer_never_lets_more_than_the_rate_through_in_any_second():
    now = 0.0
    times: list[float] = []

    async def sleep(seconds: float) -> None:
        nonlocal now
        now += seconds

    pacer = Pacer(25, clock=lambda: now, sleep=sleep)

    async def send() -> None:
        await pacer.wait()
        times.append(now)

    await asyncio.gather(*(send() for _ in range(200)))
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest == 25
    assert times[-1] == pytest.approx(199 / 25)
