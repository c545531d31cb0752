"""Browser-facing protections of the dashboard: cookies, CSRF on every form, strict headers."""

import hmac
import secrets

from fastapi import FastAPI, HTTPException, Request, status
from starlette.datastructures import FormData
from starlette.responses import Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.settings import Settings

SESSION_COOKIE = "helpline_session"
CSRF_COOKIE = "helpline_csrf"
CSRF_FIELD = "csrf_token"

# No inline script or style: reporter-written text that slipped past escaping could not run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
BROWSER_PREFIXES = ("/staff", "/demo")
API_PREFIX = "/api/"
STATIC_PREFIX = "/staff/static/"


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS: the scheme, which a trusted proxy's
    X-Forwarded-Proto sets (`HELPLINE_TRUSTED_PROXIES`), or an https `HELPLINE_PUBLIC_URL`."""
    settings: Settings = request.app.state.settings
    return request.url.scheme == "https" or settings.public_url.startswith("https://")


def secure_cookies(request: Request) -> bool:
    chosen = request.app.state.settings.secure_cookies
    return is_https(request) if chosen is None else chosen


def set_cookie(request: Request, response: Response, name: str, value: str, **options) -> None:
    """HttpOnly, SameSite=Lax (links from the staff chat still open), Secure over HTTPS (or as
    `HELPLINE_SECURE_COOKIES` says)."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
        **options,
    )


def csrf_token(request: Request) -> str:
    """The double-submit token of this browser: its cookie, or a new one set with the page."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = request.state.new_csrf = secrets.token_urlsafe(32)
    return token


def renew_csrf_cookie(request: Request, response: Response) -> None:
    """A new CSRF token at login: one an attacker planted before it is worth nothing after."""
    set_cookie(request, response, CSRF_COOKIE, secrets.token_urlsafe(32))


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
    """Strict headers on pages; `no-store` on every API answer and page (they may hold personal
    data: no browser or proxy keeps a copy); HSTS on answers over HTTPS."""

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        path = request.url.path
        if path.startswith(BROWSER_PREFIXES):
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"
            response.headers["X-Frame-Options"] = "DENY"
        if path.startswith((*BROWSER_PREFIXES, API_PREFIX)) and not path.startswith(STATIC_PREFIX):
            response.headers.setdefault("Cache-Control", "no-store")
        max_age = request.app.state.settings.hsts_seconds
        if max_age and request.url.scheme == "https":
            response.headers["Strict-Transport-Security"] = f"max-age={max_age}"
        return response


def add_proxy_headers(app: FastAPI, settings: Settings) -> None:
    """Believe X-Forwarded-For / X-Forwarded-Proto from the trusted proxies only: the caller's
    address (login throttle) and the scheme (Secure cookies, HSTS) come from them."""
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
