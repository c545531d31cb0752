"""Cookies, HSTS and caching behind a reverse proxy: Secure cookies by setting or over HTTPS
(the scheme believed only from trusted proxies), HSTS over HTTPS, no-store on personal data,
and a CSRF token renewed at login."""

import re
from contextlib import asynccontextmanager

import httpx

from api.app import create_app
from api.settings import Settings

LOGIN = "/staff/login"
HTTPS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


@asynccontextmanager
async def client(settings: Settings, **changes):
    app = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("10.0.0.2", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://helpline.test") as web:
            yield web


async def log_in(web: httpx.AsyncClient, agent: dict, headers: dict | None = None):
    page = await web.get(LOGIN, headers=headers)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    form = {"csrf_token": token, "username": agent["username"], "password": agent["password"]}
    # Sent by hand: a client keeps a Secure cookie from plain-http requests, as browsers do.
    cookie = {"Cookie": f"helpline_csrf={token}"}
    return token, await web.post(LOGIN, data=form, headers=(headers or {}) | cookie)


def cookies_of(response: httpx.Response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


async def test_cookies_are_secure_when_the_setting_says_so_even_over_http(settings, staff_login):
    agent = await staff_login("agent")
    async with client(settings, secure_cookies=True) as web:
        _token, response = await log_in(web, agent)
    assert response.status_code == 303
    assert all("Secure" in cookie for cookie in cookies_of(response).values())
    assert "strict-transport-security" not in response.headers  # plain http: no HSTS


async def test_a_trusted_proxy_saying_https_gives_secure_cookies_and_hsts(settings, staff_login):
    agent = await staff_login("agent")
    async with client(settings, trusted_proxies="10.0.0.0/8") as web:
        _token, response = await log_in(web, agent, HTTPS_PROXY)
    assert "Secure" in cookies_of(response)["helpline_session"]
    assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_an_untrusted_caller_cannot_claim_https(settings, staff_login):
    agent = await staff_login("agent")
    async with client(settings, trusted_proxies="127.0.0.1") as web:
        _token, response = await log_in(web, agent, HTTPS_PROXY)
    assert response.status_code == 303
    assert "Secure" not in cookies_of(response)["helpline_session"]
    assert "strict-transport-security" not in response.headers


async def test_an_https_public_url_makes_cookies_secure(settings, staff_login):
    agent = await staff_login("agent")
    async with client(settings, public_url="https://helpline.example.org") as web:
        _token, response = await log_in(web, agent)
    assert "Secure" in cookies_of(response)["helpline_session"]


async def test_the_login_renews_the_csrf_token(settings, staff_login):
    agent = await staff_login("agent")
    async with client(settings) as web:
        before, response = await log_in(web, agent)
        renewed = cookies_of(response)["helpline_csrf"]
        after = re.search(r"helpline_csrf=([^;]+)", renewed)[1]
        assert after != before
        # the old token no longer passes the form check; the new one does
        stale = await web.post("/staff/logout", data={"csrf_token": before})
        assert stale.status_code == 403
        out = await web.post("/staff/logout", data={"csrf_token": after})
        assert out.status_code == 303


async def test_answers_with_personal_data_are_not_stored_by_browsers(api, staff_login, report):
    agent = await staff_login("agent")
    created = await api.post("/api/v1/cases", json=report("missing"))
    assert created.status_code == 201 and created.headers["cache-control"] == "no-store"
    reference = created.json()["reference"]
    for path in ("/api/v1/cases", f"/api/v1/cases/{reference}"):
        response = await api.get(path, headers=agent["headers"])
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
    page = await api.get(LOGIN, headers={"Authorization": ""})
    assert page.headers["cache-control"] == "no-store"
