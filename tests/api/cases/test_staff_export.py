"""GET /api/v1/cases/export.csv: the queue's filters, personal columns by role, audited."""

import csv
import io

EXPORT = "/api/v1/cases/export.csv"
CASE_COLUMNS = [
    "reference",
    "kind",
    "status",
    "priority",
    "district",
    "destination_country",
    "assignee_id",
    "assignee_name",
    "created_at",
    "updated_at",
    "last_reporter_message_at",
    "has_news",
    "first_response_at",
    "closed_at",
    "referral",
]


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_supervisors_get_personal_columns_and_agents_do_not(api, staff_login, make_case):
    supervisor = await staff_login("supervisor")
    agent = await staff_login("agent")
    missing = await make_case("missing", details={"employer": '=HYPERLINK("http://x")'})
    offer = await make_case("offer")

    full = rows(await api.get(EXPORT, params={"sort": "created"}, headers=supervisor["headers"]))
    assert [row["reference"] for row in full] == [missing, offer]
    assert list(full[0])[: len(CASE_COLUMNS)] == CASE_COLUMNS
    assert {"language", "referral_note", "resolution", "missing_name"} <= set(full[0])
    assert "missing_photo_key" not in full[0]
    assert (full[0]["missing_name"], full[0]["missing_passport_number"]) == (
        "Maria Nenobais",
        "C1234567",
    )
    assert full[0]["missing_employer"] == '\'=HYPERLINK("http://x")'  # not a formula
    assert full[0]["offer_offer_text"] == ""
    assert full[1]["offer_flags"] == "salary_too_good;fast_departure"
    assert full[1]["offer_recruiter_phone"] == "'+6281234567890"

    limited = rows(await api.get(EXPORT, params={"sort": "created"}, headers=agent["headers"]))
    assert list(limited[0]) == CASE_COLUMNS
    assert [row["reference"] for row in limited] == [missing, offer]
    assert "Nenobais" not in str(limited)


async def test_the_export_follows_the_filters_and_visibility_and_is_audited(
    api, staff_login, make_case
):
    admin = await staff_login("admin")
    ana = await staff_login("agent")
    budi = await staff_login("agent")
    budis = await make_case("danger")
    await api.post(
        f"/api/v1/cases/{budis}/assign", json={"assignee_id": budi["id"]}, headers=budi["headers"]
    )
    await make_case("danger", district="belu")
    belu_offer = await make_case("offer", district="belu")

    filtered = await api.get(
        EXPORT, params={"district": "belu", "kind": "offer"}, headers=ana["headers"]
    )
    assert [row["reference"] for row in rows(filtered)] == [belu_offer]
    everything_ana_sees = rows(await api.get(EXPORT, headers=ana["headers"]))
    assert budis not in [row["reference"] for row in everything_ana_sees]
    assert len(everything_ana_sees) == 2
    empty = await api.get(EXPORT, params={"q": "nobody at all"}, headers=admin["headers"])
    assert empty.text.splitlines()[0].startswith("reference,kind,") and len(rows(empty)) == 0

    audit = await api.get(
        "/api/v1/audit", params={"action": "cases_exported"}, headers=admin["headers"]
    )
    assert [(e["staff_id"], e["detail"]) for e in reversed(audit.json()["items"])] == [
        (ana["id"], {"count": 1, "personal": False}),
        (ana["id"], {"count": 2, "personal": False}),
        (admin["id"], {"count": 0, "personal": True}),
    ]
