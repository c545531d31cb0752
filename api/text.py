"""Text that enters the helpline: no NUL characters, no unpaired surrogates, anywhere.

PostgreSQL cannot store NUL in text (a 500 at every text column), and a lone surrogate
(`"\\ud800"` in JSON) cannot be encoded as UTF-8 again, so that echoing, logging or storing it
fails. `TextGuard` refuses such text with a 422 before any route sees it: in the path, the
query, the headers, JSON bodies and urlencoded forms (a JSON body with NaN or Infinity, which
JSON does not have, is refused the same way). `Text` is the same rule as a pydantic type, for
text that arrives another way (multipart form fields)."""

import json
import re
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import parse_qsl

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
PROBLEM = "text must not contain NUL characters or unpaired surrogates"
MAX_CHECKED_BODY = 1024 * 1024  # JSON and form bodies larger than this are not inspected


def is_clean(text: str) -> bool:
    """No NUL and no surrogate (Python strings hold a valid pair as one character)."""
    return _FORBIDDEN.search(text) is None


def cleaned(text: str) -> str:
    """The text without what the helpline refuses: what a channel adapter passes on of a
    message whose words came with a NUL or an unpaired surrogate (nothing readable is lost)."""
    return _FORBIDDEN.sub("", text)


def _clean(text: str) -> str:
    if not is_clean(text):
        raise PydanticCustomError("text_invalid", PROBLEM)
    return text


Text = Annotated[str, AfterValidator(_clean)]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _body_problem(content_type: str, body: bytes) -> str | None:
    """Why this body is refused, or None; bodies that fail to parse are left to the route."""
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(body, parse_constant=_refuse_constant)
        except ValueError as error:
            return "the body is not valid JSON" if "is not JSON" in str(error) else None
        return None if all(map(is_clean, _strings(parsed))) else PROBLEM
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        return None if all(is_clean(key + value) for key, value in fields) else PROBLEM
    return None


def _refusal(where: list[str], problem: str = PROBLEM) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"type": "text_invalid", "loc": where, "msg": problem}]}, status_code=422
    )


def _where_unclean(scope: Scope) -> list[str] | None:
    """Where the unclean text is, as FastAPI names it: ["path"], ["query", name], ["header"]."""
    if not is_clean(scope["path"]):
        return ["path"]
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True):
        if not is_clean(key + value):
            return ["query", key if is_clean(key) else "?"]
    if any(b"\x00" in value for _name, value in scope["headers"]):
        return ["header"]
    return None


class TextGuard:
    """ASGI middleware refusing unclean text with 422 (see the module's docstring)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = _where_unclean(scope)
        if where is not None:
            await _refusal(where)(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        length = headers.get(b"content-length", b"")
        small = length.isdigit() and int(length) <= MAX_CHECKED_BODY
        if not small or not content_type.startswith(
            ("application/json", "application/x-www-form-urlencoded")
        ):
            await self.app(scope, receive, send)
            return
        body, messages = await _read_body(receive)
        problem = _body_problem(content_type, body)
        if problem is not None:
            await _refusal(["body"], problem)(scope, receive, send)
            return
        await self.app(scope, _replay(messages, receive), send)


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    return b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request"), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed
