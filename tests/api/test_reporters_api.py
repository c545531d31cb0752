async def test_language_choice_is_kept_and_can_be_deleted(api):
    path = "/api/v1/reporters/telegram/12345"
    assert (await api.get(path)).json()["language"] is None
    assert (await api.put(path, json={"language": "mkn"})).json()["language"] == "mkn"
    assert (await api.get(path)).json()["language"] == "mkn"
    assert (await api.put(path, json={"language": "en"})).json()["language"] == "en"
    assert (await api.delete(path)).status_code == 204
    assert (await api.get(path)).json()["language"] is None


async def test_unknown_language_refused(api):
    response = await api.put("/api/v1/reporters/telegram/1", json={"language": "fr"})
    assert response.status_code == 422


async def test_reporters_need_the_service_token(api):
    response = await api.get("/api/v1/reporters/telegram/1", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401
