"""The staff queue: a lower-cased copy of each case's details text for its search (a trigram
index on PostgreSQL: pg_trgm, created here), and indexes holding its sort keys.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The text columns of each kind's details, as the models stood at this revision.
DETAILS_TEXT = {
    "offer_reports": (
        "offer_text",
        "seen_where",
        "recruiter_name",
        "recruiter_phone",
        "village",
    ),
    "danger_reports": ("what_happens", "country", "city", "employer", "since_when", "contact"),
    "missing_reports": (
        "name",
        "sex",
        "home_district",
        "village",
        "destination_country",
        "destination_city",
        "recruiter",
        "employer",
        "passport_number",
        "reporter_name",
        "reporter_relationship",
        "reporter_phone",
    ),
    "question_reports": ("question", "topic"),
}


def _backfill() -> None:
    """Fill `search_text` of the cases made before this revision, as `cases.service` does."""
    connection = op.get_bind()
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("search_text", sa.Text))
    for table_name, columns in DETAILS_TEXT.items():
        table = sa.table(table_name, sa.column("case_id", sa.Integer), *map(sa.column, columns))
        rows = connection.execute(sa.select(table)).all()
        updates = [
            {
                "case_id": row.case_id,
                "text": "\n".join(v for v in row[1:] if isinstance(v, str)).lower(),
            }
            for row in rows
        ]
        if updates:
            connection.execute(
                cases.update()
                .where(cases.c.id == sa.bindparam("case_id"))
                .values(search_text=sa.bindparam("text")),
                updates,
            )


INDEXES = {
    "ix_cases_status_kind_priority": ["status", "kind", "priority", "created_at", "id"],
    "ix_cases_assignee_id_status_priority": [
        "assignee_id",
        "status",
        "priority",
        "created_at",
        "id",
    ],
    "ix_cases_has_news_updated_at": ["has_news", "updated_at"],
    "ix_cases_updated_at": ["updated_at"],
}
TRIGRAM_INDEX = "ix_cases_search_text_trgm"  # api.models.POSTGRESQL_ONLY_INDEXES


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    _backfill()
    for name, columns in INDEXES.items():
        op.create_index(name, "cases", columns)
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension (PostgreSQL 13+): the database's owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            TRIGRAM_INDEX,
            "cases",
            ["search_text"],
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(TRIGRAM_INDEX, "cases")  # pg_trgm stays: other schemas may use it
    for name in INDEXES:
        op.drop_index(name, "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("search_text")
