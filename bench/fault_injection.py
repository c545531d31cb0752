"""Fault injection: `helpline run` killed with SIGKILL at random moments, restarted, and what
arrived counted.

The real parts, each a process of its own, as in production: the Bot API stand-in
(`python -m bot.standin`, strict, with Telegram's flood limits) plays Telegram and its users;
`helpline run` (backend, bot by polling and outbox worker in one process) reaches it through
HELPLINE_TELEGRAM_API_URL, on a SQLite file or, with --database-url, on PostgreSQL (a
database it may empty). Only the helpline is killed; "Telegram" keeps what it received.

Each trial is one kill that strikes three things at once (`--scenarios` picks fewer), each
started so that the kill falls at a uniformly random point of it; then a restart:

- report: a new person sends a whole unpaid-wages report (13 steps, from /start to Send).
  The person acts on the bot's last message, as someone reading their phone: after the
  restart they wait until the bot is quiet, then go on, sending again what got no answer.
  In the end the person's case must exist once, with the answers they gave.
- replies: a supervisor queues 30 replies (3 to each of 10 reporters) through the staff API
  as the bot delivers them; every reply the API acknowledged must reach its chat.
- campaign: a supervisor sends a campaign to 30 subscribers through the staff API (and
  presses "Send now" again if the kill took it); each must get it.

Lost: a report whose case is missing or has a wrong answer, a reply or campaign message that
never arrived. Duplicates: copies beyond the first in a chat, or a second case (a delivery
Telegram accepted just before the kill, whose report to the backend died with the process,
is sent again after the lease). Printed per scenario, with `--json` as one JSON line.

    .venv/bin/python bench/fault_injection.py [--trials 50] [--scenarios report,replies,campaign]
        [--database-url postgresql+asyncpg://...] [--seed 1] [--json]
"""

import argparse
import asyncio
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from bench_queue import reset_postgres

from api import encryption
from api.db import create_engine, create_sessionmaker
from api.settings import PROJECT_ROOT
from api.staff import service as staff_service
from api.staff.schemas import StaffCreate

TOKEN = "123456789:AAH-fault-injection_token"
SERVICE_TOKEN = "fault-injection-service-token"
LEASE_SECONDS = 5  # the smallest lease the settings allow: redelivery soon after a restart
CHATS = 10  # reporters of the replies scenario
REPLIES_PER_CHAT = 3
SUBSCRIBERS = 30
DISTRICT = "kota_kupang"
SETTLE_SECONDS = 60.0  # at most, after a restart, for everything to arrive
REFERENCE = re.compile(r"NTT-[2-9A-Z]{6}")

# The person of the report scenario: what they do on seeing each of the bot's messages
# (the first anchor found in the last message wins); the answers the case must keep.
REPORT_SCRIPT: list[tuple[str, str, str]] = [
    ("Your report was sent", "", ""),  # done
    ("Continue your report or leave it", "press", "▶️ Continue my report"),
    ("check your report before you send", "press", "✅ Send"),
    ("Language: English", "press", "📝 Report"),
    ("What would you like to report", "press", "Unpaid wages"),
    ("Before we start", "press", "I agree"),
    ("Whose wages are not paid", "send", "Yosefina Tael"),
    ("In which country", "press", "Malaysia"),
    ("Who is the employer", "send", "Ladang sawit Sabah"),
    ("Which agency", "send", "PT Sinar Abadi"),
    ("For how long", "send", "enam bulan"),
    ("still working for this employer", "press", "Yes"),
    ("phone or WhatsApp", "send", "0812-3456-7890"),
    ("Helpline Migrasi Aman", "press", "English"),
]
REPORT_ANSWERS = {
    "worker_name": "Yosefina Tael",
    "employer": "Ladang sawit Sabah",
    "agency": "PT Sinar Abadi",
    "months_unpaid": "enam bulan",
    "still_working": True,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(log: Path) -> str:
    return log.read_text()[-3000:]


def spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A process of the project, its output appended to `log`."""
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, *args],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


async def wait_for(url: str, process: subprocess.Popen, log: Path, patience: float = 90) -> None:
    deadline = time.monotonic() + patience
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)  # a starting server, bounded by the deadline
    raise RuntimeError(f"{url} never answered:\n{tail(log)}")


class Helpline:
    """`helpline run` on its database, started again after each kill."""

    def __init__(self, workdir: Path, database_url: str, telegram_url: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "helpline.log"
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "HELPLINE_TELEGRAM_API_URL": telegram_url,
            "HELPLINE_DATABASE_URL": database_url,
            "HELPLINE_SERVICE_TOKEN": SERVICE_TOKEN,
            # a key of the run's own database, the same across restarts
            "HELPLINE_DATA_KEYS": os.environ.get("HELPLINE_DATA_KEYS") or encryption.random_key(),
            "HELPLINE_UPLOADS_DIR": str(workdir / "uploads"),
            "HELPLINE_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "HELPLINE_OUTBOX_POLL_SECONDS": "0.2",
            "HELPLINE_PER_CHAT_INTERVAL": "0.3",
            "HELPLINE_CAMPAIGN_QUEUE_SECONDS": "0.3",
            "HELPLINE_LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def command(self, *args: str, stdin: str = "") -> None:
        subprocess.run(
            [sys.executable, "-m", "helpline.cli", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            input=stdin,
            text=True,
            check=True,
            capture_output=True,
        )

    async def start(self) -> None:
        self.process = spawn(
            ["-m", "helpline.cli", "run", "--port", str(self.port)], self.log, self.env
        )
        self.starts += 1
        await wait_for(f"{self.url}/readyz", self.process, self.log)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown, no last report
        self.process.wait()

    def stop(self) -> None:
        if self.running:
            assert self.process is not None
            self.process.terminate()
            self.process.wait(timeout=30)


@dataclass
class Figures:
    scenario: str
    trials: int = 0
    expected: int = 0  # reports, or messages that had to arrive
    arrived: int = 0
    lost: int = 0
    duplicates: int = 0
    most_duplicates_in_a_trial: int = 0
    mid_delivery_kills: int = 0  # kills that struck with some, not all, done
    problems: list[str] = field(default_factory=list)

    def add(self, expected: set[str], arrived: Counter[str]) -> int:
        """One trial's count: what had to arrive, and how often each thing did; the trial's
        duplicates."""
        self.trials += 1
        self.expected += len(expected)
        self.arrived += len(expected & set(arrived))
        self.lost += len(expected - set(arrived))
        duplicates = sum(count - 1 for count in arrived.values() if count > 1)
        self.duplicates += duplicates
        self.most_duplicates_in_a_trial = max(self.most_duplicates_in_a_trial, duplicates)
        return duplicates

    def line(self) -> str:
        return (
            f"{self.scenario:9} {self.trials} trials: {self.expected} expected, {self.arrived} "
            f"arrived, {self.lost} lost, {self.duplicates} duplicates (at most "
            f"{self.most_duplicates_in_a_trial} after one kill), {self.mid_delivery_kills} "
            "kills mid-way"
        )


class Standin:
    """The stand-in's control endpoints: users' actions and what their chats hold."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def act(self, user_id: int, action: str, **body: Any) -> None:
        response = await self.client.post(f"/standin/users/{user_id}/{action}", json=body)
        if response.status_code not in (200, 409):  # 409: no such button on screen now
            raise RuntimeError(f"{action}: {response.status_code} {response.text}")

    async def chat(self, user_id: int) -> list[dict[str, Any]]:
        return (await self.client.get(f"/standin/chats/{user_id}")).json()

    async def count(self, user_ids: list[int], marker: str) -> Counter[str]:
        """How often each message holding `marker` arrived, by its text and chat."""
        counts: Counter[str] = Counter()
        for user_id in user_ids:
            for message in await self.chat(user_id):
                lines = [line for line in message["text"].splitlines() if marker in line]
                if lines:
                    counts[f"{user_id}: {lines[0]}"] += 1
        return counts


@dataclass
class Parts:
    """What every scenario reaches: the helpline process, the stand-in, the two APIs."""

    helpline: Helpline
    standin: Standin
    staff: httpx.AsyncClient  # a supervisor's token
    service: httpx.AsyncClient  # the bot's service token

    async def open_chats(self, user_ids: list[int]) -> None:
        """Each user starts the bot (Telegram lets a bot write only to those who did)."""
        for user_id in user_ids:
            await self.standin.act(user_id, "send", text="/start", language_code="en")


class Scenario:
    """One activity a kill strikes: prepared once, then in each trial started (`act`, which
    the kill may cut short), and counted once the restarted helpline has settled."""

    name = ""
    window = 1.0  # seconds the activity takes: the kill strikes at a random point of them

    def __init__(self, parts: Parts):
        self.parts = parts
        self.figures = Figures(self.name)

    async def setup(self) -> None:
        pass

    async def act(self, number: int) -> None:
        raise NotImplementedError

    async def at_kill(self, number: int) -> bool:
        """Whether the kill struck in the middle (something, not everything, done)."""
        raise NotImplementedError

    async def after_restart(self, number: int) -> None:
        pass

    async def settled(self, number: int) -> bool:
        return True

    async def count(self, number: int) -> int:
        """Adds the trial to the figures; its duplicates."""
        raise NotImplementedError


class ReportScenario(Scenario):
    """A new person sends a whole unpaid-wages report; after the restart they go on from what
    their phone shows, and the case must exist once with their answers."""

    name = "report"
    window = 4.5  # 13 steps of about 0.35 s

    def user(self, number: int) -> int:
        return 7_100_000 + number

    async def act(self, number: int) -> None:
        await self.person(self.user(number))

    async def person(self, user_id: int) -> None:
        """Acts on the bot's last message until the report is sent or the bot is gone."""
        standin = self.parts.standin
        while self.parts.helpline.running:
            chat = await standin.chat(user_id)
            last = chat[-1]["text"] if chat else ""
            if "Your report was sent" in last:
                return
            action, what = next(
                ((action, what) for anchor, action, what in REPORT_SCRIPT if anchor in last),
                ("send", "/start"),
            )
            await standin.act(user_id, action, text=what, language_code="id")

    async def at_kill(self, number: int) -> bool:
        chat = await self.parts.standin.chat(self.user(number))
        return bool(chat) and "Your report was sent" not in chat[-1]["text"]

    async def after_restart(self, number: int) -> None:
        """Back at the phone, the person waits until the bot has stopped answering, then goes
        on (sending again what got no answer)."""
        user_id = self.user(number)
        before, since = -1, time.monotonic()
        while time.monotonic() - since < 1.0:
            now = len(await self.parts.standin.chat(user_id))
            if now != before:
                before, since = now, time.monotonic()
            await asyncio.sleep(0.1)
        try:
            await asyncio.wait_for(self.person(user_id), 60)
        except TimeoutError:
            self.figures.problems.append(f"report {number}: never finished")

    async def count(self, number: int) -> int:
        user_id = self.user(number)
        cases = (await self.parts.service.get(f"/api/v1/reporters/telegram/{user_id}/cases")).json()
        if len(cases) == 1:
            case = (await self.parts.staff.get(f"/api/v1/cases/{cases[0]['reference']}")).json()
            wrong = {
                name: case["details"].get(name)
                for name, value in REPORT_ANSWERS.items()
                if case["details"].get(name) != value
            }
            if wrong or case["destination_country"] != "MY":
                self.figures.problems.append(f"report {number}: wrong answers {wrong}")
                cases = []  # a case with wrong answers is a report lost
        elif not cases:
            self.figures.problems.append(f"report {number}: no case")
        return self.figures.add({"case"}, Counter({"case": len(cases)} if cases else {}))


class RepliesScenario(Scenario):
    """Staff reply three times to each of 10 reporters through the staff API while the bot
    delivers (one a chat every 0.3 s); each reply must reach its chat."""

    name = "replies"
    window = 1.5  # 30 POSTs, then 3 rounds 0.3 s apart after a poll of 0.2 s

    async def setup(self) -> None:
        self.references: dict[int, str] = {}
        users = [7_200_000 + n for n in range(CHATS)]
        await self.parts.open_chats(users)
        for user_id in users:
            response = await self.parts.service.post(
                "/api/v1/cases",
                json={
                    "submission_id": str(uuid.uuid4()),
                    "kind": "question",
                    "channel": "telegram",
                    "channel_user_id": str(user_id),
                    "language": "en",
                    "consent": True,
                    "details": {"question": "Is PT Maju Jaya a licensed agency?"},
                },
            )
            response.raise_for_status()
            self.references[user_id] = response.json()["reference"]
        self.queued: set[str] = set()

    async def act(self, number: int) -> None:
        """Queue the replies; those the API acknowledged (201) must arrive."""
        self.queued = set()
        for round_ in range(REPLIES_PER_CHAT):
            for user_id, reference in self.references.items():
                text = f"[trial {number}] reply {round_ + 1}: PT Maju Jaya is licensed."
                response = await self.parts.staff.post(
                    f"/api/v1/cases/{reference}/messages", json={"text": text}
                )
                if response.status_code == 201:
                    self.queued.add(f"{user_id}: {text}")

    async def arrived(self, number: int) -> Counter[str]:
        return await self.parts.standin.count(list(self.references), f"[trial {number}]")

    async def at_kill(self, number: int) -> bool:
        return 0 < sum((await self.arrived(number)).values()) < len(self.references) * 3

    async def settled(self, number: int) -> bool:
        for reference in self.references.values():
            timeline = (await self.parts.staff.get(f"/api/v1/cases/{reference}/timeline")).json()
            for entry in timeline["entries"]:
                message = entry["message"]
                if (
                    message
                    and f"[trial {number}]" in message["text"]
                    and message["delivery_status"] != "delivered"
                ):
                    return False
        return True

    async def count(self, number: int) -> int:
        return self.figures.add(self.queued, await self.arrived(number))


class CampaignScenario(Scenario):
    """A supervisor sends a campaign to 30 subscribers through the staff API (25 a second);
    each must get it once."""

    name = "campaign"
    window = 1.6  # a queuing round (0.3 s), then 30 messages 40 ms apart

    async def setup(self) -> None:
        self.users = [7_300_000 + n for n in range(SUBSCRIBERS)]
        await self.parts.open_chats(self.users)
        for user_id in self.users:
            response = await self.parts.service.put(
                f"/api/v1/reporters/telegram/{user_id}/subscription",
                json={"district": DISTRICT, "language": "en"},
            )
            response.raise_for_status()
        self.campaign = 0
        self.sent = False

    async def act(self, number: int) -> None:
        self.campaign, self.sent = 0, False
        news = f"[campaign {number}] Before you leave, check the agency's licence with BP3MI."
        created = await self.parts.staff.post(
            "/api/v1/campaigns",
            json={
                "title": f"Fault injection {number}",
                "texts": {"en": news, "id": news},
                "districts": [DISTRICT],
                "languages": ["en", "id"],
            },
        )
        created.raise_for_status()
        self.campaign = created.json()["id"]
        await self.send()

    async def send(self) -> None:
        response = await self.parts.staff.post(f"/api/v1/campaigns/{self.campaign}/send", json={})
        self.sent = response.status_code == 200

    async def arrived(self, number: int) -> Counter[str]:
        return await self.parts.standin.count(self.users, f"[campaign {number}]")

    async def at_kill(self, number: int) -> bool:
        return 0 < sum((await self.arrived(number)).values()) < len(self.users)

    async def after_restart(self, number: int) -> None:
        """The kill took the campaign's creation or its "Send now": done again."""
        if not self.campaign:
            await self.act(number)
        elif not self.sent:
            await self.send()

    async def settled(self, number: int) -> bool:
        state = (await self.parts.staff.get(f"/api/v1/campaigns/{self.campaign}")).json()
        return state["status"] == "sent" and state["counts"]["pending"] == 0

    async def count(self, number: int) -> int:
        news = "Before you leave, check the agency's licence with BP3MI."
        expected = {f"{user}: [campaign {number}] {news}" for user in self.users}
        return self.figures.add(expected, await self.arrived(number))


SCENARIOS: dict[str, type[Scenario]] = {
    scenario.name: scenario for scenario in (ReportScenario, RepliesScenario, CampaignScenario)
}


async def trial(number: int, parts: Parts, scenarios: list[Scenario], rng: random.Random) -> int:
    """One kill: each activity is started so that the kill strikes at a random point of its
    window; then the helpline is started again and each activity counted when settled. The
    duplicates this kill made, in all."""
    kill_at = max(scenario.window for scenario in scenarios)

    async def started(scenario: Scenario) -> None:
        await asyncio.sleep(kill_at - rng.uniform(0, scenario.window))
        await scenario.act(number)

    tasks = [asyncio.ensure_future(started(scenario)) for scenario in scenarios]
    await asyncio.sleep(kill_at)
    parts.helpline.kill()
    for task in tasks:
        task.cancel()  # a person whose bot died mid-step stops waiting
    await asyncio.gather(*tasks, return_exceptions=True)
    for scenario in scenarios:
        if await scenario.at_kill(number):
            scenario.figures.mid_delivery_kills += 1
    await parts.helpline.start()
    await asyncio.gather(*(scenario.after_restart(number) for scenario in scenarios))
    deadline = time.monotonic() + SETTLE_SECONDS
    duplicates = 0
    for scenario in scenarios:
        while time.monotonic() < deadline:
            if await scenario.settled(number):
                break
            await asyncio.sleep(0.2)
        duplicates += await scenario.count(number)
    return duplicates


async def staff_token(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            data = StaffCreate(
                username="fault-injection",
                name="Fault Injection",
                role="supervisor",
                password=uuid.uuid4().hex,
            )
            member = await staff_service.create(session, data=data, actor=None)
            token = await staff_service.start_session(session, staff=member, hours=12)
            await session.commit()
            return token
    finally:
        await engine.dispose()


async def run(trials: int, names: list[str], database_url: str | None, seed: int) -> dict:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="fault-injection-") as tmp:
        workdir = Path(tmp)
        if database_url:
            await reset_postgres(database_url)
        url = database_url or f"sqlite+aiosqlite:///{workdir / 'helpline.db'}"
        port = free_port()
        standin_log = workdir / "standin.log"
        standin_process = spawn(
            ["-m", "bot.standin", "--port", str(port), "--token", TOKEN], standin_log
        )
        telegram_url = f"http://127.0.0.1:{port}"
        helpline = Helpline(workdir, url, telegram_url)
        try:
            await wait_for(f"{telegram_url}/standin/refusals", standin_process, standin_log)
            helpline.command("migrate")
            token = await staff_token(url)
            await helpline.start()
            async with (
                httpx.AsyncClient(base_url=telegram_url, timeout=30) as telegram,
                httpx.AsyncClient(
                    base_url=helpline.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
                ) as staff,
                httpx.AsyncClient(
                    base_url=helpline.url,
                    headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
                    timeout=30,
                ) as service,
            ):
                parts = Parts(helpline, Standin(telegram), staff, service)
                scenarios = [SCENARIOS[name](parts) for name in names]
                for scenario in scenarios:
                    await scenario.setup()
                started = time.monotonic()
                per_kill = [await trial(number, parts, scenarios, rng) for number in range(trials)]
                seconds = time.monotonic() - started
                refusals = (await telegram.get("/standin/refusals")).json()
        finally:
            helpline.stop()
            standin_process.terminate()
            standin_process.wait(timeout=30)
    return {
        "trials": trials,
        "database": "postgresql" if database_url else "sqlite",
        "seconds": round(seconds),
        "scenarios": [vars(scenario.figures) for scenario in scenarios],
        "most_duplicates_after_one_kill": max(per_kill, default=0),
        # Telegram's answer to a second poller, heard by none: the killed one is gone
        "refusals": [r for r in refusals if r[1] != 429 and "terminated by other" not in r[2]],
        "starts": helpline.starts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=50, help="kills (each strikes them all)")
    parser.add_argument(
        "--scenarios", default="report,replies,campaign", help="what each kill strikes"
    )
    parser.add_argument("--database-url", help="PostgreSQL database it may empty")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="the figures as one JSON line")
    args = parser.parse_args()
    names = [name for name in args.scenarios.split(",") if name]
    if set(names) - set(SCENARIOS):
        parser.error(f"scenarios are among: {', '.join(SCENARIOS)}")
    result = asyncio.run(run(args.trials, names, args.database_url, args.seed))
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{result['trials']} kills on {result['database']} in {result['seconds']} s "
        f"(helpline started {result['starts']} times); at most "
        f"{result['most_duplicates_after_one_kill']} duplicates after one kill, in all"
    )
    for figures in result["scenarios"]:
        print(Figures(**figures).line())
        for problem in figures["problems"]:
            print(f"  {problem}")
    print(f"refusals (besides 429 and the killed poller's): {result['refusals']}")


if __name__ == "__main__":
    main()
