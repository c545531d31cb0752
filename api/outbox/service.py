"""The outbox: messages written in the transaction that causes them, handed to a channel
adapter (the bot) under a lease, and kept until delivered, across restarts of either side."""

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases.models import CaseMessage, DeliveryStatus
from api.db import utcnow
from api.errors import Conflict, NotFound
from api.outbox.models import OutboxMessage, OutboxStatus, Purpose
from api.reporters.models import Reporter

MAX_ATTEMPTS = 20
FIRST_BACKOFF_SECONDS = 5
MAX_BACKOFF_SECONDS = 600
FINAL_ERRORS = {  # what no retry can change
    "blocked": OutboxStatus.BLOCKED,  # the user blocked the bot (Telegram's 403)
    "chat_not_found": OutboxStatus.FAILED,  # Telegram does not know the chat (any more)
    "bad_request": OutboxStatus.FAILED,  # Telegram refused the message itself
}
CASE_DELIVERY = {"blocked": DeliveryStatus.BLOCKED, "chat_not_found": DeliveryStatus.UNREACHABLE}


async def enqueue(
    session: AsyncSession,
    *,
    channel: str,
    chat_id: str,
    text: str,
    purpose: Purpose,
    buttons: list[list[dict[str, str]]] | None = None,
    case_message_id: int | None = None,
) -> OutboxMessage:
    message = OutboxMessage(
        channel=channel,
        chat_id=chat_id,
        text=text,
        buttons=buttons,
        purpose=purpose,
        case_message_id=case_message_id,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(message)
    await session.flush()
    return message


async def claim(
    session: AsyncSession, *, channel: str, limit: int, lease_seconds: int
) -> list[OutboxMessage]:
    """Due pending messages of `channel` not leased to anyone, oldest first, leased for
    `lease_seconds`.

    On PostgreSQL concurrent claims skip each other's rows (FOR UPDATE SKIP LOCKED); on
    SQLite writers take turns, and the lease is only taken where it is still free."""
    now = utcnow()
    free = (
        (OutboxMessage.status == OutboxStatus.PENDING)
        & (OutboxMessage.channel == channel)
        & (OutboxMessage.next_attempt_at <= now)
        & or_(OutboxMessage.leased_until.is_(None), OutboxMessage.leased_until <= now)
    )
    ids = (
        await session.scalars(
            select(OutboxMessage.id)
            .where(free)
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not ids:
        return []
    leased = await session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), free)
        .values(leased_until=now + timedelta(seconds=lease_seconds))
        .returning(OutboxMessage),
        execution_options={"synchronize_session": False},
    )
    return sorted(leased.all(), key=lambda message: message.id)


async def _get(session: AsyncSession, message_id: int) -> OutboxMessage:
    message = await session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"no outbox message {message_id}")
    return message


async def _record_on_case_message(
    session: AsyncSession, message: OutboxMessage, status: DeliveryStatus
) -> None:
    if message.case_message_id is None:
        return
    case_message = await session.get(CaseMessage, message.case_message_id)
    if case_message is not None:
        case_message.delivery_status = status
        if status == DeliveryStatus.DELIVERED:
            case_message.delivered_at = message.delivered_at


async def mark_delivered(session: AsyncSession, message_id: int) -> OutboxMessage:
    """Delivered: never handed out again; the case message says when. Repeating it is harmless."""
    message = await _get(session, message_id)
    if message.status == OutboxStatus.DELIVERED:
        return message
    message.status = OutboxStatus.DELIVERED
    message.delivered_at = utcnow()
    message.leased_until = None
    await _record_on_case_message(session, message, DeliveryStatus.DELIVERED)
    await session.flush()
    return message


async def mark_delivered_many(session: AsyncSession, message_ids: Sequence[int]) -> int:
    """`mark_delivered` for many messages in one statement (the worker reports a round at
    once); ids unknown or already delivered are passed over. The number newly delivered."""
    now = utcnow()
    case_message_ids = (
        await session.scalars(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(message_ids),
                OutboxMessage.status != OutboxStatus.DELIVERED,
            )
            .values(status=OutboxStatus.DELIVERED, delivered_at=now, leased_until=None)
            .returning(OutboxMessage.case_message_id),
            execution_options={"synchronize_session": False},
        )
    ).all()
    delivered_cases = [message_id for message_id in case_message_ids if message_id is not None]
    if delivered_cases:
        await session.execute(
            update(CaseMessage)
            .where(CaseMessage.id.in_(delivered_cases))
            .values(delivery_status=DeliveryStatus.DELIVERED, delivered_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(case_message_ids)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: 5 s, 10 s, 20 s ... at most 10 min."""
    return timedelta(seconds=min(FIRST_BACKOFF_SECONDS * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS))


async def mark_failed(
    session: AsyncSession, message_id: int, *, error: str, retry_after: int | None = None
) -> OutboxMessage:
    """A failed try. Blocked by the user or refused as a bad request: given up at once (retrying
    cannot help; a user who blocked the bot is marked, and campaigns skip them); otherwise
    tried again after `retry_after` or the backoff, 20 tries in all."""
    message = await _get(session, message_id)
    if message.status != OutboxStatus.PENDING:
        raise Conflict(
            f"outbox message {message_id} is already {message.status}", code="not_pending"
        )
    message.attempts += 1
    message.last_error = error
    message.leased_until = None
    final = FINAL_ERRORS.get(error)
    if final is None and message.attempts >= MAX_ATTEMPTS:
        final = OutboxStatus.FAILED
    if final == OutboxStatus.BLOCKED and message.purpose != Purpose.STAFF_ALERT:
        await session.execute(
            update(Reporter)
            .where(Reporter.channel == message.channel, Reporter.channel_user_id == message.chat_id)
            .values(blocked_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    if final is not None:
        message.status = final
        status = CASE_DELIVERY.get(error, DeliveryStatus(final.value))
        await _record_on_case_message(session, message, status)
    else:
        wait = timedelta(seconds=retry_after) if retry_after is not None else None
        message.next_attempt_at = utcnow() + (wait or backoff(message.attempts))
    await session.flush()
    return message


async def forget_case_messages(session: AsyncSession, case_message_ids: Sequence[int]) -> None:
    """Delete the deliveries of these case messages, whatever their state (erasure)."""
    if case_message_ids:
        await session.execute(
            delete(OutboxMessage).where(OutboxMessage.case_message_id.in_(case_message_ids))
        )


async def forget_reporter(session: AsyncSession, reporter_id: int) -> None:
    """Withdraw the campaign messages not yet sent to this reporter and blank the chat of the
    others (they stay, anonymous, in the campaign's counts)."""
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.reporter_id == reporter_id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.reporter_id == reporter_id)
        .values(chat_id="", reporter_id=None)
        .execution_options(synchronize_session=False)
    )
