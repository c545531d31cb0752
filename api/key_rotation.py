"""`helpline rotate-key`: every encrypted value re-encrypted with the newest data key, every
case's search index hashed with it, and every photo encrypted with it, so that the older keys
can be removed from HELPLINE_DATA_KEYS. A batch of rows at a time, each batch committed: an
interrupted rotation is simply run again (values already under the newest key are
re-encrypted once more)."""

from dataclasses import dataclass

from sqlalchemy import Text, column, select, table, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.cases import search_terms
from api.cases.models import Case
from api.cases.storage import Storage
from api.encryption import KeyRing, encrypted_columns
from api.forms import service as forms
from api.models import Base

BATCH = 500


@dataclass(frozen=True)
class Rotated:
    values: int  # encrypted values re-encrypted
    cases_indexed: int  # cases whose search index was hashed again
    photos: int  # report photos encrypted with the newest key


async def _rotate_column(
    sessionmaker: async_sessionmaker[AsyncSession], keys: KeyRing, table_name: str, name: str
) -> int:
    raw = table(table_name, column("id"), column(name, Text))
    done, after = 0, 0
    while True:
        async with sessionmaker() as session:
            rows = (
                await session.execute(
                    select(raw.c.id, raw.c[name])
                    .where(raw.c.id > after, raw.c[name].is_not(None), raw.c[name] != "")
                    .order_by(raw.c.id)
                    .limit(BATCH)
                )
            ).all()
            if not rows:
                return done
            for row_id, token in rows:
                # only if unchanged: a worker's write in the meantime is newer, and already
                # under the newest key (the workers were restarted with it in front)
                await session.execute(
                    raw.update()
                    .where(raw.c.id == row_id, raw.c[name] == token)
                    .values({name: keys.rotate(token)})
                )
            await session.commit()
        done += len(rows)
        after = rows[-1][0]


async def _reindex_cases(sessionmaker: async_sessionmaker[AsyncSession], keys: KeyRing) -> int:
    """Hash each case's search terms with the newest key; erased cases (no index) stay so."""
    done, after = 0, 0
    while True:
        async with sessionmaker() as session:
            rows = (
                await session.execute(
                    select(Case.id, Case.details, Case.search_text)
                    .where(Case.id > after, Case.search_text != "")
                    .order_by(Case.id)
                    .limit(BATCH)
                )
            ).all()
            if not rows:
                return done
            for case_id, details, indexed in rows:
                index = search_terms.index(forms.document_text(details), keys)
                await session.execute(
                    update(Case)
                    # only if unchanged: a case erased in the meantime stays without an index
                    .where(Case.id == case_id, Case.search_text == indexed)
                    # a rotation is no change of the case: updated_at stays
                    .values(search_text=index, updated_at=Case.updated_at)
                    .execution_options(synchronize_session=False)
                )
            await session.commit()
        done += len(rows)
        after = rows[-1][0]


async def rotate(
    sessionmaker: async_sessionmaker[AsyncSession], keys: KeyRing, storage: Storage
) -> Rotated:
    """Re-encrypt every encrypted column of every table with `keys`' newest key, re-index the
    cases' search terms with it, and encrypt every photo with it."""
    values = 0
    for table_name, name in encrypted_columns(Base.metadata.sorted_tables):
        values += await _rotate_column(sessionmaker, keys, table_name, name)
    return Rotated(
        values=values,
        cases_indexed=await _reindex_cases(sessionmaker, keys),
        photos=await storage.rotate(keys),
    )
