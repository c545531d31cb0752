"""Several processes on one PostgreSQL database (a new one: all migrate at once, under the
advisory lock). Two `helpline serve` processes driven over HTTP through both at the same time:
reports through the service API (each sent to both workers), the reporter's follow-ups (also
twice), staff messages, offer checks and the outbox claimed by both. Then the bot (`helpline run`
on a strict Bot API server) beside two workers: people report through the bot. No error, nothing
lost, nothing twice: the rows and the messages people received are counted. PostgreSQL only
(HELPLINE_TEST_POSTGRES_URL)."""

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import func, make_url, select

from api.cases.models import Case, CaseMessage
from api.db import create_engine, create_sessionmaker
from api.offers.models import OfferCheckDay
from api.outbox.models import OutboxMessage
from api.reporters.models import Reporter
from api.staff import service as staff_service
from api.staff.schemas import StaffCreate
from tests.conftest import POSTGRES_URL, STAFF_PASSWORD, fresh_postgres_database
from tests.e2e.test_bot_api_server import TOKEN
from tests.e2e.test_bot_api_server import bot_api_server as bot_api_server  # a fixture
from tests.e2e.test_run_command import free_port, helpline
from tests.e2e.test_run_modes import wait_until_ready

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only")
SERVICE_TOKEN = "several-workers-service-token"
REPORTS = 40  # each sent to both workers at once
OFFER_CHECKS = 100
OFFER = {"text": "Son perlu paspor, jang kasi tau bapa mama.", "lang": "mkn"}


async def supervisor_token(url: str) -> str:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            data = StaffCreate(
                username="maria", name="Maria", role="supervisor", password=STAFF_PASSWORD
            )
            staff = await staff_service.create(session, data=data, actor=None)
            token = await staff_service.start_session(session, staff=staff, hours=1)
            await session.commit()
            return token
    finally:
        await engine.dispose()


def report(number: int) -> dict:
    return {
        "submission_id": str(uuid.uuid4()),
        "kind": "question",
        "channel": "telegram",
        "channel_user_id": str(7_000_000 + number),
        "language": "id",
        "consent": True,
        "details": {"question": f"Anak saya belum ada kabar, pertanyaan nomor {number}"},
    }


async def drive(bases: list[str], staff_token: str) -> dict[str, object]:
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    staff = {"Authorization": f"Bearer {staff_token}"}
    workers = [httpx.AsyncClient(base_url=base, timeout=60) for base in bases]
    statuses: list[int] = []

    async def both(method: str, path: str, **kwargs) -> list[httpx.Response]:
        answers = await asyncio.gather(*(w.request(method, path, **kwargs) for w in workers))
        statuses.extend(a.status_code for a in answers)
        return answers

    async def one(number: int, method: str, path: str, **kwargs) -> httpx.Response:
        answer = await workers[number % 2].request(method, path, **kwargs)
        statuses.append(answer.status_code)
        return answer

    try:
        bodies = [report(n) for n in range(REPORTS)]
        created = await asyncio.gather(
            *(both("POST", "/api/v1/cases", json=b, headers=service) for b in bodies)
        )
        references = [{a.json()["reference"] for a in pair} for pair in created]
        assert all(len(pair) == 1 for pair in references), "one submission, two cases"
        refs = [pair.pop() for pair in references]
        follow_ups = [
            both(
                "POST",
                f"/api/v1/cases/{ref}/replies",
                json={
                    "channel": "telegram",
                    "channel_user_id": body["channel_user_id"],
                    "text": "Ini foto terakhir dia kirim",
                    "message_key": f"m-{n}",
                },
                headers=service,
            )
            for n, (ref, body) in enumerate(zip(refs, bodies, strict=True))
        ]
        messages = [
            one(
                n,
                "POST",
                f"/api/v1/cases/{ref}/messages",
                json={"text": "Kami bantu"},
                headers=staff,
            )
            for n, ref in enumerate(refs)
        ]
        checks = [
            one(n, "POST", "/api/v1/offers/check", json=OFFER, headers=service)
            for n in range(OFFER_CHECKS)
        ]
        await asyncio.gather(*follow_ups, *messages, *checks)
        claimed: list[int] = []
        while True:
            answers = await both(
                "POST",
                "/api/v1/outbox/claim",
                json={"channel": "telegram", "limit": 7},
                headers=service,
            )
            ids = [m["id"] for a in answers for m in a.json()["messages"]]
            if not ids:
                break
            claimed.extend(ids)
            delivered = await one(
                len(claimed),
                "POST",
                "/api/v1/outbox/delivered",
                json={"ids": ids},
                headers=service,
            )
            assert delivered.json()["delivered"] == len(ids)
    finally:
        for worker in workers:
            await worker.aclose()
    return {"statuses": statuses, "claimed": claimed}


async def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:

            async def rows(query) -> int:
                return await session.scalar(query)

            return {
                "cases": await rows(select(func.count()).select_from(Case)),
                "reporters": await rows(select(func.count()).select_from(Reporter)),
                "case_messages": await rows(select(func.count()).select_from(CaseMessage)),
                "outbox": await rows(select(func.count()).select_from(OutboxMessage)),
                "outbox_delivered": await rows(
                    select(func.count()).where(OutboxMessage.status == "delivered")
                ),
                "offer_checks": await rows(select(func.sum(OfferCheckDay.checks))),
            }
    finally:
        await engine.dispose()


def test_two_workers_on_one_postgres_lose_nothing_and_make_nothing_twice():
    url = fresh_postgres_database(f"{make_url(POSTGRES_URL).database}_workers")
    ports = [free_port(), free_port()]
    env = {"HELPLINE_DATABASE_URL": url, "HELPLINE_SERVICE_TOKEN": SERVICE_TOKEN}
    processes = [helpline("serve", "--port", str(port), env=env) for port in ports]
    try:
        for process, port in zip(processes, ports, strict=True):
            wait_until_ready(process, port)
        token = asyncio.run(supervisor_token(url))
        result = asyncio.run(drive([f"http://127.0.0.1:{port}" for port in ports], token))
        found = asyncio.run(counts(url))
    finally:
        for process in processes:
            process.terminate()
        outputs = [process.communicate(timeout=30)[0] for process in processes]
    print(f"\nseveral workers: {len(result['statuses'])} requests, counts {found}")
    assert all(status < 500 for status in result["statuses"]), outputs
    assert set(result["statuses"]) <= {200, 201, 204}
    claimed = result["claimed"]
    assert len(claimed) == len(set(claimed)) == REPORTS  # each staff message handed out once
    assert found == {
        "cases": REPORTS,
        "reporters": REPORTS,
        "case_messages": REPORTS * 2,  # one follow-up of the reporter, one staff message
        "outbox": REPORTS,
        "outbox_delivered": REPORTS,
        "offer_checks": OFFER_CHECKS,
    }
    assert not any("Traceback" in output or "ERROR" in output for output in outputs), outputs


USERS = 12  # people reporting through the bot at once


async def report_through_the_bot(standin: httpx.AsyncClient, user_id: int) -> str:
    """A person starts, asks, and sends a question for a caseworker; the case's reference."""

    async def do(action: str, **body) -> str:
        answer = await standin.post(f"/standin/users/{user_id}/{action}", json=body)
        assert answer.status_code == 200, answer.text
        replies = answer.json()["replies"]
        assert replies, f"no answer to {action} {body}"
        return "\n".join(reply["text"] for reply in replies)

    await do("send", text="/start", language_code="id")
    await do("press", text="English")
    assert "passport" in (await do("send", text="how do i get a passport")).lower()
    await do("press", text="📝 Report")
    await do("press", text="Question for a caseworker")
    await do("press", text="I agree")
    await do("send", text=f"Is the agency in Kupang licensed? Asked by person {user_id}")
    sent = await do("press", text="✅ Send")
    return sent.split("NTT-", 1)[1][:6]


async def drive_bot_and_workers(
    standin_url: str, bases: list[str], staff_token: str
) -> dict[str, object]:
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    staff = {"Authorization": f"Bearer {staff_token}"}
    workers = [httpx.AsyncClient(base_url=base, timeout=60) for base in bases]
    statuses: list[int] = []
    users = [8_100_000 + n for n in range(USERS)]
    async with httpx.AsyncClient(base_url=standin_url, timeout=120) as standin:
        try:
            checks = [
                workers[n % 2].post("/api/v1/offers/check", json=OFFER, headers=service)
                for n in range(OFFER_CHECKS)
            ]
            answers = await asyncio.gather(
                *(report_through_the_bot(standin, user) for user in users), *checks
            )
            references = [f"NTT-{code}" for code in answers[:USERS]]
            statuses += [a.status_code for a in answers[USERS:]]
            sent = await asyncio.gather(
                *(
                    workers[n % 2].post(
                        f"/api/v1/cases/{ref}/messages",
                        json={"text": f"Kami bantu, {ref}"},
                        headers=staff,
                    )
                    for n, ref in enumerate(references)
                )
            )
            statuses += [a.status_code for a in sent]
            received: dict[int, int] = {}
            for _attempt in range(600):  # the bot delivers through the outbox: wait for it
                chats = await asyncio.gather(*(standin.get(f"/standin/chats/{u}") for u in users))
                received = {
                    user: sum("Kami bantu, NTT-" in (m.get("text") or "") for m in chat.json())
                    for user, chat in zip(users, chats, strict=True)
                }
                if all(received.values()):
                    break
                await asyncio.sleep(0.1)  # polling the stand-in, bounded by the attempts
            refusals = (await standin.get("/standin/refusals")).json()
        finally:
            for worker in workers:
                await worker.aclose()
    return {"statuses": statuses, "received": received, "refusals": refusals}


def test_a_bot_and_two_workers_on_one_postgres_deliver_everything_once(bot_api_server):
    """One `helpline run` (the bot, polling a strict Bot API server) and two `helpline serve`
    workers start at once on a new database: people report through the bot while offer checks
    and staff messages go through the workers; each staff message reaches its person once."""
    standin_url, _client = bot_api_server
    url = fresh_postgres_database(f"{make_url(POSTGRES_URL).database}_bot_workers")
    env = {"HELPLINE_DATABASE_URL": url, "HELPLINE_SERVICE_TOKEN": SERVICE_TOKEN}
    bot_env = {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "HELPLINE_TELEGRAM_API_URL": standin_url}
    ports = [free_port(), free_port(), free_port()]
    processes = [helpline("run", "--port", str(ports[0]), env=bot_env)] + [
        helpline("serve", "--port", str(port), env=env) for port in ports[1:]
    ]
    try:
        for process, port in zip(processes, ports, strict=True):
            wait_until_ready(process, port)
        token = asyncio.run(supervisor_token(url))
        bases = [f"http://127.0.0.1:{port}" for port in ports[1:]]
        result = asyncio.run(drive_bot_and_workers(standin_url, bases, token))
        found = asyncio.run(counts(url))
    finally:
        for process in processes:
            process.terminate()
        outputs = [process.communicate(timeout=30)[0] for process in processes]
    print(f"\nbot and workers: {result['received']}, counts {found}")
    assert set(result["statuses"]) <= {200, 201}, outputs
    assert set(result["received"].values()) == {1}, result["received"]  # each once
    assert result["refusals"] == []
    assert found["cases"] == found["reporters"] == USERS
    assert found["outbox"] == found["outbox_delivered"] == USERS
    assert found["offer_checks"] == OFFER_CHECKS
    assert not any("Traceback" in output or "ERROR" in output for output in outputs), outputs
