"""A request to the backend's ASGI app in the same process, as a server would hand it over.

What an HTTP client adds on top (URL objects, a cookie jar, auth and redirect flows, response
streams) serves no purpose between two parts of one process and cost about 0.5 ms of CPU a
request through httpx's ASGI transport, as much as a simple route itself. JSON requests take
this path; uploads (multipart, raw bytes) still go through httpx."""

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

from starlette.types import ASGIApp, Message

HOST = "helpline.internal"


async def call(
    app: ASGIApp,
    method: str,
    path: str,
    *,
    headers: list[tuple[bytes, bytes]],
    params: dict[str, Any] | None = None,
    body: Any = None,
) -> tuple[int, bytes]:
    """Send one request to `app` (a JSON `body` if not None); its status and content."""
    content = b"" if body is None else json.dumps(body, allow_nan=False).encode()
    request_headers = [(b"host", HOST.encode()), *headers]
    if body is not None:
        request_headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(content)).encode()),
        ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(params or {}).encode(),
        "root_path": "",
        "headers": request_headers,
        "client": ("127.0.0.1", 123),
        "server": (HOST, 80),
    }
    body_sent = False
    response_complete = asyncio.Event()
    status = 500
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": content, "more_body": False}
        await response_complete.wait()  # as a server does: the client leaves once answered
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                response_complete.set()

    await app(scope, receive, send)
    return status, b"".join(chunks)
