"""Browsing the dashboard over HTTP as a signed-in staff member."""

from collections.abc import Awaitable, Callable

import httpx
import pytest

from api.web.security import CSRF_COOKIE, SESSION_COOKIE

CSRF = "test-csrf-token"
SignIn = Callable[..., Awaitable[dict]]


@pytest.fixture
def signed_in(api, staff_login) -> SignIn:
    """`member = await signed_in("admin")`: from now on the `api` client browses the dashboard
    as a new member with that role (their session cookie, and the CSRF cookie of `post_form`);
    `member` is what `staff_login` gives."""

    async def sign_in(role: str = "agent", username: str | None = None) -> dict:
        member = await staff_login(role, username=username)
        api.cookies.set(SESSION_COOKIE, member["token"], domain="helpline.test")
        api.cookies.set(CSRF_COOKIE, CSRF, domain="helpline.test")
        return member

    return sign_in


PostForm = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def post_form(api) -> PostForm:
    """`await post_form("/staff/team", username=...)`: post a dashboard form with its CSRF token."""

    async def post(path: str, **fields: str) -> httpx.Response:
        return await api.post(path, data={"csrf_token": CSRF, **fields})

    return post
