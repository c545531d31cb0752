"""The reporter's side of a case: their cases with staff messages, and their replies."""

from sqlalchemy import select

from api.cases import service
from api.cases.models import Case, CaseEvent, CaseMessage, CaseStatus, Referral
from api.outbox.models import OutboxMessage
from api.staff.models import Role, Staff

CASES = "/api/v1/cases"
MINE = "/api/v1/reporters/telegram/5550001/cases"


def sessionmaker(api):
    return api._transport.app.state.sessionmaker


async def staff_writes(api, reference: str, *, message: str, note: str) -> None:
    """A caseworker messages the reporter and adds an internal note (staff routes come later)."""
    async with sessionmaker(api)() as session:
        worker = Staff(username="ana", name="Ana", role=Role.AGENT, password_hash="-")
        session.add(worker)
        await session.flush()
        case = await service.get_by_reference(session, reference)
        notices = api._transport.app.state.notices
        await service.message_reporter(session, case, text=message, actor=worker, notices=notices)
        await service.add_note(session, case, text=note, actor=worker)
        await session.commit()


async def reply(api, reference: str, text: str, key: str, user: str = "5550001"):
    body = {"channel": "telegram", "channel_user_id": user, "text": text, "message_key": key}
    return await api.post(f"{CASES}/{reference}/replies", json=body)


async def test_reporters_see_their_cases_with_staff_messages_but_not_notes(api, report):
    assert (await api.get(MINE)).json() == []
    older = (await api.post(CASES, json=report("offer"))).json()["reference"]
    newer = (await api.post(CASES, json=report("question"))).json()["reference"]
    await api.post(CASES, json=report("question", channel_user_id="someone-else"))
    await staff_writes(api, older, message="We are checking the agency.", note="PT not licensed")
    assert (await reply(api, older, "Thank you", "m-1")).status_code == 201

    cases = (await api.get(MINE)).json()
    assert [(c["reference"], c["kind"], c["status"]) for c in cases] == [
        (newer, "question", "new"),
        (older, "offer", "new"),
    ]
    assert cases[0]["messages"] == []
    thread = [(m["direction"], m["text"]) for m in cases[1]["messages"]]
    assert thread == [
        ("to_reporter", "We are checking the agency."),
        ("from_reporter", "Thank you"),
    ]
    assert cases[1]["created_at"].endswith(("+00:00", "Z"))


async def test_reporters_see_where_a_referred_case_was_passed(api, report):
    referred = (await api.post(CASES, json=report("danger"))).json()["reference"]
    await api.post(CASES, json=report("question"))
    async with sessionmaker(api)() as session:
        worker = Staff(username="ana", name="Ana", role=Role.AGENT, password_hash="-")
        session.add(worker)
        await session.flush()
        case = await service.get_by_reference(session, referred)
        await service.transition(session, case, to=CaseStatus.TRIAGED, actor=worker)
        await service.transition(
            session, case, to=CaseStatus.REFERRED, actor=worker, referral=Referral.POLICE
        )
        await session.commit()
    cases = {c["kind"]: c for c in (await api.get(MINE)).json()}
    assert (cases["danger"]["status"], cases["danger"]["referral"]) == ("referred", "police")
    assert cases["question"]["referral"] is None


async def test_a_reply_joins_the_thread_once_and_marks_news(api, report):
    reference = (await api.post(CASES, json=report("missing"))).json()["reference"]
    first = await reply(api, reference.lower(), "She called from Johor!", "update-17")
    again = await reply(api, reference, "She called from Johor!", "update-17")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == {"reference": reference, "created": True}
    assert again.json() == {"reference": reference, "created": False}
    async with sessionmaker(api)() as session:
        case = await session.scalar(select(Case).where(Case.reference == reference))
        messages = (await session.scalars(select(CaseMessage))).all()
        events = (await session.scalars(select(CaseEvent).order_by(CaseEvent.id))).all()
    assert case.has_news is True and case.last_reporter_message_at is not None
    assert [(m.direction, m.channel_message_key) for m in messages] == [
        ("from_reporter", "update-17")
    ]
    assert [e.kind for e in events] == ["opened", "reporter_message"]
    assert case.priority == "high"


async def test_a_reply_to_someone_elses_case_looks_like_an_unknown_one(api, report):
    reference = (await api.post(CASES, json=report("offer"))).json()["reference"]
    strangers = await reply(api, reference, "hello", "k1", user="intruder")
    unknown = await reply(api, "NTT-2222AA", "hello", "k1")
    malformed = await reply(api, "anything", "hello", "k1")
    assert [r.status_code for r in (strangers, unknown, malformed)] == [404, 404, 404]
    assert strangers.json() == {"detail": f"no case '{reference}'", "code": "case_not_found"}
    assert unknown.json()["code"] == malformed.json()["code"] == "case_not_found"


async def test_danger_words_in_a_reply_make_the_case_urgent_and_alert_staff(api, report):
    reference = (await api.post(CASES, json=report("offer"))).json()["reference"]
    await reply(api, reference, "Now they are saying I can go next week", "k1")
    await reply(api, reference, "tolong, dong kasi kurung beta di mes", "k2")
    await reply(api, reference, "dong pukul beta lai", "k3")
    async with sessionmaker(api)() as session:
        case = await session.scalar(select(Case).where(Case.reference == reference))
        changes = (
            await session.scalars(select(CaseEvent).where(CaseEvent.kind == "priority_changed"))
        ).all()
        alerts = (await session.scalars(select(OutboxMessage))).all()
    assert case.priority == "urgent"
    assert [(e.data, e.actor_staff_id) for e in changes] == [
        ({"from": "normal", "to": "urgent"}, None)
    ]
    assert len(alerts) == 1 and alerts[0].purpose == "staff_alert"
    assert reference in alerts[0].text and "kurung" not in alerts[0].text


async def test_replies_are_validated(api, report):
    reference = (await api.post(CASES, json=report("offer"))).json()["reference"]
    assert (await reply(api, reference, "   ", "k1")).status_code == 422
    assert (await reply(api, reference, "x" * 4001, "k1")).status_code == 422
    assert (await reply(api, reference, "ok", "")).status_code == 422


async def test_the_safety_check_finds_danger_words_as_people_write_them(api):
    async def danger(text: str) -> bool:
        response = await api.post("/api/v1/safety/check", json={"text": text})
        assert response.status_code == 200
        return response.json()["danger"]

    for text in (
        "Saya DIKURUNGGG majikan",
        "d1kurung",
        "please HELP ME",
        "dong pukul beta",
        "Ami la bele fila",
        "saya tdk boleh pulang",
    ):
        assert await danger(text), text
    for text in ("saya mau kerja di Hong Kong", "my phone is unlocked", "helpme", "pukulan"):
        assert not await danger(text), text
