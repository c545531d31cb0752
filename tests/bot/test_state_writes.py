"""The bot's state written as groups: users whose updates end together share one write, each
still stored before its update is done, and one refused state holds back no one else's."""

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

from api.settings import Settings
from bot.client import USERS_A_WRITE, BackendClient
from bot.local import LocalHelpline, local_helpline
from bot.persistence import BackendPersistence
from bot.standin import TelegramUser


class StateWrites:
    """The backend app, counting the requests that write users' states."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.count = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/v1/conversations/"):
            self.count += scope["method"] == "PUT"
        await self.app(scope, receive, send)


def persistence_on(helpline: LocalHelpline) -> tuple[BackendPersistence, StateWrites]:
    writes = StateWrites(helpline.app)
    token = helpline.app.state.service_token
    client = BackendClient("http://helpline.internal", token, app=writes)
    return BackendPersistence(client), writes


async def stored(helpline: LocalHelpline) -> dict[str, dict]:
    client = BackendClient(
        "http://helpline.internal", helpline.app.state.service_token, app=helpline.app
    )
    return {state["channel_user_id"]: state for state in await client.conversation_states()}


async def an_update_ends(persistence: BackendPersistence, user_id: int, data: dict) -> None:
    """What PTB does when a user's update was handled: hand over the data, then write."""
    await persistence.update_user_data(user_id, data)
    await persistence.update_conversation("report_missing", (user_id, user_id), "ASK_AGE")
    error = await persistence.write_changes()
    if error:
        raise error


async def test_updates_ending_together_are_stored_in_one_write(helpline: LocalHelpline):
    persistence, writes = persistence_on(helpline)
    await asyncio.gather(
        *(an_update_ends(persistence, user, {"draft": {"name": f"M{user}"}}) for user in (1, 2, 3))
    )
    assert writes.count == 1
    states = await stored(helpline)
    assert {user: states[user]["user_data"]["draft"]["name"] for user in states} == {
        "1": "M1",
        "2": "M2",
        "3": "M3",
    }
    assert states["2"]["conversations"]["report_missing"] == [{"key": [2, 2], "state": "ASK_AGE"}]
    await an_update_ends(persistence, 2, {"draft": {"name": "M2"}})  # nothing changed
    assert writes.count == 1


async def test_a_refused_state_holds_back_no_one_else(helpline: LocalHelpline):
    persistence, _writes = persistence_on(helpline)
    outcomes = await asyncio.gather(
        an_update_ends(persistence, 1, {"draft": {"name": "Maria"}}),
        an_update_ends(persistence, 2, {"draft": {"name": "bad\x00"}}),  # refused: a NUL
        an_update_ends(persistence, 3, {"draft": {"name": "Yohanes"}}),
        return_exceptions=True,
    )
    assert [type(outcome).__name__ for outcome in outcomes] == [
        "NoneType",
        "BackendError",
        "NoneType",
    ]
    states = await stored(helpline)
    assert sorted(states) == ["1", "3"]
    assert states["3"]["user_data"]["draft"] == {"name": "Yohanes"}


async def test_reports_of_users_writing_at_once_continue_after_a_restart(
    settings: Settings, helpline: LocalHelpline
):
    users = [
        TelegramUser(helpline.standin, helpline.application, user_id=800 + n, language_code="id")
        for n in range(3)
    ]

    async def up_to_the_recruiter(user: TelegramUser, offer: str) -> None:
        await user.send("/start")
        await user.press("English")
        await user.press("📝 Report")
        await user.press("Suspicious job offer")
        await user.press("I agree")
        await user.send(offer)
        await user.press("Facebook")

    offers = [f"Kerja di Malaysia, gaji {n + 6} juta, berangkat besok" for n in range(3)]
    await asyncio.gather(*(up_to_the_recruiter(u, o) for u, o in zip(users, offers, strict=True)))
    async with local_helpline(settings, retry_backoff=0) as restarted:
        for user, offer in zip(users, offers, strict=True):
            same = TelegramUser(
                restarted.standin, restarted.application, user_id=user.chat_id, language_code="id"
            )
            replies = await same.send("Pak Budi")  # the recruiter's name, asked before
            assert "phone or WhatsApp number" in replies[-1].text
            await same.press("🤷 Don't know")
            await same.press("Alor")
            summary = (await same.press("🤷 Don't know"))[-1].text
            assert offer in summary and "Pak Budi" in summary


async def test_a_group_larger_than_one_request_takes_is_written_whole(helpline: LocalHelpline):
    persistence, writes = persistence_on(helpline)
    users = range(1, USERS_A_WRITE + 2)
    await asyncio.gather(*(an_update_ends(persistence, user, {"n": user}) for user in users))
    assert writes.count == 2
    states = await stored(helpline)
    assert len(states) == len(users) and states[str(USERS_A_WRITE + 1)]["user_data"] == {
        "n": USERS_A_WRITE + 1
    }


async def test_data_json_cannot_hold_fails_that_user_alone(helpline: LocalHelpline):
    persistence, _writes = persistence_on(helpline)
    outcomes = await asyncio.gather(
        an_update_ends(persistence, 1, {"draft": {"name": "Maria"}}),
        an_update_ends(persistence, 2, {"draft": {"since": object()}}),  # not JSON
        return_exceptions=True,
    )
    assert [type(outcome).__name__ for outcome in outcomes] == ["NoneType", "TypeError"]
    assert sorted(await stored(helpline)) == ["1"]
