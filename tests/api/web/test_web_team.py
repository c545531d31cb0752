"""Staff management pages over HTTP: adding, role, access and password, with kind refusals."""

import pytest

NEW_PASSWORD = "a new password for her"


async def staff_list(api, admin) -> dict[str, dict]:
    listed = await api.get("/api/v1/staff", headers=admin["headers"])
    return {member["username"]: member for member in listed.json()["items"]}


async def can_log_in(api, username: str, password: str) -> bool:
    response = await api.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    return response.status_code == 200


async def test_an_admin_adds_a_member_who_can_then_log_in(api, signed_in, post_form):
    admin = await signed_in("admin", username="maria")
    added = await post_form(
        "/staff/team", username="Yohana", name="Yohana Tefa", role="agent", password=NEW_PASSWORD
    )
    assert added.status_code == 303 and added.headers["location"] == "/staff/team?done=created"
    page = await api.get(added.headers["location"])
    assert "Akun sudah dibuat." in page.text
    assert "Yohana Tefa" in page.text and 'href="/staff/team"' in page.text
    yohana = (await staff_list(api, admin))["yohana"]
    assert yohana["role"] == "agent" and yohana["active"]
    assert await can_log_in(api, "yohana", NEW_PASSWORD)
    audit = await api.get("/api/v1/audit?action=staff_created", headers=admin["headers"])
    assert [entry["staff_id"] for entry in audit.json()["items"]][0] == admin["id"]


async def test_a_refused_member_shows_each_reason_and_keeps_what_was_typed(
    api, signed_in, post_form
):
    admin = await signed_in("admin")
    response = await post_form(
        "/staff/team", username="yo hana!", name="Yohana Tefa", role="boss", password="short1"
    )
    assert response.status_code == 422
    assert "Kata sandi harus terdiri dari minimal 10 karakter." in response.text
    assert "Gunakan 2 sampai 64 huruf" in response.text
    assert "Pilih salah satu pilihan yang tersedia." in response.text
    assert 'value="Yohana Tefa"' in response.text and 'value="yo hana!"' in response.text
    assert "short1" not in response.text  # a password is never sent back
    assert set(await staff_list(api, admin)) == {admin["username"]}


async def test_a_taken_username_is_refused_in_english_when_chosen(api, signed_in, post_form):
    await signed_in("admin", username="maria")
    await api.get("/staff/language/en")
    response = await post_form(
        "/staff/team", username="MARIA", name="Another Maria", role="agent", password=NEW_PASSWORD
    )
    assert response.status_code == 409
    assert "This username is taken: choose another one." in response.text
    assert 'value="Another Maria"' in response.text


async def test_role_access_and_password_are_changed_from_the_member_page(
    api, signed_in, staff_login, post_form
):
    agent = await staff_login("agent", username="yohana")
    admin = await signed_in("admin")
    page = await api.get(f"/staff/team/{agent['id']}")
    assert page.status_code == 200 and "yohana" in page.text

    changed = await post_form(f"/staff/team/{agent['id']}/role", role="supervisor")
    assert changed.headers["location"] == f"/staff/team/{agent['id']}?done=role"
    assert (await staff_list(api, admin))["yohana"]["role"] == "supervisor"

    disabled = await post_form(f"/staff/team/{agent['id']}/disable")
    assert disabled.status_code == 303
    assert not (await staff_list(api, admin))["yohana"]["active"]
    assert (await api.get("/api/v1/staff/me", headers=agent["headers"])).status_code == 401
    assert not await can_log_in(api, "yohana", agent["password"])
    assert "Aktifkan akun" in (await api.get(disabled.headers["location"])).text

    await post_form(f"/staff/team/{agent['id']}/enable")
    assert await can_log_in(api, "yohana", agent["password"])

    too_short = await post_form(f"/staff/team/{agent['id']}/password", password="short")
    assert too_short.status_code == 422 and "minimal 10 karakter" in too_short.text
    reset = await post_form(f"/staff/team/{agent['id']}/password", password=NEW_PASSWORD)
    assert reset.headers["location"] == f"/staff/team/{agent['id']}?done=password"
    assert await can_log_in(api, "yohana", NEW_PASSWORD)
    assert not await can_log_in(api, "yohana", agent["password"])


async def test_the_last_admin_can_be_neither_demoted_nor_disabled(api, signed_in, post_form):
    admin = await signed_in("admin")
    for action, fields in (("role", {"role": "agent"}), ("disable", {})):
        response = await post_form(f"/staff/team/{admin['id']}/{action}", **fields)
        assert response.status_code == 409
        assert "Ini admin aktif terakhir" in response.text
    member = (await staff_list(api, admin))[admin["username"]]
    assert member["role"] == "admin" and member["active"]


async def test_an_unknown_member_gets_a_kind_404(api, signed_in, post_form):
    await signed_in("admin")
    assert "Anggota staf itu tidak ada." in (await api.get("/staff/team/999999")).text
    response = await post_form("/staff/team/999999/disable")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["agent", "supervisor"])
async def test_other_roles_get_the_refused_page_and_change_nothing(
    api, signed_in, staff_login, post_form, role
):
    admin = await staff_login("admin")
    await signed_in(role)
    page = await api.get("/staff/team")
    assert page.status_code == 403 and "Tidak diizinkan" in page.text
    assert 'href="/staff/team"' not in page.text
    response = await post_form(
        "/staff/team", username="intruder", name="Intruder", role="admin", password=NEW_PASSWORD
    )
    assert response.status_code == 403
    assert "intruder" not in await staff_list(api, admin)
    disabled = await post_form(f"/staff/team/{admin['id']}/disable")
    assert disabled.status_code == 403
    assert (await staff_list(api, admin))[admin["username"]]["active"]


async def test_forms_without_the_csrf_token_are_refused(api, signed_in, staff_login):
    admin = await signed_in("admin")
    agent = await staff_login("agent")
    response = await api.post(
        "/staff/team",
        data={"username": "yohana", "name": "Yohana", "role": "agent", "password": NEW_PASSWORD},
    )
    assert response.status_code == 403
    forged = await api.post(
        f"/staff/team/{agent['id']}/disable", data={"csrf_token": "someone-elses-token"}
    )
    assert forged.status_code == 403
    members = await staff_list(api, admin)
    assert "yohana" not in members and members[agent["username"]]["active"]


async def test_the_team_page_asks_for_a_login_first(api):
    response = await api.get("/staff/team")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=/staff/team"
