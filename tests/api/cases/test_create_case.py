"""POST /api/v1/cases: one case per submission, consent, validation, priority and alerts."""

import asyncio
import re

from sqlalchemy import func, select

from api.cases.models import Case, CaseEvent
from api.outbox.models import OutboxMessage

URL = "/api/v1/cases"
REFERENCE = re.compile(r"NTT-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}")


def sessionmaker(api):
    return api._transport.app.state.sessionmaker


async def count(api, model) -> int:
    async with sessionmaker(api)() as session:
        return await session.scalar(select(func.count()).select_from(model))


def errors(response) -> dict[str, str]:
    """Field (dotted location in the body) -> message, of a 422 answer."""
    assert response.status_code == 422, response.text
    return {".".join(map(str, e["loc"][1:])): e["msg"] for e in response.json()["detail"]}


async def test_a_report_opens_a_case_with_an_unguessable_reference(api, report):
    response = await api.post(URL, json=report("offer"))
    assert response.status_code == 201
    body = response.json()
    assert REFERENCE.fullmatch(body["reference"])
    assert body == {
        "reference": body["reference"],
        "kind": "offer",
        "status": "new",
        "priority": "normal",
        "created": True,
    }
    references = {(await api.post(URL, json=report("question"))).json()["reference"]}
    references |= {(await api.post(URL, json=report("question"))).json()["reference"]}
    assert len(references | {body["reference"]}) == 3
    async with sessionmaker(api)() as session:
        case = await session.scalar(select(Case).where(Case.reference == body["reference"]))
        events = (
            await session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
        ).all()
    assert (case.district, case.language, case.has_news) == ("kota_kupang", "id", False)
    assert case.details["recruiter_phone"] == "+6281234567890"
    assert case.details["flags"] == ["salary_too_good", "fast_departure"]
    assert [(e.kind, e.data) for e in events] == [
        ("opened", {"kind": "offer", "priority": "normal"})
    ]


async def test_each_kind_is_accepted_with_its_default_priority(api, report):
    priorities = {}
    for kind in ("offer", "danger", "missing", "question"):
        response = await api.post(URL, json=report(kind))
        assert response.status_code == 201, response.text
        priorities[kind] = response.json()["priority"]
    assert priorities == {"offer": "normal", "danger": "high", "missing": "high", "question": "low"}
    async with sessionmaker(api)() as session:
        case = await session.scalar(select(Case).where(Case.kind == "missing"))
    assert case.details["passport_number"] == "C1234567"
    assert (case.district, case.destination_country) == ("kota_kupang", "MY")


async def test_the_reporter_is_created_with_their_language(api, report):
    await api.post(URL, json=report("question", channel_user_id="777", language="mkn"))
    assert (await api.get("/api/v1/reporters/telegram/777")).json()["language"] == "mkn"


async def test_the_same_submission_twice_makes_one_case(api, report):
    body = report("missing")
    first = await api.post(URL, json=body)
    again = await api.post(URL, json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False}
    assert await count(api, Case) == 1


async def test_concurrent_copies_of_a_submission_make_one_case(api, report):
    body = report("danger", channel_user_id="new-user")
    responses = await asyncio.gather(*(api.post(URL, json=body) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [200, 200, 201]
    assert len({r.json()["reference"] for r in responses}) == 1
    assert await count(api, Case) == 1


async def test_no_consent_no_case(api, report):
    for body in (report(consent=False), {k: v for k, v in report().items() if k != "consent"}):
        assert errors(await api.post(URL, json=body)) == {
            "consent": "Value error, consent is required"
        }
    assert await count(api, Case) == 0


async def test_invalid_reports_are_refused_with_clear_messages(api, report):
    cases = [
        (report(district="jakarta"), "district", "unknown district 'jakarta'"),
        (
            report("missing", details={"home_district": "bali"}),
            "details.home_district",
            "unknown district 'bali'",
        ),
        (report("missing", details={"left_on": "2025-13-01"}), "details.left_on", "date"),
        (
            report("missing", details={"left_on": "2999-01-01"}),
            "details.left_on",
            "That date is in the future",
        ),
        (
            report("missing", details={"last_contact_on": "2025-01-01"}),
            "details.last_contact_on",
            "cannot be before left_on",
        ),
        (
            report("missing", details={"age": 130}),
            "details.age",
            "must be from 0 to 100 years",
        ),
        (
            report("missing", details={"reporter_phone": "12345"}),
            "details.reporter_phone",
            "does not look like a phone number",
        ),
        (
            report("offer", details={"recruiter_phone": "call me"}),
            "details.recruiter_phone",
            "does not look like a phone number",
        ),
        (report(destination_country="XX"), "destination_country", "not a country code"),
        (report(language="fr"), "language", "unknown language 'fr'"),
        (report(submission_id="not-a-uuid"), "submission_id", "UUID"),
        (report("offer", details={"offer_text": "   "}), "details.offer_text", "must be text"),
        (
            {**report("offer"), "details": {"question": "Is it safe?"}},
            "details.question",
            "not a field of a offer report",
        ),
    ]
    for body, field, message in cases:
        found = errors(await api.post(URL, json=body))
        assert any(loc.startswith(field) and message in msg for loc, msg in found.items()), (
            field,
            found,
        )
    assert await count(api, Case) == 0


async def test_danger_now_makes_an_urgent_case_and_alerts_staff_without_personal_data(api, report):
    body = report("danger", details={"danger_now": True}, district="belu")
    response = await api.post(URL, json=body)
    assert response.json()["priority"] == "urgent"
    claimed = (
        await api.post("/api/v1/outbox/claim", json={"channel": "telegram", "limit": 10})
    ).json()["messages"]
    assert len(claimed) == 1
    alert = claimed[0]
    reference = response.json()["reference"]
    assert (alert["purpose"], alert["chat_id"], alert["channel"]) == (
        "staff_alert",
        "-1001234567",
        "telegram",
    )
    assert f"Kasus mendesak {reference}: Seseorang dalam bahaya, Belu." in alert["text"]
    assert f"Urgent case {reference}: Someone in danger, Belu." in alert["text"]
    assert alert["text"].endswith(f"http://127.0.0.1:8000/staff/cases/{reference}")
    for personal in ("Kuching", "palm oil", "+60", "5550001", "sister"):
        assert personal not in alert["text"]


async def test_danger_words_in_any_text_make_the_case_urgent(api, report):
    offer = report("offer", details={"offer_text": "Mereka dong kasi kurung beta di rumah"})
    assert (await api.post(URL, json=offer)).json()["priority"] == "urgent"
    question = report("question", details={"question": "what if I am LOCKED in my room?"})
    assert (await api.post(URL, json=question)).json()["priority"] == "urgent"
    calm = report("question", details={"question": "my phone is unlocked, can I use it abroad?"})
    assert (await api.post(URL, json=calm)).json()["priority"] == "low"
    assert await count(api, OutboxMessage) == 2


async def test_danger_noticed_by_the_channel_makes_the_case_urgent(api, report):
    noticed = report("question", danger_noticed=True)
    assert (await api.post(URL, json=noticed)).json()["priority"] == "urgent"
    assert (await api.post(URL, json=report("question"))).json()["priority"] == "low"
    assert await count(api, OutboxMessage) == 1


async def test_a_missing_minor_is_urgent_and_alerts_staff(api, report):
    seventeen = await api.post(URL, json=report("missing", details={"age": 17}))
    assert seventeen.json()["priority"] == "urgent"
    assert await count(api, OutboxMessage) == 1  # the staff chat is told
    eighteen = await api.post(URL, json=report("missing", details={"age": 18}))
    assert eighteen.json()["priority"] == "high"
    unknown = await api.post(URL, json=report("missing", details={"age": None}))
    assert unknown.json()["priority"] == "high"


async def test_the_districts_a_report_can_name(api):
    districts = (await api.get("/api/v1/districts")).json()
    assert len(districts) == 22
    assert districts[0] == {"slug": "kota_kupang", "name": "Kupang (kota)"}
    assert {"slug": "timor_tengah_selatan", "name": "Timor Tengah Selatan"} in districts
    assert (
        await api.get("/api/v1/districts", headers={"Authorization": "Bearer x"})
    ).status_code == 401


async def test_cases_need_the_service_token(api, report):
    response = await api.post(URL, json=report(), headers={"Authorization": "Bearer staff"})
    assert response.status_code == 401
