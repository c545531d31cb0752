"""Rendering dashboard pages: Jinja2 templates (autoescaped), the staff's language, CSRF."""

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from api.web.auth import RoleRefused
from api.web.security import CSRF_FIELD, csrf_token, keep_csrf_cookie, set_cookie

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
LANG_COOKIE = "helpline_lang"

templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
)


def language(request: Request) -> str:
    """The dashboard language: the staff member's choice, else their browser's, else Indonesian."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "id"


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Response:
    lang = language(request)
    response = templates.TemplateResponse(
        request,
        template,
        {
            "_": request.app.state.catalogs.translator(lang),
            "lang": lang,
            "languages": LANGUAGES,
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token(request),
            **context,
        },
        status_code=status_code,
    )
    keep_csrf_cookie(request, response)
    return response


def remember_language(request: Request, response: Response, code: str) -> None:
    set_cookie(request, response, LANG_COOKIE, code, max_age=365 * 24 * 3600)


def add_role_refused_page(app: FastAPI) -> None:
    @app.exception_handler(RoleRefused)
    async def refused(request: Request, error: RoleRefused) -> Response:
        return render(request, "refused.html", status_code=403, staff=None)
