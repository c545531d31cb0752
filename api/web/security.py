"""Browser-facing protections of the dashboard: cookies, CSRF on every form, strict headers."""

import hmac
import secrets

from fastapi import FastAPI, HTTPException, Request, status
from starlette.datastructures import FormData, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
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


class SecurityHeaders:
    """Strict headers on pages; `no-store` on every API answer and page (they may hold personal
    data: no browser or proxy keeps a copy); HSTS on answers over HTTPS. A plain ASGI
    middleware: it only adds headers to the response's start, so no task, stream or Request
    object is made for it (the bot calls the API in-process, many times per update)."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        page = path.startswith(BROWSER_PREFIXES)
        no_store = path.startswith((*BROWSER_PREFIXES, API_PREFIX)) and not path.startswith(
            STATIC_PREFIX
        )
        max_age = self.settings.hsts_seconds
        hsts = bool(max_age) and scope.get("scheme") == "https"
        if not (page or no_store or hsts):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if page:
                    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                    headers["X-Content-Type-Options"] = "nosniff"
                    headers["Referrer-Policy"] = "same-origin"
                    headers["X-Frame-Options"] = "DENY"
                if no_store:
                    headers.setdefault("Cache-Control", "no-store")
                if hsts:
                    headers["Strict-Transport-Security"] = f"max-age={max_age}"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_security_headers(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(SecurityHeaders, settings=settings)


def add_proxy_headers(app: FastAPI, settings: Settings) -> None:
    """Believe X-Forwarded-For / X-Forwarded-Proto from the trusted proxies only: the caller's
    address (login throttle) and the scheme (Secure cookies, HSTS) come from them."""
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
