"""Two `helpline serve` processes on one PostgreSQL database (a new one: both migrate at once,
under the advisory lock), driven over HTTP through both at the same time: reports through the
service API (each sent to both workers), the reporter's follow-ups (also twice), staff messages,
offer checks and the outbox claimed by both. No error, nothing lost, nothing twice: the rows are
counted. PostgreSQL only (HELPLINE_TEST_POSTGRES_URL)."""

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import func, make_url, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from api.cases.models import Case, CaseMessage
from api.db import create_engine, create_sessionmaker
from api.offers.models import OfferCheckDay
from api.outbox.models import OutboxMessage
from api.reporters.models import Reporter
from api.staff import service as staff_service
from api.staff.schemas import StaffCreate
from tests.conftest import POSTGRES_URL, STAFF_PASSWORD
from tests.e2e.test_run_command import free_port, helpline
from tests.e2e.test_run_modes import wait_until_ready

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only")
SERVICE_TOKEN = "several-workers-service-token"
REPORTS = 40  # each sent to both workers at once
OFFER_CHECKS = 100
OFFER = {"text": "Son perlu paspor, jang kasi tau bapa mama.", "lang": "mkn"}


def fresh_database(name: str) -> str:
    base = make_url(POSTGRES_URL)

    async def create() -> None:
        engine = create_async_engine(base, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await engine.dispose()

    asyncio.run(create())
    return base.set(database=name).render_as_string(hide_password=False)


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
    url = fresh_database(f"{make_url(POSTGRES_URL).database}_workers")
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
