"""Domain errors: a code and an HTTP status, rendered by one handler as {"detail", "code"};
validation errors, rendered without the input; and unexpected errors, logged by type and route.
"""

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

log = logging.getLogger("api.errors")


class DomainError(Exception):
    """A refusal the domain explains: adapters show `message` or translate `code`."""

    code = "error"
    status_code = 400
    headers: dict[str, str] | None = None  # e.g. Retry-After of a refusal that passes

    def __init__(self, message: str, *, code: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status_code = status_code or self.status_code


class NotFound(DomainError):
    code = "not_found"
    status_code = 404


class Forbidden(DomainError):
    code = "forbidden"
    status_code = 403


class Conflict(DomainError):
    code = "conflict"
    status_code = 409


class Unprocessable(DomainError):
    """A request that is well formed but that the domain cannot carry out as asked."""

    code = "unprocessable"
    status_code = 422


def _safe_text(text: str, limit: int = 200) -> str:
    """`text` as it can always be sent back: unpaired surrogates replaced, and cut short."""
    return text.encode("utf-8", "replace").decode("utf-8")[:limit]


def _safe_value(value: Any) -> Any:
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return _safe_text(str(value))


def validation_problems(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's problems without the input that was refused (it may be a password, a name or
    text that cannot be encoded): each with its `type`, `loc`, `msg` and plain `ctx`."""
    problems = []
    for error in errors:
        problem: dict[str, Any] = {
            "type": _safe_text(str(error.get("type", "invalid"))),
            "loc": [_safe_value(part) for part in error.get("loc", ())],
            "msg": _safe_text(str(error.get("msg", ""))),
        }
        context = {k: _safe_value(v) for k, v in (error.get("ctx") or {}).items()}
        if context:
            problem["ctx"] = context
        problems.append(problem)
    return problems


def route_of(request: Request) -> str:
    """The route's template (/api/v1/reporters/{channel}/{channel_user_id}), never the path
    itself, which can hold a user's number."""
    route = request.scope.get("route")
    return getattr(route, "path", None) or "unmatched"


def add_error_handler(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_problems(list(error.errors()))}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        """Log the type and route only: the exception's text can hold submitted data."""
        log.error(
            "unexpected error",
            extra={"error": type(error).__name__, "route": route_of(request)},
        )
        return JSONResponse({"detail": "internal error", "code": "internal"}, status_code=500)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return JSONResponse(
            {"detail": error.message, "code": error.code},
            status_code=error.status_code,
            headers=error.headers,
        )
