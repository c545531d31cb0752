"""Password hashing (argon2id) in a small pool of its own, and the rule new passwords follow.

argon2 takes about 64 MiB and 0.15 s of a core for each hash. Run in asyncio's default
executor, a flood of logins ran dozens at once: the event loop (and the bot in the same
process) stalled and memory grew by hundreds of MiB. Here at most `HASH_WORKERS` hashes run at
a time, at most `MAX_WAITING` more wait for a worker, and any login beyond that is refused at
once with `HashingBusy` (503) without hashing anything."""

import asyncio
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from api.errors import DomainError

HASH_WORKERS = 1
MAX_WAITING = 16
MIN_STRENGTH = 3  # zxcvbn's score from 0 to 4; 3 is "safely unguessable" online
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters are judged

_pool = ThreadPoolExecutor(max_workers=HASH_WORKERS, thread_name_prefix="password-hash")
_in_use = 0  # hashes running or waiting, over every event loop of the process
hasher = PasswordHasher()  # tests swap it for argon2's cheapest profile
Result = TypeVar("Result")


class HashingBusy(DomainError):
    code = "login_busy"
    status_code = 503


async def _in_pool(work: Callable[[], Result]) -> Result:
    global _in_use
    if _in_use >= HASH_WORKERS + MAX_WAITING:
        raise HashingBusy("too many logins at once: try again in a few seconds")
    _in_use += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool, work)
    finally:
        _in_use -= 1


async def hash_password(password: str) -> str:
    return await _in_pool(lambda: hasher.hash(password))


async def matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one of `password_hash`; None (an unknown username) is checked
    against a hash of a random password made the same way, so that it takes as long."""
    stored = password_hash if password_hash else await _in_pool(_dummy_hash)

    def verify() -> bool:
        try:
            return hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    return await _in_pool(verify) and password_hash is not None


_dummy: dict[PasswordHasher, str] = {}


def _dummy_hash() -> str:
    if hasher not in _dummy:
        _dummy[hasher] = hasher.hash(secrets.token_urlsafe(16))
    return _dummy[hasher]


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)


def guessable(password: str) -> bool:
    """Whether zxcvbn, which knows the passwords most often leaked, common words, names, dates
    and keyboard patterns, judges `password` guessable (a score below `MIN_STRENGTH`)."""
    return zxcvbn(password[:ZXCVBN_MAX_LENGTH])["score"] < MIN_STRENGTH
