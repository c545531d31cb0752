"""Schemathesis against the app's own OpenAPI schema, in process (ASGI), on each database:
every operation with no token, a staff (admin) token and the service token. No answer is a
server error, every answer matches the schema (status code documented, body, headers, content
type). Bounded: a few derandomized examples per operation and generation mode."""

import asyncio
import itertools
import os
from collections import Counter

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.db import create_engine, create_sessionmaker
from api.settings import Settings
from api.staff import service as staff_service
from api.staff.schemas import StaffCreate
from tests.conftest import STAFF_PASSWORD

SERVICE_TOKEN = "test-service-token"
EXAMPLES = int(os.environ.get("HELPLINE_SCHEMATHESIS_EXAMPLES", "4"))  # per operation and mode
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
LAST = ("/api/v1/auth/logout",)  # ends the session the other operations use
numbers = itertools.count(1)


def new_admin_token(settings: Settings) -> str:
    """A fresh admin and session for each operation: one that disables itself or logs out
    does not turn the rest into 401s."""

    async def create() -> str:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                number = next(numbers)
                data = StaffCreate(
                    username=f"fuzz-admin-{os.getpid()}-{number}",
                    name=f"Fuzz admin {number}",
                    role="admin",
                    password=STAFF_PASSWORD,
                )
                staff = await staff_service.create(session, data=data, actor=None)
                token = await staff_service.start_session(session, staff=staff, hours=1)
                await session.commit()
                return token
        finally:
            await engine.dispose()

    return asyncio.run(create())


def run_operation(operation, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Cases sent and the distinct failures found for one operation."""
    sent = 0
    failures: set[str] = set()
    strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )

    @hypothesis.settings(
        max_examples=EXAMPLES * 2,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def send(case) -> None:
        nonlocal sent
        sent += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except BaseExceptionGroup as group:  # every check failure is collected, not shrunk
            for error in group.exceptions:
                summary = str(error).strip().splitlines()[:3]
                failures.add(f"{operation.label} [{response.status_code}]: {' / '.join(summary)}")

    send()
    return sent, sorted(failures)


@pytest.mark.parametrize("who", ["no token", "staff", "service"])
def test_the_api_holds_to_its_schema(settings: Settings, who: str, capsys) -> None:
    app = create_app(settings)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda operation: operation.path in LAST,
    )
    cases: Counter[str] = Counter()
    failures: list[str] = []
    try:
        for operation in operations:
            if who == "staff":
                headers = {"Authorization": f"Bearer {new_admin_token(settings)}"}
            elif who == "service":
                headers = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
            else:
                headers = {"Authorization": ""}
            sent, found = run_operation(operation, headers)
            cases[who] += sent
            failures.extend(found)
    finally:
        schemathesis.python.asgi.shutdown_lifespans()
    with capsys.disabled():
        print(f"\nschemathesis {who}: {cases[who]} cases, {len(failures)} failures")
    assert failures == [], "\n".join(failures)
