"""Retention: closed cases, sent messages, abandoned drafts and orphan photos are erased when
their time is up, and nothing sooner. The clock is set through the data (times in the past)."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from api.cases.models import Case, CaseEvent
from api.conversations.models import ConversationState
from api.db import utcnow
from api.outbox import service as outbox
from api.outbox.models import OutboxMessage, OutboxStatus, Purpose
from api.retention.service import Counts, months_before
from api.settings import Settings

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
NOTHING = Counts(closed_cases=0, outbox_texts=0, drafts=0, orphan_uploads=0)


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"uploads_dir": tmp_path / "uploads"})


def app_state(api):
    return api._transport.app.state


async def upload(api, settings: Settings, *, hours_ago: float) -> str:
    key = (
        await api.post("/api/v1/uploads", content=JPEG, headers={"Content-Type": "image/jpeg"})
    ).json()["key"]
    then = (utcnow() - timedelta(hours=hours_ago)).timestamp()
    os.utime(settings.uploads_dir / key, (then, then))
    return key


async def sent_message(api, text: str, *, days_ago: float, status=OutboxStatus.DELIVERED) -> int:
    async with app_state(api).sessionmaker() as session:
        message = await outbox.enqueue(
            session, channel="telegram", chat_id="5550001", text=text, purpose=Purpose.STAFF_ALERT
        )
        then = utcnow() - timedelta(days=days_ago)
        message.status, message.created_at = status, then
        message.delivered_at = then if status == OutboxStatus.DELIVERED else None
        await session.commit()
        return message.id


async def draft(api, user_id: str, *, days_ago: float) -> None:
    body = {"user_data": {"report": {"name": "Maria Nenobais", "phone": "081234567890"}}}
    assert (
        await api.put(f"/api/v1/conversations/telegram/{user_id}", json=body)
    ).status_code == 204
    async with app_state(api).sessionmaker() as session:
        await session.execute(
            update(ConversationState)
            .where(ConversationState.channel_user_id == user_id)
            .values(updated_at=utcnow() - timedelta(days=days_ago))
        )
        await session.commit()


async def test_what_is_due_is_erased_and_nothing_sooner(api, settings, make_case):
    now = utcnow()
    old_photo = await upload(api, settings, hours_ago=25)
    closed_long_ago = await make_case(
        "missing",
        photo_upload_key=old_photo,
        columns={"status": "closed", "closed_at": now - timedelta(days=400)},
    )
    closed_lately = await make_case(
        "missing",
        channel_user_id="2",
        columns={"status": "closed", "closed_at": now - timedelta(days=300)},
    )
    open_for_long = await make_case(
        "missing", channel_user_id="3", columns={"created_at": now - timedelta(days=800)}
    )
    old_text = await sent_message(api, "Call Yohanes at 081234567890", days_ago=31)
    given_up = await sent_message(api, "Case T-1 urgent", days_ago=40, status=OutboxStatus.FAILED)
    recent_text = await sent_message(api, "We are looking", days_ago=29)
    await draft(api, "5550009", days_ago=8)
    await draft(api, "5550010", days_ago=6)
    orphan = await upload(api, settings, hours_ago=25)
    fresh_orphan = await upload(api, settings, hours_ago=23)
    job = app_state(api).retention

    due = Counts(closed_cases=1, outbox_texts=2, drafts=1, orphan_uploads=1)
    assert await job.due() == due
    assert await job.run_once() == due
    assert await job.due() == NOTHING

    async with app_state(api).sessionmaker() as session:
        cases = {c.reference: c for c in await session.scalars(select(Case))}
        names = {reference: case.details.get("name") for reference, case in cases.items()}
        texts = dict((await session.execute(select(OutboxMessage.id, OutboxMessage.text))).all())
        drafts = (await session.scalars(select(ConversationState.channel_user_id))).all()
        erased = (
            await session.scalars(select(CaseEvent.case_id).where(CaseEvent.kind == "erased"))
        ).all()
    assert names == {
        closed_long_ago: None,
        closed_lately: "Maria Nenobais",
        open_for_long: "Maria Nenobais",
    }
    assert erased == [cases[closed_long_ago].id]
    assert cases[closed_long_ago].district == "kota_kupang"  # the statistics keep it
    assert (texts[old_text], texts[given_up], texts[recent_text]) == ("", "", "We are looking")
    assert drafts == ["5550010"]
    kept = sorted(path.name for path in settings.uploads_dir.iterdir())
    assert old_photo not in kept and orphan not in kept and fresh_orphan in kept


async def test_a_photo_a_report_took_is_kept(api, settings, make_case):
    photo = await upload(api, settings, hours_ago=48)
    await make_case("missing", photo_upload_key=photo)
    assert await app_state(api).retention.run_once() == NOTHING
    assert (settings.uploads_dir / photo).exists()


async def test_a_case_erased_once_is_not_erased_again(api, make_case):
    await make_case(
        "offer", columns={"status": "closed", "closed_at": utcnow() - timedelta(days=800)}
    )
    job = app_state(api).retention
    assert (await job.run_once()).closed_cases == 1
    assert (await job.run_once()).closed_cases == 0


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 12, 3, 20, tzinfo=UTC), 12, datetime(2025, 12, 3, 20, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected
