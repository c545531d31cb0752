"""The audit log: written by the service, read by admins with filters, newest first, by page."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from api.audit import service as audit
from api.db import create_engine, create_sessionmaker
from api.staff.models import Staff

AUDIT = "/api/v1/audit"


@pytest.fixture
async def write_entries(settings) -> Callable[..., Awaitable[None]]:
    """Writes audit entries through the service: (actor id, action, case id, time) each."""

    async def write(*entries: tuple[int | None, str, int | None, datetime]) -> None:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                for actor_id, action, case_id, at in entries:
                    actor = await session.get(Staff, actor_id) if actor_id else None
                    entry = await audit.record(
                        session, actor=actor, action=action, case_id=case_id, note_id=7
                    )
                    entry.at = at
                await session.commit()
        finally:
            await engine.dispose()

    return write


def day(number: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, number, hour, tzinfo=UTC)


@pytest.fixture
async def logged(staff_login, write_entries) -> dict:
    """An admin and an agent; the agent's actions on two cases on 1-4 March 2026."""
    admin = await staff_login("admin")
    agent = await staff_login("agent")
    await write_entries(
        (agent["id"], "case_viewed", 1, day(1)),
        (agent["id"], "note_added", 1, day(2)),
        (agent["id"], "case_viewed", 2, day(3)),
        (None, "case_closed", 2, day(4)),
    )
    return {"admin": admin, "agent": agent}


async def listed(api, admin, **filters) -> dict:
    response = await api.get(AUDIT, params=filters, headers=admin["headers"])
    assert response.status_code == 200, response.text
    return response.json()


def march(page: dict) -> list[tuple[str, int | None]]:
    return [(e["action"], e["case_id"]) for e in page["items"] if e["at"].startswith("2026-03")]


async def test_entries_are_listed_newest_first_with_their_fields(api, logged):
    page = await listed(api, logged["admin"], since="2026-03-01", until="2026-03-05")
    assert march(page) == [
        ("case_closed", 2),
        ("case_viewed", 2),
        ("note_added", 1),
        ("case_viewed", 1),
    ]
    newest = page["items"][0]
    assert newest["staff_id"] is None
    assert newest["detail"] == {"note_id": 7}
    assert datetime.fromisoformat(newest["at"]) == day(4)
    assert page["total"] == 4


async def test_filters_by_staff_action_and_case(api, logged):
    admin, agent = logged["admin"], logged["agent"]
    assert march(await listed(api, admin, staff_id=agent["id"])) == [
        ("case_viewed", 2),
        ("note_added", 1),
        ("case_viewed", 1),
    ]
    assert march(await listed(api, admin, action="case_viewed")) == [
        ("case_viewed", 2),
        ("case_viewed", 1),
    ]
    assert march(await listed(api, admin, case_id=2, staff_id=agent["id"])) == [("case_viewed", 2)]
    assert (await listed(api, admin, action="no_such_action"))["total"] == 0


async def test_filters_by_time_with_or_without_a_zone(api, logged):
    admin = logged["admin"]
    page = await listed(api, admin, since="2026-03-02T12:00:00Z", until="2026-03-04T00:00:00")
    assert march(page) == [("case_viewed", 2), ("note_added", 1)]
    # 13:00 in Kupang (UTC+8) is 05:00 UTC: the entry of 3 March at 12:00 UTC is after it.
    page = await listed(api, admin, since="2026-03-03T13:00:00+08:00", until="2026-03-04")
    assert march(page) == [("case_viewed", 2)]


async def test_pages_share_one_total(api, logged):
    admin = logged["admin"]
    window = {"since": "2026-03-01", "until": "2026-03-05"}
    first = await listed(api, admin, limit=3, **window)
    second = await listed(api, admin, limit=3, offset=3, **window)
    assert first["total"] == second["total"] == 4
    assert (first["limit"], first["offset"], second["offset"]) == (3, 0, 3)
    assert march(first) + march(second) == march(await listed(api, admin, **window))
    assert len(second["items"]) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 201},
        {"limit": 0},
        {"offset": -1},
        {"since": "yesterday"},
        {"until": "2026-13-01"},
        {"staff_id": "x"},
        {"case_id": 99999999999999},
        {"since": "0001-01-01T00:00:00+05:00"},
    ],
)
async def test_bad_filters_are_422(api, staff_login, params):
    admin = await staff_login("admin")
    response = await api.get(AUDIT, params=params, headers=admin["headers"])
    assert response.status_code == 422


async def test_the_largest_page_is_200(api, staff_login):
    admin = await staff_login("admin")
    response = await api.get(AUDIT, params={"limit": 200}, headers=admin["headers"])
    assert response.status_code == 200
