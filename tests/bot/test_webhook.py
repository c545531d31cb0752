"""The webhook endpoint accepts Telegram's updates only with the configured secret token."""

import httpx
import pytest
from pydantic import SecretStr

from api.settings import Settings
from bot.runner import SECRET_HEADER, WEBHOOK_PATH, add_webhook_route


@pytest.fixture
async def webhook(helpline, settings: Settings):
    secured = settings.model_copy(update={"webhook_secret": SecretStr("s3cret-token")})
    add_webhook_route(helpline.app, secured)
    helpline.app.state.telegram = helpline.application
    transport = httpx.ASGITransport(app=helpline.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://helpline.test") as client:
        yield client


UPDATE = {
    "update_id": 99,
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "A"},
        "text": "/start",
    },
}


async def test_update_with_right_secret_is_queued(webhook, helpline):
    response = await webhook.post(
        WEBHOOK_PATH, json=UPDATE, headers={SECRET_HEADER: "s3cret-token"}
    )
    assert response.status_code == 200
    queued = helpline.application.update_queue.get_nowait()
    assert queued.update_id == 99


async def test_update_with_wrong_or_missing_secret_is_refused(webhook, helpline):
    wrong = await webhook.post(WEBHOOK_PATH, json=UPDATE, headers={SECRET_HEADER: "guess"})
    missing = await webhook.post(WEBHOOK_PATH, json=UPDATE)
    assert wrong.status_code == missing.status_code == 403
    assert helpline.application.update_queue.empty()


async def test_garbage_body_is_a_clear_400(webhook):
    response = await webhook.post(
        WEBHOOK_PATH, content=b"\x00junk", headers={SECRET_HEADER: "s3cret-token"}
    )
    assert response.status_code == 400


async def test_a_non_ascii_secret_is_refused_not_a_500(webhook):
    response = await webhook.post(
        WEBHOOK_PATH, json=UPDATE, headers={SECRET_HEADER: "sécret".encode()}
    )
    assert response.status_code == 403
