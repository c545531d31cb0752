"""Bad input never crashes the checker, and its time is bounded by the text's length."""

import random
import time

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


def _seconds(offer_rules, text: str) -> float:
    start = time.perf_counter()
    service.check(text, "id", offer_rules)
    return time.perf_counter() - start


def test_100_kb_of_text_is_checked_quickly(offer_rules) -> None:
    randomness = random.Random(7)
    words = "gaji paspor ditahan bayar 1jt calo malam perahu tanpa visa turis 8jt RM 3.500 , ."
    words += " jangan bilang mama"
    words = words.split()
    text = " ".join(randomness.choice(words) for _ in range(20_000))[:100_000]
    assert len(text) == 100_000
    assert _seconds(offer_rules, text) < 0.5


def test_time_is_bounded_for_adversarial_text(offer_rules) -> None:
    for text in (
        "a" * 100_000,
        "ab" * 50_000,
        "g a j i " * 12_500,
        "1" * 100_000,
        "paspor " * 15_000,
        "Rp 1.000 " * 11_000,
    ):
        assert _seconds(offer_rules, text) < 0.5, text[:20]
