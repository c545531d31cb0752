"""The outbox through its bot-facing routes: claims under a lease, delivery, retries with
backoff, users who blocked the bot, and what the case thread learns of it."""

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from api.cases import service as cases
from api.cases.models import CaseMessage
from api.db import utcnow
from api.outbox import service
from api.outbox.models import OutboxMessage, Purpose
from api.staff.models import Role, Staff

CLAIM = "/api/v1/outbox/claim"
REPORT = {
    "submission_id": "6f1c2b1e-8d7a-4a39-9a43-1b2d3c4e5f60",
    "kind": "question",
    "channel": "telegram",
    "channel_user_id": "31337",
    "language": "id",
    "consent": True,
    "details": {"question": "Berapa biaya paspor?"},
}


def sessionmaker(api):
    return api._transport.app.state.sessionmaker


async def enqueue(api, *texts: str) -> list[int]:
    async with sessionmaker(api)() as session:
        ids = []
        for text in texts:
            message = await service.enqueue(
                session, channel="telegram", chat_id="-100", text=text, purpose=Purpose.STAFF_ALERT
            )
            ids.append(message.id)
        await session.commit()
    return ids


async def staff_message(api) -> tuple[int, int]:
    """A staff message to a reporter: (its case message id, its outbox message id)."""
    reference = (await api.post("/api/v1/cases", json=REPORT)).json()["reference"]
    async with sessionmaker(api)() as session:
        worker = Staff(username="ana", name="Ana", role=Role.AGENT, password_hash="-")
        session.add(worker)
        await session.flush()
        case = await cases.get_by_reference(session, reference)
        notices = api._transport.app.state.notices
        message = await cases.message_reporter(
            session, case, text="Sekitar Rp 350.000.", actor=worker, notices=notices
        )
        await session.commit()
    claimed = await claim(api)
    return message.id, claimed[0]["id"]


async def claim(api, limit: int = 10) -> list[dict]:
    response = await api.post(
        CLAIM, json={"channel": "telegram", "limit": limit, "lease_seconds": 60}
    )
    assert response.status_code == 200
    return response.json()["messages"]


async def shift(api, **values) -> None:
    """Move the outbox's clock-bound fields, as if time had passed."""
    async with sessionmaker(api)() as session:
        await session.execute(update(OutboxMessage).values(**values))
        await session.commit()


async def case_message(api, message_id: int) -> CaseMessage:
    async with sessionmaker(api)() as session:
        return await session.get(CaseMessage, message_id)


async def fail(api, message_id: int, error: str, retry_after: int | None = None) -> dict:
    body = {"error": error, "retry_after": retry_after}
    response = await api.post(f"/api/v1/outbox/{message_id}/failed", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def seconds_from_now(moment: str) -> float:
    return (datetime.fromisoformat(moment) - utcnow()).total_seconds()


async def test_claims_hand_out_due_messages_oldest_first_under_a_lease(api):
    first, second, third = await enqueue(api, "one", "two", "three")
    assert [m["id"] for m in await claim(api, limit=2)] == [first, second]
    claimed = await claim(api)
    assert [(m["id"], m["text"], m["chat_id"], m["purpose"]) for m in claimed] == [
        (third, "three", "-100", "staff_alert")
    ]
    assert await claim(api) == []
    await shift(api, leased_until=utcnow() - timedelta(seconds=1))
    assert [m["id"] for m in await claim(api)] == [first, second, third]


async def test_concurrent_claims_never_hand_out_a_message_twice(api):
    queued = await enqueue(api, *(f"alert {n}" for n in range(6)))
    batches = await asyncio.gather(*(claim(api, limit=4) for _ in range(3)))
    ids = [m["id"] for batch in batches for m in batch]
    assert len(ids) == len(set(ids))
    rest = [m["id"] for m in await claim(api)]  # on SQLite the losers of the race get none
    assert sorted(ids + rest) == queued


async def test_a_delivered_message_is_recorded_on_the_case_thread(api):
    message_id, outbox_id = await staff_message(api)
    assert (await case_message(api, message_id)).delivery_status == "pending"
    response = await api.post(f"/api/v1/outbox/{outbox_id}/delivered")
    assert response.json() == {
        "id": outbox_id,
        "status": "delivered",
        "attempts": 0,
        "next_attempt_at": None,
    }
    assert (await api.post(f"/api/v1/outbox/{outbox_id}/delivered")).status_code == 200
    delivered = await case_message(api, message_id)
    assert delivered.delivery_status == "delivered" and delivered.delivered_at is not None
    await shift(api, leased_until=None)
    assert await claim(api) == []


async def test_failures_are_retried_with_exponential_backoff_capped_at_ten_minutes(api):
    (message_id,) = await enqueue(api, "alert")
    await claim(api)
    state = await fail(api, message_id, "timeout")
    assert (state["status"], state["attempts"]) == ("pending", 1)
    assert 3 < seconds_from_now(state["next_attempt_at"]) <= 5
    assert await claim(api) == []

    await shift(api, next_attempt_at=utcnow())
    assert [m["attempts"] for m in await claim(api)] == [1]
    assert 8 < seconds_from_now((await fail(api, message_id, "network"))["next_attempt_at"]) <= 10

    await shift(api, attempts=12)
    assert (
        590 < seconds_from_now((await fail(api, message_id, "network"))["next_attempt_at"]) <= 600
    )


async def test_telegrams_retry_after_is_respected(api):
    (message_id,) = await enqueue(api, "alert")
    state = await fail(api, message_id, "retry_after", retry_after=37)
    assert 35 < seconds_from_now(state["next_attempt_at"]) <= 37


async def test_after_twenty_tries_a_message_fails_for_good(api):
    message_id, outbox_id = await staff_message(api)
    await shift(api, attempts=19)
    state = await fail(api, outbox_id, "timeout")
    assert (state["status"], state["attempts"], state["next_attempt_at"]) == ("failed", 20, None)
    assert (await case_message(api, message_id)).delivery_status == "failed"
    await shift(api, next_attempt_at=utcnow() - timedelta(hours=1))
    assert await claim(api) == []


@pytest.mark.parametrize(("error", "status"), [("blocked", "blocked"), ("bad_request", "failed")])
async def test_a_blocked_bot_or_a_refused_message_is_not_retried(api, error, status):
    message_id, outbox_id = await staff_message(api)
    state = await fail(api, outbox_id, error)
    assert (state["status"], state["next_attempt_at"]) == (status, None)
    assert (await case_message(api, message_id)).delivery_status == status
    assert await claim(api) == []
    again = await api.post(f"/api/v1/outbox/{outbox_id}/failed", json={"error": "timeout"})
    assert (again.status_code, again.json()["code"]) == (409, "not_pending")


async def test_bad_calls_are_refused(api):
    (message_id,) = await enqueue(api, "alert")
    assert (await api.post("/api/v1/outbox/999999/delivered")).status_code == 404
    assert (
        await api.post("/api/v1/outbox/999999/failed", json={"error": "timeout"})
    ).status_code == 404
    bad_error = await api.post(f"/api/v1/outbox/{message_id}/failed", json={"error": "oops"})
    assert bad_error.status_code == 422
    assert (await api.post(CLAIM, json={"limit": 10})).status_code == 422  # no channel
    assert (await api.post(CLAIM, json={"channel": "Tele gram"})).status_code == 422
    assert (await api.post(CLAIM, json={"limit": 0})).status_code == 422
    assert (await api.post(CLAIM, json={"lease_seconds": 1})).status_code == 422
    anonymous = await api.post(CLAIM, json={}, headers={"Authorization": ""})
    assert anonymous.status_code == 401


async def test_a_claim_hands_out_only_its_own_channels_messages(api):
    await enqueue(api, "alert")
    other = await api.post(CLAIM, json={"channel": "whatsapp", "limit": 100})
    assert other.json()["messages"] == []
    mine = await api.post(CLAIM, json={"channel": "telegram", "limit": 100})
    assert [m["channel"] for m in mine.json()["messages"]] == ["telegram"]


async def test_many_deliveries_are_recorded_at_once(api):
    case_message_id, message_id = await staff_message(api)
    [alert_id] = await enqueue(api, "alert")
    response = await api.post("/api/v1/outbox/delivered", json={"ids": [message_id, alert_id]})
    assert response.json() == {"delivered": 2}
    again = await api.post("/api/v1/outbox/delivered", json={"ids": [message_id, 999]})
    assert again.json() == {"delivered": 0}  # repeating it is harmless
    assert (await case_message(api, case_message_id)).delivery_status == "delivered"
    assert await claim(api) == []
    assert (await api.post("/api/v1/outbox/delivered", json={"ids": []})).status_code == 422
