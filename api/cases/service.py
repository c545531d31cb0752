"""Cases: creating them from reports, their workflow, timeline and messages.

Plain async functions, session first; they never commit (the request does). Every change
writes its timeline event, and every message to deliver its outbox row, in the same
transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from api import encryption
from api.audit import service as audit
from api.cases import references, search_terms, workflow
from api.cases.danger import DangerWords
from api.cases.models import (
    Audience,
    Case,
    CaseEvent,
    CaseMessage,
    CaseStatus,
    DeliveryStatus,
    Direction,
    EventKind,
    Priority,
    Referral,
)
from api.cases.notices import Notices
from api.cases.schemas import CaseCreate
from api.cases.storage import Storage
from api.db import as_utc, changed_rows, insert_or_ignore, utcnow
from api.errors import Conflict, Forbidden, NotFound, Unprocessable
from api.forms import service as forms
from api.forms.declarations import Form, Forms
from api.outbox import service as outbox
from api.outbox.models import Purpose
from api.reporters import service as reporters
from api.reporters.models import Reporter
from api.staff.models import Role, Staff

REFERENCE_TRIES = 5
REPORTER_EVENTS = {  # what the reporter may see of the timeline; the rest is internal
    EventKind.OPENED,
    EventKind.STATUS_CHANGED,
    EventKind.REFERRED,
    EventKind.CLOSED,
    EventKind.REOPENED,
    EventKind.MESSAGE_TO_REPORTER,
    EventKind.REPORTER_MESSAGE,
}


def _record(
    session: AsyncSession,
    case: Case,
    kind: EventKind,
    *,
    actor: Staff | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        at=utcnow(),
        kind=kind,
        actor_staff_id=actor.id if actor else None,
        data=data or {},
        audience=Audience.REPORTER if kind in REPORTER_EVENTS else Audience.INTERNAL,
    )
    session.add(event)
    return event


async def _by_submission(session: AsyncSession, submission_id: str) -> Case | None:
    return await session.scalar(select(Case).where(Case.submission_id == submission_id))


async def _alert_staff(session: AsyncSession, case: Case, notices: Notices) -> None:
    """Tell the staff chat about an urgent case (when a staff chat is configured)."""
    if notices.staff_chat_id:
        await outbox.enqueue(
            session,
            channel=notices.staff_chat_channel,
            chat_id=notices.staff_chat_id,
            text=notices.staff_alert(case),
            purpose=Purpose.STAFF_ALERT,
        )


def _place(data: CaseCreate, form: Form, document: dict) -> tuple[str | None, str | None]:
    """The case's district and destination country: given, or else the form's place fields."""
    district = data.district or (document.get(form.place.district) if form.place.district else None)
    country = data.destination_country or (
        document.get(form.place.country) if form.place.country else None
    )
    return district, country


async def create(
    session: AsyncSession,
    *,
    data: CaseCreate,
    form: Form,
    document: dict,
    danger: DangerWords,
    notices: Notices,
    storage: Storage,
) -> tuple[Case, bool]:
    """The case of this submission from its details checked by `form`, and whether it was
    made now (False: it already existed).

    An urgent answer by the form's rules (danger now, a minor), a danger word in any text, or
    danger the channel noticed makes it urgent and alerts the staff chat."""
    submission_id = str(data.submission_id)
    existing = await _by_submission(session, submission_id)
    if existing is not None:
        return existing, False
    photo = document.get(form.photo_field) if form.photo_field else None
    if photo:
        try:
            await storage.open(photo)
        except NotFound as error:
            raise Unprocessable(
                "unknown photo upload key: upload the photo first", code="unknown_upload"
            ) from error
    text = forms.document_text(document)
    urgent = forms.is_urgent(form, document) or data.danger_noticed or bool(danger.find(text))
    priority = Priority.URGENT if urgent else Priority(form.priority)
    district, country = _place(data, form, document)
    reporter = await reporters.get_or_create(
        session,
        channel=data.channel,
        channel_user_id=data.channel_user_id,
        language=data.language,
    )
    for _ in range(REFERENCE_TRIES):
        now = utcnow()
        case = await session.scalar(
            insert_or_ignore(
                session,
                Case,
                reference=references.new(),
                submission_id=submission_id,
                kind=data.kind,
                status=CaseStatus.NEW,
                priority=priority,
                district=district,
                destination_country=country,
                language=data.language,
                reporter_id=reporter.id,
                created_at=now,
                updated_at=now,
                has_news=False,
                details=document,
                search_text=search_terms.index(text, encryption.keyring()),
            ).returning(Case)
        )
        if case is not None:
            break
        existing = await _by_submission(session, submission_id)
        if existing is not None:  # the same submission, from a concurrent request
            return existing, False
    else:
        raise RuntimeError(f"no free case reference in {REFERENCE_TRIES} tries")

    _record(session, case, EventKind.OPENED, data={"kind": case.kind, "priority": case.priority})
    if urgent:
        await _alert_staff(session, case, notices)
    await session.flush()
    return case, True


def _no_case(reference: str) -> NotFound:
    return NotFound(f"no case {reference.strip()[:20]!r}", code="case_not_found")


async def get_by_reference(session: AsyncSession, reference: str) -> Case:
    """The case with this reference (as typed: any case, spaces around); NotFound if none."""
    clean = references.clean(reference)
    case = await session.scalar(select(Case).where(Case.reference == clean)) if clean else None
    if case is None:
        raise _no_case(reference)
    return case


async def get_reporters_case(
    session: AsyncSession, reference: str, *, channel: str, channel_user_id: str
) -> Case:
    """The case if it is this user's; otherwise the same NotFound as for an unknown
    reference, so that nobody learns which references exist."""
    case = await get_by_reference(session, reference)
    reporter = await reporters.get(session, channel=channel, channel_user_id=channel_user_id)
    if reporter is None or case.reporter_id != reporter.id:
        raise _no_case(reference)
    return case


async def list_for_reporter(
    session: AsyncSession, *, reporter_id: int
) -> list[tuple[Case, list[CaseMessage]]]:
    """The reporter's cases, newest first, each with its thread as the reporter sees it
    (staff messages and their own replies, never internal notes)."""
    cases = (
        await session.scalars(
            select(Case)
            .where(Case.reporter_id == reporter_id)
            .order_by(Case.created_at.desc(), Case.id.desc())
        )
    ).all()
    threads: dict[int, list[CaseMessage]] = {case.id: [] for case in cases}
    if cases:
        messages = await session.scalars(
            select(CaseMessage)
            .where(
                CaseMessage.case_id.in_(threads),
                CaseMessage.direction.in_([Direction.TO_REPORTER, Direction.FROM_REPORTER]),
            )
            .order_by(CaseMessage.at, CaseMessage.id)
        )
        for message in messages:
            threads[message.case_id].append(message)
    return [(case, threads[case.id]) for case in cases]


AWAITED_REPLY_DAYS = 30  # a staff message older than this no longer makes words a reply


# built once, its values given at execution: asked of every typed message
_OPEN_CASES_OF = (
    select(Case.id, Case.reference)
    .join(Reporter, Case.reporter_id == Reporter.id)
    .where(
        Reporter.channel == bindparam("channel"),
        Reporter.channel_user_id == bindparam("channel_user_id"),
        Case.status != CaseStatus.CLOSED,
    )
    .order_by(Case.created_at.desc(), Case.id.desc())
)


async def awaiting_reply(
    session: AsyncSession, *, channel: str, channel_user_id: str
) -> str | None:
    """The reference of the reporter's open case whose thread ends with a staff message (sent
    in the last `AWAITED_REPLY_DAYS`), the newest such case: what they type next is most likely
    their answer to it. Asked of every typed message, so it reads no message text: one query
    when the reporter has no open case (most people), two otherwise."""
    open_cases = (
        await session.execute(
            _OPEN_CASES_OF, {"channel": channel, "channel_user_id": channel_user_id}
        )
    ).all()
    if not open_cases:
        return None
    last_direction: dict[int, tuple[Direction, datetime]] = {}
    for case_id, direction, at in await session.execute(
        select(CaseMessage.case_id, CaseMessage.direction, CaseMessage.at)
        .where(
            CaseMessage.case_id.in_([case_id for case_id, _ in open_cases]),
            CaseMessage.direction.in_([Direction.TO_REPORTER, Direction.FROM_REPORTER]),
        )
        .order_by(CaseMessage.at, CaseMessage.id)
    ):
        last_direction[case_id] = (direction, at)
    since = utcnow() - timedelta(days=AWAITED_REPLY_DAYS)
    for case_id, reference in open_cases:
        if case_id in last_direction:
            direction, at = last_direction[case_id]
            if direction == Direction.TO_REPORTER and as_utc(at) >= since:
                return reference
    return None


async def _change_priority(
    session: AsyncSession, case: Case, priority: Priority, *, actor: Staff | None
) -> bool:
    if case.priority == priority:
        return False
    _record(
        session,
        case,
        EventKind.PRIORITY_CHANGED,
        actor=actor,
        data={"from": case.priority, "to": priority},
    )
    case.priority = priority
    return True


async def add_reporter_message(
    session: AsyncSession,
    case: Case,
    *,
    text: str,
    message_key: str,
    danger: DangerWords,
    notices: Notices,
) -> tuple[CaseMessage, bool]:
    """A reply of the reporter, once per `message_key`; marks the case as having news.
    Danger words in it make the case urgent and alert the staff chat."""
    now = utcnow()
    message = await session.scalar(
        insert_or_ignore(
            session,
            CaseMessage,
            case_id=case.id,
            at=now,
            direction=Direction.FROM_REPORTER,
            text=text,
            channel_message_key=message_key,
        ).returning(CaseMessage)
    )
    if message is None:
        repeated = await session.scalars(
            select(CaseMessage).where(
                CaseMessage.case_id == case.id, CaseMessage.channel_message_key == message_key
            )
        )
        return repeated.one(), False
    case.has_news = True
    case.last_reporter_message_at = now
    _record(session, case, EventKind.REPORTER_MESSAGE, data={"message_id": message.id})
    if danger.find(text) and await _change_priority(session, case, Priority.URGENT, actor=None):
        await _alert_staff(session, case, notices)
    await session.flush()
    return message, True


async def assign(
    session: AsyncSession, case: Case, *, assignee_id: int | None, actor: Staff
) -> Case:
    """Give the case to an active staff member (None: back to the unassigned queue).

    Supervisors and admins assign anyone; an agent can only take an unassigned case for
    themselves, and of two agents taking it at once the second gets 409 `case_taken`."""
    if actor.role == Role.AGENT:
        if assignee_id != actor.id or case.assignee_id not in (None, actor.id):
            raise Forbidden(
                "an agent can only take an unassigned case for themselves", code="take_only"
            )
        return await _take(session, case, actor=actor)
    if assignee_id == case.assignee_id:
        return case
    if assignee_id is not None:
        assignee = await session.get(Staff, assignee_id)
        if assignee is None or not assignee.active:
            raise Unprocessable(f"no active staff member {assignee_id}", code="unknown_staff")
    await _assigned(session, case, previous=case.assignee_id, to=assignee_id, actor=actor)
    case.assignee_id = assignee_id
    await session.flush()
    return case


async def _take(session: AsyncSession, case: Case, *, actor: Staff) -> Case:
    """Assign the case to `actor` only while nobody has it (one UPDATE: no race)."""
    if case.assignee_id == actor.id:
        return case
    taken = await changed_rows(
        session,
        update(Case)
        .where(Case.id == case.id, Case.assignee_id.is_(None))
        .values(assignee_id=actor.id)
        .execution_options(synchronize_session=False),
    )
    await session.refresh(case, ["assignee_id", "updated_at"])
    if taken != 1:
        if case.assignee_id == actor.id:  # their own take, repeated concurrently
            return case
        raise Conflict("another agent has just taken this case", code="case_taken")
    await _assigned(session, case, previous=None, to=actor.id, actor=actor)
    await session.flush()
    return case


async def _assigned(
    session: AsyncSession, case: Case, *, previous: int | None, to: int | None, actor: Staff
) -> None:
    _record(session, case, EventKind.ASSIGNED, actor=actor, data={"from": previous, "to": to})
    await audit.record(
        session, actor=actor, action="case_assigned", case_id=case.id, assignee_id=to
    )


async def _add_message(
    session: AsyncSession,
    case: Case,
    *,
    direction: Direction,
    text: str,
    actor: Staff,
    delivery_status: DeliveryStatus | None = None,
) -> CaseMessage:
    message = CaseMessage(
        case_id=case.id,
        at=utcnow(),
        direction=direction,
        text=text,
        staff_id=actor.id,
        delivery_status=delivery_status,
    )
    session.add(message)
    await session.flush()
    return message


async def transition(
    session: AsyncSession,
    case: Case,
    *,
    to: CaseStatus,
    actor: Staff,
    reason: str | None = None,
    referral: Referral | None = None,
    referral_note: str | None = None,
    resolution: str | None = None,
) -> Case:
    """Change the status as the workflow allows (see `workflow`), with its timeline event.

    A reopening keeps its reason as an internal note; the event refers to it by id."""
    current = case.status
    kind = workflow.check(current, to, reason=reason, referral=referral, resolution=resolution)
    data: dict[str, Any] = {"from": current, "to": to}
    if kind == EventKind.REOPENED:
        note = await _add_message(
            session, case, direction=Direction.NOTE, text=reason or "", actor=actor
        )
        data["note_id"] = note.id
        case.closed_at = None
    elif kind == EventKind.REFERRED:
        case.referral = referral
        case.referral_note = referral_note
        data["referral"] = referral
    elif kind == EventKind.CLOSED:
        case.resolution = resolution
        case.closed_at = utcnow()
    case.status = to
    _record(session, case, kind, actor=actor, data=data)
    await audit.record(
        session,
        actor=actor,
        action=f"case_{kind}",
        case_id=case.id,
        from_status=current,
        to_status=to,
    )
    await session.flush()
    return case


async def set_priority(
    session: AsyncSession, case: Case, *, priority: Priority, actor: Staff
) -> Case:
    if await _change_priority(session, case, priority, actor=actor):
        await audit.record(
            session, actor=actor, action="case_priority_changed", case_id=case.id, priority=priority
        )
    return case


async def add_note(session: AsyncSession, case: Case, *, text: str, actor: Staff) -> CaseMessage:
    """An internal note: in the case thread for staff, never sent to the reporter."""
    note = await _add_message(session, case, direction=Direction.NOTE, text=text, actor=actor)
    _record(session, case, EventKind.NOTE, actor=actor, data={"message_id": note.id})
    await audit.record(
        session, actor=actor, action="case_note_added", case_id=case.id, message_id=note.id
    )
    return note


async def message_reporter(
    session: AsyncSession, case: Case, *, text: str, actor: Staff, notices: Notices
) -> CaseMessage:
    """A staff message to the reporter: kept in the thread and put in the outbox, together.
    The first one is the case's first response."""
    reporter = await session.get(Reporter, case.reporter_id) if case.reporter_id else None
    if reporter is None:
        raise Conflict(
            "the reporter deleted their data; they can no longer be messaged",
            code="reporter_erased",
        )
    message = await _add_message(
        session,
        case,
        direction=Direction.TO_REPORTER,
        text=text,
        actor=actor,
        delivery_status=DeliveryStatus.PENDING,
    )
    body, buttons = notices.to_reporter(case, text)
    await outbox.enqueue(
        session,
        channel=reporter.channel,
        chat_id=reporter.channel_user_id,
        text=body,
        buttons=buttons,
        purpose=Purpose.REPORTER_MESSAGE,
        case_message_id=message.id,
    )
    if case.first_response_at is None:
        case.first_response_at = message.at
    _record(
        session, case, EventKind.MESSAGE_TO_REPORTER, actor=actor, data={"message_id": message.id}
    )
    await audit.record(
        session, actor=actor, action="case_message_sent", case_id=case.id, message_id=message.id
    )
    return message


async def mark_seen(session: AsyncSession, case: Case) -> None:
    """A staff member opened the case: the reporter's news is seen. Not a change of the case:
    `updated_at` stays."""
    if case.has_news:
        await session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(has_news=False, updated_at=Case.updated_at)
            .execution_options(synchronize_session=False)
        )
        set_committed_value(case, "has_news", False)


def photo_key(case: Case, forms: Forms) -> str | None:
    """The key of the report's photo, if it has one."""
    form = forms.get(case.kind)
    return case.details.get(form.photo_field) if form and form.photo_field else None


async def get_photo(case: Case, *, forms: Forms, storage: Storage) -> tuple[bytes, str]:
    """The photo of a report and its media type; NotFound when there is none."""
    key = photo_key(case, forms)
    if not key:
        raise NotFound(f"case {case.reference} has no photo", code="no_photo")
    return await storage.open(key), "image/png" if key.endswith(".png") else "image/jpeg"


@dataclass(frozen=True)
class TimelineItem:
    event: CaseEvent
    message: CaseMessage | None  # the note or message the event is about


async def timeline(session: AsyncSession, case: Case) -> tuple[list[TimelineItem], dict[int, str]]:
    """The case's events, oldest first, each with its message, and the names of the staff
    members who appear in them, by id."""
    events = (
        await session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    ).all()
    messages = {
        message.id: message
        for message in await session.scalars(
            select(CaseMessage).where(CaseMessage.case_id == case.id)
        )
    }
    staff_ids = {e.actor_staff_id for e in events} | {m.staff_id for m in messages.values()}
    staff_ids.discard(None)
    names = dict(
        (await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids)))).all()
    )
    items = [
        TimelineItem(
            event, messages.get(event.data.get("message_id", event.data.get("note_id")) or 0)
        )
        for event in events
    ]
    return items, names


async def erase_reporter_data(
    session: AsyncSession, reporter_id: int, *, forms: Forms, storage: Storage
) -> None:
    """Blank the personal data of a reporter's cases: the details that name or reach anyone,
    every free text (details, thread, referral note, resolution), photos and undelivered or
    delivered outbox copies. The cases stay, unlinked from the reporter, for the statistics,
    each with an `erased` event. Photos are deleted at once: a later rollback cannot bring
    them back, which is what the reporter asked for anyway."""
    cases = (await session.scalars(select(Case).where(Case.reporter_id == reporter_id))).all()
    for case in cases:
        await erase_case(session, case, forms=forms, storage=storage)


async def erase_case(session: AsyncSession, case: Case, *, forms: Forms, storage: Storage) -> None:
    """Blank the personal data of one case (see `erase_reporter_data`); retention erases
    closed cases this way once their time is up."""
    photo = photo_key(case, forms)
    form = forms.get(case.kind)
    personal = set(form.personal_fields) if form else set(case.details)
    case.details = {k: v for k, v in case.details.items() if k not in personal}
    if photo:
        await storage.delete(photo)
    message_ids = (
        await session.scalars(select(CaseMessage.id).where(CaseMessage.case_id == case.id))
    ).all()
    await outbox.forget_case_messages(session, message_ids)
    await session.execute(
        update(CaseMessage)
        .where(CaseMessage.case_id == case.id)
        .values(text="")
        .execution_options(synchronize_session=False)
    )
    case.reporter_id = None
    case.referral_note = None
    case.resolution = None
    case.search_text = ""
    _record(session, case, EventKind.ERASED)
    await session.flush()


async def kept_photos(session: AsyncSession, keys: Sequence[str], forms: Forms) -> set[str]:
    """Which of these upload keys are the photo of a case (the others are orphans)."""
    wanted = set(keys)
    if not wanted:
        return set()
    photo_fields = {kind: form.photo_field for kind, form in forms.items() if form.photo_field}
    found = set()
    rows = await session.execute(
        select(Case.kind, Case.details).where(Case.kind.in_(list(photo_fields)))
    )
    for kind, details in rows:
        key = details.get(photo_fields[kind])
        if key in wanted:
            found.add(key)
    return found
