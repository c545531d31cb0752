from collections.abc import Callable
from pathlib import Path

import pytest

from api.offers import rules, service
from api.offers.rules import OfferRules

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"
DEV_OFFERS = ROOT.parent / "shared" / "eval" / "offers-dev.jsonl"


@pytest.fixture(scope="session")
def content_dir() -> Path:
    return CONTENT


@pytest.fixture(scope="session")
def dev_offers() -> Path:
    if not DEV_OFFERS.exists():
        pytest.skip(f"no dev set at {DEV_OFFERS}")
    return DEV_OFFERS


@pytest.fixture(scope="session")
def offer_rules() -> OfferRules:
    return rules.load(CONTENT)


@pytest.fixture(scope="session")
def flags_of(offer_rules: OfferRules) -> Callable[[str], set[str]]:
    """The ids of the flags an offer raises."""

    def flags(text: str) -> set[str]:
        return {flag.id for flag in service.check(text, "id", offer_rules).flags}

    return flags
