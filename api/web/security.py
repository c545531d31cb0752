"""Browser-facing protections of the dashboard: cookies, CSRF on every form, strict headers."""

import hmac
import secrets

from fastapi import FastAPI, HTTPException, Request, status
from starlette.datastructures import FormData
from starlette.responses import Response

SESSION_COOKIE = "helpline_session"
CSRF_COOKIE = "helpline_csrf"
CSRF_FIELD = "csrf_token"

# No inline script or style: reporter-written text that slipped past escaping could not run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
BROWSER_PREFIXES = ("/staff", "/demo")


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, **options) -> None:
    """HttpOnly, SameSite=Lax (links from the staff chat still open), Secure over HTTPS."""
    response.set_cookie(
        name, value, httponly=True, samesite="lax", secure=is_https(request), path="/", **options
    )


def csrf_token(request: Request) -> str:
    """The double-submit token of this browser: its cookie, or a new one set with the page."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = request.state.new_csrf = secrets.token_urlsafe(32)
    return token


def keep_csrf_cookie(request: Request, response: Response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new is not None:
        set_cookie(request, response, CSRF_COOKIE, new)


async def checked_form(request: Request) -> FormData:
    """The posted form, after checking that it came from one of our pages (CSRF)."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.cookies.get(CSRF_COOKIE)
    # Compared as bytes: compare_digest raises on str with non-ASCII characters.
    if not (
        isinstance(sent, str) and expected and hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "This form has expired. Go back, reload the page and try again.",
        )
    return form


def add_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path.startswith(BROWSER_PREFIXES):
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"
            response.headers["X-Frame-Options"] = "DENY"
            response.headers.setdefault("Cache-Control", "no-store")
        return response
