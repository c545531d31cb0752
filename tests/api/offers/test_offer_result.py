"""The result: risk by the rule of offer-flags.md, languages, excerpts."""

import pytest

from api.offers import service
from api.offers.service import risk_of


@pytest.mark.parametrize(
    ("flags", "risk"),
    [
        (set(), "low"),
        ({"upfront_fee"}, "medium"),
        ({"upfront_fee", "vague_job"}, "medium"),
        ({"upfront_fee", "vague_job", "fast_departure"}, "high"),
        ({"secrecy"}, "high"),
        ({"family_payment", "salary_too_good"}, "high"),
        ({"cash_advance"}, "high"),
        ({"carry_package"}, "high"),
        ({"closed_destination"}, "high"),
    ],
)
def test_risk_rule(flags: set[str], risk: str, offer_rules) -> None:
    assert risk_of(flags, offer_rules) == risk


def test_flags_carry_label_advice_and_the_original_words(offer_rules) -> None:
    offer = "Lowongan!!! G.A.J.I 25 JT, krj di Jepang tnp bhs. Paspor DITAHAN agen."
    result = service.check(offer, "en", offer_rules)
    flags = {flag.id: flag for flag in result.flags}
    assert flags["document_retention"].excerpt == "Paspor DITAHAN"
    assert flags["salary_too_good"].excerpt == "G.A.J.I 25 JT"
    assert flags["document_retention"].label == "Passport or ID kept by others"
    assert result.flags[0].id == "document_retention"  # alone signals trafficking: first
    assert result.risk == "high"
    assert "SIP3MI" in result.advice


@pytest.mark.parametrize("lang", ["id", "en", "mkn", "tet", "aoz", "xx"])
def test_every_language_gets_texts(offer_rules, lang: str) -> None:
    result = service.check("Rahasiakan dari keluarga", lang, offer_rules)
    flag = offer_rules.flags["secrecy"]
    assert result.flags[0].label == flag.label.get(lang, flag.label["id"])
    assert result.advice


def test_low_risk_advice_says_what_to_verify(offer_rules) -> None:
    result = service.check("Lowongan guru SD di Kefamenanu", "id", offer_rules)
    assert result.risk == "low"
    assert result.flags == []
    assert "Disnaker" in result.advice
