"""`helpline staff ...`, run in-process on the test's database, as an operator would."""

import asyncio
import getpass
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from api.app import create_app
from helpline.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def helpline(database_url, monkeypatch, tmp_path, capsys) -> Callable[..., Run]:
    """Runs `helpline ARGS` with `stdin` as standard input (a terminal when it is None)."""
    monkeypatch.chdir(tmp_path)  # no .env file
    monkeypatch.setenv("HELPLINE_DATABASE_URL", database_url)

    def run(*args: str, stdin: str | None = "") -> Run:
        monkeypatch.setattr(sys, "stdin", Terminal() if stdin is None else io.StringIO(stdin))
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


def can_log_in(settings, username: str, password: str) -> bool:
    async def log_in() -> int:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://helpline.test"
            ) as client:
                form = {"username": username, "password": password}
                return (await client.post("/api/v1/auth/token", data=form)).status_code

    return asyncio.run(log_in()) == 200


def add(helpline, username="maria", role="agent", password="first password"):
    return helpline(
        "staff", "add", username, "--name", "Maria Lopes", "--role", role, stdin=password
    )


def test_add_then_list(helpline, settings):
    added = add(helpline)
    assert added.code == 0
    assert re.fullmatch(r"added agent maria \(id \d+\)", added.out.strip())
    add(helpline, "admin.one", role="admin")
    listed = helpline("staff", "list")
    assert listed.code == 0
    rows = [line.split() for line in listed.out.splitlines()]
    assert rows[0] == ["id", "username", "role", "status", "name"]
    assert [row[1:4] for row in rows[1:]] == [
        ["admin.one", "admin", "active"],
        ["maria", "agent", "active"],
    ]
    assert "argon2" not in listed.out + added.out
    assert can_log_in(settings, "maria", "first password")


def test_password_typed_twice_at_a_terminal(helpline, settings, monkeypatch):
    typed = iter(["typed password", "typed password", "one password", "another password"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    assert add(helpline, password=None).code == 0
    assert can_log_in(settings, "maria", "typed password")

    differing = add(helpline, "yohana", password=None)
    assert (differing.code, differing.err.strip()) == (2, "the two passwords differ")


def test_password_stdin_flag_reads_one_line(helpline, settings):
    options = ["--name", "M", "--role", "agent", "--password-stdin"]
    result = helpline("staff", "add", "maria", *options, stdin="a long password\nnext line\n")
    assert result.code == 0
    assert can_log_in(settings, "maria", "a long password")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "boss"], "first password", "invalid choice: 'boss'"),
        ([], "too short", "password: the password must have at least 10 characters"),
        ([], "", "password: the password must have at least 10 characters"),
        (["--name", " "], "first password", "name: String should have at least 1 character"),
    ],
)
def test_add_refuses_bad_input_with_exit_code_2(helpline, args, stdin, message):
    result = helpline(
        "staff", "add", "maria", "--name", "Maria", "--role", "agent", *args, stdin=stdin
    )
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err + result.out
    assert "maria" not in helpline("staff", "list").out


def test_add_refuses_a_taken_or_invalid_username(helpline):
    add(helpline)
    taken = add(helpline, "MARIA")
    assert (taken.code, taken.err.strip()) == (2, "the username 'maria' is taken")
    invalid = add(helpline, "maria lopes")
    assert invalid.code == 2
    assert invalid.err.startswith("username: the username must have 2 to 64 characters")


def test_disable_and_enable(helpline, settings):
    add(helpline)
    disabled = helpline("staff", "disable", "maria")
    assert (disabled.code, disabled.out.strip()) == (0, "maria: agent, disabled")
    assert "disabled" in helpline("staff", "list").out
    assert not can_log_in(settings, "maria", "first password")
    assert helpline("staff", "enable", "maria").code == 0
    assert can_log_in(settings, "maria", "first password")


def test_set_role(helpline):
    add(helpline)
    changed = helpline("staff", "set-role", "maria", "supervisor")
    assert (changed.code, changed.out.strip()) == (0, "maria: supervisor, active")
    refused = helpline("staff", "set-role", "maria", "boss")
    assert refused.code == 2
    assert "invalid choice: 'boss'" in refused.err


def test_reset_password(helpline, settings):
    add(helpline)
    reset = helpline("staff", "reset-password", "maria", stdin="second password\n")
    assert reset.code == 0
    assert reset.out.strip() == "new password set for maria; their sessions have ended"
    assert not can_log_in(settings, "maria", "first password")
    assert can_log_in(settings, "maria", "second password")
    short = helpline("staff", "reset-password", "maria", stdin="short\n")
    assert short.code == 2
    assert "at least 10 characters" in short.err


@pytest.mark.parametrize(
    "args",
    [
        ["disable", "nobody"],
        ["enable", "nobody"],
        ["set-role", "nobody", "admin"],
        ["reset-password", "nobody"],
    ],
)
def test_unknown_usernames_are_explained(helpline, args):
    result = helpline("staff", *args, stdin="a long password")
    assert (result.code, result.err.strip()) == (2, "no staff member with the username 'nobody'")


def test_the_last_active_admin_stays(helpline):
    add(helpline, "boss", role="admin")
    for args in (["disable", "boss"], ["set-role", "boss", "agent"]):
        result = helpline("staff", *args)
        assert result.code == 2
        assert result.err.strip() == "this is the last active admin: make another admin first"
    add(helpline, "deputy", role="admin")
    assert helpline("staff", "disable", "boss").code == 0
