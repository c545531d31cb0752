"""Domain errors: a code and an HTTP status, rendered by one handler as {"detail", "code"}."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class DomainError(Exception):
    """A refusal the domain explains: adapters show `message` or translate `code`."""

    code = "error"
    status_code = 400

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


def add_error_handler(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return JSONResponse(
            {"detail": error.message, "code": error.code}, status_code=error.status_code
        )
