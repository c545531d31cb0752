"""Staff queue speed: GET /api/v1/cases (50 a page) over 100,000 cases, through the real app
(httpx ASGITransport, staff tokens), on SQLite and PostgreSQL; p50/p95 per typical query.

The PostgreSQL database is emptied first: give one the benchmark may wipe.

Run: .venv/bin/python bench/bench_queue.py [--postgres URL] [--cases 100000] [--requests 200]
     (--postgres defaults to $HELPLINE_BENCH_POSTGRES_URL; without it only SQLite is measured)
"""

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, make_url, text
from sqlalchemy.exc import DBAPIError

from api import encryption
from api.app import create_app
from api.cases import districts as district_content
from api.cases import references, search_terms
from api.cases.models import Case, CaseStatus, Priority
from api.db import create_engine, ping
from api.migrations import upgrade
from api.settings import PROJECT_ROOT, Settings
from api.staff import service as staff_service
from api.staff.models import Role, Staff

NOW = datetime.now(UTC).replace(microsecond=0)
YEARS = 3
AGENTS = 25
BATCH = 5_000
SEED = 20261130

KINDS = {"offer": 45, "question": 25, "danger": 15, "missing": 15}
BASE_PRIORITY = {
    "offer": Priority.NORMAL,
    "question": Priority.LOW,
    "danger": Priority.HIGH,
    "missing": Priority.HIGH,
}
# Older cases are mostly closed; the last weeks' are still open.
OPEN_STATUSES = {
    CaseStatus.NEW: 30,
    CaseStatus.TRIAGED: 20,
    CaseStatus.IN_PROGRESS: 35,
    CaseStatus.REFERRED: 15,
}
DISTRICT_WEIGHTS = {  # more reports from the populous and migrant-sending districts
    "kota_kupang": 12,
    "kupang": 10,
    "timor_tengah_selatan": 12,
    "timor_tengah_utara": 7,
    "belu": 6,
    "malaka": 6,
    "sumba_barat_daya": 6,
    "flores_timur": 5,
    "sikka": 5,
    "ende": 4,
}
GIVEN = "Maria Yohana Agustina Yosef Petrus Markus Fransiska Anton Rina Dewi Lukas Melki".split()
FAMILY = "Nenobais Tefa Lopes Bria Seran Nahak Manu Leto Kase Nitbani Ratu Sogen Bere".split()
CITIES = "Kuching Johor Bahru Kota Kinabalu Tawau Hong Kong Taipei Singapura Batam".split()
WORDS = "kerja gaji juta berangkat sponsor paspor visa majikan kebun sawit rumah tangga".split()


@dataclass(frozen=True)
class Query:
    name: str
    who: str  # "supervisor" or "agent"
    params: list[tuple[str, str]]


def queries(busy_agent_id: int) -> list[Query]:
    since = (NOW - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%S")
    open_statuses = [("status", s) for s in ("new", "triaged", "in_progress", "referred")]
    return [
        Query("open queue, urgent first", "supervisor", open_statuses),
        Query("new cases, newest first", "supervisor", [("status", "new"), ("sort", "-created")]),
        Query("danger in progress", "supervisor", [("kind", "danger"), ("status", "in_progress")]),
        Query(
            "one district, last year",
            "supervisor",
            [("district", "belu"), ("created_from", since), ("sort", "-created")],
        ),
        Query("an agent's cases", "supervisor", [("assignee", str(busy_agent_id))]),
        Query("with news, last changed", "supervisor", [("has_news", "true"), ("sort", "updated")]),
        Query("text search: a name", "supervisor", [("q", "maria nitbani")]),
        Query("text search: a surname", "supervisor", [("q", "nitbani")]),  # 1 case in 9
        Query("page 21 of all, newest", "supervisor", [("sort", "-created"), ("offset", "1000")]),
        Query("agent: their open queue", "agent", open_statuses),
        Query("agent: mine, last changed", "agent", [("assignee", "me"), ("sort", "updated")]),
    ]


def _weighted(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _details(rng: random.Random, kind: str) -> tuple[dict, str]:
    """The details document of a case of `kind` and its search text."""
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    phone = f"+628{rng.randrange(10**9, 10**10)}"
    words = " ".join(rng.choices(WORDS, k=8))
    if kind == "offer":
        row = {
            "offer_text": f"Lowongan {words}",
            "flags": ["salary_too_good"],
            "seen_where": "facebook",
            "recruiter_name": name,
            "recruiter_phone": phone,
            "village": rng.choice(FAMILY),
        }
    elif kind == "danger":
        row = {
            "what_happens": f"Adik saya {words}",
            "country": "MY",
            "city": rng.choice(CITIES),
            "employer": f"PT {rng.choice(FAMILY)}",
            "since_when": "tiga bulan",
            "danger_now": rng.random() < 0.1,
            "contact": phone,
        }
    elif kind == "missing":
        row = {
            "name": name,
            "sex": rng.choice(["female", "male"]),
            "age": {"years": rng.randrange(16, 50), "approximate": False},
            "village": rng.choice(FAMILY),
            "destination_country": "MY",
            "destination_city": rng.choice(CITIES),
            "recruiter": f"PT {rng.choice(FAMILY)}",
            "reporter_name": f"{rng.choice(GIVEN)} {name.split()[1]}",
            "reporter_relationship": "sibling",
            "reporter_phone": phone,
        }
    else:
        row = {"question": f"Bagaimana {words}?", "topic": "documents.passport"}
    text_fields = (str(v) for k, v in row.items() if isinstance(v, str))
    return row, search_terms.index("\n".join(text_fields), encryption.keyring())


def seed_rows(count: int, districts: list[str], agent_ids: list[int]) -> list[dict]:
    """`count` cases spread over three years, kinds, statuses, priorities, districts and
    assignees, each with its details document."""
    rng = random.Random(SEED)
    district_weights = {slug: DISTRICT_WEIGHTS.get(slug, 2) for slug in districts}
    seen: set[str] = set()
    cases = []
    for case_id in range(1, count + 1):
        kind = _weighted(rng, KINDS)
        created_at = NOW - timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
        age_days = (NOW - created_at).days
        is_open = rng.random() < (0.9 if age_days < 30 else 0.25 if age_days < 180 else 0.05)
        status = _weighted(rng, OPEN_STATUSES) if is_open else CaseStatus.CLOSED
        priority = Priority.URGENT if rng.random() < 0.03 else BASE_PRIORITY[kind]
        if rng.random() < 0.1:
            priority = rng.choice(list(Priority))
        assignee = (
            None if status == CaseStatus.NEW and rng.random() < 0.8 else rng.choice(agent_ids)
        )
        reference = references.new()
        while reference in seen:
            reference = references.new()
        seen.add(reference)
        row, search_text = _details(rng, kind)
        responded = status != CaseStatus.NEW or rng.random() < 0.3
        cases.append(
            {
                "id": case_id,
                "reference": reference,
                "submission_id": f"bench-{case_id}",
                "kind": kind,
                "status": status,
                "priority": priority,
                "district": _weighted(rng, district_weights) if rng.random() < 0.95 else None,
                "destination_country": rng.choice(["MY", "MY", "MY", "HK", "TW", "SG", None]),
                "language": "id",
                "assignee_id": assignee,
                "created_at": created_at,
                "updated_at": min(NOW, created_at + timedelta(hours=rng.randrange(1, 2000))),
                "first_response_at": created_at + timedelta(minutes=rng.randrange(5, 3000))
                if responded
                else None,
                "closed_at": created_at + timedelta(days=rng.randrange(1, 60))
                if status == CaseStatus.CLOSED
                else None,
                "has_news": is_open and rng.random() < 0.08,
                "details": row,
                "search_text": search_text,
            }
        )
    return cases


async def reset_postgres(url: str) -> None:
    """Empty the database at `url`; one line, not a traceback, when it cannot be reached."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    except (DBAPIError, OSError) as error:
        name = make_url(url).database
        reason = str(error.orig if isinstance(error, DBAPIError) else error).splitlines()[0]
        raise SystemExit(
            f"cannot empty the database {name!r} ({reason}): it must exist and be reachable "
            f"(createdb -h 127.0.0.1 -U postgres {name})"
        ) from None
    finally:
        await engine.dispose()


async def seed(settings: Settings, count: int, districts: list[str]) -> dict[str, object]:
    """Staff (a supervisor, agents), `count` cases with their details; tokens for the bench."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with app.state.sessionmaker() as session:
            members = [Staff(username="sup", name="Sup", role=Role.SUPERVISOR, password_hash="-")]
            members += [
                Staff(username=f"agent{n}", name=f"Agent {n}", role=Role.AGENT, password_hash="-")
                for n in range(AGENTS)
            ]
            session.add_all(members)
            await session.flush()
            tokens = {
                "supervisor": await staff_service.start_session(session, staff=members[0], hours=4),
                "agent": await staff_service.start_session(session, staff=members[1], hours=4),
            }
            await session.commit()
            agent_ids = [member.id for member in members[1:]]
        cases = seed_rows(count, districts, agent_ids)
        started = time.perf_counter()
        async with app.state.sessionmaker() as session:
            for start in range(0, len(cases), BATCH):
                await session.execute(insert(Case), cases[start : start + BATCH])
            await session.commit()
    if not settings.is_sqlite:  # as autovacuum would soon after such a load
        engine = create_engine(settings.database_url)
        try:
            async with engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.execute(text("VACUUM ANALYZE"))
        finally:
            await engine.dispose()
    seconds = time.perf_counter() - started
    return {"tokens": tokens, "busy_agent": agent_ids[1], "s": seconds}


async def measure(settings: Settings, seeded: dict, requests: int) -> dict[str, tuple]:
    """p50 and p95 in milliseconds, and the total matched, of each query."""
    app = create_app(settings)
    results = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for query in queries(seeded["busy_agent"]):
                headers = {"Authorization": f"Bearer {seeded['tokens'][query.who]}"}
                params = query.params
                for _ in range(10):  # warm up
                    response = await client.get("/api/v1/cases", params=params, headers=headers)
                    response.raise_for_status()
                times = []
                for _ in range(requests):
                    started = time.perf_counter()
                    response = await client.get("/api/v1/cases", params=params, headers=headers)
                    times.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                cuts = statistics.quantiles(times, n=100)
                results[query.name] = (cuts[49], cuts[94], response.json()["total"])
    return results


def run(url: str, count: int, requests: int) -> dict[str, tuple]:
    settings = Settings(
        _env_file=None,
        database_url=url,
        service_token="bench",
        data_keys=encryption.random_key(),
        retention_every_seconds=0,  # else its first run erases the old closed cases meanwhile
    )
    encryption.use(settings.keyring())  # the seeding writes encrypted details
    upgrade(url)
    districts = list(district_content.load(settings.content_dir).names)
    seeded = asyncio.run(seed(settings, count, districts))
    print(f"  seeded {count:,} cases in {seeded['s']:.1f} s")
    return asyncio.run(measure(settings, seeded, requests))


def postgres_answers(url: str) -> bool:
    try:
        asyncio.run(asyncio.wait_for(ping(url), timeout=5))
    except Exception as error:  # any failure: report it and skip PostgreSQL
        print(f"PostgreSQL skipped: {url.split('@')[-1]} does not answer ({type(error).__name__})")
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("HELPLINE_BENCH_POSTGRES_URL"))
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per query")
    args = parser.parse_args()
    os.chdir(PROJECT_ROOT)
    results: dict[str, dict[str, tuple]] = {}
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite")
        results["SQLite"] = run(
            f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", args.cases, args.requests
        )
    if not args.postgres:
        print("PostgreSQL skipped: give --postgres URL or set HELPLINE_BENCH_POSTGRES_URL")
    elif postgres_answers(args.postgres):
        print("PostgreSQL")
        asyncio.run(reset_postgres(args.postgres))
        results["PostgreSQL"] = run(args.postgres, args.cases, args.requests)

    names = list(next(iter(results.values())))
    header = f"{'query (50 a page)':<28}" + "".join(
        f"{db + ' p50':>16}{'p95':>8}{'matched':>9}" for db in results
    )
    print(f"\n{args.cases:,} cases, {args.requests} requests per query, milliseconds")
    print(header)
    for name in names:
        line = f"{name:<28}"
        for db_results in results.values():
            p50, p95, total = db_results[name]
            line += f"{p50:>16.1f}{p95:>8.1f}{total:>9,}"
        print(line)


if __name__ == "__main__":
    main()
