"""The fault-injection harness (`bench/fault_injection.py`) in a few trials: `helpline run`
killed with SIGKILL while it takes a report, delivers staff replies and sends a campaign,
restarted, and what reached the stand-in's chats counted. Nothing is lost and a kill makes at
most one duplicate. The 50-trial run and its figures are in the README."""

import json
import subprocess
import sys

import pytest

from api.settings import PROJECT_ROOT
from tests.conftest import POSTGRES_URL, fresh_postgres_database

TRIALS = 3


def kill_trials(*extra: str) -> dict:
    finished = subprocess.run(
        [sys.executable, "bench/fault_injection.py", "--trials", str(TRIALS), "--json", *extra],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.splitlines()[-1])


def assert_nothing_lost(result: dict) -> None:
    assert result["starts"] == TRIALS + 1  # each kill followed by a restart
    assert [figures["scenario"] for figures in result["scenarios"]] == [
        "report",
        "replies",
        "campaign",
    ]
    for figures in result["scenarios"]:
        assert figures["trials"] == TRIALS
        assert figures["expected"] > 0 and figures["problems"] == []
        assert (figures["lost"], figures["arrived"]) == (0, figures["expected"])
    assert result["most_duplicates_after_one_kill"] <= 1
    assert result["refusals"] == []


def test_kill_9_loses_nothing_and_repeats_at_most_one_message_on_sqlite():
    assert_nothing_lost(kill_trials())


@pytest.mark.skipif(not POSTGRES_URL, reason="needs HELPLINE_TEST_POSTGRES_URL")
def test_kill_9_loses_nothing_and_repeats_at_most_one_message_on_postgres():
    assert_nothing_lost(kill_trials("--database-url", fresh_postgres_database("fault_injection")))
