"""The whole path of a case through the API: the bot reports it, an agent takes it, messages
the reporter (delivered by the bot through the outbox), refers, closes and reopens it."""

CASES = "/api/v1/cases"


async def test_a_case_from_report_to_reopening(api, staff_login, report):
    agent = await staff_login("agent")
    headers = agent["headers"]
    reported = await api.post(CASES, json=report("danger", channel_user_id="777"))
    reference = reported.json()["reference"]

    queue = (await api.get(CASES, params={"assignee": "none"}, headers=headers)).json()
    assert [(i["reference"], i["status"]) for i in queue["items"]] == [(reference, "new")]
    taken = await api.post(
        f"{CASES}/{reference}/assign", json={"assignee_id": agent["id"]}, headers=headers
    )
    assert taken.json()["assignee"]["id"] == agent["id"]
    mine = (await api.get(CASES, params={"assignee": "me"}, headers=headers)).json()
    assert [i["reference"] for i in mine["items"]] == [reference]

    sent = await api.post(
        f"{CASES}/{reference}/messages",
        json={"text": "We are calling the estate."},
        headers=headers,
    )
    assert sent.status_code == 201
    assert (sent.json()["direction"], sent.json()["delivery_status"]) == ("to_reporter", "pending")
    claimed = (
        await api.post(
            "/api/v1/outbox/claim", json={"channel": "telegram", "limit": 10, "lease_seconds": 60}
        )
    ).json()
    [outbox] = claimed["messages"]
    assert (outbox["chat_id"], outbox["purpose"]) == ("777", "reporter_message")
    assert outbox["text"].endswith("We are calling the estate.")
    assert (await api.post(f"/api/v1/outbox/{outbox['id']}/delivered")).status_code == 200
    seen_by_reporter = (await api.get("/api/v1/reporters/telegram/777/cases")).json()
    assert [m["text"] for m in seen_by_reporter[0]["messages"]] == ["We are calling the estate."]

    async def post(action: str, body: dict) -> dict:
        response = await api.post(f"{CASES}/{reference}/{action}", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    assert (await post("status", {"to": "in_progress"}))["status"] == "in_progress"
    referred = await post("refer", {"referral": "bp3mi", "note": "BP3MI NTT desk, Pak Y."})
    assert referred["status"] == "referred"
    closed = await post("status", {"to": "closed", "resolution": "worker back home"})
    assert closed["status"] == "closed"
    detail = (await api.get(f"{CASES}/{reference}", headers=headers)).json()
    assert (detail["referral"], detail["referral_note"], detail["resolution"]) == (
        "bp3mi",
        "BP3MI NTT desk, Pak Y.",
        "worker back home",
    )
    assert detail["closed_at"] is not None and detail["first_response_at"] is not None
    reopened = await post("status", {"to": "in_progress", "reason": "the employer called her"})
    assert reopened["status"] == "in_progress"

    timeline = (await api.get(f"{CASES}/{reference}/timeline", headers=headers)).json()
    entries = timeline["entries"]
    assert [(e["kind"], e["audience"]) for e in entries] == [
        ("opened", "reporter"),
        ("assigned", "internal"),
        ("message_to_reporter", "reporter"),
        ("status_changed", "reporter"),
        ("referred", "reporter"),
        ("closed", "reporter"),
        ("reopened", "reporter"),
    ]
    assert all(e["actor"] == {"id": agent["id"], "name": "Test agent 1"} for e in entries[1:])
    message = entries[2]["message"]
    assert (message["text"], message["delivery_status"]) == (
        "We are calling the estate.",
        "delivered",
    )
    assert message["delivered_at"] is not None
    assert entries[4]["data"] == {"from": "in_progress", "to": "referred", "referral": "bp3mi"}
    assert entries[6]["message"]["direction"] == "note"
    assert entries[6]["message"]["text"] == "the employer called her"
