"""The bot's one door to the backend: a small HTTP client with the service token."""

import json as _json
import re
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.types import ASGIApp

from bot import in_process

CHANNEL = "telegram"
OCR_TIMEOUT = 90.0  # reading a screenshot takes seconds, more when the machine is busy
USERS_A_WRITE = 500  # the most users the backend takes in one state write
QUESTION_LIMIT = 4096  # the longest question the backend reads (a message read from its start)
USER_NUMBER = re.compile(rf"(?<=/{CHANNEL}/)\d+")


@dataclass
class UserStateChange:
    """What to write of one user's bot state: the data (None: unchanged) and the conversation
    steps that changed, as (name, key, state)."""

    user_id: int
    user_data: dict[str, Any] | None
    steps: list[tuple[str, tuple[int | str, ...], object]]


class BackendError(Exception):
    """The backend could not answer (down, or refused the request: `status` says why)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class BackendClient:
    """Over HTTP through `transport`; or, given the backend's ASGI `app` (the bot in the
    backend's process), JSON calls go straight to the app (`in_process`), uploads through
    httpx's ASGI transport."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        app: ASGIApp | None = None,
    ):
        if app is not None and transport is None:
            transport = httpx.ASGITransport(app=app)
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
            timeout=10.0,
        )
        self._app = app
        self._headers = [(b"authorization", f"Bearer {token}".encode())]

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        **upload: Any,
    ) -> Any:
        # Error messages reach the logs: they name the route, never the user's number in it.
        route = USER_NUMBER.sub("{user}", path)
        if self._app is not None and not upload:
            status, content = await in_process.call(
                self._app, method, path, headers=self._headers, params=params, body=json
            )
        else:
            try:
                response = await self._http.request(
                    method, path, params=params, json=json, **upload
                )
            except httpx.HTTPError as error:
                raise BackendError(f"{method} {route}: {type(error).__name__}") from error
            status, content = response.status_code, response.content
        if status >= 400:
            raise BackendError(f"{method} {route}: HTTP {status}", status)
        return _json.loads(content) if content else None

    async def languages(self) -> dict[str, str]:
        """Language code -> the language's own name, in menu order."""
        languages = await self._call("GET", "/api/v1/languages")
        return {language["code"]: language["name"] for language in languages}

    async def language_of(self, user_id: int) -> str | None:
        reporter = await self._call("GET", f"/api/v1/reporters/{CHANNEL}/{user_id}")
        return reporter["language"]

    async def set_language(self, user_id: int, language: str) -> None:
        await self._call(
            "PUT", f"/api/v1/reporters/{CHANNEL}/{user_id}", json={"language": language}
        )

    async def forget(self, user_id: int) -> None:
        await self._call("DELETE", f"/api/v1/reporters/{CHANNEL}/{user_id}")

    async def answer(
        self, question: str, lang: str, *, asked_by: int | None = None, check_offer: bool = False
    ) -> dict[str, Any]:
        """The answer; with `asked_by`, also the case a caseworker waits for them to answer;
        with `check_offer`, the words' check as a job offer when they look like one."""
        params: dict[str, str] = {"q": question[:QUESTION_LIMIT], "lang": lang}
        if check_offer:
            params["check_offer"] = "true"
        if asked_by is not None:
            params |= {"channel": CHANNEL, "user": str(asked_by)}
        return await self._call("GET", "/api/v1/answers", params=params)

    async def topic(self, slug: str, lang: str) -> dict[str, Any]:
        return await self._call("GET", f"/api/v1/topics/{slug}", params={"lang": lang})

    async def categories(self, lang: str) -> list[dict[str, Any]]:
        return await self._call("GET", "/api/v1/topics", params={"lang": lang})

    async def check_offer(self, text: str, lang: str) -> dict[str, Any]:
        return await self._call("POST", "/api/v1/offers/check", json={"text": text, "lang": lang})

    async def check_offer_image(
        self, data: bytes, lang: str, caption: str = "", *, detect: bool = False
    ) -> dict[str, Any]:
        """OCR a screenshot of an offer and check its text: readable, text, check."""
        return await self._call(
            "POST",
            "/api/v1/offers/check-image",
            files={"image": ("offer", data, "application/octet-stream")},
            data={"lang": lang, "caption": caption, "detect": str(detect).lower()},
            timeout=OCR_TIMEOUT,
        )

    async def match_agency(self, query: str) -> dict[str, Any]:
        """A placement company in the registry of licensed companies: result, agency,
        candidates and the date of the registry data."""
        return await self._call("GET", "/api/v1/agencies/match", params={"q": query})

    async def districts(self) -> dict[str, str]:
        """District slug -> name, in the order of the bot's buttons."""
        districts = await self._call("GET", "/api/v1/districts")
        return {district["slug"]: district["name"] for district in districts}

    async def safety_check(self, text: str) -> bool:
        """Whether the text has danger words."""
        return (await self._call("POST", "/api/v1/safety/check", json={"text": text}))["danger"]

    async def upload_photo(self, data: bytes, content_type: str) -> str:
        """Keep a report's photo; its key for `photo_upload_key`."""
        uploaded = await self._call(
            "POST", "/api/v1/uploads", content=data, headers={"Content-Type": content_type}
        )
        return uploaded["key"]

    async def forms(self, lang: str) -> list[dict[str, Any]]:
        """The kinds of report, in the order they are offered, with their titles."""
        return await self._call("GET", "/api/v1/forms", params={"language": lang})

    async def form(self, kind: str, lang: str) -> dict[str, Any]:
        """A kind's questions, in order, in the user's language."""
        return await self._call("GET", f"/api/v1/forms/{kind}", params={"language": lang})

    async def read_answer(self, kind: str, answer: dict[str, Any]) -> dict[str, Any]:
        """The backend's reading of one answer: {accepted, value, shown} or {problem}."""
        return await self._call("POST", f"/api/v1/forms/{kind}/answers", json=answer)

    async def create_case(self, report: dict[str, Any]) -> dict[str, Any]:
        """Open a case (or get the one this report's submission_id already made)."""
        return await self._call("POST", "/api/v1/cases", json={"channel": CHANNEL, **report})

    async def cases_of(self, user_id: int) -> list[dict[str, Any]]:
        return await self._call("GET", f"/api/v1/reporters/{CHANNEL}/{user_id}/cases")

    async def reply_to_case(
        self, reference: str, user_id: int, text: str, message_key: str
    ) -> None:
        """Add the user's message to their case's thread (once per `message_key`)."""
        await self._call(
            "POST",
            f"/api/v1/cases/{reference}/replies",
            json={
                "channel": CHANNEL,
                "channel_user_id": str(user_id),
                "text": text,
                "message_key": message_key,
            },
        )

    async def conversation_states(self, *, page_size: int = 500) -> list[dict[str, Any]]:
        """Every user's unfinished conversations and user data, loaded when the bot starts,
        a page at a time (no single answer holds every user's state)."""
        items: list[dict[str, Any]] = []
        after: int | None = 0
        while after is not None:
            page = await self._call(
                "GET",
                f"/api/v1/conversations/{CHANNEL}",
                params={"after": after, "limit": page_size},
            )
            items.extend(page["items"])
            after = page["next_after"]
        return items

    async def save_states(self, users: list[UserStateChange]) -> None:
        """Several users' data and changed conversation steps: one request for each
        `USERS_A_WRITE` users, in order."""
        for start in range(0, len(users), USERS_A_WRITE):
            await self._call(
                "PUT",
                f"/api/v1/conversations/{CHANNEL}",
                json={
                    "users": [
                        {
                            "channel_user_id": str(user.user_id),
                            "user_data": user.user_data,
                            "steps": [
                                {"name": name, "key": key, "state": state}
                                for name, key, state in user.steps
                            ],
                        }
                        for user in users[start : start + USERS_A_WRITE]
                    ]
                },
            )

    async def claim_outbox(self, limit: int, lease_seconds: int) -> list[dict[str, Any]]:
        claimed = await self._call(
            "POST",
            "/api/v1/outbox/claim",
            json={"channel": CHANNEL, "limit": limit, "lease_seconds": lease_seconds},
        )
        return claimed["messages"]

    async def outbox_delivered(self, message_id: int) -> None:
        await self._call("POST", f"/api/v1/outbox/{message_id}/delivered")

    async def outbox_failed(self, message_id: int, error: str, retry_after: int | None) -> None:
        await self._call(
            "POST",
            f"/api/v1/outbox/{message_id}/failed",
            json={"error": error, "retry_after": retry_after},
        )

    async def subscribe(self, user_id: int, district: str, language: str) -> None:
        await self._call(
            "PUT",
            f"/api/v1/reporters/{CHANNEL}/{user_id}/subscription",
            json={"district": district, "language": language},
        )

    async def unsubscribe(self, user_id: int) -> None:
        await self._call("DELETE", f"/api/v1/reporters/{CHANNEL}/{user_id}/subscription")

    async def offer_news(self, user_id: int, language: str) -> bool:
        """Whether to ask the user now if they want the news (true once per user)."""
        offer = await self._call(
            "POST", f"/api/v1/reporters/{CHANNEL}/{user_id}/news-offer", json={"language": language}
        )
        return offer["ask"]

    async def feedback(self, slug: str, lang: str, helpful: bool) -> None:
        await self._call(
            "POST",
            "/api/v1/answers/feedback",
            json={"topic": slug, "lang": lang, "helpful": helpful},
        )
