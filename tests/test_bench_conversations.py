"""The whole-conversation benchmark keeps working: a tiny run completes, every action of every
simulated user gets an answer, the scripted report reaches its end, and both bots' figures and
their ratio are printed (its figures are the README's, measured apart, not asserted here)."""

import subprocess
import sys

from api.settings import PROJECT_ROOT


def test_a_tiny_run_answers_every_step_of_every_user():
    finished = subprocess.run(
        [sys.executable, "bench/bench_conversations.py", "--users", "10", "--runs", "1"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    lines = finished.stdout.splitlines()
    helpline = next(line for line in lines if line.strip().startswith("helpline"))
    assert "90 updates" in helpline  # 10 users x 7 actions, and one report of 20 steps
    assert "unanswered" not in helpline and "broken scripts" not in helpline
    assert "ratio" in lines[-1] and "echo bot CPU" in lines[-1]
