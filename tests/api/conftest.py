"""Fixtures for the API tests: one valid report body per kind, and `make_case`."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import update

from api.cases.models import Case

DETAILS: dict[str, dict[str, Any]] = {
    "offer": {
        "offer_text": "Kerja di Malaysia gaji 8 juta, berangkat minggu depan",
        "flags": ["salary_too_good", "fast_departure"],
        "seen_where": "facebook",
        "recruiter_name": "Pak Sponsor",
        "recruiter_phone": "0812 3456 7890",
        "village": "Oelamasi",
    },
    "danger": {
        "what_happens": "My sister works without pay and cannot call us",
        "country": "MY",
        "city": "Kuching",
        "employer": "a palm oil estate",
        "since_when": "three months",
        "danger_now": False,
        "contact": "+60 12 345 6789",
    },
    "missing": {
        "name": "Maria Nenobais",
        "sex": "female",
        "age": 24,
        "home_district": "timor_tengah_selatan",
        "village": "Kuanfatu",
        "destination_country": "MY",
        "destination_city": "Johor Bahru",
        "left_on": "2025-03-01",
        "last_contact_on": "2025-06-15",
        "recruiter": "PT Contoh Jaya",
        "passport_number": "C 1234567",
        "reporter_name": "Yohanes Nenobais",
        "reporter_relationship": "sibling",
        "reporter_phone": "081234567890",
    },
    "question": {"question": "How long does a passport take?", "topic": "documents.passport"},
}


@pytest.fixture
def report() -> Callable[..., dict[str, Any]]:
    """A valid report body of `kind`; keyword arguments replace top-level fields, `details`
    entries are merged into the details."""

    def make(kind: str = "offer", details: dict[str, Any] | None = None, **fields: Any):
        body: dict[str, Any] = {
            "submission_id": str(uuid.uuid4()),
            "kind": kind,
            "channel": "telegram",
            "channel_user_id": "5550001",
            "language": "id",
            "consent": True,
            "district": "kota_kupang",
            "details": {**DETAILS[kind], **(details or {})},
        }
        return {**body, **fields}

    return make


@pytest.fixture
def make_case(api, report) -> Callable[..., Awaitable[str]]:
    """`await make_case("danger", district="belu", columns={"created_at": ...})`: a case
    reported through the bot route (keyword arguments as for `report`); `columns` then sets
    what no route sets, such as when it was opened. Gives its reference."""

    async def make(
        kind: str = "offer",
        details: dict[str, Any] | None = None,
        columns: dict[str, Any] | None = None,
        **fields: Any,
    ) -> str:
        response = await api.post("/api/v1/cases", json=report(kind, details, **fields))
        assert response.status_code == 201, response.text
        reference = response.json()["reference"]
        if columns:
            async with api._transport.app.state.sessionmaker() as session:
                await session.execute(
                    update(Case).where(Case.reference == reference).values(**columns)
                )
                await session.commit()
        return reference

    return make
