"""Managing staff accounts through the API (admins), and the rule that an active admin remains."""

import pytest

STAFF = "/api/v1/staff"
NEW = {
    "username": "Maria.Lopes",
    "name": "Maria Lopes",
    "role": "agent",
    "password": "lontar palm by the sea",
}


async def log_in(api, username: str, password: str):
    return await api.post("/api/v1/auth/token", data={"username": username, "password": password})


async def audit(api, admin, **filters) -> list[dict]:
    response = await api.get("/api/v1/audit", params=filters, headers=admin["headers"])
    return response.json()["items"]


async def test_any_staff_member_reads_themselves(api, staff_login):
    agent = await staff_login("agent", username="agent.one")
    me = (await api.get(f"{STAFF}/me", headers=agent["headers"])).json()
    assert set(me) == {"id", "username", "name", "role", "active", "created_at"}
    assert (me["id"], me["username"], me["role"], me["active"]) == (
        agent["id"],
        "agent.one",
        "agent",
        True,
    )
    assert me["created_at"].endswith(("Z", "+00:00"))


async def test_an_admin_creates_staff_who_can_then_log_in(api, staff_login):
    admin = await staff_login("admin")
    response = await api.post(STAFF, json=NEW, headers=admin["headers"])
    assert response.status_code == 201
    created = response.json()
    assert (created["username"], created["name"], created["role"], created["active"]) == (
        "maria.lopes",
        "Maria Lopes",
        "agent",
        True,
    )
    assert (await log_in(api, "maria.lopes", "lontar palm by the sea")).status_code == 200

    listed = (await api.get(STAFF, headers=admin["headers"])).json()["items"]
    assert [member["username"] for member in listed] == ["admin-1", "maria.lopes"]
    assert "password_hash" not in str(listed) and "argon2" not in str(listed)

    [entry] = await audit(api, admin, action="staff_created", staff_id=admin["id"])
    assert entry["detail"] == {"target_staff_id": created["id"], "role": "agent"}


async def test_a_taken_username_is_a_409(api, staff_login):
    admin = await staff_login("admin")
    await api.post(STAFF, json=NEW, headers=admin["headers"])
    again = await api.post(
        STAFF, json={**NEW, "username": " MARIA.lopes"}, headers=admin["headers"]
    )
    assert again.status_code == 409
    assert again.json() == {
        "detail": "the username 'maria.lopes' is taken",
        "code": "username_taken",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "x" * 9, "the password must have at least 10 characters"),
        ("password", "x" * 257, "String should have at most 256 characters"),
        ("username", "a", "the username must have 2 to 64 characters"),
        ("username", "maria lopes", "the username must have 2 to 64 characters"),
        ("username", "-maria", "the username must have 2 to 64 characters"),
        ("name", "   ", "String should have at least 1 character"),
        ("name", "n" * 121, "String should have at most 120 characters"),
        ("role", "boss", "Input should be 'agent', 'supervisor' or 'admin'"),
    ],
)
async def test_bad_staff_details_are_422_with_a_clear_message(
    api, staff_login, field, value, message
):
    admin = await staff_login("admin")
    response = await api.post(STAFF, json={**NEW, field: value}, headers=admin["headers"])
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert error["msg"].startswith(message)


async def test_an_admin_changes_name_role_and_active(api, staff_login):
    admin = await staff_login("admin")
    agent = await staff_login("agent")
    response = await api.patch(
        f"{STAFF}/{agent['id']}",
        json={"name": "Yohana Tefa", "role": "supervisor"},
        headers=admin["headers"],
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["role"]) == ("Yohana Tefa", "supervisor")
    me = (await api.get(f"{STAFF}/me", headers=agent["headers"])).json()
    assert (me["name"], me["role"]) == ("Yohana Tefa", "supervisor")

    [entry] = await audit(api, admin, action="staff_updated")
    assert entry["staff_id"] == admin["id"]
    assert entry["detail"] == {"target_staff_id": agent["id"], "fields": ["name", "role"]}
    assert "Yohana" not in str(entry)


async def test_fields_that_cannot_be_changed_are_refused(api, staff_login):
    admin = await staff_login("admin")
    for body in ({"username": "other"}, {"activ": False}, {"password": "lontar palm by the sea"}):
        response = await api.patch(f"{STAFF}/{admin['id']}", json=body, headers=admin["headers"])
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"] == "Extra inputs are not permitted"
    assert (await api.get(f"{STAFF}/me", headers=admin["headers"])).json()["username"] == "admin-1"


async def test_a_change_to_nothing_is_not_audited(api, staff_login):
    admin = await staff_login("admin")
    agent = await staff_login("agent")
    for body in ({}, {"role": "agent"}, {"name": None}):
        response = await api.patch(f"{STAFF}/{agent['id']}", json=body, headers=admin["headers"])
        assert response.status_code == 200
    assert await audit(api, admin, action="staff_updated") == []


async def test_unknown_or_impossible_staff_ids(api, staff_login):
    admin = await staff_login("admin")
    unused = 2**31 - 1  # the largest id there can be
    missing = await api.patch(f"{STAFF}/{unused}", json={"name": "X"}, headers=admin["headers"])
    assert missing.status_code == 404
    assert missing.json() == {"detail": f"no staff member {unused}", "code": "staff_not_found"}
    reset = await api.post(
        f"{STAFF}/{unused}/password",
        json={"password": "sandalwood hills of timor"},
        headers=admin["headers"],
    )
    assert reset.status_code == 404
    for bad in ("0", str(unused + 1), "abc"):
        response = await api.patch(f"{STAFF}/{bad}", json={"name": "X"}, headers=admin["headers"])
        assert response.status_code == 422, bad


async def test_a_password_reset_ends_sessions_and_replaces_the_password(api, staff_login):
    admin = await staff_login("admin")
    agent = await staff_login("agent")
    response = await api.post(
        f"{STAFF}/{agent['id']}/password",
        json={"password": "new password 1"},
        headers=admin["headers"],
    )
    assert response.status_code == 204
    assert (await api.get(f"{STAFF}/me", headers=agent["headers"])).status_code == 401
    assert (await log_in(api, agent["username"], agent["password"])).status_code == 401
    assert (await log_in(api, agent["username"], "new password 1")).status_code == 200
    [entry] = await audit(api, admin, action="password_reset")
    assert (entry["staff_id"], entry["detail"]) == (admin["id"], {"target_staff_id": agent["id"]})


async def test_a_short_new_password_is_refused(api, staff_login):
    admin = await staff_login("admin")
    response = await api.post(
        f"{STAFF}/{admin['id']}/password", json={"password": "short"}, headers=admin["headers"]
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "the password must have at least 10 characters"


@pytest.mark.parametrize("change", [{"active": False}, {"role": "supervisor"}, {"role": "agent"}])
async def test_the_last_active_admin_cannot_disable_or_demote_themselves(api, staff_login, change):
    admin = await staff_login("admin")
    await staff_login("admin")  # a second admin, then disabled: no longer counts
    second = (await api.get(STAFF, headers=admin["headers"])).json()["items"][1]["id"]
    await api.patch(f"{STAFF}/{second}", json={"active": False}, headers=admin["headers"])

    response = await api.patch(f"{STAFF}/{admin['id']}", json=change, headers=admin["headers"])
    assert response.status_code == 409
    assert response.json() == {
        "detail": "this is the last active admin: make another admin first",
        "code": "last_admin",
    }
    assert (await api.get(STAFF, headers=admin["headers"])).status_code == 200
    renamed = await api.patch(
        f"{STAFF}/{admin['id']}", json={"name": "A"}, headers=admin["headers"]
    )
    assert renamed.status_code == 200

    await api.patch(f"{STAFF}/{second}", json={"active": True}, headers=admin["headers"])
    response = await api.patch(f"{STAFF}/{admin['id']}", json=change, headers=admin["headers"])
    assert response.status_code == 200
