"""The backend's retention job: erases what is due (see `service`) every so often. Every
backend worker may run one; on PostgreSQL an advisory lock lets one run at a time."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.at_rest import empty_wal
from api.cases.storage import Storage
from api.forms.declarations import Forms
from api.retention import service
from api.retention.service import Counts, Periods

log = logging.getLogger("api.retention")
RETENTION_LOCK = 0x52455445  # "RETE": the PostgreSQL advisory lock held by a run


class RetentionJob:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        storage: Storage,
        forms: Forms,
        periods: Periods,
    ):
        self.sessionmaker = sessionmaker
        self.storage = storage
        self.forms = forms
        self.periods = periods

    async def due(self, now: datetime | None = None) -> Counts:
        """What the next run will erase (the dashboard shows it)."""
        async with self.sessionmaker() as session:
            return await service.due(
                session, storage=self.storage, forms=self.forms, periods=self.periods, now=now
            )

    async def run_once(self, now: datetime | None = None) -> Counts | None:
        """Erase what is due at `now`; None when another worker's run holds the lock."""
        async with self.sessionmaker() as session:
            if session.get_bind().dialect.name == "postgresql":
                locked = await session.scalar(
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": RETENTION_LOCK}
                )
                if not locked:
                    return None
            counts = await service.erase_due(
                session, storage=self.storage, forms=self.forms, periods=self.periods, now=now
            )
            await session.commit()
            await empty_wal(session)
        if any(counts.as_dict().values()):
            log.info("retention erased", extra=counts.as_dict())
        return counts

    async def run(self, every: float) -> None:
        """Run every `every` seconds until cancelled; a failed run is logged and retried."""
        while True:
            try:
                await self.run_once()
            except Exception as error:  # the next run erases what this one did not
                log.warning("retention failed", extra={"error": type(error).__name__})
            await asyncio.sleep(every)


@asynccontextmanager
async def retaining(job: RetentionJob, every: float) -> AsyncIterator[None]:
    """Run the job in the background while the block runs."""
    task = asyncio.create_task(job.run(every))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
