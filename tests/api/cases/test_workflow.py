"""The workflow through the service functions: every transition allowed or refused, what
each needs, and the timeline and messages each change writes."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cases import districts, service
from api.cases.danger import DangerWords
from api.cases.models import Case, CaseEvent, CaseMessage, CaseStatus, Priority, Referral
from api.cases.notices import Notices
from api.cases.schemas import CaseCreate
from api.cases.storage import LocalFolderStorage
from api.db import create_engine, create_sessionmaker
from api.errors import DomainError
from api.forms import declarations as forms
from api.forms.declarations import Forms
from api.forms.service import checked_document
from api.i18n import Catalogs
from api.outbox.models import OutboxMessage
from api.settings import PROJECT_ROOT
from api.staff.models import Role, Staff

ALLOWED = {
    ("new", "triaged"),
    ("new", "in_progress"),
    ("new", "closed"),
    ("triaged", "in_progress"),
    ("triaged", "referred"),
    ("triaged", "closed"),
    ("in_progress", "referred"),
    ("in_progress", "closed"),
    ("referred", "in_progress"),
    ("referred", "closed"),
    ("closed", "in_progress"),  # a reopening
}


@dataclass
class Desk:
    session: AsyncSession
    danger: DangerWords
    notices: Notices
    storage: LocalFolderStorage
    forms: Forms
    agent: Staff
    supervisor: Staff

    async def case(self, body: dict) -> Case:
        data = CaseCreate.model_validate(body)
        form = self.forms[data.kind]
        case, _created = await service.create(
            self.session,
            data=data,
            form=form,
            document=checked_document(
                form,
                data.details,
                self.notices.districts,
                district=data.district,
                country=data.destination_country,
            ),
            danger=self.danger,
            notices=self.notices,
            storage=self.storage,
        )
        return case

    async def events(self, case: Case) -> list[CaseEvent]:
        query = select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        return list((await self.session.scalars(query)).all())


@pytest.fixture
async def desk(database_url: str, tmp_path: Path) -> AsyncIterator[Desk]:
    content = PROJECT_ROOT / "content"
    engine = create_engine(database_url)
    async with create_sessionmaker(engine)() as session:
        agent = Staff(username="ana", name="Ana", role=Role.AGENT, password_hash="-")
        supervisor = Staff(username="sam", name="Sam", role=Role.SUPERVISOR, password_hash="-")
        session.add_all([agent, supervisor])
        await session.flush()
        yield Desk(
            session=session,
            danger=DangerWords.load(content),
            notices=Notices(
                catalogs=Catalogs(PROJECT_ROOT / "locales"),
                districts=districts.load(content),
                forms=forms.load(content),
                staff_chat_id=None,
                staff_chat_channel="telegram",
                public_url="https://helpline.example",
            ),
            storage=LocalFolderStorage(tmp_path),
            forms=forms.load(content),
            agent=agent,
            supervisor=supervisor,
        )
    await engine.dispose()


def refused(raised: pytest.ExceptionInfo[DomainError]) -> tuple[int, str]:
    return raised.value.status_code, raised.value.code


async def test_every_transition_is_allowed_or_refused(desk, report):
    case = await desk.case(report("question"))
    for current, to in product(CaseStatus, CaseStatus):
        case.status = current
        change = service.transition(
            desk.session,
            case,
            to=to,
            actor=desk.agent,
            reason="news from the family",
            referral=Referral.POLICE,
            resolution="answered",
        )
        if (current, to) in ALLOWED:
            assert (await change).status == to
        else:
            with pytest.raises(DomainError) as raised:
                await change
            assert refused(raised) == (409, "invalid_transition")
            assert raised.value.message == f"a case cannot go from {current} to {to}"
            assert case.status == current


async def test_a_case_walks_the_whole_path_with_a_timeline(desk, report):
    case = await desk.case(report("danger"))
    for to in ("triaged", "in_progress"):
        await service.transition(desk.session, case, to=CaseStatus(to), actor=desk.agent)
    await service.transition(
        desk.session,
        case,
        to=CaseStatus.REFERRED,
        actor=desk.agent,
        referral=Referral.BP3MI,
        referral_note="sent to BP3MI NTT desk",
    )
    await service.transition(
        desk.session, case, to=CaseStatus.CLOSED, actor=desk.supervisor, resolution="returned"
    )
    assert (case.referral, case.referral_note) == ("bp3mi", "sent to BP3MI NTT desk")
    assert case.resolution == "returned" and case.closed_at is not None
    events = [(e.kind, e.data, e.actor_staff_id, e.audience) for e in await desk.events(case)]
    agent, supervisor = desk.agent.id, desk.supervisor.id
    assert events == [
        ("opened", {"kind": "danger", "priority": "high"}, None, "reporter"),
        ("status_changed", {"from": "new", "to": "triaged"}, agent, "reporter"),
        ("status_changed", {"from": "triaged", "to": "in_progress"}, agent, "reporter"),
        (
            "referred",
            {"from": "in_progress", "to": "referred", "referral": "bp3mi"},
            agent,
            "reporter",
        ),
        ("closed", {"from": "referred", "to": "closed"}, supervisor, "reporter"),
    ]


async def test_referring_needs_a_target(desk, report):
    case = await desk.case(report("offer"))
    await service.transition(desk.session, case, to=CaseStatus.TRIAGED, actor=desk.agent)
    with pytest.raises(DomainError) as raised:
        await service.transition(desk.session, case, to=CaseStatus.REFERRED, actor=desk.agent)
    assert refused(raised) == (422, "referral_required")
    assert "police" in raised.value.message
    assert case.status == "triaged"


async def test_closing_needs_a_resolution(desk, report):
    case = await desk.case(report("offer"))
    for resolution in (None, "  "):
        with pytest.raises(DomainError) as raised:
            await service.transition(
                desk.session, case, to=CaseStatus.CLOSED, actor=desk.agent, resolution=resolution
            )
        assert refused(raised) == (422, "resolution_required")
    assert case.status == "new" and case.closed_at is None


async def test_reopening_needs_a_reason_kept_as_a_note(desk, report):
    case = await desk.case(report("missing"))
    await service.transition(
        desk.session, case, to=CaseStatus.CLOSED, actor=desk.agent, resolution="found"
    )
    for reason in (None, ""):
        with pytest.raises(DomainError) as raised:
            await service.transition(
                desk.session, case, to=CaseStatus.IN_PROGRESS, actor=desk.agent, reason=reason
            )
        assert refused(raised) == (422, "reason_required")
    with pytest.raises(DomainError) as raised:
        await service.transition(
            desk.session, case, to=CaseStatus.TRIAGED, actor=desk.agent, reason="again"
        )
    assert refused(raised) == (409, "invalid_transition")
    await service.transition(
        desk.session,
        case,
        to=CaseStatus.IN_PROGRESS,
        actor=desk.supervisor,
        reason="she is missing again",
    )
    assert (case.status, case.closed_at) == ("in_progress", None)
    reopened = (await desk.events(case))[-1]
    note = await desk.session.get(CaseMessage, reopened.data["note_id"])
    assert (reopened.kind, reopened.actor_staff_id) == ("reopened", desk.supervisor.id)
    assert reopened.data == {"from": "closed", "to": "in_progress", "note_id": note.id}
    assert (note.direction, note.text, note.staff_id) == (
        "note",
        "she is missing again",
        desk.supervisor.id,
    )


async def test_assigning_writes_who_gave_it_to_whom(desk, report):
    case = await desk.case(report("offer"))
    await service.assign(desk.session, case, assignee_id=desk.agent.id, actor=desk.supervisor)
    await service.assign(desk.session, case, assignee_id=desk.agent.id, actor=desk.supervisor)
    await service.assign(desk.session, case, assignee_id=None, actor=desk.supervisor)
    desk.agent.active = False
    for assignee_id in (desk.agent.id, 999_999):
        with pytest.raises(DomainError) as raised:
            await service.assign(desk.session, case, assignee_id=assignee_id, actor=desk.supervisor)
        assert refused(raised) == (422, "unknown_staff")
    assert case.assignee_id is None
    assigned = [(e.data, e.actor_staff_id, e.audience) for e in (await desk.events(case))[1:]]
    assert assigned == [
        ({"from": None, "to": desk.agent.id}, desk.supervisor.id, "internal"),
        ({"from": desk.agent.id, "to": None}, desk.supervisor.id, "internal"),
    ]


async def test_priority_changes_are_internal_events(desk, report):
    case = await desk.case(report("question"))
    await service.set_priority(desk.session, case, priority=Priority.HIGH, actor=desk.agent)
    await service.set_priority(desk.session, case, priority=Priority.HIGH, actor=desk.agent)
    events = await desk.events(case)
    assert case.priority == "high"
    assert [(e.kind, e.data, e.audience) for e in events[1:]] == [
        ("priority_changed", {"from": "low", "to": "high"}, "internal")
    ]


async def test_a_note_is_never_sent(desk, report):
    case = await desk.case(report("offer"))
    note = await service.add_note(desk.session, case, text="recruiter known", actor=desk.agent)
    assert (note.direction, note.delivery_status) == ("note", None)
    event = (await desk.events(case))[-1]
    assert (event.kind, event.data, event.audience) == (
        "note",
        {"message_id": note.id},
        "internal",
    )
    assert await desk.session.scalar(select(OutboxMessage)) is None
    assert case.first_response_at is None


async def test_a_message_to_the_reporter_goes_to_the_outbox_in_their_language(desk, report):
    case = await desk.case(report("question", channel_user_id="4242", language="en"))
    first = await service.message_reporter(
        desk.session, case, text="It takes about a week.", actor=desk.agent, notices=desk.notices
    )
    responded_at = case.first_response_at
    await service.message_reporter(
        desk.session, case, text="Any news?", actor=desk.agent, notices=desk.notices
    )
    assert responded_at == first.at and case.first_response_at == responded_at
    assert (first.direction, first.delivery_status, first.staff_id) == (
        "to_reporter",
        "pending",
        desk.agent.id,
    )
    outbox = (await desk.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [(o.channel, o.chat_id, o.purpose, o.status) for o in outbox] == [
        ("telegram", "4242", "reporter_message", "pending")
    ] * 2
    assert outbox[0].case_message_id == first.id
    assert outbox[0].text == (
        f"Message from the helpline about your report {case.reference}:\n\nIt takes about a week."
    )
    reply = {"label": "↩️ Reply", "action": "reply_to_case", "case": case.reference}
    assert outbox[0].buttons == [[reply]]
    event = (await desk.events(case))[1]
    assert (event.kind, event.data, event.audience) == (
        "message_to_reporter",
        {"message_id": first.id},
        "reporter",
    )


async def test_an_erased_reporter_cannot_be_messaged(desk, report):
    case = await desk.case(report("danger"))
    await service.erase_reporter_data(
        desk.session, case.reporter_id, forms=desk.forms, storage=desk.storage
    )
    with pytest.raises(DomainError) as raised:
        await service.message_reporter(
            desk.session, case, text="Hello?", actor=desk.agent, notices=desk.notices
        )
    assert refused(raised) == (409, "reporter_erased")
    assert (await desk.events(case))[-1].kind == "erased"
