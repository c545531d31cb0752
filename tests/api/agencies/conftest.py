"""Importing registry files through the `helpline agencies` command, on the test's database."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from api.settings import PROJECT_ROOT
from helpline.cli import main

SAMPLE = PROJECT_ROOT / "content" / "agencies-sample.csv"
HEADER = "name,licence_number,address,status,source_date\n"

Helpline = Callable[..., Awaitable[tuple[int, str, str]]]


@pytest.fixture
def helpline_command(database_url: str, monkeypatch, capsys) -> Helpline:
    """`code, out, err = await helpline_command("agencies", "find", "x")`: the real command
    on the test's database (in a thread: it runs its own event loop)."""
    monkeypatch.setenv("HELPLINE_DATABASE_URL", database_url)

    async def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = await asyncio.to_thread(main, list(args))
        except SystemExit as exit_:  # argparse refusals
            code = exit_.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[str], str]:
    """A registry file with these lines (after the standard header); its path."""
    numbers = iter(range(1000))

    def write(body: str, header: str = HEADER) -> str:
        path = tmp_path / f"registry-{next(numbers)}.csv"
        path.write_text(header + body, encoding="utf-8")
        return str(path)

    return write


@pytest.fixture
async def sample_registry(helpline_command: Helpline) -> None:
    code, out, _err = await helpline_command("agencies", "import", str(SAMPLE))
    assert code == 0 and "added 14" in out
