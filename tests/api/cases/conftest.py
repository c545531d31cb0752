"""Fixtures for the case tests: a staff chat for alerts and photos in a temporary folder."""

from pathlib import Path

import pytest

from api.settings import Settings

STAFF_CHAT = "-1001234567"


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={"staff_chat_id": STAFF_CHAT, "uploads_dir": tmp_path / "uploads"}
    )
