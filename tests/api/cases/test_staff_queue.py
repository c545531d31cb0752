"""GET /api/v1/cases: the queue's filters, sorts, pages and search, and what each role sees."""

from datetime import UTC, datetime

import pytest

CASES = "/api/v1/cases"


def jan(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, tzinfo=UTC)


@pytest.fixture
async def desk(api, staff_login, make_case) -> dict:
    """Six cases opened in January 2026; ana has one, budi another; the question has news."""
    staff = {
        "supervisor": await staff_login("supervisor"),
        "ana": await staff_login("agent"),
        "budi": await staff_login("agent"),
    }
    cases = {
        "offer": await make_case("offer", columns={"created_at": jan(5), "updated_at": jan(20)}),
        "urgent": await make_case(
            "danger",
            details={"danger_now": True},
            district="belu",
            columns={"created_at": jan(10), "updated_at": jan(10)},
        ),
        "missing": await make_case(
            "missing", district=None, columns={"created_at": jan(2), "updated_at": jan(25)}
        ),
        "question": await make_case(
            "question", district="alor", columns={"created_at": jan(15), "updated_at": jan(15)}
        ),
        "anas": await make_case(
            "offer",
            details={"recruiter_name": "Ibu Rina", "recruiter_phone": "0813 3900 1122"},
            columns={"created_at": jan(7), "updated_at": jan(7)},
        ),
        "budis": await make_case(
            "danger", district="belu", columns={"created_at": jan(1), "updated_at": jan(1)}
        ),
    }
    for name, member in (("anas", "ana"), ("budis", "budi")):
        response = await api.post(
            f"{CASES}/{cases[name]}/assign",
            json={"assignee_id": staff[member]["id"]},
            headers=staff["supervisor"]["headers"],
        )
        assert response.status_code == 200
    reply = {"channel": "telegram", "channel_user_id": "5550001", "text": "any news?"}
    await api.post(f"{CASES}/{cases['question']}/replies", json={**reply, "message_key": "m1"})
    return {"staff": staff, "cases": cases, "by_reference": {v: k for k, v in cases.items()}}


async def queue(api, desk, who: str = "supervisor", **params) -> list[str]:
    """The names of the cases listed, in order."""
    response = await api.get(CASES, params=params, headers=desk["staff"][who]["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] >= len(body["items"])
    return [desk["by_reference"][item["reference"]] for item in body["items"]]


async def test_queue_lines_carry_no_personal_data(api, desk):
    response = await api.get(CASES, headers=desk["staff"]["supervisor"]["headers"])
    body = response.json()
    assert (body["total"], body["limit"], body["offset"]) == (6, 50, 0)
    line = next(i for i in body["items"] if i["reference"] == desk["cases"]["anas"])
    assert set(line) == {
        "reference",
        "kind",
        "status",
        "priority",
        "district",
        "destination_country",
        "assignee",
        "created_at",
        "updated_at",
        "last_reporter_message_at",
        "has_news",
        "age_hours",
    }
    assert line["assignee"] == {"id": desk["staff"]["ana"]["id"], "name": "Test agent 2"}
    assert (line["kind"], line["status"], line["priority"], line["district"]) == (
        "offer",
        "new",
        "normal",
        "kota_kupang",
    )
    assert line["created_at"] == "2026-01-07T00:00:00Z"
    opened_hours_ago = (datetime.now(UTC) - jan(7)).total_seconds() // 3600
    assert abs(line["age_hours"] - opened_hours_ago) <= 1
    for personal in ("Rina", "+6281339001122", "Maria", "Nenobais", "Kuanfatu", "any news"):
        assert personal not in response.text


async def test_sorts(api, desk):
    assert await queue(api, desk) == ["urgent", "budis", "missing", "offer", "anas", "question"]
    assert await queue(api, desk, sort="created") == [
        "budis",
        "missing",
        "offer",
        "anas",
        "urgent",
        "question",
    ]
    assert await queue(api, desk, sort="-created") == [
        "question",
        "urgent",
        "anas",
        "offer",
        "missing",
        "budis",
    ]
    # assigning and the reporter's reply changed three of them just now
    assert await queue(api, desk, sort="updated") == [
        "question",
        "budis",
        "anas",
        "missing",
        "offer",
        "urgent",
    ]


async def test_filters(api, desk):
    ana_id = desk["staff"]["ana"]["id"]
    assert await queue(api, desk, kind="danger") == ["urgent", "budis"]
    assert await queue(api, desk, priority="urgent") == ["urgent"]
    assert await queue(api, desk, district="belu") == ["urgent", "budis"]
    assert await queue(api, desk, assignee="none", kind="offer") == ["offer"]
    assert await queue(api, desk, assignee=str(ana_id)) == ["anas"]
    assert await queue(api, desk, assignee="me") == []
    assert await queue(api, desk, "ana", assignee="me") == ["anas"]
    assert await queue(api, desk, has_news="true") == ["question"]
    assert await queue(api, desk, has_news="false", kind="question") == []
    assert await queue(
        api, desk, created_from="2026-01-05", created_to="2026-01-10T00:00:01", sort="created"
    ) == ["offer", "anas", "urgent"]
    assert await queue(api, desk, created_to="2026-01-02") == ["budis"]


async def test_several_statuses(api, desk):
    supervisor = desk["staff"]["supervisor"]["headers"]
    for name, to in (("offer", "triaged"), ("question", "in_progress")):
        response = await api.post(
            f"{CASES}/{desk['cases'][name]}/status", json={"to": to}, headers=supervisor
        )
        assert response.status_code == 200
    statuses = [("status", "triaged"), ("status", "in_progress")]
    response = await api.get(CASES, params=statuses, headers=supervisor)
    names = [desk["by_reference"][item["reference"]] for item in response.json()["items"]]
    assert names == ["offer", "question"]
    assert await queue(api, desk, status="new", kind="offer") == ["anas"]


async def test_pages(api, desk):
    headers = desk["staff"]["supervisor"]["headers"]
    pages = []
    for offset in (0, 4, 8):
        response = await api.get(CASES, params={"limit": 4, "offset": offset}, headers=headers)
        body = response.json()
        assert (body["total"], body["limit"], body["offset"]) == (6, 4, offset)
        pages.append([desk["by_reference"][item["reference"]] for item in body["items"]])
    assert pages == [["urgent", "budis", "missing", "offer"], ["anas", "question"], []]


async def test_search(api, desk):
    cases = desk["cases"]
    assert await queue(api, desk, q=cases["missing"]) == ["missing"]
    assert await queue(api, desk, q=f"  {cases['missing'].lower()} ") == ["missing"]
    assert await queue(api, desk, q=cases["missing"][4:]) == ["missing"]  # without "NTT-"
    assert await queue(api, desk, q=cases["missing"][:7]) == ["missing"]  # its start
    assert await queue(api, desk, q="maria NENOBAIS") == ["missing"]
    assert await queue(api, desk, q="rina") == ["anas"]
    assert await queue(api, desk, q="0813-3900-1122") == ["anas"]  # as the details keep it
    assert await queue(api, desk, q="passport") == ["question"]
    assert await queue(api, desk, q="passport visa") == []
    assert await queue(api, desk, q="kerja malaysia") == ["offer", "anas"]
    assert await queue(api, desk, q="ker_a") == []  # no wildcards
    assert await queue(api, desk, q="ker%") == []
    assert await queue(api, desk, q="tengah_selatan") == ["missing"]


async def test_a_text_search_is_audited_without_the_searched_text(api, desk, staff_login):
    supervisor = desk["staff"]["supervisor"]
    assert await queue(api, desk, q="0813-3900-1122") == ["anas"]
    assert await queue(api, desk, q="Maria Nenobais") == ["missing"]
    assert await queue(api, desk) != []  # no search: nothing to audit
    admin = await staff_login("admin")
    response = await api.get(
        "/api/v1/audit", params={"action": "queue_searched"}, headers=admin["headers"]
    )
    entries = response.json()["items"]
    assert [(e["staff_id"], e["detail"]) for e in entries] == [
        (supervisor["id"], {"by": "text", "matches": 1}),
        (supervisor["id"], {"by": "text", "matches": 1}),
    ]
    # (the searched number whole: a time such as 12:00:32.839000 may hold "3900")
    assert "0813-3900-1122" not in response.text and "maria" not in response.text.lower()


async def test_agents_see_the_unassigned_queue_and_their_own(api, desk):
    assert await queue(api, desk, "ana") == ["urgent", "missing", "offer", "anas", "question"]
    assert await queue(api, desk, "budi") == ["urgent", "budis", "missing", "offer", "question"]
    budi_id = desk["staff"]["budi"]["id"]
    assert await queue(api, desk, "ana", assignee=str(budi_id)) == []
    assert await queue(api, desk, "ana", q="rina") == ["anas"]
    assert await queue(api, desk, "budi", q="rina") == []


BAD_FILTERS = [  # (query, the field the 422 names; None: the filters together)
    ({"status": "lost"}, "status"),
    ({"kind": "rumour"}, "kind"),
    ({"sort": "name"}, "sort"),
    ({"limit": 0}, "limit"),
    ({"limit": 101}, "limit"),
    ({"offset": -1}, "offset"),
    ({"assignee": "someone"}, "assignee"),
    ({"created_from": "yesterday"}, "created_from"),
    ({"created_from": "0001-01-01T00:00:00+05:00"}, "created_from"),
    ({"created_from": "2026-02-01", "created_to": "2026-01-01"}, None),
    ({"q": "x" * 101}, "q"),
    ({"q": "a\x00b"}, "q"),  # PostgreSQL cannot hold it: 422, not 500
    ({"colour": "red"}, "colour"),
]


async def test_bad_filters_are_422_naming_the_field(api, staff_login):
    supervisor = await staff_login("supervisor")
    for params, field in BAD_FILTERS:
        response = await api.get(CASES, params=params, headers=supervisor["headers"])
        assert response.status_code == 422, params
        if field is not None:
            locations = [error["loc"] for error in response.json()["detail"]]
            assert any(field in location for location in locations), params


async def test_an_unknown_district_is_422(api, staff_login):
    supervisor = await staff_login("supervisor")
    for path in (CASES, f"{CASES}/export.csv"):
        response = await api.get(
            path, params={"district": "jakarta"}, headers=supervisor["headers"]
        )
        assert response.status_code == 422
        assert response.json() == {
            "detail": "unknown district 'jakarta'; use a slug of content/districts.yaml",
            "code": "unknown_district",
        }
