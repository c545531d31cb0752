"""The stand-in served over HTTP, like a Bot API server (`python -m bot.standin`).

A bot reaches it as it reaches Telegram, with `HELPLINE_TELEGRAM_API_URL` pointing here:
methods at `/bot<token>/<method>` (query, urlencoded, multipart or JSON parameters, as the
Bot API takes them), files at `/file/bot<token>/<path>`; with a webhook set, updates are
POSTed to it with the `X-Telegram-Bot-Api-Secret-Token` header and retried until accepted.

Simulated people are driven through `/standin/...` (not part of the Bot API):
- `POST /standin/users/{id}/{action}`: `send` {"text"}, `press` {"text", "late"},
  `double_tap` {"text"}, `sticker`, `voice`, `location`, `document`, `contact`,
  `photo` {"data": base64}, `block`; the first call for an id may give "language_code".
  Each answers, once the bot has answered, with the bot's new or changed messages and the
  toasts it showed: {"replies": [message...], "toasts": [text...]}.
- `GET /standin/chats/{id}`: the bot's messages in that chat; `GET /standin/refusals`: every
  refused call as [method, status, description].
"""

import asyncio
import base64
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.standin.server import BotApiStandin, BotMessage
from bot.standin.user import TelegramUser

log = logging.getLogger("bot.standin.http")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)  # Telegram retries a failed delivery, slower each time


async def _parameters(request: Request) -> tuple[dict[str, str], dict[str, bytes]]:
    """A call's parameters as PTB's `json_parameters` holds them (objects as JSON strings),
    and its uploaded files."""
    params: dict[str, str] = dict(request.query_params)
    files: dict[str, bytes] = {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            for name, value in body.items():
                params[name] = value if isinstance(value, str) else json.dumps(value)
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        for name, value in (await request.form()).multi_items():
            if isinstance(value, UploadFile):
                files[name] = await value.read()
            else:
                params[name] = value
    return params, files


class WebhookPusher:
    """Delivers the updates queued for the webhook, one at a time and in order, as Telegram
    does; an update the bot did not accept (not a 2xx, or no answer) is tried again."""

    def __init__(self, standin: BotApiStandin):
        self.standin = standin

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                update = await self.standin.webhook_queue.get()
                attempt = 0
                while self.standin.webhook and not await self._push(client, update):
                    await asyncio.sleep(WEBHOOK_RETRY_SECONDS[min(attempt, 3)])
                    attempt += 1
                if not self.standin.webhook:  # removed meanwhile: keep it for getUpdates
                    self.standin.post_update(update)

    async def _push(self, client: httpx.AsyncClient, update: dict[str, Any]) -> bool:
        assert self.standin.webhook is not None
        url, secret = self.standin.webhook
        headers = {SECRET_HEADER: secret} if secret else {}
        try:
            response = await client.post(url, json=update, headers=headers)
        except httpx.HTTPError as error:
            log.info("webhook delivery failed", extra={"error": type(error).__name__})
            return False
        return response.is_success


def _message(standin: BotApiStandin, message: BotMessage) -> dict[str, Any]:
    return {**standin.message_json(message), "edited": message.edited}


def create_standin_app(standin: BotApiStandin) -> Starlette:
    users: dict[int, TelegramUser] = {}

    async def bot_api(request: Request) -> Response:
        params, files = await _parameters(request)
        status, body = await standin.handle(
            request.path_params["token"], request.path_params["method"], params, files
        )
        return JSONResponse(body, status_code=status)

    async def file(request: Request) -> Response:
        status, data = standin.download(request.path_params["token"], request.path_params["path"])
        return Response(data, status_code=status)

    def user_for(user_id: int, body: dict[str, Any]) -> TelegramUser:
        if user_id not in users:
            users[user_id] = TelegramUser(
                standin,
                None,
                user_id=user_id,
                first_name=str(body.get("first_name", "Maria")),
                language_code=body.get("language_code", "id"),
            )
        return users[user_id]

    async def act(request: Request) -> Response:
        try:
            body = await request.json() if await request.body() else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
        user = user_for(request.path_params["user_id"], body)
        actions: dict[str, Callable[[], Awaitable[list[BotMessage]]]] = {
            "send": lambda: user.send(str(body.get("text", ""))),
            "press": lambda: user.press(str(body.get("text", "")), late=body.get("late", 0.0)),
            "double_tap": lambda: user.double_tap(str(body.get("text", ""))),
            "sticker": user.send_sticker,
            "voice": user.send_voice,
            "location": user.send_location,
            "document": user.send_document,
            "contact": user.share_contact,
            "photo": lambda: user.send_photo(base64.b64decode(body.get("data", ""))),
        }
        action = request.path_params["action"]
        if action == "block":
            user.block_bot()
            return JSONResponse({"replies": [], "toasts": []})
        if action not in actions:
            return JSONResponse({"error": f"unknown action {action!r}"}, status_code=404)
        toasts_before = len(standin.toasts_for(user.chat_id))
        try:
            replies = await actions[action]()
        except LookupError as error:
            return JSONResponse({"error": str(error)}, status_code=409)
        toasts = [toast.text for toast in standin.toasts_for(user.chat_id)[toasts_before:]]
        return JSONResponse({"replies": [_message(standin, m) for m in replies], "toasts": toasts})

    async def chat(request: Request) -> Response:
        messages = standin.messages[request.path_params["chat_id"]]
        return JSONResponse([_message(standin, message) for message in messages])

    async def refusals(request: Request) -> Response:
        return JSONResponse([list(refusal) for refusal in standin.refusals])

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pusher = asyncio.create_task(WebhookPusher(standin).run())
        try:
            yield
        finally:
            pusher.cancel()

    return Starlette(
        routes=[
            Route("/bot{token}/{method}", bot_api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", file, methods=["GET"]),
            Route("/standin/users/{user_id:int}/{action}", act, methods=["POST"]),
            Route("/standin/chats/{chat_id:int}", chat, methods=["GET"]),
            Route("/standin/refusals", refusals, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
