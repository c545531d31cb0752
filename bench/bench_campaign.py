"""Campaign delivery: a campaign to many subscribers through the outbox, the real delivery
worker and the local Bot API stand-in, all in one process on SQLite (the embedded default).

Checks the pacing (the busiest one-second window at the stand-in never holds more than 25
campaign messages) and measures what the delivery costs: the process's CPU time over the wall
time while delivering. That CPU covers the whole helpline in this process: the worker, PTB and
its rate limiters, the backend answering every claim and every delivery report, SQLite, and the
stand-in itself, so it is an upper bound of the delivery loop's own cost.

`--scale S` runs the clock S times faster to keep a 50,000-subscriber run short: the campaign
pace (25/s), PTB's overall limit (30/s) and the window checked (1/S s) are all scaled by S. The
CPU share at the real pace is then the CPU per message times 25.

Run: .venv/bin/python bench/bench_campaign.py [--subscribers 50000] [--scale 1]
"""

import argparse
import asyncio
import tempfile
import time
from bisect import bisect_left
from pathlib import Path

from sqlalchemy import insert
from telegram.ext import AIORateLimiter, ExtBot

from api import encryption
from api.campaigns import service as campaigns
from api.campaigns.schemas import CampaignCreate
from api.db import create_engine, create_sessionmaker, utcnow
from api.migrations import upgrade
from api.reporters.models import Reporter
from api.settings import Settings
from api.staff.models import Role, Staff
from bot.delivery import OutboxWorker
from bot.local import STANDIN_TOKEN, local_helpline
from bot.standin import BotApiStandin, FloodLimits

CAMPAIGN_RATE = 25
TELEGRAM_OVERALL_RATE = 30
FIRST_USER_ID = 800_000_000


async def seed(url: str, subscribers: int) -> None:
    """`subscribers` people subscribed in Belu, and a campaign to them scheduled now."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    now = utcnow()
    async with sessionmaker() as session:
        for start in range(0, subscribers, 5_000):
            rows = [
                {
                    "channel": "telegram",
                    "channel_user_id": str(FIRST_USER_ID + number),
                    "language": "id",
                    "subscribed_district": "belu",
                    "subscribed_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for number in range(start, min(start + 5_000, subscribers))
            ]
            await session.execute(insert(Reporter), rows)
        staff = Staff(username="bench", name="Bench", role=Role.SUPERVISOR, password_hash="-")
        session.add(staff)
        await session.flush()
        data = CampaignCreate(
            title="bench",
            texts={"id": "Hati-hati dengan calo. Cek izin perusahaan di BP3MI."},
            districts=["belu"],
            languages=["id"],
        )
        campaign = await campaigns.create(
            session, data=data, actor=staff, districts=["belu"], languages=["id"]
        )
        await campaigns.schedule(session, campaign, send_at=None, actor=staff)
        await session.commit()
    await engine.dispose()


def busiest_window(times: list[float], window: float) -> int:
    """The most messages in any window of `window` seconds (sliding, start included)."""
    times = sorted(times)
    return max(
        (bisect_left(times, start + window) - index for index, start in enumerate(times)),
        default=0,
    )


async def run(url: str, subscribers: int, scale: float) -> None:
    started = time.perf_counter()
    await seed(url, subscribers)
    print(f"seeded {subscribers:,} subscribers in {time.perf_counter() - started:.1f} s")
    settings = Settings(
        _env_file=None,
        database_url=url,
        service_token="bench-token",
        data_keys=encryption.random_key(),
        campaign_batch_size=500,
    )
    telegram = BotApiStandin(  # Telegram's limits, sped up by `scale` like the helpline's
        flood=FloodLimits(per_chat_rate=scale, overall_rate=TELEGRAM_OVERALL_RATE * scale)
    )
    for number in range(subscribers):  # each subscriber started the bot once
        telegram.open_chat(FIRST_USER_ID + number)
    async with local_helpline(settings, retry_backoff=0, standin=telegram) as helpline:
        bot = ExtBot(
            STANDIN_TOKEN,
            request=helpline.standin.request(),
            rate_limiter=AIORateLimiter(
                overall_max_rate=TELEGRAM_OVERALL_RATE * scale, max_retries=3
            ),
        )
        await bot.initialize()
        api = helpline.application.bot_data["api"]
        worker = OutboxWorker(api, bot, campaign_rate=CAMPAIGN_RATE * scale)
        messages = helpline.standin.messages
        wall, cpu = time.perf_counter(), time.process_time()
        delivering = asyncio.create_task(worker.run(poll_interval=0.1))
        # the stand-in has no event to wait on: look twice a second
        while sum(len(chat) for chat in messages.values()) < subscribers:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        delivering.cancel()
        await bot.shutdown()
    sent_at = [message.sent_at for chat in messages.values() for message in chat]
    busiest = busiest_window(sent_at, 1.0 / scale)
    repeated = sum(1 for chat in messages.values() if len(chat) > 1)
    per_message = cpu / subscribers
    print(
        f"delivered {len(sent_at):,} messages ({repeated} chats got more than one) "
        f"in {wall:.1f} s: {len(sent_at) / wall:.1f}/s (scale {scale:g})"
    )
    print(f"busiest {'second' if scale == 1 else f'1/{scale:g} s'}: {busiest} messages (limit 25)")
    print(
        f"CPU {cpu:.1f} s = {100 * cpu / wall:.1f}% of one core at this pace; "
        f"{1000 * per_message:.2f} ms a message = {100 * per_message * CAMPAIGN_RATE:.1f}% "
        "of one core at 25 messages a second"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--scale", type=float, default=1.0, help="run the clock this much faster")
    args = parser.parse_args()
    url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='bench-campaign-')) / 'helpline.db'}"
    upgrade(url)
    asyncio.run(run(url, args.subscribers, args.scale))


if __name__ == "__main__":
    main()
