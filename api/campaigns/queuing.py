"""Campaigns queue their recipients in the backend, on a clock of their own: a due campaign
starts, its next batch of recipients becomes outbox rows, and a campaign with nothing left
to send is marked sent. No channel's claim does this work, so an adapter's claim only hands
out messages, and every backend worker may run a queuer (concurrent runs skip each other's
campaigns, see `service.queue_due`)."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.campaigns import service
from api.i18n import Catalogs

log = logging.getLogger("api.campaigns")


class CampaignQueuer:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, batch_size: int, catalogs: Catalogs
    ):
        self.sessionmaker = sessionmaker
        self.batch_size = batch_size
        self.catalogs = catalogs

    async def run_once(self) -> None:
        async with self.sessionmaker() as session:
            await service.queue_due(session, batch_size=self.batch_size, catalogs=self.catalogs)
            await session.commit()

    async def run(self, every: float) -> None:
        """Queue every `every` seconds until cancelled; a failed round is logged and retried."""
        while True:
            try:
                await self.run_once()
            except Exception as error:  # the next round tries again; nothing is lost
                log.warning("campaign queuing failed", extra={"error": type(error).__name__})
            await asyncio.sleep(every)


@asynccontextmanager
async def queuing(queuer: CampaignQueuer, every: float) -> AsyncIterator[None]:
    """Run the queuer in the background while the block runs."""
    task = asyncio.create_task(queuer.run(every))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
