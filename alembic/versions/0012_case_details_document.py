"""A case's details as one JSON document (`cases.details`), checked by the kind's form in
content/report_forms/, instead of one table per kind: a new kind needs no table and no
migration. Existing details are moved into the document, in its shapes (dates and ages as
objects, the photo's key under the photo field), and the four tables dropped.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from datetime import date
from typing import Any

import sqlalchemy as sa

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS: dict[str, dict[str, Any]] = {  # the tables of 0004, their columns and types
    "offer_reports": {
        "offer_text": sa.Text(),
        "flags": sa.JSON(),
        "seen_where": sa.String(16),
        "recruiter_name": sa.String(120),
        "recruiter_phone": sa.String(20),
        "village": sa.String(120),
    },
    "danger_reports": {
        "what_happens": sa.Text(),
        "country": sa.String(2),
        "city": sa.String(120),
        "employer": sa.String(200),
        "since_when": sa.String(120),
        "danger_now": sa.Boolean(),
        "contact": sa.String(200),
    },
    "missing_reports": {
        "name": sa.String(120),
        "sex": sa.String(8),
        "age": sa.Integer(),
        "birth_date": sa.Date(),
        "home_district": sa.String(32),
        "village": sa.String(120),
        "destination_country": sa.String(2),
        "destination_city": sa.String(120),
        "left_on": sa.Date(),
        "last_contact_on": sa.Date(),
        "recruiter": sa.String(200),
        "employer": sa.String(200),
        "passport_number": sa.String(16),
        "photo_key": sa.String(64),
        "reporter_name": sa.String(120),
        "reporter_relationship": sa.String(16),
        "reporter_phone": sa.String(20),
    },
    "question_reports": {"question": sa.Text(), "topic": sa.String(64)},
}
NOT_NULL = {"flags", "danger_now"}
cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("district", sa.String),
    sa.column("details", sa.JSON),
)


def _table(name: str) -> sa.TableClause:
    columns = (sa.column(column, type_) for column, type_ in COLUMNS[name].items())
    return sa.table(name, sa.column("case_id", sa.Integer), *columns)


def _exact(day: date | str) -> dict[str, Any]:
    return {"date": str(day)[:10], "approximate": False, "as_written": None}


def _age(years: int | None, born: date | str | None) -> dict[str, Any] | None:
    if years is None and born is None:
        return None
    if years is None:
        born_day = date.fromisoformat(str(born)[:10])
        today = date.today()
        years = (
            today.year - born_day.year - ((today.month, today.day) < (born_day.month, born_day.day))
        )
    return {
        "years": years,
        "to": None,
        "approximate": False,
        "born": str(born)[:10] if born else None,
        "as_written": None,
    }


def _document(table: str, row: dict[str, Any], district: str | None) -> dict[str, Any]:
    document = dict(row)
    if table == "offer_reports" and district:
        document["district"] = district
    if table == "missing_reports":
        document["age"] = _age(document.pop("age"), document.pop("birth_date"))
        document["photo"] = document.pop("photo_key")
        for field in ("left_on", "last_contact_on"):
            if document[field] is not None:
                document[field] = _exact(document[field])
    if table == "offer_reports" and not document.get("flags"):
        document.pop("flags", None)
    if table == "danger_reports" and not document.get("danger_now"):
        document["danger_now"] = False
    return {key: value for key, value in document.items() if value is not None}


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=False, server_default="{}"))
    connection = op.get_bind()
    districts = dict(connection.execute(sa.select(cases.c.id, cases.c.district)).all())
    for name in COLUMNS:
        table = _table(name)
        for row in connection.execute(sa.select(table)).mappings():
            values = {key: value for key, value in row.items() if key != "case_id"}
            document = _document(name, values, districts.get(row["case_id"]))
            connection.execute(
                cases.update().where(cases.c.id == row["case_id"]).values(details=document)
            )
        op.drop_table(name)


def _row(table: str, document: dict[str, Any]) -> dict[str, Any]:
    """The other way: a document as the row of its kind's table (what fits in one)."""
    row = {column: document.get(column) for column in COLUMNS[table]}
    if table == "missing_reports":
        age = document.get("age") or {}
        row["age"] = age.get("years")
        born = age.get("born")
        row["birth_date"] = date.fromisoformat(born) if born and len(born) == 10 else None
        row["photo_key"] = document.get("photo")
        for field in ("left_on", "last_contact_on"):
            given = (document.get(field) or {}).get("date")
            row[field] = date.fromisoformat((given + "-01-01")[:10]) if given else None
    if table == "offer_reports":
        row["flags"] = row["flags"] or []
    if table == "danger_reports":
        row["danger_now"] = bool(row["danger_now"])
    return row


def downgrade() -> None:
    for name, columns in COLUMNS.items():
        op.create_table(
            name,
            sa.Column("case_id", sa.Integer(), nullable=False),
            *(sa.Column(c, t, nullable=c not in NOT_NULL) for c, t in columns.items()),
            sa.ForeignKeyConstraint(
                ["case_id"], ["cases.id"], name=op.f(f"fk_{name}_case_id_cases"), ondelete="CASCADE"
            ),
            sa.PrimaryKeyConstraint("case_id", name=op.f(f"pk_{name}")),
        )
    connection = op.get_bind()
    kinds = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("details", sa.JSON),
    )
    for case_id, kind, document in connection.execute(sa.select(kinds)).all():
        table = f"{kind}_reports"
        if table in COLUMNS:  # kinds added after this migration have no table to go back to
            connection.execute(
                _table(table).insert().values(case_id=case_id, **_row(table, document or {}))
            )
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("details")
