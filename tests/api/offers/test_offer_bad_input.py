"""Bad input never crashes the checker; text past the limit is cut, not read."""

import random

import pytest

from api.offers import service


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀😀🔥💰🙏",
        "\x00\x01\x02\ufffd\ud800 binary \x7f",
        "日本で働く 月給30万円",
        "العمل في السعودية براتب كبير",
        "Работа за границей",
        "...,,,!!!???",
        "$$$ RM Rp NT$",
        "1.2.3.4.5.6.7.8.9",
        "a " * 3000,
        "9" * 5000,
    ],
)
def test_odd_input_gives_a_result(offer_rules, text: str) -> None:
    result = service.check(text, "en", offer_rules)
    assert result.risk in ("low", "medium", "high")


def test_long_offers_are_cut(offer_rules) -> None:
    offer = "Kerja di Malaysia, gaji bagus. " * 300 + "Paspor ditahan agen."
    result = service.check(offer, "id", offer_rules)
    assert result.truncated
    assert result.risk == "low"  # the flag sits past the limit
    assert not service.check(offer[:1000], "id", offer_rules).truncated


def test_100_kb_of_offer_words_is_cut_and_checked(offer_rules) -> None:
    """What keeps the time bounded is the cut and the pattern rules (no pattern that can
    backtrack: tests/api/offers/test_offer_patterns.py); speed itself is bench/'s."""
    randomness = random.Random(7)
    words = "gaji paspor ditahan bayar 1jt calo malam perahu tanpa visa turis 8jt RM 3.500 , ."
    words += " jangan bilang mama"
    text = " ".join(randomness.choice(words.split()) for _ in range(20_000))[:100_000]
    result = service.check(text, "id", offer_rules)
    assert result.truncated and result.risk in ("medium", "high")


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "ab" * 50_000,
        "g a j i " * 12_500,
        "1" * 100_000,
        "paspor " * 15_000,
        "Rp 1.000 " * 11_000,
    ],
)
def test_adversarial_text_gets_a_result(offer_rules, text: str) -> None:
    result = service.check(text, "id", offer_rules)
    assert result.truncated and result.risk in ("low", "medium", "high")
