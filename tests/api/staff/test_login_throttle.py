"""The login throttle (per username and per address, shared through the database), the bounded
hashing pool, and the password rule."""

import asyncio
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from api.db import create_engine, utcnow
from api.staff import passwords
from api.staff.models import LoginFailure

TOKEN_URL = "/api/v1/auth/token"
PASSWORD = "correct horse battery staple"  # the password `staff_login` gives everyone


async def log_in(api, username: str, password: str = PASSWORD):
    return await api.post(TOKEN_URL, data={"username": username, "password": password})


@pytest.fixture
def limits(settings):
    settings.login_failures_per_account = 3
    settings.login_failures_per_address = 5
    return settings


async def test_too_many_wrong_passwords_lock_the_account_even_for_the_right_one(
    api, limits, staff_login
):
    await staff_login("agent", username="maria")
    for _ in range(3):
        assert (await log_in(api, "maria", "not the password")).status_code == 401
    locked = await log_in(api, "maria")
    assert locked.status_code == 429
    assert locked.json() == {
        "detail": "too many failed logins: try again in 15 minutes",
        "code": "login_locked",
    }
    assert locked.headers["Retry-After"] == str(15 * 60)


async def test_the_lock_ends_after_the_window(api, limits, settings, staff_login):
    await staff_login("agent", username="maria")
    for _ in range(3):
        await log_in(api, "maria", "not the password")
    assert (await log_in(api, "maria")).status_code == 429
    engine = create_engine(settings.database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(LoginFailure).values(failed_at=utcnow() - timedelta(minutes=16))
            )
    finally:
        await engine.dispose()
    assert (await log_in(api, "maria")).status_code == 200


async def test_an_unknown_username_locks_the_same_way(api, limits):
    """Locking tells nothing about which usernames exist."""
    answers = [(await log_in(api, "nobody", "not the password")).status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]


async def test_a_successful_login_clears_the_account_failures(api, limits, staff_login):
    await staff_login("agent", username="maria")
    for _ in range(2):
        await log_in(api, "maria", "not the password")
    assert (await log_in(api, "maria")).status_code == 200
    for _ in range(2):
        assert (await log_in(api, "maria", "not the password")).status_code == 401
    assert (await log_in(api, "maria")).status_code == 200


async def test_many_usernames_from_one_address_lock_the_address(api, limits, staff_login):
    await staff_login("agent", username="maria")
    for number in range(5):
        assert (await log_in(api, f"guess-{number}", "not the password")).status_code == 401
    assert (await log_in(api, "maria")).status_code == 429
    other_address = await api.post(
        TOKEN_URL,
        data={"username": "maria", "password": PASSWORD},
        headers={"X-Real-Address": "test"},
    )
    assert other_address.status_code == 429  # the same client address, whatever its headers


class BlockingHasher:
    """The tests' hasher, whose checks wait until released, counting how many run at once."""

    def __init__(self, inner):
        self.inner = inner
        self.release = threading.Event()
        self.running = 0
        self.most = 0
        self.calls = 0
        self.lock = threading.Lock()

    def hash(self, password):
        return self.inner.hash(password)

    def check_needs_rehash(self, password_hash):
        return self.inner.check_needs_rehash(password_hash)

    def verify(self, password_hash, password):
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        self.release.wait(timeout=30)
        with self.lock:
            self.running -= 1
        return self.inner.verify(password_hash, password)


@pytest.fixture
def blocking_hasher(monkeypatch):
    hasher = BlockingHasher(passwords.hasher)
    passwords._dummy_hash()  # made with the real hasher before the checks block
    monkeypatch.setitem(passwords._dummy, hasher, passwords._dummy[passwords.hasher])
    monkeypatch.setattr(passwords, "hasher", hasher)
    yield hasher
    hasher.release.set()


async def test_a_login_flood_hashes_one_at_a_time_and_refuses_the_excess(
    api, settings, blocking_hasher
):
    settings.login_failures_per_address = 1000
    capacity = passwords.HASH_WORKERS + passwords.MAX_WAITING
    flood = [asyncio.create_task(log_in(api, f"nobody-{n}", "x")) for n in range(capacity + 10)]
    done, _pending = await asyncio.wait(flood, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    while len(done) < 10:
        more, _pending = await asyncio.wait(_pending, timeout=10)
        done |= more
    refused = [task.result() for task in done]
    assert [answer.status_code for answer in refused] == [503] * 10
    assert refused[0].json()["code"] == "login_busy"
    health = await api.get("/healthz")  # the event loop is free while hashes wait
    assert health.status_code == 200
    blocking_hasher.release.set()
    answers = await asyncio.gather(*flood)
    assert sorted(answer.status_code for answer in answers) == [401] * capacity + [503] * 10
    assert blocking_hasher.most == passwords.HASH_WORKERS
    assert blocking_hasher.calls == capacity  # one check for each unknown username


async def test_known_and_unknown_usernames_cost_one_check_each(api, staff_login, blocking_hasher):
    await staff_login("agent", username="maria")
    blocking_hasher.release.set()
    await log_in(api, "maria", "not the password")
    assert blocking_hasher.calls == 1
    await log_in(api, "nobody", "not the password")
    assert blocking_hasher.calls == 2


@pytest.mark.parametrize(
    "password", [" " * 12, "\t" * 10 + " ", "password1234", "qwertyuiop", "1234567890"]
)
async def test_blank_and_common_passwords_are_refused_without_being_echoed(
    api, staff_login, password
):
    admin = await staff_login("admin")
    response = await api.post(
        "/api/v1/staff",
        json={"username": "maria", "name": "Maria", "role": "agent", "password": password},
        headers=admin["headers"],
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] in ("password_too_short", "password_too_common")
    assert password not in response.text
    assert "input" not in response.json()["detail"][0]


async def test_a_strong_password_is_accepted(api, staff_login):
    admin = await staff_login("admin")
    response = await api.post(
        "/api/v1/staff",
        json={
            "username": "maria",
            "name": "Maria",
            "role": "agent",
            "password": "kupang ferry at dawn",
        },
        headers=admin["headers"],
    )
    assert response.status_code == 201
