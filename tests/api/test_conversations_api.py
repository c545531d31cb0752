"""The bot's conversation states kept by the backend: saved per step, listed, forgotten."""

URL = "/api/v1/conversations/telegram"


async def test_steps_and_user_data_are_kept_until_the_user_is_forgotten(api) -> None:
    await api.put(f"{URL}/42", json={"user_data": {"lang": "en", "draft": {"village": "Oelet"}}})
    await api.put(f"{URL}/42/report_missing", json={"key": [42, 42], "state": "ASK_AGE"})
    await api.put(f"{URL}/7/report_offer", json={"key": [7, 7], "state": "ASK_TEXT"})
    items = {item["channel_user_id"]: item for item in (await api.get(URL)).json()["items"]}
    assert items["42"]["user_data"]["draft"] == {"village": "Oelet"}
    assert items["42"]["conversations"] == {
        "report_missing": [{"key": [42, 42], "state": "ASK_AGE"}]
    }
    await api.put(f"{URL}/7/report_offer", json={"key": [7, 7], "state": None})  # ended
    await api.delete("/api/v1/reporters/telegram/42")
    assert (await api.get(URL)).json()["items"] == []


async def test_conversation_states_need_the_service_token(api) -> None:
    response = await api.get(URL, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


async def test_a_non_numeric_user_id_is_refused(api) -> None:
    response = await api.put(f"{URL}/not-a-number", json={"user_data": {"language": "id"}})
    assert response.status_code == 422


async def test_states_are_listed_a_page_at_a_time(api) -> None:
    for user in range(1, 6):
        await api.put(f"{URL}/{user}", json={"user_data": {"n": user}})
    first = (await api.get(URL, params={"limit": 2})).json()
    assert [item["user_data"]["n"] for item in first["items"]] == [1, 2]
    rest = (await api.get(URL, params={"limit": 3, "after": first["next_after"]})).json()
    assert [item["user_data"]["n"] for item in rest["items"]] == [3, 4, 5]
    assert (await api.get(URL, params={"limit": 501})).status_code == 422  # never all at once


async def test_the_bot_loads_every_state_page_by_page(api) -> None:
    import httpx

    from bot.client import BackendClient

    for user in range(1, 6):
        await api.put(f"{URL}/{user}", json={"user_data": {"n": user}})
    pages = []

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            pages.append(request.url.params["after"])
            return await api._transport.handle_async_request(request)

    client = BackendClient("http://helpline.test", "test-service-token", transport=Counting())
    try:
        states = await client.conversation_states(page_size=2)
    finally:
        await client.close()
    assert [state["user_data"]["n"] for state in states] == [1, 2, 3, 4, 5]
    assert len(pages) == 3  # 2 + 2 + 1


async def test_a_channel_longer_than_the_column_is_a_422(api) -> None:
    long = "a" * 17  # found by schemathesis: a 500 on PostgreSQL (varchar(16))
    response = await api.put(f"/api/v1/conversations/{long}/42", json={"user_data": {"n": 1}})
    assert response.status_code == 422


async def test_user_data_and_changed_steps_are_written_in_one_request(api) -> None:
    await api.put(
        f"{URL}/42",
        json={
            "user_data": {"lang": "en"},
            "steps": [
                {"name": "report", "key": [42, 42], "state": "ASKING"},
                {"name": "mycases", "key": [42, 42], "state": "REPLYING"},
            ],
        },
    )
    # a later write with only a step keeps the user data; a step of None ends that conversation
    await api.put(
        f"{URL}/42", json={"steps": [{"name": "mycases", "key": [42, 42], "state": None}]}
    )
    [item] = (await api.get(URL)).json()["items"]
    assert item["user_data"] == {"lang": "en"}
    assert item["conversations"] == {"report": [{"key": [42, 42], "state": "ASKING"}]}


async def test_several_users_are_written_in_one_request(api) -> None:
    response = await api.put(
        URL,
        json={
            "users": [
                {"channel_user_id": "1", "user_data": {"draft": {"name": "Maria"}}},
                {
                    "channel_user_id": "2",
                    "steps": [{"name": "report", "key": [2, 2], "state": "ASKING"}],
                },
                {"channel_user_id": "1", "user_data": {"draft": {"name": "Maria N."}}},
            ]
        },
    )
    assert response.status_code == 204
    items = {item["channel_user_id"]: item for item in (await api.get(URL)).json()["items"]}
    assert items["1"]["user_data"] == {"draft": {"name": "Maria N."}}  # the later change
    assert items["2"]["conversations"] == {"report": [{"key": [2, 2], "state": "ASKING"}]}


async def test_a_group_write_with_a_bad_user_id_or_too_many_users_is_refused(api) -> None:
    bad = {"users": [{"channel_user_id": "1"}, {"channel_user_id": "x1", "user_data": {}}]}
    assert (await api.put(URL, json=bad)).status_code == 422
    too_many = {"users": [{"channel_user_id": str(n)} for n in range(501)]}
    assert (await api.put(URL, json=too_many)).status_code == 422
    assert (await api.get(URL)).json()["items"] == []  # nothing of a refused group is kept
