"""A case for staff: its detail and photo (audited reads), and each change through the API."""

import asyncio

CASES = "/api/v1/cases"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100


async def audit_entries(api, admin, **filters) -> list[dict]:
    response = await api.get("/api/v1/audit", params=filters, headers=admin["headers"])
    assert response.status_code == 200
    return response.json()["items"]


async def test_the_detail_has_each_kinds_details_and_every_read_is_audited(
    api, staff_login, make_case
):
    admin = await staff_login("admin")
    agent = await staff_login("agent")
    expected = {
        "offer": ("recruiter_phone", "+6281234567890"),
        "danger": ("employer", "a palm oil estate"),
        "missing": ("passport_number", "C1234567"),
        "question": ("topic", "documents.passport"),
    }
    for kind, (field, value) in expected.items():
        reference = await make_case(kind)
        response = await api.get(f"{CASES}/{reference}", headers=agent["headers"])
        assert response.status_code == 200
        case = response.json()
        assert (case["reference"], case["kind"], case["details"]["kind"]) == (reference, kind, kind)
        assert case["details"][field] == value
        assert (case["language"], case["reporter_erased"], case["assignee"]) == ("id", False, None)
    assert case["details"]["question"] == "How long does a passport take?"

    reads = await audit_entries(api, admin, action="case_read", staff_id=agent["id"])
    assert [entry["detail"] for entry in reads] == [{"part": "detail"}] * 4


async def test_a_missing_persons_photo(api, staff_login, make_case):
    supervisor = await staff_login("supervisor")
    upload = await api.post("/api/v1/uploads", content=JPEG, headers={"Content-Type": "image/jpeg"})
    with_photo = await make_case("missing", photo_upload_key=upload.json()["key"])
    without = await make_case("missing")

    detail = await api.get(f"{CASES}/{with_photo}", headers=supervisor["headers"])
    assert detail.json()["details"]["has_photo"] is True
    photo = await api.get(f"{CASES}/{with_photo}/photo", headers=supervisor["headers"])
    assert (photo.status_code, photo.headers["content-type"], photo.content) == (
        200,
        "image/jpeg",
        JPEG,
    )
    none = await api.get(f"{CASES}/{without}/photo", headers=supervisor["headers"])
    assert (none.status_code, none.json()["code"]) == (404, "no_photo")
    admin = await staff_login("admin")
    reads = await audit_entries(api, admin, action="case_read", staff_id=supervisor["id"])
    # the case without a photo showed nothing: no entry
    assert sorted(entry["detail"]["part"] for entry in reads) == ["detail", "photo"]


async def test_opening_a_case_sees_its_news_without_changing_it(api, staff_login, make_case):
    agent = await staff_login("agent")
    reference = await make_case("question")
    reply = {"channel": "telegram", "channel_user_id": "5550001", "text": "hello?"}
    await api.post(f"{CASES}/{reference}/replies", json={**reply, "message_key": "1"})
    before = (await api.get(CASES, headers=agent["headers"])).json()["items"][0]
    assert before["has_news"] is True and before["last_reporter_message_at"] is not None

    opened = (await api.get(f"{CASES}/{reference}", headers=agent["headers"])).json()
    after = (await api.get(CASES, headers=agent["headers"])).json()["items"][0]
    assert opened["has_news"] is False and after["has_news"] is False
    assert after["updated_at"] == before["updated_at"]


async def test_changes_answer_the_case_line_and_are_audited(api, staff_login, make_case):
    admin = await staff_login("admin")
    agent = await staff_login("agent")
    reference = await make_case("offer")
    headers = agent["headers"]

    async def post(action: str, body: dict):
        return await api.post(f"{CASES}/{reference}/{action}", json=body, headers=headers)

    taken = await post("assign", {"assignee_id": agent["id"]})
    assert taken.json()["assignee"]["id"] == agent["id"]
    assert (await post("priority", {"priority": "urgent"})).json()["priority"] == "urgent"
    triaged = await post("status", {"to": "triaged"})
    assert (triaged.status_code, triaged.json()["status"]) == (200, "triaged")
    note = await post("notes", {"text": "  recruiter known to police  "})
    assert note.status_code == 201
    assert (note.json()["direction"], note.json()["text"]) == ("note", "recruiter known to police")
    assert note.json()["delivery_status"] is None

    entries = await audit_entries(api, admin, staff_id=agent["id"])
    actions = [entry["action"] for entry in reversed(entries)]
    assert actions == [
        "case_assigned",
        "case_priority_changed",
        "case_status_changed",
        "case_note_added",
    ]
    assert entries[1]["detail"] == {"from_status": "new", "to_status": "triaged"}
    assert "police" not in str(entries)


async def test_refusals_are_4xx_with_a_clear_message(api, staff_login, make_case):
    supervisor = await staff_login("supervisor")
    reference = await make_case("danger")

    async def post(action: str, body: dict):
        response = await api.post(
            f"{CASES}/{reference}/{action}", json=body, headers=supervisor["headers"]
        )
        return response.status_code, response.json()

    code, body = await post("status", {"to": "referred"})
    assert code == 422 and "POST /api/v1/cases/{reference}/refer" in body["detail"][0]["msg"]
    assert await post("refer", {"referral": "police"}) == (
        409,
        {"detail": "a case cannot go from new to referred", "code": "invalid_transition"},
    )
    assert await post("status", {"to": "closed"}) == (
        422,
        {"detail": "closing a case needs a resolution", "code": "resolution_required"},
    )
    assert (await post("status", {"to": "closed", "resolution": "duplicate"}))[0] == 200
    assert await post("status", {"to": "in_progress"}) == (
        422,
        {"detail": "reopening a closed case needs a reason", "code": "reason_required"},
    )
    assert await post("assign", {"assignee_id": 999_999}) == (
        422,
        {"detail": "no active staff member 999999", "code": "unknown_staff"},
    )
    for action, body in (
        ("assign", {}),
        ("assign", {"assignee_id": "ana"}),
        ("status", {"to": "lost"}),
        ("refer", {"referral": "friend"}),
        ("priority", {"priority": "asap"}),
        ("notes", {"text": "   "}),
        ("messages", {"text": "x" * 4001}),
        ("notes", {"text": "ok", "pinned": True}),
        ("notes", {"text": "nul \x00 inside"}),
        ("refer", {"referral": "police", "note": "\x00"}),
    ):
        assert (await post(action, body))[0] == 422, (action, body)
    not_json = await api.post(
        f"{CASES}/{reference}/notes", content=b"{", headers=supervisor["headers"]
    )
    assert not_json.status_code == 422


async def test_a_reporter_who_erased_their_data_is_neither_found_nor_messaged(
    api, staff_login, make_case
):
    supervisor = await staff_login("supervisor")
    reference = await make_case("danger")
    search = {"q": "palm oil"}
    found = (await api.get(CASES, params=search, headers=supervisor["headers"])).json()
    assert found["total"] == 1
    await api.delete("/api/v1/reporters/telegram/5550001")
    found = (await api.get(CASES, params=search, headers=supervisor["headers"])).json()
    assert found["total"] == 0  # the search text went with the details
    detail = (await api.get(f"{CASES}/{reference}", headers=supervisor["headers"])).json()
    assert detail["reporter_erased"] is True
    assert "what_happens" not in detail["details"] and detail["details"]["country"] == "MY"
    response = await api.post(
        f"{CASES}/{reference}/messages",
        json={"text": "Are you safe?"},
        headers=supervisor["headers"],
    )
    assert (response.status_code, response.json()["code"]) == (409, "reporter_erased")


async def test_two_agents_taking_a_case_at_once_one_gets_it(api, staff_login, make_case):
    ana = await staff_login("agent")
    budi = await staff_login("agent")
    reference = await make_case()

    async def take(member: dict):
        body = {"assignee_id": member["id"]}
        return await api.post(f"{CASES}/{reference}/assign", json=body, headers=member["headers"])

    answers = await asyncio.gather(take(ana), take(budi))
    codes = sorted(answer.status_code for answer in answers)
    assert codes[0] == 200 and codes[1] in (403, 409), [a.text for a in answers]
    winner = ana if answers[0].status_code == 200 else budi
    timeline = await api.get(f"{CASES}/{reference}/timeline", headers=winner["headers"])
    assigned = [e for e in timeline.json()["entries"] if e["kind"] == "assigned"]
    assert [e["data"] for e in assigned] == [{"from": None, "to": winner["id"]}]
