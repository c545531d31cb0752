"""The whole-conversation benchmark keeps working: a tiny run completes, every action of every
simulated user gets an answer, the scripted report reaches its end, and both bots' figures and
their ratio are printed (its figures are the README's, measured apart, not asserted here)."""

import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from api.settings import PROJECT_ROOT
from tests.conftest import fresh_postgres_database


def _run(*options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bench/bench_conversations.py", "--users", "10", "--runs", "1", *options],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_tiny_run_answers_every_step_of_every_user():
    finished = _run()
    assert finished.returncode == 0, finished.stderr[-2000:]
    lines = finished.stdout.splitlines()
    helpline = next(line for line in lines if line.strip().startswith("helpline"))
    assert "90 updates" in helpline  # 10 users x 7 actions, and one report of 20 steps
    assert "unanswered" not in helpline and "broken scripts" not in helpline
    assert "ratio" in lines[-1] and "echo bot CPU" in lines[-1]


def test_it_runs_again_on_the_postgresql_database_of_an_earlier_run(postgres_url: str | None):
    """Each run has a data key of its own: the database is emptied first, or the bot would
    meet an earlier run's states, which no key of this run decrypts."""
    if postgres_url is None:
        pytest.skip("PostgreSQL not configured (HELPLINE_TEST_POSTGRES_URL) or not answering")
    url = fresh_postgres_database(f"{make_url(postgres_url).database}_bench_conversations")
    for _ in range(2):
        finished = _run("--database-url", url)
        assert finished.returncode == 0, finished.stderr[-2000:]
        assert "PostgreSQL" in finished.stdout and "ratio" in finished.stdout


def test_a_database_it_cannot_reach_is_named_in_one_line_with_how_to_make_it():
    finished = _run("--database-url", "postgresql+asyncpg://postgres@127.0.0.1:1/bench")
    assert finished.returncode == 1
    assert "Traceback" not in finished.stderr
    assert "cannot empty the database 'bench'" in finished.stderr
    assert "createdb -h 127.0.0.1 -U postgres bench" in finished.stderr
