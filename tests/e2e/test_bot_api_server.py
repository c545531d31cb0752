"""`helpline run` with a token, against a strict Bot API server on loopback: the stand-in served
as a process of its own (`python -m bot.standin`), reached over real HTTP through
HELPLINE_TELEGRAM_API_URL, by polling and by webhook with the secret header. A whole scripted
conversation gets an answer at every step and the server refuses no request."""

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from api.settings import PROJECT_ROOT
from tests.e2e.test_run_command import free_port, helpline

TOKEN = "123456789:AAH-loopback-test_token"
OFFER = (
    "Dicari TKW ke Malaysia, gaji 15 juta, tidak perlu paspor cukup KTP, "
    "berangkat lewat jalur tikus minggu depan."
)


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)  # polling a starting server, bounded by the deadline
    output = process.stdout.read() if process.poll() is not None and process.stdout else ""
    raise AssertionError(f"{url} never answered: {output}")


@dataclass
class Phone:
    """A Telegram user, driven through the stand-in's control endpoints."""

    client: httpx.Client
    user_id: int = 5550001

    def do(self, action: str, **body) -> dict:
        response = self.client.post(f"/standin/users/{self.user_id}/{action}", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def says(self, action: str, **body) -> str:
        """Do something and return the text of what the bot answered; it must answer."""
        answer = self.do(action, **body)
        assert answer["replies"] or answer["toasts"], f"no answer to {action} {body}"
        return "\n".join(reply["text"] for reply in answer["replies"])

    def buttons(self) -> list[str]:
        messages = self.client.get(f"/standin/chats/{self.user_id}").json()
        markup = messages[-1].get("reply_markup", {})
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


@pytest.fixture
def bot_api_server() -> Iterator[tuple[str, httpx.Client]]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.standin", "--port", str(port), "--token", TOKEN, "--local"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/standin/refusals", server)
        with httpx.Client(base_url=url, timeout=30) as client:
            yield url, client
    finally:
        server.terminate()
        server.communicate(timeout=20)


def run_helpline(tmp_path, api_url: str, port: int, **extra: str) -> subprocess.Popen:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "HELPLINE_TELEGRAM_API_URL": api_url,
        "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'h.db'}",
        "HELPLINE_SERVICE_TOKEN": "loopback-service-token",
        **extra,
    }
    process = helpline("run", "--port", str(port), env=env)
    wait_for(f"http://127.0.0.1:{port}/readyz", process)
    return process


def scripted_conversation(phone: Phone) -> None:
    """Start, language, questions, an offer check, a report cancelled, a sticker, a double tap."""
    assert "bahasa" in phone.says("send", text="/start", language_code="id")
    assert phone.says("press", text="English")
    assert "passport" in phone.says("send", text="how do i get a passport").lower()
    assert phone.says("send", text="gmn cara dpt paspor")
    assert phone.says("double_tap", text="👍")
    assert "Paste or forward" in phone.says("press", text="🔎 Check a job offer")
    assert "High risk" in phone.says("send", text=OFFER)
    assert phone.says("press", text="📝 Report this offer")
    assert "Cancelled" in phone.says("send", text="/cancel")
    assert phone.says("sticker")
    assert "passport" in phone.says("send", text="how much does a passport cost").lower()


def test_polling_a_bot_api_server_over_http(tmp_path, bot_api_server):
    url, client = bot_api_server
    process = run_helpline(tmp_path, url, free_port())
    try:
        scripted_conversation(Phone(client))
        assert client.get("/standin/refusals").json() == []
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output


def test_a_webhook_with_its_secret_over_http(tmp_path, bot_api_server):
    url, client = bot_api_server
    port = free_port()
    webhook = f"http://127.0.0.1:{port}/telegram/webhook"
    process = run_helpline(
        tmp_path,
        url,
        port,
        HELPLINE_WEBHOOK_URL=webhook,
        HELPLINE_WEBHOOK_SECRET="loopback-secret_1",
    )
    try:
        scripted_conversation(Phone(client))
        assert client.get("/standin/refusals").json() == []
        forged = httpx.post(
            webhook, json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
        )
        assert forged.status_code == 403
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output
