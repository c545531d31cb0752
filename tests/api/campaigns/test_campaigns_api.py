"""Campaigns through the staff API: who may write and send them, checks, the audience preview,
and their queuing in the outbox (batches, completion, blocked users, cancelling)."""

import pytest

CAMPAIGNS = "/api/v1/campaigns"
CLAIM = "/api/v1/outbox/claim"
NEWS = {
    "title": "Before you leave",
    "texts": {"id": "Cek izin PT di BP3MI sebelum berangkat.", "en": "Check the licence first."},
    "districts": ["belu", "kota_kupang"],
    "languages": ["id", "en"],
}


async def subscribe(api, user_id: int, district: str, language: str = "id") -> None:
    response = await api.put(
        f"/api/v1/reporters/telegram/{user_id}/subscription",
        json={"district": district, "language": language},
    )
    assert response.status_code == 200, response.text


async def create(api, headers, **changes) -> dict:
    response = await api.post(CAMPAIGNS, json={**NEWS, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def claim(api, limit: int = 100) -> list[dict]:
    """A round of the backend's campaign queuer, then the bot's claim."""
    await api._transport.app.state.campaign_queuer.run_once()
    response = await api.post(
        CLAIM, json={"channel": "telegram", "limit": limit, "lease_seconds": 60}
    )
    assert response.status_code == 200, response.text
    return response.json()["messages"]


async def read(api, headers, campaign_id: int) -> dict:
    return (await api.get(f"{CAMPAIGNS}/{campaign_id}", headers=headers)).json()


@pytest.mark.parametrize(
    ("role", "allowed"), [("agent", False), ("supervisor", True), ("admin", True)]
)
async def test_supervisors_and_admins_write_campaigns_agents_do_not(
    api, staff_login, role, allowed
):
    member = await staff_login(role)
    response = await api.post(CAMPAIGNS, json=NEWS, headers=member["headers"])
    assert response.status_code == (201 if allowed else 403)
    listed = await api.get(CAMPAIGNS, headers=member["headers"])
    assert listed.status_code == (200 if allowed else 403)
    if allowed:
        created = response.json()
        assert created["status"] == "draft" and created["created_by_id"] == member["id"]
        assert [item["id"] for item in listed.json()["items"]] == [created["id"]]


async def test_the_bots_service_token_cannot_use_the_campaign_api(api):
    assert (await api.get(CAMPAIGNS)).status_code == 401


async def test_unknown_districts_languages_and_bad_text_are_refused(api, staff_login):
    headers = (await staff_login("supervisor"))["headers"]
    cases = [
        ({"districts": ["atlantis"]}, "unknown_district"),
        ({"languages": ["fr"]}, "unknown_language"),
        ({"texts": {"xx": "hello"}}, "unknown_language"),
    ]
    for changes, code in cases:
        response = await api.post(CAMPAIGNS, json={**NEWS, **changes}, headers=headers)
        assert (response.status_code, response.json()["code"]) == (422, code)
    for texts in ({"id": "a" * 3501}, {"id": "nul \x00"}, {"id": "   "}):
        response = await api.post(CAMPAIGNS, json={**NEWS, "texts": texts}, headers=headers)
        assert response.status_code == 422
    assert (
        await api.post(CAMPAIGNS, json={**NEWS, "title": ""}, headers=headers)
    ).status_code == 422


async def test_a_campaign_is_sent_only_when_complete(api, staff_login):
    headers = (await staff_login("supervisor"))["headers"]
    campaign = await create(api, headers, texts={"id": "Hanya bahasa Indonesia"})
    send = f"{CAMPAIGNS}/{campaign['id']}/send"
    response = await api.post(send, json={}, headers=headers)
    assert (response.status_code, response.json()["code"]) == (422, "missing_text")
    patched = await api.patch(
        f"{CAMPAIGNS}/{campaign['id']}", json={"languages": ["id"]}, headers=headers
    )
    assert patched.json()["languages"] == ["id"]
    response = await api.post(send, json={"send_at": "2099-01-01T08:00:00"}, headers=headers)
    assert response.json()["status"] == "scheduled"
    assert response.json()["send_at"].startswith("2099-01-01T08:00:00")
    removing = await api.patch(f"{CAMPAIGNS}/{campaign['id']}", json={"texts": {}}, headers=headers)
    assert (removing.status_code, removing.json()["code"]) == (422, "missing_text")


async def test_the_audience_counts_subscribers_by_language_not_blocked_ones(api, staff_login):
    headers = (await staff_login("supervisor"))["headers"]
    await subscribe(api, 1, "belu", "id")
    await subscribe(api, 2, "belu", "en")
    await subscribe(api, 3, "kota_kupang", "id")
    await subscribe(api, 4, "sikka", "id")  # another district
    await subscribe(api, 5, "belu", "mkn")  # another language
    await subscribe(api, 6, "belu", "id")
    await api.delete("/api/v1/reporters/telegram/6/subscription")  # left with /stop
    params = "district=belu&district=kota_kupang&language=id&language=en"
    response = await api.get(f"{CAMPAIGNS}/audience?{params}", headers=headers)
    assert response.json() == {"total": 3, "by_language": {"id": 2, "en": 1}}
    unknown = await api.get(f"{CAMPAIGNS}/audience?district=atlantis&language=id", headers=headers)
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_district")


async def test_a_due_campaign_is_queued_in_batches_once_per_subscriber_and_finishes(
    api, staff_login
):
    api._transport.app.state.campaign_queuer.batch_size = 2  # HELPLINE_CAMPAIGN_BATCH_SIZE
    headers = (await staff_login("supervisor"))["headers"]
    for user_id, language in ((11, "id"), (12, "en"), (13, "id")):
        await subscribe(api, user_id, "belu", language)
    await subscribe(api, 14, "sikka")
    campaign = await create(api, headers)
    sent = await api.post(f"{CAMPAIGNS}/{campaign['id']}/send", json={}, headers=headers)
    assert sent.json()["status"] == "scheduled"

    first = await claim(api)  # the campaign starts; its first batch of two is queued
    assert sorted(m["chat_id"] for m in first) == ["11", "12"]
    assert {m["purpose"] for m in first} == {"campaign"}
    by_chat = {m["chat_id"]: m["text"] for m in first}
    assert by_chat["11"].startswith("Cek izin PT") and by_chat["12"].startswith("Check the")
    assert "/stop" in by_chat["11"]
    state = await read(api, headers, campaign["id"])
    assert (state["status"], state["counts"]["queued"], state["all_queued"]) == (
        "sending",
        2,
        False,
    )

    second = await claim(api)
    assert [m["chat_id"] for m in second] == ["13"]
    for message in [*first, *second]:
        await api.post(f"/api/v1/outbox/{message['id']}/delivered")
    assert await claim(api) == []  # nothing is queued twice; the campaign is done
    state = await read(api, headers, campaign["id"])
    assert state["status"] == "sent" and state["finished_at"]
    assert state["counts"] == {"queued": 3, "sent": 3, "failed": 0, "blocked": 0, "pending": 0}


async def test_a_user_who_blocked_the_bot_is_marked_and_skipped_next_time(api, staff_login):
    headers = (await staff_login("supervisor"))["headers"]
    await subscribe(api, 21, "belu")
    await subscribe(api, 22, "belu")
    first = await create(api, headers)
    await api.post(f"{CAMPAIGNS}/{first['id']}/send", json={}, headers=headers)
    for message in await claim(api):
        if message["chat_id"] == "21":
            await api.post(f"/api/v1/outbox/{message['id']}/failed", json={"error": "blocked"})
        else:
            await api.post(f"/api/v1/outbox/{message['id']}/delivered")
    counts = (await read(api, headers, first["id"]))["counts"]
    assert (counts["sent"], counts["blocked"]) == (1, 1)
    audience = await api.get(f"{CAMPAIGNS}/audience?district=belu&language=id", headers=headers)
    assert audience.json()["total"] == 1

    second = await create(api, headers)
    await api.post(f"{CAMPAIGNS}/{second['id']}/send", json={}, headers=headers)
    assert [m["chat_id"] for m in await claim(api)] == ["22"]
    await subscribe(api, 21, "belu")  # subscribing again: reachable again
    assert (
        await api.get(f"{CAMPAIGNS}/audience?district=belu&language=id", headers=headers)
    ).json()["total"] == 2


async def test_cancelling_withdraws_what_was_not_sent(api, staff_login):
    headers = (await staff_login("admin"))["headers"]
    await subscribe(api, 31, "belu")
    campaign = await create(api, headers)
    await api.post(f"{CAMPAIGNS}/{campaign['id']}/send", json={}, headers=headers)
    assert len(await claim(api)) == 1
    cancelled = await api.post(f"{CAMPAIGNS}/{campaign['id']}/cancel", headers=headers)
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["counts"]["queued"] == 0
    again = await api.post(f"{CAMPAIGNS}/{campaign['id']}/send", json={}, headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "campaign_not_editable")
    assert (await api.get(f"{CAMPAIGNS}/999", headers=headers)).status_code == 404


async def test_campaign_changes_are_audited(api, staff_login):
    admin = await staff_login("admin")
    campaign = await create(api, admin["headers"])
    await api.post(f"{CAMPAIGNS}/{campaign['id']}/send", json={}, headers=admin["headers"])
    entries = (await api.get("/api/v1/audit", headers=admin["headers"])).json()["items"]
    actions = [entry["action"] for entry in entries if entry["action"].startswith("campaign")]
    assert actions == ["campaign_scheduled", "campaign_created"]
