"""The migrations build exactly the schema the models describe, and undo it cleanly."""

import asyncio
import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, make_url, text

from api.db import create_engine
from api.migrations import downgrade, upgrade
from api.models import Base, include_object
from tests.conftest import fresh_postgres_database


def _run(url: str, inspector_fn):
    async def go():
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(inspector_fn)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _differences(connection) -> list:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": include_object}
    )
    return compare_metadata(context, Base.metadata)


def _beside(postgres_url: str, suffix: str) -> str:
    """A new, empty database named after the test's own (one per pytest-xdist worker)."""
    return fresh_postgres_database(f"{make_url(postgres_url).database}_{suffix}")


def _tables(connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def test_migrations_match_the_models_and_downgrade_to_nothing(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'schema.db'}"
    upgrade(url)
    assert _run(url, _differences) == []
    downgrade(url)
    assert _run(url, _tables) == set()
    upgrade(url)
    assert _run(url, _tables) == set(Base.metadata.tables)


def test_the_postgresql_schema_matches_the_models(postgres_url: str | None) -> None:
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    assert _run(postgres_url, _differences) == []


def test_0006_fills_the_search_text_of_cases_made_before_it(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'before.db'}"
    upgrade(url, "0005")

    def add_cases(connection) -> None:
        for case_id, kind in ((1, "missing"), (2, "question")):
            connection.execute(
                text(
                    "INSERT INTO cases (id, reference, submission_id, kind, status, priority,"
                    " language, created_at, updated_at, has_news) VALUES (:id, :ref, :sub,"
                    " :kind, 'new', 'high', 'id', '2026-01-01', '2026-01-01', 0)"
                ),
                {"id": case_id, "ref": f"NTT-AAAAA{case_id}", "sub": str(case_id), "kind": kind},
            )
        connection.execute(
            text(
                "INSERT INTO missing_reports (case_id, name, age, passport_number, reporter_phone)"
                " VALUES (1, 'Maria Nenobais', 24, 'C1234567', '+6281234567890')"
            )
        )
        connection.execute(text("INSERT INTO question_reports (case_id) VALUES (2)"))
        connection.commit()

    _run(url, add_cases)
    upgrade(url, "0006")

    def search_texts(connection) -> list:
        return connection.execute(text("SELECT search_text FROM cases ORDER BY id")).scalars().all()

    assert _run(url, search_texts) == ["maria nenobais\nc1234567\n+6281234567890", ""]


def test_two_processes_migrating_a_new_postgresql_database_both_succeed(postgres_url) -> None:
    """Two `helpline migrate` at once (two workers starting): one migrates, the other waits."""
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    import os
    import subprocess
    import sys

    from api.settings import PROJECT_ROOT

    fresh_url = _beside(postgres_url, "race")
    env = {**os.environ, "HELPLINE_DATABASE_URL": fresh_url}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "helpline.cli", "migrate"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert _run(fresh_url, _differences) == []


def test_0011_turns_queued_telegram_buttons_into_neutral_actions(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'before.db'}"
    upgrade(url, "0010")
    telegram_button = '[[{"text": "↩️ Balas", "callback_data": "reply:NTT-AB12CD"}]]'

    def queue_a_reply(connection) -> None:
        connection.execute(
            text(
                "INSERT INTO outbox (id, channel, chat_id, text, buttons, purpose, status,"
                " attempts, next_attempt_at, created_at) VALUES (1, 'telegram', '42', 'Halo',"
                " :buttons, 'case_message', 'pending', 0, '2026-01-01', '2026-01-01')"
            ),
            {"buttons": telegram_button},
        )
        connection.commit()

    def buttons(connection) -> str:
        return connection.execute(text("SELECT buttons FROM outbox")).scalar_one()

    _run(url, queue_a_reply)
    upgrade(url, "0011")
    action = {"label": "↩️ Balas", "action": "reply_to_case", "case": "NTT-AB12CD"}
    assert json.loads(_run(url, buttons)) == [[action]]
    downgrade(url, "0010")
    assert json.loads(_run(url, buttons)) == json.loads(telegram_button)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path: Path, postgres_url: str | None) -> str:
    """The URL of a new, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'before.db'}"
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    return _beside(postgres_url, "empty")


def test_0012_moves_existing_reports_into_the_details_document(empty_database: str) -> None:
    url = empty_database
    upgrade(url, "0011")

    def report_a_missing_daughter(connection) -> None:
        connection.execute(
            text(
                "INSERT INTO cases (id, reference, submission_id, kind, status, priority, district,"
                " language, created_at, updated_at, has_news, search_text) VALUES (1,"
                " 'NTT-AB12CD', 's1', 'missing', 'new', 'urgent', 'belu', 'id', '2026-01-01',"
                " '2026-01-01', false, 'maria')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO missing_reports (case_id, name, age, left_on, passport_number,"
                " photo_key, reporter_phone) VALUES (1, 'Maria', 17, '2025-06-01', 'C1234567',"
                " :photo, '+6282211112222')"
            ),
            {"photo": "0" * 32 + ".jpg"},
        )
        connection.commit()

    def details(connection) -> dict:
        found = connection.execute(text("SELECT details FROM cases")).scalar_one()
        return json.loads(found) if isinstance(found, str) else found

    def missing_row(connection) -> tuple:
        return tuple(
            connection.execute(
                text("SELECT name, age, left_on, passport_number FROM missing_reports")
            ).one()
        )

    _run(url, report_a_missing_daughter)
    upgrade(url, "0012")
    assert _run(url, details) == {
        "name": "Maria",
        "age": {"years": 17, "to": None, "approximate": False, "born": None, "as_written": None},
        "left_on": {"date": "2025-06-01", "approximate": False, "as_written": None},
        "passport_number": "C1234567",
        "photo": "0" * 32 + ".jpg",
        "reporter_phone": "+6282211112222",
    }
    downgrade(url, "0011")
    name, age, left_on, passport = _run(url, missing_row)
    assert (name, age, str(left_on), passport) == ("Maria", 17, "2025-06-01", "C1234567")


def test_0013_encrypts_existing_personal_data_and_decrypts_it_on_downgrade(
    empty_database: str,
) -> None:
    from api import encryption
    from api.cases import search_terms

    url = empty_database
    upgrade(url, "0012")
    details = {"name": "Maria Nenobais", "reporter_phone": "+6281234567890", "sex": "female"}
    rows = {
        "cases": "INSERT INTO cases (id, reference, submission_id, kind, status, priority,"
        " language, created_at, updated_at, has_news, details, search_text, resolution) VALUES"
        " (1, 'NTT-AB12CD', 's1', 'missing', 'new', 'high', 'id', '2026-01-01', '2026-01-01',"
        " false, :details, 'maria nenobais\n+6281234567890\nfemale', 'Found her in Johor')",
        "case_messages": "INSERT INTO case_messages (id, case_id, at, direction, text) VALUES"
        " (1, 1, '2026-01-01', 'from_reporter', 'Maria called from 0812 9999 1111')",
        "outbox": "INSERT INTO outbox (id, channel, chat_id, text, purpose, status, attempts,"
        " next_attempt_at, created_at) VALUES (1, 'telegram', '42', 'Maria is safe',"
        " 'reporter_message', 'pending', 0, '2026-01-01', '2026-01-01')",
        "conversation_states": "INSERT INTO conversation_states (id, channel, channel_user_id,"
        " user_data, conversations, updated_at) VALUES (1, 'telegram', '42', :draft, '{}',"
        " '2026-01-01')",
    }
    draft = {"report": {"name": "Maria Nenobais"}}

    def add_rows(connection) -> None:
        for statement in rows.values():
            connection.execute(
                text(statement), {"details": json.dumps(details), "draft": json.dumps(draft)}
            )
        connection.commit()

    def stored(connection) -> str:
        """Every value of the tables, as stored."""
        return repr([connection.execute(text(f"SELECT * FROM {table}")).all() for table in rows])

    def search_text(connection) -> str:
        return connection.execute(text("SELECT search_text FROM cases")).scalar_one()

    _run(url, add_rows)
    upgrade(url, "0013")
    after = _run(url, stored)
    for clear in ("Maria", "Nenobais", "6281234567890", "Johor", "9999", "safe", "female"):
        assert clear not in after
    keys = encryption.keyring()
    assert sorted(_run(url, search_text).split()) == sorted(
        keys.search_token(term) for term in ("maria", "nenobais", "6281234567890", "female")
    )
    assert search_terms.index("Maria Nenobais +6281234567890 female", keys) == _run(
        url, search_text
    )

    downgrade(url, "0012")
    before = _run(url, stored)
    assert "Found her in Johor" in before and "0812 9999 1111" in before
    assert "Maria is safe" in before
    assert _run(url, search_text) == "maria nenobais\n+6281234567890\nfemale"

    def documents(connection) -> tuple:
        found = connection.execute(
            text("SELECT details, user_data FROM cases, conversation_states")
        ).one()
        return tuple(json.loads(value) if isinstance(value, str) else value for value in found)

    assert _run(url, documents) == (details, draft)
