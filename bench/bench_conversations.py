"""Whole conversations: what a user waits for and what each update costs, from Telegram's
message through the real python-telegram-bot Application, the backend and the database, to
the bot's reply, all in one process on the strict Bot API stand-in.

N simulated users each do a realistic mix: /start and a language, three questions, an offer
check, and, one user in ten, a missing-relative report to the end. They act all at once
(`--think 0`) or with think time between actions (`--think S`: a random pause of up to S
seconds). Printed per run and as the median of `--runs`: updates a second, CPU per update
(process CPU time over the updates handled), reply latency p50/p95/p99 and peak memory.
Beside it, in the same run and on the same stand-in, a bare PTB echo bot handles the same
number of updates (without think time three times, the median pass shown): its CPU per
update is the floor, and the ratio says how far above it the helpline is.

With `--campaign N`, N people subscribed to the news and a campaign to them is under way at
its full pace (25 a second, the outbox worker running in the background) while the users
write: the reply latency then says whether answers wait behind bulk; the campaign's pace and
busiest second during the run are printed beside it (the CPU then includes the campaign's).

    .venv/bin/python bench/bench_conversations.py [--users 100] [--runs 3] [--think 0]
        [--database-url postgresql+asyncpg://...]   (a database it empties first;
                                                     default: a new SQLite file)
        [--campaign 3000]
"""

import argparse
import asyncio
import itertools
import random
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_campaign import FIRST_USER_ID, busiest_window, seed
from bench_queue import reset_postgres
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from api import encryption
from api.migrations import upgrade
from api.settings import Settings
from bot.local import STANDIN_TOKEN, local_helpline
from bot.standin import BotApiStandin, TelegramUser

QUESTIONS = [
    "gmn cara dpt paspor",
    "berapa gaji kerja di hongkong",
    "is it safe to go to Saudi as a maid?",
    "my agent kept my passport, what can I do",
    "cara lapor kalau ada calo",
    "apa itu BP3MI",
]
OFFER = (
    "Dicari TKW ke Malaysia, gaji 15 juta, tidak perlu paspor cukup KTP, "
    "berangkat lewat jalur tikus minggu depan."
)
MISSING_REPORT = [  # (action, what) of a missing-relative report, as tests/bot/test_reports.py
    ("press", "📝 Report"),
    ("press", "Missing relative"),
    ("press", "I agree"),
    ("send", "Maria Nenobais"),
    ("press", "Female"),
    ("send", "24"),
    ("press", "Timor Tengah Selatan"),
    ("send", "Kuanfatu"),
    ("press", "Malaysia"),
    ("send", "Kuching"),
    ("send", "Maret 2024"),
    ("send", "17/06/2024"),
    ("send", "PT Contoh Jaya"),
    ("press", "🤷 Don't know"),
    ("send", "c 1234567"),
    ("press", "Skip ▸"),
    ("send", "Yohanes Nenobais"),
    ("press", "Brother or sister"),
    ("press", "📱 Share my number"),
    ("press", "✅ Send"),
]


ECHO_PASSES = 3


def script(number: int) -> list[tuple[str, str]]:
    """What user `number` does: the mix every user does, and a report for one in ten."""
    rng = random.Random(number)
    steps = [("send", "/start"), ("press", "English")]
    steps += [("send", question) for question in rng.sample(QUESTIONS, 3)]
    steps += [("press", "🔎 Check a job offer"), ("send", OFFER)]
    if number % 10 == 0:
        steps += MISSING_REPORT
    return steps


@dataclass
class Run:
    updates: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    unanswered: int = 0
    broken_steps: int = 0
    campaign_sent: list[float] = field(default_factory=list)  # when each campaign message went

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu / max(self.updates, 1)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(int(share * len(ordered)), len(ordered) - 1)]


async def drive(users: list[TelegramUser], think: float, echo: bool) -> Run:
    """Every user's script at once; each action's wall time is a reply latency."""
    run = Run()

    async def one(user: TelegramUser, number: int) -> None:
        rng = random.Random(number)
        for action, what in script(number):
            if think:
                await asyncio.sleep(rng.uniform(0, think))
            started = time.perf_counter()
            try:
                if action == "send" or echo:
                    replies = await user.send(what)
                else:
                    replies = await user.press(what)
            except LookupError:  # the conversation went another way: the rest cannot follow
                run.broken_steps += 1
                return
            run.latencies.append(time.perf_counter() - started)
            run.updates += 1
            run.unanswered += not replies

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(user, number) for number, user in enumerate(users)))
    run.wall, run.cpu = time.perf_counter() - wall, time.process_time() - cpu
    return run


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query:
        await update.callback_query.answer()
    elif update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def echo_bot(standin: BotApiStandin) -> Application:
    application = ApplicationBuilder().token(STANDIN_TOKEN).request(standin.request()).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(echo))
    return application


async def helpline_run(
    settings: Settings, count: int, think: float, first_id: int, campaign: int
) -> Run:
    standin = BotApiStandin(flood=None)  # Telegram's pacing is not what is measured here
    for number in range(campaign):  # each subscriber started the bot once
        standin.open_chat(FIRST_USER_ID + number)
    deliver_every = 0.1 if campaign else None
    async with local_helpline(
        settings, retry_backoff=0, standin=standin, deliver_every=deliver_every
    ) as helpline:
        users = [
            TelegramUser(standin, helpline.application, user_id=first_id + n, language_code="id")
            for n in range(count)
        ]
        if campaign:
            await campaign_at_full_pace(standin)
        started = time.monotonic()
        run = await drive(users, think, echo=False)
        run.campaign_sent = [
            message.sent_at
            for chat, messages in standin.messages.items()
            if chat >= FIRST_USER_ID
            for message in messages
            if message.sent_at >= started
        ]
        return run


async def campaign_at_full_pace(standin: BotApiStandin) -> None:
    """Wait until the campaign has sent for a second at its pace (the stand-in has no event)."""
    while True:
        sent = [
            m.sent_at for chat, ms in standin.messages.items() if chat >= FIRST_USER_ID for m in ms
        ]
        if len(sent) > 25 and busiest_window(sent, 1.0) >= 20:
            return
        await asyncio.sleep(0.2)


async def echo_run(count: int, think: float) -> Run:
    standin = BotApiStandin(flood=None)
    application = echo_bot(standin)
    async with application:
        users = [
            TelegramUser(standin, application, user_id=9_000_000 + n, language_code="id")
            for n in range(count)
        ]
        return await drive(users, think, echo=True)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def show(label: str, run: Run) -> None:
    print(
        f"  {label:8} {run.updates:6,} updates  {run.updates / run.wall:7.1f}/s  "
        f"CPU {run.cpu_ms_per_update:6.2f} ms/update  latency p50 {run.percentile(0.5):7.1f} "
        f"p95 {run.percentile(0.95):7.1f} p99 {run.percentile(0.99):7.1f} ms"
        + (f"  unanswered {run.unanswered}" if run.unanswered else "")
        + (f"  broken scripts {run.broken_steps}" if run.broken_steps else "")
    )
    if run.campaign_sent:
        print(
            f"  campaign {len(run.campaign_sent):6,} messages meanwhile  "
            f"{len(run.campaign_sent) / run.wall:7.1f}/s  "
            f"busiest second {busiest_window(run.campaign_sent, 1.0)} (limit 25)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--think", type=float, default=0.0, help="max seconds between actions")
    parser.add_argument(
        "--database-url", help="a PostgreSQL database it empties; default: a new SQLite file"
    )
    parser.add_argument(
        "--campaign", type=int, default=0, help="subscribers of a campaign sent meanwhile"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-conversations-") as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        if args.database_url:  # what an earlier run stored is under another run's data key
            asyncio.run(reset_postgres(url))
        upgrade(url)  # before the event loop: Alembic runs one of its own
        if args.campaign:
            asyncio.run(seed(url, args.campaign))
        settings = Settings(
            _env_file=None,
            database_url=url,
            service_token="bench-service-token",
            data_keys=encryption.random_key(),
            uploads_dir=Path(folder) / "uploads",
            # queued messages (the campaign) one a second a chat, queued every second
            per_chat_interval=1.0 if args.campaign else 0,
            campaign_queue_seconds=1.0 if args.campaign else 0,
        )
        database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        campaign = f", a campaign to {args.campaign:,} meanwhile" if args.campaign else ""
        print(f"{args.users} users, think time up to {args.think} s, {database}{campaign}")
        helpline_runs, echo_runs = asyncio.run(measure(settings, args))
    cpu = statistics.median(run.cpu_ms_per_update for run in helpline_runs)
    floor = statistics.median(run.cpu_ms_per_update for run in echo_runs)
    print(
        f"median of {args.runs}: helpline "
        f"{statistics.median(r.updates / r.wall for r in helpline_runs):.1f} updates/s, "
        f"CPU {cpu:.2f} ms/update, latency p50 "
        f"{statistics.median(r.percentile(0.5) for r in helpline_runs):.1f} ms, p95 "
        f"{statistics.median(r.percentile(0.95) for r in helpline_runs):.1f} ms, p99 "
        f"{statistics.median(r.percentile(0.99) for r in helpline_runs):.1f} ms; "
        f"echo bot CPU {floor:.2f} ms/update; ratio {cpu / floor:.1f}x; "
        f"peak memory {peak_memory_mb():.0f} MB"
    )


async def measure(settings: Settings, args: argparse.Namespace) -> tuple[list[Run], list[Run]]:
    helpline_runs, echo_runs = [], []
    first_ids = itertools.count(7_000_000, 100_000)
    for number in range(1, args.runs + 1):
        print(f"run {number}")
        helpline_runs.append(
            await helpline_run(settings, args.users, args.think, next(first_ids), args.campaign)
        )
        show("helpline", helpline_runs[-1])
        # without think time the echo bot's run is short (a tenth of a second or so) and so
        # noisy: the median of ECHO_PASSES, so that one unlucky pass does not move the ratio
        count = 1 if args.think else ECHO_PASSES
        passes = [await echo_run(args.users, args.think) for _ in range(count)]
        echo_runs.append(sorted(passes, key=lambda run: run.cpu)[len(passes) // 2])
        show("echo", echo_runs[-1])
    return helpline_runs, echo_runs


if __name__ == "__main__":
    main()
