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


async def test_concurrent_first_contact_makes_one_reporter(settings) -> None:
    """50 concurrent first messages of one new user, each in its own request and transaction."""
    import asyncio

    import httpx
    from sqlalchemy import func, select

    from api.app import create_app
    from api.reporters.models import Reporter

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://helpline.test",
            headers={"Authorization": "Bearer test-service-token"},
        ) as client:
            answers = await asyncio.gather(
                *(
                    client.put("/api/v1/reporters/telegram/777001", json={"language": "id"})
                    for _ in range(50)
                )
            )
        async with app.state.sessionmaker() as session:
            reporters = await session.scalar(select(func.count(Reporter.id)))
    assert [answer.status_code for answer in answers] == [200] * 50
    assert reporters == 1
