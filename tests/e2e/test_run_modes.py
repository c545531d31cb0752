"""The run modes cannot mix demo and real data: `helpline run` needs a token, `helpline demo`
keeps to its own database with demo users no Telegram id can be, and its cookie is signed."""

import asyncio
import subprocess
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from api.app import create_app
from api.db import create_engine, create_sessionmaker
from api.outbox.models import OutboxMessage, OutboxStatus
from api.reporters.models import Reporter
from api.settings import Settings
from bot.demo.web import FIRST_DEMO_USER, USER_COOKIE
from tests.e2e.test_run_command import free_port, helpline

TELEGRAM_REPORTER = "31337"
QUESTION = {
    "submission_id": "0b0e9a57-5d9b-4c1e-a1d3-0d6f3c2a7e11",
    "kind": "question",
    "channel": "telegram",
    "channel_user_id": TELEGRAM_REPORTER,
    "language": "id",
    "consent": True,
    "details": {"question": "Anak saya di Malaysia tidak ada kabar"},
}


def migrate(database_url: str) -> None:
    process = helpline("migrate", env={"HELPLINE_DATABASE_URL": database_url})
    assert process.wait(timeout=60) == 0


async def a_telegram_reporter_with_a_reply_waiting(database_url: str) -> str:
    """On the real database: a Telegram user's case, and a staff message for them queued."""
    from api.cases import service as cases
    from api.staff.models import Role, Staff

    settings = Settings(_env_file=None, database_url=database_url, service_token="t")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://helpline.test",
            headers={"Authorization": "Bearer t"},
        ) as client:
            reference = (await client.post("/api/v1/cases", json=QUESTION)).json()["reference"]
        async with app.state.sessionmaker() as session:
            agent = Staff(username="ana", name="Ana", role=Role.AGENT, password_hash="-")
            session.add(agent)
            await session.flush()
            case = await cases.get_by_reference(session, reference)
            await cases.message_reporter(
                session,
                case,
                text="Ibu, kami sudah hubungi.",
                actor=agent,
                notices=app.state.notices,
            )
            await session.commit()
    return reference


async def outbox_and_reporters(database_url: str) -> tuple[list[tuple], list[str]]:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            rows = (
                await session.execute(
                    select(OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.leased_until)
                )
            ).all()
            users = (await session.scalars(select(Reporter.channel_user_id))).all()
            return [tuple(row) for row in rows], list(users)
    finally:
        await engine.dispose()


async def reporters_in(database: Path) -> int:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with create_sessionmaker(engine)() as session:
            return await session.scalar(select(func.count()).select_from(Reporter))
    finally:
        await engine.dispose()


def wait_until_ready(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)  # polling a starting server, bounded by the deadline
    raise AssertionError(f"not ready: {process.poll()}")


def test_run_without_a_token_refuses_and_says_what_to_do(tmp_path):
    env = {
        "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'h.db'}",
        "TELEGRAM_BOT_TOKEN": "",
    }
    process = helpline("run", "--port", str(free_port()), env=env)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in output and "helpline demo" in output
    assert not (tmp_path / "h.db").exists()  # nothing started, nothing migrated


def test_the_demo_keeps_to_its_own_database_and_users(tmp_path):
    real = f"sqlite+aiosqlite:///{tmp_path / 'real.db'}"
    migrate(real)
    reference = asyncio.run(a_telegram_reporter_with_a_reply_waiting(real))
    before = asyncio.run(outbox_and_reporters(real))
    assert [status for status, *_ in before[0]] == [OutboxStatus.PENDING]

    port = free_port()
    env = {
        "HELPLINE_DATABASE_URL": real,  # what a real installation has set: the demo ignores it
        "HELPLINE_DEMO_DIR": str(tmp_path / "demo"),
        "HELPLINE_OUTBOX_POLL_SECONDS": "0.05",
        "TELEGRAM_BOT_TOKEN": "",
    }
    process = helpline("demo", "--port", str(port), env=env)
    try:
        wait_until_ready(process, port)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as forger:
            forger.cookies.set(USER_COOKIE, TELEGRAM_REPORTER)  # the old, unsigned cookie
            assert forger.post("/demo/send", json={"text": "/mycases"}).status_code == 400
        with httpx.Client(base_url=base) as browser:
            browser.get("/demo")
            assert browser.cookies[USER_COOKIE] != TELEGRAM_REPORTER
            browser.post("/demo/send", json={"text": "/start"})
            assert browser.post("/demo/press", json={"text": "✅ Bahasa Indonesia"}).is_success
            chat = browser.post("/demo/send", json={"text": "/mycases"}).json()
            shown = " ".join(message["text"] for message in chat["messages"])
            assert reference not in shown and "Ibu, kami sudah hubungi." not in shown
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "Demo mode" in output and str(tmp_path / "demo") in output  # where its data is

    assert asyncio.run(outbox_and_reporters(real)) == before  # not claimed, no demo user added
    assert asyncio.run(reporters_in(tmp_path / "demo" / "helpline.db")) == 1
    demo_users = asyncio.run(
        outbox_and_reporters(f"sqlite+aiosqlite:///{tmp_path / 'demo' / 'helpline.db'}")
    )[1]
    assert all(int(user) >= FIRST_DEMO_USER for user in demo_users)


def test_serve_refuses_to_start_without_the_service_token(tmp_path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'helpline.db'}"
    for token in ("", "short"):
        process = helpline(
            "serve", env={"HELPLINE_DATABASE_URL": database, "HELPLINE_SERVICE_TOKEN": token}
        )
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 2
        assert "HELPLINE_SERVICE_TOKEN" in output
    assert not (tmp_path / "helpline.db").exists()  # refused before touching the database
