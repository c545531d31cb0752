"""Dashboard login over HTTP: CSRF on the form, cookie flags, safe redirects, strict headers."""

import re

LOGIN = "/staff/login"


async def login_form(api) -> str:
    page = await api.get(LOGIN, headers={"Authorization": ""})
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]


async def test_login_sets_an_http_only_session_and_logout_ends_it(api, staff_login):
    agent = await staff_login("agent", username="yuliana")
    token = await login_form(api)
    response = await api.post(
        LOGIN,
        data={
            "csrf_token": token,
            "username": "Yuliana",
            "password": agent["password"],
            "next": "/staff/queue",
        },
        headers={"Authorization": ""},
    )
    assert response.status_code == 303 and response.headers["location"] == "/staff/queue"
    cookie = response.headers["set-cookie"]
    assert "helpline_session=" in cookie and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # plain http here; over https the cookie is Secure
    home = await api.get("/staff", headers={"Authorization": ""})
    assert home.status_code == 303 and home.headers["location"] == "/staff/queue"
    renewed = api.cookies["helpline_csrf"]  # a new CSRF token since the login
    assert renewed != token
    out = await api.post(
        "/staff/logout", data={"csrf_token": renewed}, headers={"Authorization": ""}
    )
    assert out.status_code == 303
    again = await api.get("/staff", headers={"Authorization": ""})
    assert again.headers["location"].startswith("/staff/login")


async def test_a_wrong_password_is_refused_politely_and_keeps_the_username(api, staff_login):
    await staff_login("agent", username="yuliana")
    token = await login_form(api)
    response = await api.post(
        LOGIN,
        data={"csrf_token": token, "username": "yuliana", "password": "not-the-password"},
        headers={"Authorization": ""},
    )
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in response.text  # Indonesian by default
    assert 'value="yuliana"' in response.text


async def test_a_form_without_its_csrf_token_is_refused(api, staff_login):
    agent = await staff_login("agent", username="yuliana")
    await login_form(api)
    response = await api.post(
        LOGIN,
        data={"username": "yuliana", "password": agent["password"]},
        headers={"Authorization": ""},
    )
    assert response.status_code == 403
    assert "helpline_session" not in response.headers.get("set-cookie", "")


async def test_after_login_only_dashboard_pages_are_followed(api, staff_login):
    agent = await staff_login("agent", username="yuliana")
    token = await login_form(api)
    response = await api.post(
        LOGIN,
        data={
            "csrf_token": token,
            "username": "yuliana",
            "password": agent["password"],
            "next": "https://evil.example/staff",
        },
        headers={"Authorization": ""},
    )
    assert response.headers["location"] == "/staff"


async def test_pages_forbid_inline_script_and_framing(api):
    page = await api.get(LOGIN, headers={"Authorization": ""})
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_the_language_can_be_switched_to_english(api):
    switched = await api.get("/staff/language/en?next=/staff/login", headers={"Authorization": ""})
    assert switched.status_code == 303
    page = await api.get(LOGIN, headers={"Authorization": ""})
    assert "Username" in page.text and "Log in" in page.text


async def test_a_non_ascii_csrf_token_is_refused_not_a_500(api, signed_in):
    await signed_in("admin")
    response = await api.post(
        "/staff/logout", data={"csrf_token": "tokén"}, headers={"Authorization": ""}
    )
    assert response.status_code == 403
