"""The audit log page over HTTP: filters, staff names, pages of 50, refusals."""

import re
from datetime import datetime, timedelta

from api.cases.schemas import WITA


def rows(page) -> list[str]:
    """The action of each row of the log table, top to bottom."""
    return re.findall(r"<td><code>([a-z_]+)</code></td>", page.text)


async def fail_logins(api, username: str, times: int) -> None:
    for _ in range(times):
        response = await api.post(
            "/api/v1/auth/token", data={"username": username, "password": "not the password"}
        )
        assert response.status_code == 401


async def test_entries_show_staff_names_and_filter_by_action_and_staff(api, signed_in, post_form):
    admin = await signed_in("admin", username="maria")
    await post_form(
        "/staff/team",
        username="yohana",
        name="Yohana Tefa",
        role="agent",
        password="correct horse battery",
    )
    await fail_logins(api, "maria", 2)
    page = await api.get("/staff/audit")
    assert page.status_code == 200
    assert rows(page) == ["login_failed", "login_failed", "staff_created", "staff_created"]
    assert "Test admin 1" in page.text and "Sistem atau baris perintah" in page.text

    created = await api.get("/staff/audit", params={"action": "staff_created"})
    assert rows(created) == ["staff_created", "staff_created"]
    assert "target_staff_id" in created.text and "(Yohana Tefa)" in created.text

    by_admin = await api.get("/staff/audit", params={"staff_id": str(admin["id"])})
    assert rows(by_admin) == ["login_failed", "login_failed", "staff_created"]
    assert f'<option value="{admin["id"]}" selected>' in by_admin.text

    no_case = await api.get("/staff/audit", params={"case_id": "12", "action": ""})
    assert rows(no_case) == [] and "Tidak ada catatan yang cocok" in no_case.text


async def test_the_date_range_is_in_days_of_ntt_time(api, signed_in):
    await signed_in("admin")
    today = datetime.now(WITA).date()
    tomorrow = today + timedelta(days=1)
    same_day = await api.get("/staff/audit", params={"since": str(today), "until": str(today)})
    assert rows(same_day) == ["staff_created"]
    later = await api.get("/staff/audit", params={"since": str(tomorrow)})
    assert rows(later) == []
    earlier = await api.get("/staff/audit", params={"until": str(today - timedelta(days=1))})
    assert rows(earlier) == []


async def test_fifty_entries_a_page_newest_first_keeping_the_filters(api, settings, signed_in):
    settings.login_failures_per_account = settings.login_failures_per_address = 100
    await signed_in("admin", username="maria")
    await fail_logins(api, "maria", 55)
    first = await api.get("/staff/audit", params={"action": "login_failed"})
    assert rows(first) == ["login_failed"] * 50
    assert "Halaman 1 dari 2" in first.text
    assert 'href="/staff/audit?action=login_failed&amp;page=2"' in first.text
    second = await api.get("/staff/audit", params={"action": "login_failed", "page": "2"})
    assert rows(second) == ["login_failed"] * 5
    everything = await api.get("/staff/audit", params={"page": "2"})
    assert rows(everything) == ["login_failed"] * 5 + ["staff_created"]


async def test_unusable_filters_are_explained_and_kept(api, signed_in):
    await signed_in("admin")
    page = await api.get("/staff/audit", params={"case_id": "twelve", "since": "31/12/2025"})
    assert page.status_code == 422
    assert "ID kasus: Masukkan bilangan bulat." in page.text
    assert "Dari: Masukkan tanggal dengan format TTTT-BB-HH." in page.text
    assert 'value="twelve"' in page.text
    assert rows(page) == []
    edge = await api.get("/staff/audit", params={"until": "9999-12-31", "page": "0"})
    assert edge.status_code == 422
    assert "Sampai: Masukkan tanggal antara tahun 2000 dan 2999." in edge.text
    assert "Halaman: Masukkan angka paling kecil 1." in edge.text


async def test_only_admins_read_the_audit_log(api, signed_in):
    await signed_in("supervisor")
    page = await api.get("/staff/audit")
    assert page.status_code == 403 and "login_failed" not in page.text
