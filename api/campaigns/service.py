"""Campaigns: safe-migration news written by staff, delivered to subscribers through the outbox.

A campaign is a draft until it is scheduled (now or at `send_at`). Each outbox claim first runs
`queue_due`: a due campaign becomes `sending` and its recipients are queued as outbox rows, a
batch per claim, in the claim's transaction; once every recipient is queued and none is pending
it is `sent`. The bot paces campaign rows apart from the messages people are waiting for."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import service as audit
from api.campaigns.models import Campaign, CampaignStatus
from api.campaigns.schemas import CampaignCounts, CampaignCreate, CampaignUpdate
from api.db import as_utc, dialect_insert, utcnow
from api.errors import Conflict, NotFound, Unprocessable
from api.i18n import N_, Catalogs
from api.outbox.models import OutboxMessage, OutboxStatus, Purpose
from api.reporters.models import Reporter
from api.staff.models import Staff

EDITABLE = {CampaignStatus.DRAFT, CampaignStatus.SCHEDULED}
CANCELLABLE = {CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.SENDING}
STOP_LINE = N_("To stop these messages, send /stop.")
COUNTED = {
    OutboxStatus.DELIVERED: "sent",
    OutboxStatus.FAILED: "failed",
    OutboxStatus.BLOCKED: "blocked",
    OutboxStatus.PENDING: "pending",
}


def _check_choices(
    data: CampaignCreate | CampaignUpdate,
    *,
    districts: Collection[str],
    languages: Collection[str],
) -> None:
    for slug in data.districts or ():
        if slug not in districts:
            raise Unprocessable(f"unknown district {slug!r}", code="unknown_district")
    for code in [*(data.languages or ()), *(data.texts or {})]:
        if code not in languages:
            raise Unprocessable(f"unknown language {code!r}", code="unknown_language")


async def create(
    session: AsyncSession,
    *,
    data: CampaignCreate,
    actor: Staff,
    districts: Collection[str],
    languages: Collection[str],
) -> Campaign:
    _check_choices(data, districts=districts, languages=languages)
    campaign = Campaign(
        title=data.title,
        texts=data.texts,
        districts=list(dict.fromkeys(data.districts)),
        languages=list(dict.fromkeys(data.languages)),
        status=CampaignStatus.DRAFT,
        created_by_id=actor.id,
        queued_through=0,
        all_queued=False,
    )
    session.add(campaign)
    await session.flush()
    await audit.record(session, actor=actor, action="campaign_created", campaign_id=campaign.id)
    return campaign


async def get(session: AsyncSession, campaign_id: int) -> Campaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id}", code="campaign_not_found")
    return campaign


async def list_all(session: AsyncSession) -> Sequence[Campaign]:
    """Every campaign, newest first."""
    return (await session.scalars(select(Campaign).order_by(Campaign.id.desc()))).all()


def _editable(campaign: Campaign) -> None:
    if campaign.status not in EDITABLE:
        raise Conflict(
            f"a campaign that is {campaign.status} cannot be changed", code="campaign_not_editable"
        )


async def update(
    session: AsyncSession,
    campaign: Campaign,
    *,
    data: CampaignUpdate,
    actor: Staff,
    districts: Collection[str],
    languages: Collection[str],
) -> Campaign:
    _editable(campaign)
    _check_choices(data, districts=districts, languages=languages)
    changed = data.model_dump(exclude_unset=True, exclude_none=True)
    for field in ("districts", "languages"):
        if field in changed:
            changed[field] = list(dict.fromkeys(changed[field]))
    for field, value in changed.items():
        setattr(campaign, field, value)
    if campaign.status == CampaignStatus.SCHEDULED:
        _check_complete(campaign)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="campaign_updated",
        campaign_id=campaign.id,
        fields=sorted(changed),
    )
    return campaign


def _check_complete(campaign: Campaign) -> None:
    """Refuse to send a campaign without districts, languages, or a text in each language."""
    if not campaign.districts:
        raise Unprocessable("choose at least one district", code="no_districts")
    if not campaign.languages:
        raise Unprocessable("choose at least one language", code="no_languages")
    missing = [code for code in campaign.languages if not campaign.texts.get(code)]
    if missing:
        raise Unprocessable(
            f"write the text in {', '.join(missing)}, or leave out those languages",
            code="missing_text",
        )


async def schedule(
    session: AsyncSession, campaign: Campaign, *, send_at: datetime | None, actor: Staff
) -> Campaign:
    """Send it at `send_at` (None or a past time: at once), when it is complete."""
    _editable(campaign)
    _check_complete(campaign)
    now = utcnow()
    campaign.send_at = max(as_utc(send_at), now) if send_at is not None else now
    campaign.status = CampaignStatus.SCHEDULED
    await session.flush()
    await audit.record(session, actor=actor, action="campaign_scheduled", campaign_id=campaign.id)
    return campaign


async def cancel(session: AsyncSession, campaign: Campaign, *, actor: Staff) -> Campaign:
    """Stop it: nothing more is sent (messages not yet sent are withdrawn from the outbox)."""
    if campaign.status not in CANCELLABLE:
        raise Conflict(
            f"a campaign that is {campaign.status} cannot be cancelled",
            code="campaign_not_cancellable",
        )
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.campaign_id == campaign.id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    campaign.status = CampaignStatus.CANCELLED
    campaign.finished_at = utcnow()
    await session.flush()
    await audit.record(session, actor=actor, action="campaign_cancelled", campaign_id=campaign.id)
    return campaign


async def counts(session: AsyncSession, campaign_ids: Sequence[int]) -> dict[int, CampaignCounts]:
    """The outbox rows of each campaign by outcome."""
    found = {campaign_id: CampaignCounts() for campaign_id in campaign_ids}
    rows = await session.execute(
        select(OutboxMessage.campaign_id, OutboxMessage.status, func.count())
        .where(OutboxMessage.campaign_id.in_(campaign_ids))
        .group_by(OutboxMessage.campaign_id, OutboxMessage.status)
    )
    for campaign_id, status, number in rows:
        # The column is nullable, but the IN filter keeps only rows of these campaigns.
        tally = found[cast(int, campaign_id)]
        tally.queued += number
        setattr(tally, COUNTED[OutboxStatus(status)], number)
    return found


def _recipients(districts: Sequence[str], languages: Sequence[str]) -> ColumnElement[bool]:
    """Subscribed to one of `districts`, speaking one of `languages`, and not blocking the bot."""
    return (
        Reporter.subscribed_at.is_not(None)
        & Reporter.blocked_at.is_(None)
        & Reporter.subscribed_district.in_(districts)
        & Reporter.language.in_(languages)
    )


async def audience(
    session: AsyncSession, *, districts: Sequence[str], languages: Sequence[str]
) -> dict[str, int]:
    """How many subscribers a campaign to these districts and languages reaches, by language."""
    rows = await session.execute(
        select(Reporter.language, func.count())
        .where(_recipients(districts, languages))
        .group_by(Reporter.language)
    )
    return {language: number for language, number in rows}


async def queue_due(session: AsyncSession, *, batch_size: int, catalogs: Catalogs) -> None:
    """Start the campaigns that are due, queue the next `batch_size` recipients of each one that
    is sending, and mark sent those with every recipient queued and none pending.

    On PostgreSQL two claims never queue the same campaign at once (FOR UPDATE SKIP LOCKED);
    the unique (campaign, reporter) of the outbox would stop a repeat anyway."""
    now = utcnow()
    due = (
        await session.scalars(
            select(Campaign)
            .where(
                or_(
                    Campaign.status == CampaignStatus.SENDING,
                    (Campaign.status == CampaignStatus.SCHEDULED) & (Campaign.send_at <= now),
                )
            )
            .order_by(Campaign.id)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for campaign in due:
        if campaign.status == CampaignStatus.SCHEDULED:
            campaign.status = CampaignStatus.SENDING
            campaign.started_at = now
        if not campaign.all_queued:
            await _queue_batch(session, campaign, batch_size=batch_size, catalogs=catalogs)
        elif not await _has_pending(session, campaign.id):
            campaign.status = CampaignStatus.SENT
            campaign.finished_at = now
    await session.flush()


async def _queue_batch(
    session: AsyncSession, campaign: Campaign, *, batch_size: int, catalogs: Catalogs
) -> None:
    recipients = (
        await session.execute(
            select(Reporter.id, Reporter.channel, Reporter.channel_user_id, Reporter.language)
            .where(
                Reporter.id > campaign.queued_through,
                _recipients(campaign.districts, campaign.languages),
            )
            .order_by(Reporter.id)
            .limit(batch_size)
        )
    ).all()
    if recipients:
        now = utcnow()
        texts = {
            code: f"{text}\n\n{catalogs.translator(code)(STOP_LINE)}"
            for code, text in campaign.texts.items()
        }
        rows = [
            {
                "channel": channel,
                "chat_id": chat_id,
                "text": texts[language],
                "purpose": Purpose.CAMPAIGN,
                "campaign_id": campaign.id,
                "reporter_id": reporter_id,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for reporter_id, channel, chat_id, language in recipients
        ]
        await session.execute(
            dialect_insert(session, OutboxMessage).values(rows).on_conflict_do_nothing()
        )
        campaign.queued_through = recipients[-1].id
    if len(recipients) < batch_size:
        campaign.all_queued = True


async def _has_pending(session: AsyncSession, campaign_id: int) -> bool:
    pending = await session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.campaign_id == campaign_id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .limit(1)
    )
    return pending is not None
