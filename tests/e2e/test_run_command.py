"""The helpline as a newcomer starts it: `helpline demo` (what `make run` starts without a
token) serves the backend and says how to chat locally; with invalid content it refuses to
start and says why."""

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import httpx

from api.db import create_engine, create_sessionmaker
from api.settings import PROJECT_ROOT
from api.staff import service as staff_service


def can_log_in(database: object, username: str, password: str) -> bool:
    async def check() -> bool:
        engine = create_engine(f"sqlite+aiosqlite:///{database}")
        try:
            async with create_sessionmaker(engine)() as session:
                staff = await staff_service.authenticate(
                    session, username=username, password=password, address="127.0.0.1"
                )
                return staff is not None
        finally:
            await engine.dispose()

    return asyncio.run(check())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def helpline(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "helpline.cli", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_demo_serves_backend_and_explains_local_chat(tmp_path):
    port = free_port()
    env = {"HELPLINE_DEMO_DIR": str(tmp_path / "demo"), "TELEGRAM_BOT_TOKEN": ""}
    process = helpline("demo", "--port", str(port), env=env)
    try:
        deadline = time.monotonic() + 30
        ready = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)  # polling a starting server, bounded by the deadline
        assert ready is not None and ready.json() == {"status": "ready"}
        answer = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/answers", params={"q": "cara lapor", "lang": "id"}
        )
        assert answer.json()["topic"] == "report.how"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
            assert "demo.js" in browser.get("/demo").text
            chat = browser.post("/demo/send", json={"text": "/start"}).json()
            assert chat["messages"][0] == {"who": "user", "text": "/start"}
            assert "Bahasa Indonesia" in str(chat["messages"][-1]["buttons"])
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "helpline chat" in output and f"http://127.0.0.1:{port}/demo" in output
    password = re.search(r"log in as admin / (\S+)", output)[1]
    assert can_log_in(tmp_path / "demo" / "helpline.db", "admin", password)


def test_run_refuses_invalid_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "contacts.yaml").write_text("contacts: [", encoding="utf-8")
    env = {
        "HELPLINE_CONTENT_DIR": str(content),
        "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'h.db'}",
        "TELEGRAM_BOT_TOKEN": "123456:not-checked-before-the-content",
    }
    process = helpline("run", "--port", str(free_port()), env=env)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "contacts.yaml:2: not valid YAML" in output
