"""`/demo`: the real bot in a web page, through the local Bot API stand-in (no Telegram needed).

Each browser gets its own demo Telegram user (a signed cookie), so a newcomer can report as a
migrant in one tab while handling the case as staff in another; staff replies reach the page
through the outbox like they would reach Telegram. Demo user ids start at 2**53: Telegram's
user ids have at most 52 significant bits, so no demo user can ever be a real person. The
demo runs only in `helpline demo`, on a database of its own."""

import io
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from itsdangerous import BadSignature, URLSafeSerializer
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, Field

from api.settings import Settings
from bot.delivery import delivering
from bot.local import standin_bot
from bot.standin import BotApiStandin, TelegramUser

DEMO_DIR = Path(__file__).parent
USER_COOKIE = "helpline_demo_user"
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # what the page takes; Telegram then makes a JPEG of it
FIRST_DEMO_USER = 2**53  # above every Telegram user id (52 significant bits at most)
DEMO_USERS = 2**32
TEXT_LIMIT = 4096  # Telegram's limit for one message


class Typed(BaseModel):
    text: str = Field(min_length=1, max_length=4 * TEXT_LIMIT)


def cookie_signer(settings: Settings) -> URLSafeSerializer:
    """Signs demo cookies with a secret kept beside the demo's database (0600)."""
    secret_file = settings.demo_dir / "cookie-secret"
    if not secret_file.exists():
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret_file.touch(mode=0o600)
        secret_file.write_text(secrets.token_urlsafe(32), encoding="ascii")
    return URLSafeSerializer(secret_file.read_text(encoding="ascii"), salt="demo-user")


def as_telegram_photo(data: bytes) -> bytes:
    """The picture as Telegram delivers a photo: re-encoded as a JPEG, whatever was sent."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((2560, 2560))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=87)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "not a picture") from error
    return out.getvalue()


@dataclass
class DemoChat:
    user: TelegramUser
    sent: list[tuple[float, str]] = field(default_factory=list)  # (time.monotonic(), text)


class Demo:
    def __init__(self, standin: BotApiStandin, application):
        self.standin = standin
        self.application = application
        self.chats: dict[int, DemoChat] = {}

    def chat(self, user_id: int, language_code: str | None) -> DemoChat:
        if user_id not in self.chats:
            user = TelegramUser(
                self.standin,
                self.application,
                user_id=user_id,
                first_name="Demo",
                language_code=language_code,
            )
            self.chats[user_id] = DemoChat(user)
        return self.chats[user_id]

    def transcript(self, chat: DemoChat) -> dict[str, Any]:
        """The chat as the phone shows it: messages in order, and the menu keyboard."""
        entries: list[tuple[float, dict[str, Any]]] = [
            (at, {"who": "user", "text": text}) for at, text in chat.sent
        ]
        for message in chat.user.inbox:
            buttons = [[button["text"] for button in row] for row in message.inline_buttons]
            entries.append(
                (message.sent_at, {"who": "bot", "text": message.text, "buttons": buttons})
            )
        entries.sort(key=lambda entry: entry[0])
        return {
            "messages": [entry for _, entry in entries],
            "keyboard": chat.user.reply_keyboard or [],
            "toasts": [toast.text for toast in self.standin.toasts_for(chat.user.chat_id)],
        }


def demo_lifespan(settings: Settings):
    """The bot on the stand-in, with its outbox worker, inside the backend's lifespan."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with standin_bot(app, settings) as helpline:
            async with delivering(helpline.outbox, settings.outbox_poll_seconds):
                app.state.demo = Demo(helpline.standin, helpline.application)
                yield

    return lifespan


def _chat(request: Request) -> DemoChat:
    try:
        user_id = request.app.state.demo_signer.loads(request.cookies.get(USER_COOKIE, ""))
    except BadSignature:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "open /demo first") from None
    if not isinstance(user_id, int) or not 0 <= user_id - FIRST_DEMO_USER < DEMO_USERS:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "open /demo first")
    language = request.headers.get("accept-language", "id").split(",")[0].split("-")[0]
    return request.app.state.demo.chat(user_id, language or None)


def add_demo_routes(app: FastAPI, settings: Settings) -> None:
    app.state.demo_signer = cookie_signer(settings)
    app.mount("/demo/static", StaticFiles(directory=DEMO_DIR), name="demo-static")

    @app.get("/demo", include_in_schema=False)
    async def page(request: Request) -> Response:
        response = FileResponse(DEMO_DIR / "page.html")
        try:
            _chat(request)
        except HTTPException:  # no cookie yet, or one this demo did not sign
            user_id = FIRST_DEMO_USER + secrets.randbelow(DEMO_USERS)
            cookie = app.state.demo_signer.dumps(user_id)
            response.set_cookie(USER_COOKIE, cookie, httponly=True, samesite="strict")
        return response

    @app.get("/demo/chat", include_in_schema=False)
    async def transcript(request: Request) -> JSONResponse:
        chat = _chat(request)
        return JSONResponse(request.app.state.demo.transcript(chat))

    @app.post("/demo/send", include_in_schema=False)
    async def send(request: Request, typed: Typed) -> JSONResponse:
        chat = _chat(request)
        if len(typed.text) > TEXT_LIMIT:  # the phone app would not send it either
            return JSONResponse(
                {"detail": "too_long", "limit": TEXT_LIMIT},
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            )
        chat.sent.append((time.monotonic(), typed.text))
        await chat.user.send(typed.text)
        return JSONResponse(request.app.state.demo.transcript(chat))

    @app.post("/demo/press", include_in_schema=False)
    async def press(request: Request, typed: Typed) -> JSONResponse:
        chat = _chat(request)
        if any(typed.text in row for row in chat.user.reply_keyboard or []):
            chat.sent.append((time.monotonic(), typed.text))  # a menu tap is a typed message
        try:
            await chat.user.press(typed.text)
        except LookupError:
            raise HTTPException(status.HTTP_409_CONFLICT, "that button is gone") from None
        return JSONResponse(request.app.state.demo.transcript(chat))

    @app.post("/demo/photo", include_in_schema=False)
    async def photo(request: Request) -> JSONResponse:
        chat = _chat(request)
        data = await request.body()
        if not data or len(data) > MAX_PHOTO_BYTES:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "a photo of at most 10 MB")
        photo = as_telegram_photo(data)
        chat.sent.append((time.monotonic(), "📷"))
        await chat.user.send_photo(photo)
        return JSONResponse(request.app.state.demo.transcript(chat))
