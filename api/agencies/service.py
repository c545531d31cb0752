"""The registry of placement companies: importing an export of it, and matching against it."""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.agencies.matching import (
    Match,
    RegisteredAgency,
    Registry,
    normalize_licence,
    normalize_name,
)
from api.agencies.models import Agency, AgencyStatus
from api.db import utcnow
from api.errors import Unprocessable

REQUIRED_COLUMNS = ("name", "status")
OPTIONAL_COLUMNS = ("licence_number", "address", "source_date")
STATUS_WORDS = {
    "active": AgencyStatus.ACTIVE,
    "aktif": AgencyStatus.ACTIVE,
    "suspended": AgencyStatus.SUSPENDED,
    "dibekukan": AgencyStatus.SUSPENDED,
    "ditangguhkan": AgencyStatus.SUSPENDED,
    "revoked": AgencyStatus.REVOKED,
    "dicabut": AgencyStatus.REVOKED,
}
MAX_NAME = 200
MAX_LICENCE = 100
MAX_ADDRESS = 500


@dataclass(frozen=True)
class AgencyRow:
    """One valid row of an import file."""

    line: int
    name: str
    normalized_name: str
    licence_number: str | None
    licence_key: str | None
    address: str
    status: str
    source_date: date


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[RowProblem] = field(default_factory=list)


def _text(record: Mapping[str, str | None], column: str) -> str:
    return " ".join((record.get(column) or "").split())


def _row(
    record: Mapping[str, str | None], line: int, *, source_date: date | None, today: date
) -> AgencyRow:
    """The row of a CSV record; ValueError with the reason when it is not valid."""
    if any("\x00" in (value or "") for value in record.values() if isinstance(value, str)):
        raise ValueError("contains a NUL character")
    name = _text(record, "name")
    if not name:
        raise ValueError("no name")
    if len(name) > MAX_NAME:
        raise ValueError(f"name longer than {MAX_NAME} characters")
    normalized = normalize_name(name)
    if not normalized:
        raise ValueError(f"name {name!r} has no words besides the legal form")
    licence = _text(record, "licence_number") or None
    licence_key = normalize_licence(licence) if licence else None
    if licence and (len(licence) > MAX_LICENCE or not licence_key):
        raise ValueError(f"licence number {licence!r} is not valid")
    status_word = _text(record, "status").lower()
    if status_word not in STATUS_WORDS:
        raise ValueError(
            f"unknown status {status_word!r} (use active, suspended or revoked)"
            if status_word
            else "no status"
        )
    address = _text(record, "address")
    if len(address) > MAX_ADDRESS:
        raise ValueError(f"address longer than {MAX_ADDRESS} characters")
    written_date = _text(record, "source_date")
    if written_date:
        try:
            source_date = date.fromisoformat(written_date)
        except ValueError:
            raise ValueError(f"source date {written_date!r} is not YYYY-MM-DD") from None
    if source_date is None:
        raise ValueError("no source date (add a source_date column or give --source-date)")
    if source_date > today:
        raise ValueError(f"source date {source_date} is in the future")
    return AgencyRow(
        line=line,
        name=name,
        normalized_name=normalized,
        licence_number=licence,
        licence_key=licence_key,
        address=address,
        status=STATUS_WORDS[status_word].value,
        source_date=source_date,
    )


def read_csv(
    text: str, *, source_date: date | None = None
) -> tuple[list[AgencyRow], list[RowProblem]]:
    """The valid rows of an export and the problems of the others, by line number.

    Lines starting with `#` are comments. `source_date` is for rows without their own."""
    lines = text.splitlines(keepends=True)
    header_line = next(
        (line for line in lines if line.strip() and not line.lstrip().startswith("#")), ""
    )
    try:
        dialect = csv.Sniffer().sniff(header_line, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[AgencyRow] = []
    problems: list[RowProblem] = []
    seen_licences: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    today = utcnow().date()
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values) or values[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [value.strip().lower() for value in values]
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                raise Unprocessable(
                    f"line {line}: the header has no {', '.join(missing)} column; columns are "
                    f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}",
                    code="bad_agency_file",
                )
            continue
        record = dict(zip(header, values, strict=False))
        try:
            row = _row(record, line, source_date=source_date, today=today)
        except ValueError as error:
            problems.append(RowProblem(line, str(error)))
            continue
        if row.licence_key is not None:
            earlier = seen_licences.setdefault(row.licence_key, line)
        else:
            earlier = seen_names.setdefault(row.normalized_name, line)
        if earlier != line:
            problems.append(RowProblem(line, f"the same company as line {earlier}"))
            continue
        rows.append(row)
    if header is None:
        raise Unprocessable("the file has no header line", code="bad_agency_file")
    return rows, problems


def _fields(row: AgencyRow) -> dict[str, object]:
    return {
        "name": row.name,
        "normalized_name": row.normalized_name,
        "licence_number": row.licence_number,
        "licence_key": row.licence_key,
        "address": row.address,
        "status": row.status,
    }


async def import_rows(
    session: AsyncSession, rows: list[AgencyRow], *, problems: list[RowProblem] | None = None
) -> ImportReport:
    """Add new companies and update known ones: found by licence number, else by name."""
    report = ImportReport(refused=list(problems or []))
    agencies = list(await session.scalars(select(Agency)))
    by_licence = {agency.licence_key: agency for agency in agencies if agency.licence_key}
    by_name: dict[str, list[Agency]] = {}
    for known in agencies:
        by_name.setdefault(known.normalized_name, []).append(known)
    claimed: set[int] = set()
    now = utcnow()
    for row in rows:
        agency = by_licence.get(row.licence_key) if row.licence_key else None
        if agency is None:
            namesakes = [a for a in by_name.get(row.normalized_name, []) if a.id not in claimed]
            if len(namesakes) > 1:
                report.refused.append(
                    RowProblem(
                        row.line,
                        "several companies in the registry have this name: give its licence number",
                    )
                )
                continue
            agency = namesakes[0] if namesakes else None
        if agency is None:
            agency = Agency(**_fields(row), source_date=row.source_date, imported_at=now)
            session.add(agency)
            await session.flush()
            report.added += 1
        elif any(getattr(agency, key) != value for key, value in _fields(row).items()):
            for key, value in _fields(row).items():
                setattr(agency, key, value)
            agency.source_date, agency.imported_at = row.source_date, now
            await session.flush()
            report.updated += 1
        else:
            if agency.source_date != row.source_date:
                agency.source_date, agency.imported_at = row.source_date, now
            report.unchanged += 1
        claimed.add(agency.id)
        if agency.licence_key:
            by_licence[agency.licence_key] = agency
    await session.flush()
    report.refused.sort(key=lambda problem: problem.line)
    return report


async def import_csv(
    session: AsyncSession, text: str, *, source_date: date | None = None
) -> ImportReport:
    rows, problems = read_csv(text, source_date=source_date)
    return await import_rows(session, rows, problems=problems)


async def load_registry(session: AsyncSession) -> Registry:
    agencies = await session.scalars(select(Agency).order_by(Agency.id))
    return Registry(
        RegisteredAgency(
            id=agency.id,
            name=agency.name,
            licence_number=agency.licence_number,
            address=agency.address,
            status=agency.status,
            source_date=agency.source_date,
        )
        for agency in agencies
    )


_STAMP = select(func.count(Agency.id), func.max(Agency.imported_at))  # built once


class RegistryCache:
    """The registry as last loaded, reloaded when an import (from any process) changed it:
    each use costs one small query (how many rows, when last imported)."""

    def __init__(self) -> None:
        self._stamp: tuple[int, datetime | None] | None = None
        self._registry = Registry([])

    async def get(self, session: AsyncSession) -> Registry:
        count, last = (await session.execute(_STAMP)).one()
        stamp = (count, last)
        if stamp != self._stamp:
            self._registry = await load_registry(session)
            self._stamp = stamp
        return self._registry


async def match(session: AsyncSession, query: str, *, cache: RegistryCache) -> Match:
    return (await cache.get(session)).match(query)
