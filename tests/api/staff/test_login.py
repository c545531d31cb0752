"""OAuth2 password login, logout, expiry, and what they write to the audit log."""

from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import select, update

from api.db import create_engine, create_sessionmaker, utcnow
from api.staff import passwords
from api.staff.models import Staff, StaffSession

TOKEN_URL = "/api/v1/auth/token"


PASSWORD = "correct horse battery staple"  # the password `staff_login` gives everyone


async def log_in(api, username: str, password: str = PASSWORD):
    return await api.post(TOKEN_URL, data={"username": username, "password": password})


async def test_login_gives_a_bearer_token_for_the_staff_api(api, staff_login):
    await staff_login("agent", username="maria")
    response = await log_in(api, "maria")
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 12 * 3600
    me = await api.get(
        "/api/v1/staff/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["username"] == "maria"
    assert me.json()["role"] == "agent"
    assert "password_hash" not in me.json()


async def test_usernames_are_matched_without_case_or_spaces(api, staff_login):
    await staff_login("agent", username="maria")
    assert (await log_in(api, "  MARIA ")).status_code == 200


async def test_session_length_comes_from_the_settings(api, settings, staff_login):
    settings.staff_session_hours = 2
    await staff_login("agent", username="maria")
    assert (await log_in(api, "maria")).json()["expires_in"] == 2 * 3600


async def test_wrong_password_and_unknown_user_get_the_same_401(api, staff_login):
    await staff_login("agent", username="maria")
    wrong = await log_in(api, "maria", "not the password")
    unknown = await log_in(api, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "detail": "wrong username or password",
            "code": "login_failed",
        }
    )
    assert wrong.headers["WWW-Authenticate"] == unknown.headers["WWW-Authenticate"] == "Bearer"


async def test_login_without_the_form_fields_is_422(api):
    response = await api.post(TOKEN_URL, data={"username": "maria"})
    assert response.status_code == 422


async def test_disabled_staff_cannot_log_in_and_their_tokens_stop_working(api, staff_login):
    admin = await staff_login("admin")
    agent = await staff_login("agent", username="maria")
    disabled = await api.patch(
        f"/api/v1/staff/{agent['id']}", json={"active": False}, headers=admin["headers"]
    )
    assert disabled.status_code == 200
    assert disabled.json()["active"] is False
    assert (await api.get("/api/v1/staff/me", headers=agent["headers"])).status_code == 401
    assert (await log_in(api, "maria")).status_code == 401

    await api.patch(f"/api/v1/staff/{agent['id']}", json={"active": True}, headers=admin["headers"])
    assert (await log_in(api, "maria")).status_code == 200


async def test_an_expired_token_is_refused(api, settings, staff_login):
    agent = await staff_login("agent")
    engine = create_engine(settings.database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(StaffSession).values(expires_at=utcnow() - timedelta(minutes=1))
            )
    finally:
        await engine.dispose()
    response = await api.get("/api/v1/staff/me", headers=agent["headers"])
    assert response.status_code == 401
    assert response.json()["detail"] == "invalid or expired staff token"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_logout_ends_the_session(api, staff_login):
    agent = await staff_login("agent")
    other = await staff_login("agent")
    assert (await api.post("/api/v1/auth/logout", headers=agent["headers"])).status_code == 204
    assert (await api.get("/api/v1/staff/me", headers=agent["headers"])).status_code == 401
    assert (await api.post("/api/v1/auth/logout", headers=agent["headers"])).status_code == 401
    assert (await api.get("/api/v1/staff/me", headers=other["headers"])).status_code == 200


async def test_logins_failures_and_logouts_are_audited_without_usernames(api, staff_login):
    admin = await staff_login("admin")
    agent = await staff_login("agent", username="maria")
    await log_in(api, "nobody")
    await log_in(api, "maria", "not the password")
    token = (await log_in(api, "maria")).json()["access_token"]
    await api.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    await api.patch(
        f"/api/v1/staff/{agent['id']}", json={"active": False}, headers=admin["headers"]
    )
    await log_in(api, "maria")

    response = await api.get("/api/v1/audit", params={"limit": 5}, headers=admin["headers"])
    entries = [(e["action"], e["staff_id"], e["detail"]) for e in response.json()["items"]]
    assert entries == [
        ("login_failed", agent["id"], {"reason": "disabled"}),
        ("staff_updated", admin["id"], {"target_staff_id": agent["id"], "fields": ["active"]}),
        ("logout", agent["id"], {}),
        ("login", agent["id"], {}),
        ("login_failed", agent["id"], {"reason": "wrong_password"}),
    ]
    unknown = await api.get(
        "/api/v1/audit", params={"action": "login_failed"}, headers=admin["headers"]
    )
    assert [e["staff_id"] for e in unknown.json()["items"]] == [agent["id"], agent["id"], None]
    assert "nobody" not in response.text + unknown.text
    assert "maria" not in response.text + unknown.text


async def test_a_hash_with_old_parameters_is_replaced_at_login(api, settings, staff_login):
    agent = await staff_login("agent", username="maria")
    old_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            staff = await session.get(Staff, agent["id"])
            staff.password_hash = old_hasher.hash(PASSWORD)
            await session.commit()
        assert (await log_in(api, "maria")).status_code == 200
        async with create_sessionmaker(engine)() as session:
            new_hash = await session.scalar(
                select(Staff.password_hash).where(Staff.id == agent["id"])
            )
    finally:
        await engine.dispose()
    current = passwords.hasher  # the parameters in use (the tests' cheap profile)
    assert new_hash != old_hasher.hash(PASSWORD)
    assert not current.check_needs_rehash(new_hash)
    assert current.verify(new_hash, PASSWORD)
