"""Who may call what: staff tokens vs the bot's service token, and roles."""

import httpx
import pytest

from api.app import create_app
from api.staff.auth import SupervisorStaff

ADMIN_ONLY = [
    ("GET", "/api/v1/staff", None),
    (
        "POST",
        "/api/v1/staff",
        {"username": "x1", "name": "X", "role": "agent", "password": "lontar palm by the sea"},
    ),
    ("PATCH", "/api/v1/staff/1", {"name": "X"}),
    ("POST", "/api/v1/staff/1/password", {"password": "lontar palm by the sea"}),
    ("GET", "/api/v1/audit", None),
]
STAFF_ONLY = [*ADMIN_ONLY, ("GET", "/api/v1/staff/me", None), ("POST", "/api/v1/auth/logout", None)]


@pytest.mark.parametrize(("method", "path", "body"), STAFF_ONLY)
async def test_staff_endpoints_need_a_staff_token(api, method, path, body):
    without = await api.request(method, path, json=body, headers={"Authorization": ""})
    assert without.status_code == 401
    assert without.headers["WWW-Authenticate"] == "Bearer"
    assert without.json()["detail"] == "staff token required"

    service = await api.request(method, path, json=body)  # the client sends the service token
    assert service.status_code == 401
    assert service.json()["detail"] == "staff token required"

    made_up = await api.request(method, path, json=body, headers={"Authorization": "Bearer abc"})
    assert made_up.status_code == 401
    assert made_up.json()["detail"] == "invalid or expired staff token"


@pytest.mark.parametrize("role", ["agent", "supervisor"])
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ONLY)
async def test_admin_endpoints_refuse_other_roles(api, staff_login, role, method, path, body):
    member = await staff_login(role)
    response = await api.request(method, path, json=body, headers=member["headers"])
    assert response.status_code == 403
    assert response.json() == {"detail": "your role cannot do this", "code": "forbidden"}


async def test_bot_endpoints_refuse_staff_tokens(api, staff_login):
    admin = await staff_login("admin")
    response = await api.get("/api/v1/reporters/telegram/1", headers=admin["headers"])
    assert response.status_code == 401
    assert (await api.get("/api/v1/reporters/telegram/1")).status_code == 200


async def test_tokens_with_odd_characters_are_refused_not_crashed(api):
    for path in ("/api/v1/staff/me", "/api/v1/reporters/telegram/1"):
        response = await api.get(path, headers={"Authorization": b"Bearer caf\xe9"})
        assert response.status_code == 401


async def test_supervisor_staff_lets_supervisors_and_admins_in(settings, staff_login):
    app = create_app(settings)

    @app.get("/supervised")
    async def supervised(staff: SupervisorStaff) -> dict:
        return {"role": staff.role}

    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://helpline.test"
        ) as client:
            for role, status in (("agent", 403), ("supervisor", 200), ("admin", 200)):
                member = await staff_login(role)
                response = await client.get("/supervised", headers=member["headers"])
                assert response.status_code == status, role


async def test_a_role_change_applies_to_existing_tokens(api, staff_login):
    admin = await staff_login("admin")
    agent = await staff_login("agent")
    assert (await api.get("/api/v1/staff", headers=agent["headers"])).status_code == 403
    await api.patch(
        f"/api/v1/staff/{agent['id']}", json={"role": "admin"}, headers=admin["headers"]
    )
    assert (await api.get("/api/v1/staff", headers=agent["headers"])).status_code == 200
