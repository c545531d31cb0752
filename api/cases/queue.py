"""The staff queue: who sees which cases, and the filtered, sorted lists of them (a page of the
queue, or every row for the CSV export).

Agents see the unassigned cases and their own; supervisors and admins see all. The rule is
here twice, as SQL for lists (`visible_to`) and for one case (`may_work`)."""

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, case, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from api import encryption
from api.audit import service as audit
from api.cases import references, search_terms
from api.cases.models import Case, Priority
from api.cases.schemas import CaseFilters
from api.db import as_utc
from api.forms.declarations import FieldType, Forms
from api.staff.models import Role, Staff

PRIORITY_RANK = case(  # urgent, high, normal, low: the order of `Priority`
    {priority.value: rank for rank, priority in enumerate(Priority)},
    value=Case.priority,
    else_=len(Priority),
)
ORDER_BY = {
    "priority": (PRIORITY_RANK, Case.created_at, Case.id),
    "created": (Case.created_at, Case.id),
    "-created": (Case.created_at.desc(), Case.id.desc()),
    "updated": (Case.updated_at.desc(), Case.id.desc()),
}
SUMMARY_COLUMNS = (
    Case.reference,
    Case.kind,
    Case.status,
    Case.priority,
    Case.district,
    Case.destination_country,
    Case.assignee_id,
    Staff.name.label("assignee_name"),
    Case.created_at,
    Case.updated_at,
    Case.last_reporter_message_at,
    Case.has_news,
)

# The CSV export: every role gets the case columns; supervisors and admins also the free
# text and each kind's details, as `<kind>_<field>` (a photo is not exported).
EXPORT_COLUMNS: tuple[tuple[str, Any], ...] = (
    *((column.key, column) for column in SUMMARY_COLUMNS),
    ("first_response_at", Case.first_response_at),
    ("closed_at", Case.closed_at),
    ("referral", Case.referral),
)
PERSONAL_EXPORT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("language", Case.language),
    ("referral_note", Case.referral_note),
    ("resolution", Case.resolution),
)
EXPORT_BATCH = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets take for a formula


def visible_to(viewer: Staff) -> ColumnElement[bool]:
    if viewer.role == Role.AGENT:
        return or_(Case.assignee_id.is_(None), Case.assignee_id == viewer.id)
    return true()


def may_work(viewer: Staff, case_: Case) -> bool:
    return viewer.role != Role.AGENT or case_.assignee_id in (None, viewer.id)


def _reference_start(text: str) -> ColumnElement[bool] | None:
    """References starting like `text` (with or without `NTT-`), when it could start one; the
    range lets the index find them, LIKE keeps it exact."""
    start = text.upper()
    if not start.startswith(references.PREFIX):
        start = references.PREFIX + start
    rest = start.removeprefix(references.PREFIX)
    if len(rest) > references.LENGTH or any(char not in references.ALPHABET for char in rest):
        return None
    following = start[:-1] + chr(ord(start[-1]) + 1)
    return (
        (Case.reference >= start)
        & (Case.reference < following)
        & Case.reference.startswith(start, autoescape=True)
    )


def _search(text: str) -> ColumnElement[bool]:
    """A whole reference by equality; otherwise a reference start, or every word somewhere in
    the details, or the search as a phone number (`search_terms`)."""
    reference = references.clean(text)
    if reference is not None:
        return Case.reference == reference
    found = search_terms.matches(text, encryption.keyring())
    if (start := _reference_start(text)) is not None:
        return or_(found, start)
    return found


def _where(query: Select, *, viewer: Staff, filters: CaseFilters) -> Select:
    query = query.where(visible_to(viewer))
    if filters.status:
        query = query.where(Case.status.in_(filters.status))
    for name in ("kind", "priority", "district", "has_news"):
        value = getattr(filters, name)
        if value is not None:
            query = query.where(getattr(Case, name) == value)
    if filters.assignee == "me":
        query = query.where(Case.assignee_id == viewer.id)
    elif filters.assignee == "none":
        query = query.where(Case.assignee_id.is_(None))
    elif filters.assignee is not None:
        query = query.where(Case.assignee_id == int(filters.assignee))
    # In UTC on both databases: SQLite compares the stored naive UTC text.
    if filters.created_from is not None:
        query = query.where(Case.created_at >= as_utc(filters.created_from))
    if filters.created_to is not None:
        query = query.where(Case.created_at < as_utc(filters.created_to))
    if filters.q:
        query = query.where(_search(filters.q))
    return query


async def count(session: AsyncSession, *, viewer: Staff, filters: CaseFilters) -> int:
    query = _where(select(func.count()).select_from(Case), viewer=viewer, filters=filters)
    return await session.scalar(query) or 0


def _page(*, viewer: Staff, filters: CaseFilters, limit: int, offset: int) -> Select:
    """The page's ids are picked first, sorting only the sort keys (from an index where one
    covers the filters), then its rows are read. A text search reads every matching row
    anyway, so it counts them in that same pass (`total`)."""
    order = ORDER_BY[filters.sort]
    ids = _where(select(Case.id), viewer=viewer, filters=filters)
    if filters.q:
        ids = ids.add_columns(func.count().over().label("total"))
    page = ids.order_by(*order).limit(limit).offset(offset).subquery("page")
    return (
        select(*SUMMARY_COLUMNS, *([page.c.total] if filters.q else []))
        .join(page, page.c.id == Case.id)
        .outerjoin(Staff, Staff.id == Case.assignee_id)
        .order_by(*order)
    )


async def list_page(
    session: AsyncSession, *, viewer: Staff, filters: CaseFilters, limit: int, offset: int
) -> tuple[Sequence[Row[Any]], int]:
    """One page of the cases `viewer` may see that match `filters`, in its order, with the
    assignee's name; and how many match in all."""
    query = _page(viewer=viewer, filters=filters, limit=limit, offset=offset)
    rows = (await session.execute(query)).all()
    if filters.q and rows:
        total = rows[0].total
    else:
        total = await count(session, viewer=viewer, filters=filters)
    if filters.q:
        await _audit_search(session, viewer=viewer, text=filters.q, matches=total)
    return rows, total


async def _audit_search(session: AsyncSession, *, viewer: Staff, text: str, matches: int) -> None:
    """A text search may look for a name or a phone number: it is audited (`queue_searched`)
    with what kind of search it was and how many cases matched, never the searched text."""
    by = "reference" if references.clean(text) is not None else "text"
    await audit.record(session, actor=viewer, action="queue_searched", by=by, matches=matches)


async def matching_ids(session: AsyncSession, *, viewer: Staff, filters: CaseFilters) -> list[int]:
    """The ids of every case `viewer` may see that matches `filters`, in its order."""
    query = _where(select(Case.id), viewer=viewer, filters=filters)
    return list(await session.scalars(query.order_by(*ORDER_BY[filters.sort])))


def _cell(value: Any) -> Any:
    """A CSV cell: times in UTC, lists joined, text that a spreadsheet would run defused."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(map(str, value))
    if isinstance(value, dict):  # a date or an age of the details, as given
        return value.get("as_written") or value.get("date") or value.get("years")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


async def export_rows(
    session: AsyncSession, case_ids: list[int], *, personal: bool, forms: Forms
) -> AsyncIterator[list[Any]]:
    """The header, then a row per case in the order of `case_ids`, read a batch at a time (no
    long-held cursor, which on SQLite would keep writers waiting). Personal rows end with
    each form's fields as `<kind>_<field>` (a photo is not exported)."""
    columns = EXPORT_COLUMNS + (PERSONAL_EXPORT_COLUMNS if personal else ())
    fields = [
        (form.kind, step.field)
        for form in forms.values()
        for step in form.steps
        if personal and step.type is not FieldType.PHOTO
    ]
    yield [name for name, _ in columns] + [f"{kind}_{field}" for kind, field in fields]
    query = select(*(column for _, column in columns)).outerjoin(
        Staff, Staff.id == Case.assignee_id
    )
    query = query.add_columns(Case.id, Case.kind, Case.details)
    for start in range(0, len(case_ids), EXPORT_BATCH):
        batch = case_ids[start : start + EXPORT_BATCH]
        rows = await session.execute(query.where(Case.id.in_(batch)))
        by_id = {row[-3]: row for row in rows}
        for case_id in batch:
            if case_id in by_id:  # not deleted in the meantime
                row = by_id[case_id]
                kind, details = row[-2], row[-1]
                answers = [details.get(f) if k == kind else None for k, f in fields]
                yield [_cell(value) for value in (*row[:-3], *answers)]
