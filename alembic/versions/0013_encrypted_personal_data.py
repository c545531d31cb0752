"""Reporters' data encrypted in the database (api/encryption): each case's details, referral
note and resolution, the case threads' texts, the outbox texts and the bot's conversation
states (report drafts) become Fernet tokens under the newest key of HELPLINE_DATA_KEYS; the
cases' search text, which held the details in clear, becomes keyed hashes of their words
(api/cases/search_terms). The downgrade decrypts them and rebuilds the clear search text.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

import json
from typing import Any

import sqlalchemy as sa

from alembic import op
from api import encryption
from api.cases import search_terms

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TEXTS = {  # table: its encrypted text columns
    "cases": ("referral_note", "resolution"),
    "case_messages": ("text",),
    "outbox": ("text",),
}
DOCUMENTS = {  # table: its JSON columns that become one encrypted document each
    "cases": ("details",),
    "conversation_states": ("user_data", "conversations"),
}
BATCH = 500


def _document_text(document: dict[str, Any]) -> str:
    """The details' text as `forms.document_text` gave it at this revision."""
    texts = []
    for value in document.values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict) and value.get("as_written"):
            texts.append(str(value["as_written"]))
    return "\n".join(texts)


def _rewrite(table_name: str, name: str, change) -> None:
    """Replace each non-empty value of the text column `name` by `change(value)`, a batch at
    a time."""
    connection = op.get_bind()
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(name, sa.Text))
    after = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c[name])
            .where(table.c.id > after, table.c[name].is_not(None), table.c[name] != "")
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values({name: sa.bindparam("value")}),
            [{"row_id": row_id, "value": change(value)} for row_id, value in rows],
        )
        after = rows[-1][0]


def _column_type(table: str, name: str, type_: sa.types.TypeEngine, using: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.alter_column(
            name,
            type_=type_,
            existing_nullable=False,
            server_default=None,
            postgresql_using=f"{name}::{using}",
        )


def _reindex(text_of_row) -> None:
    """Each case's search text from its details, as `text_of_row(details token)` makes it;
    an erased case (no search text) stays without one."""
    connection = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("details", sa.Text),
        sa.column("search_text", sa.Text),
    )
    after = 0
    while True:
        rows = connection.execute(
            sa.select(cases.c.id, cases.c.details)
            .where(cases.c.id > after, cases.c.search_text != "")
            .order_by(cases.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            cases.update()
            .where(cases.c.id == sa.bindparam("row_id"))
            .values(search_text=sa.bindparam("index")),
            [{"row_id": row_id, "index": text_of_row(details)} for row_id, details in rows],
        )
        after = rows[-1][0]


def upgrade() -> None:
    for table, names in DOCUMENTS.items():
        for name in names:
            _column_type(table, name, sa.Text(), "text")
    keys = None

    def encrypt(value: str) -> str:
        nonlocal keys
        keys = keys or encryption.keyring()  # only asked for when there is something to encrypt
        return keys.encrypt(value.encode("utf-8"))

    def index(details: str) -> str:
        document = json.loads(encryption.keyring().decrypt(details))
        return search_terms.index(_document_text(document), encryption.keyring())

    for table, names in (*TEXTS.items(), *DOCUMENTS.items()):
        for name in names:
            _rewrite(table, name, encrypt)
    _reindex(index)


def downgrade() -> None:
    def decrypt(value: str) -> str:
        return encryption.keyring().decrypt(value).decode("utf-8")

    def clear_text(details: str) -> str:
        return _document_text(json.loads(decrypt(details))).lower()

    _reindex(clear_text)
    for table, names in (*TEXTS.items(), *DOCUMENTS.items()):
        for name in names:
            _rewrite(table, name, decrypt)
    for table, names in DOCUMENTS.items():
        for name in names:
            _column_type(table, name, sa.JSON(), "json")
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("details", existing_type=sa.JSON(), server_default="{}")
