"""A 2xx means stored: the request's transaction is committed before the answer is sent, so a
reporter's message the bot was told is saved cannot be lost after the fact (a commit that
fails is an error the caller sees), and a page that redirects after a write finds the write
on the next request (staff logins failed that way, now and then, under load)."""

import httpx
from sqlalchemy.ext.asyncio import AsyncSession


async def test_the_commit_comes_before_the_answer(api, monkeypatch):
    app = api._transport.app
    events: list[str] = []
    commit = AsyncSession.commit

    async def noted_commit(self: AsyncSession) -> None:
        await commit(self)
        events.append("commit")

    async def noted_app(scope, receive, send):
        async def noted_send(message):
            if message["type"] == "http.response.start":
                events.append("answer")
            await send(message)

        await app(scope, receive, noted_send)

    monkeypatch.setattr(AsyncSession, "commit", noted_commit)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=noted_app),
        base_url="http://helpline.test",
        headers=dict(api.headers),
    ) as client:
        response = await client.put("/api/v1/reporters/telegram/4242", json={"language": "en"})
    assert response.status_code == 200
    assert events == ["commit", "answer"]
