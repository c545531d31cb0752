"""Retention: what the helpline keeps only for a while, and erasing it once its time is up.

Four kinds of data, each with a period in the settings (HELPLINE_RETENTION_*):
- closed cases: their personal details, thread and deliveries are blanked as when the reporter
  asks to be forgotten (`cases.erase_case`); the anonymous case stays for the statistics;
- finished outbox messages (delivered, failed or blocked): their text and chat are blanked
  (the row stays in a campaign's counts);
- conversation states not written for a while: the unfinished report (draft) and where the user
  was in the bot are deleted (`conversations.forget`);
- orphan uploads: photos no report took are deleted."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import service as cases
from api.cases.models import Case, CaseEvent, CaseStatus, EventKind
from api.cases.storage import Storage
from api.conversations import service as conversations
from api.conversations.models import ConversationState
from api.db import changed_rows, utcnow
from api.forms.declarations import Forms
from api.outbox.models import OutboxMessage, OutboxStatus
from api.settings import Settings


@dataclass(frozen=True)
class Periods:
    closed_case_months: int = 12
    outbox_days: int = 30
    draft_days: int = 7
    orphan_upload_hours: int = 24

    @classmethod
    def from_settings(cls, settings: Settings) -> "Periods":
        return cls(
            closed_case_months=settings.retention_closed_case_months,
            outbox_days=settings.retention_outbox_days,
            draft_days=settings.retention_draft_days,
            orphan_upload_hours=settings.retention_orphan_upload_hours,
        )


@dataclass(frozen=True)
class Counts:
    """How many of each kind a run erases (or erased)."""

    closed_cases: int
    outbox_texts: int
    drafts: int
    orphan_uploads: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the last day of a shorter
    month: 31 March less one month is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    next_month = datetime(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


def _closed_cases(periods: Periods, now: datetime) -> ColumnElement[bool]:
    erased = exists().where(CaseEvent.case_id == Case.id, CaseEvent.kind == EventKind.ERASED)
    return (
        (Case.status == CaseStatus.CLOSED)
        & (Case.closed_at < months_before(now, periods.closed_case_months))
        & ~erased
    )


def _finished_messages(periods: Periods, now: datetime) -> ColumnElement[bool]:
    finished_at = func.coalesce(OutboxMessage.delivered_at, OutboxMessage.created_at)
    return (
        (OutboxMessage.status != OutboxStatus.PENDING)
        & (finished_at < now - timedelta(days=periods.outbox_days))
        & or_(OutboxMessage.text != "", OutboxMessage.chat_id != "")
    )


def _abandoned_states(periods: Periods, now: datetime) -> ColumnElement[bool]:
    return ConversationState.updated_at < now - timedelta(days=periods.draft_days)


async def _orphan_uploads(
    session: AsyncSession, storage: Storage, forms: Forms, periods: Periods, now: datetime
) -> list[str]:
    keys = await storage.kept_before(now - timedelta(hours=periods.orphan_upload_hours))
    kept = await cases.kept_photos(session, keys, forms)
    return [key for key in keys if key not in kept]


async def due(
    session: AsyncSession,
    *,
    storage: Storage,
    forms: Forms,
    periods: Periods,
    now: datetime | None = None,
) -> Counts:
    """What a run at `now` (default: this moment) would erase."""
    now = now or utcnow()

    async def count(model: type, where: ColumnElement[bool]) -> int:
        return await session.scalar(select(func.count()).select_from(model).where(where)) or 0

    return Counts(
        closed_cases=await count(Case, _closed_cases(periods, now)),
        outbox_texts=await count(OutboxMessage, _finished_messages(periods, now)),
        drafts=await count(ConversationState, _abandoned_states(periods, now)),
        orphan_uploads=len(await _orphan_uploads(session, storage, forms, periods, now)),
    )


async def erase_due(
    session: AsyncSession,
    *,
    storage: Storage,
    forms: Forms,
    periods: Periods,
    now: datetime | None = None,
) -> Counts:
    """Erase everything whose time is up at `now`; the caller commits."""
    now = now or utcnow()
    closed = (await session.scalars(select(Case).where(_closed_cases(periods, now)))).all()
    for case in closed:
        await cases.erase_case(session, case, forms=forms, storage=storage)
    outbox_texts = await changed_rows(
        session,
        update(OutboxMessage)
        .where(_finished_messages(periods, now))
        .values(text="", chat_id="", buttons=None)
        .execution_options(synchronize_session=False),
    )
    states = (
        await session.execute(
            select(ConversationState.channel, ConversationState.channel_user_id).where(
                _abandoned_states(periods, now)
            )
        )
    ).all()
    for channel, channel_user_id in states:
        await conversations.forget(session, channel=channel, channel_user_id=channel_user_id)
    orphans = await _orphan_uploads(session, storage, forms, periods, now)
    for key in orphans:
        await storage.delete(key)
    return Counts(
        closed_cases=len(closed),
        outbox_texts=outbox_texts,
        drafts=len(states),
        orphan_uploads=len(orphans),
    )
