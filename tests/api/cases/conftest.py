"""Fixtures for the case tests: a staff chat for alerts, photos in a temporary folder, and
one valid report body per kind."""

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.settings import Settings

STAFF_CHAT = "-1001234567"

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
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={"staff_chat_id": STAFF_CHAT, "uploads_dir": tmp_path / "uploads"}
    )


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
