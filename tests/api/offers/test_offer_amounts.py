"""Amounts are read with their currency and period, and pay is compared with wages.yaml."""

import pytest

from api.offers import service
from api.offers.amounts import pay_ratio


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("Rp 1.500.000", 1_500_000, "IDR"),
        ("Rp. 5.000.000,-", 5_000_000, "IDR"),
        ("8jt", 8_000_000, "IDR"),
        ("25 JT", 25_000_000, "IDR"),
        ("1,5 juta", 1_500_000, "IDR"),
        ("500rb", 500_000, "IDR"),
        ("RM 3.500", 3_500, "MYR"),
        ("3500 ringgit", 3_500, "MYR"),
        ("NT$ 30rb", 30_000, "TWD"),
        ("HK$5,100", 5_100, "HKD"),
        ("S$ 750", 750, "SGD"),
        ("US$ 200", 200, "USD"),
        ("2,500 USD", 2_500, "USD"),
        ("$2,500", 2_500, "$"),
        ("¥180,000", 180_000, "JPY"),
    ],
)
def test_amounts_are_read_with_their_currency(offer_rules, text, value, currency) -> None:
    (amount,) = offer_rules.amounts.read(text)
    assert (amount.value, amount.currency) == (value, currency)
    assert text[amount.start : amount.end].strip(",-") == text.strip(",-")


@pytest.mark.parametrize("text", ["hub 0812-3456-7890", "tahun 2025", "umur 15", "2 hari lagi"])
def test_numbers_that_are_not_money_are_ignored(offer_rules, text: str) -> None:
    assert offer_rules.amounts.read(text) == []


def test_a_dollar_is_the_destination_dollar(offer_rules) -> None:
    wages = offer_rules.wages
    assert wages.currency_at("$", "taiwan") == "TWD"
    assert wages.currency_at("$", "qatar") == "USD"


def test_pay_is_compared_by_destination_job_and_period(offer_rules) -> None:
    wages = offer_rules.wages
    (amount,) = offer_rules.amounts.read("RM 1.700")
    assert pay_ratio(wages, amount, destination="malaysia", job=None, period=None) == 1.0
    (amount,) = offer_rules.amounts.read("NT$ 20.000")
    assert pay_ratio(wages, amount, destination="taiwan", job="caregiver", period="month") == 1.0
    (amount,) = offer_rules.amounts.read("Rp 150.000")
    daily = pay_ratio(wages, amount, destination="ntt", job=None, period="day")
    assert daily == pytest.approx(150_000 * 26 / 2_328_969)


@pytest.mark.parametrize(
    "text",
    [
        "Kerja kebun sawit di Sabah gaji 20 juta sebulan",
        "Gaji RM 6.000 per bulan kerja kilang Malaysia",
        "Hong Kong domestic helper, salary HK$ 15,000 a month",
        "Kerja di luar negeri gaji 15 juta",
        "Jepang tanpa bahasa, gaji 25 jt",
        "Upah 1 juta per hari kerja bangunan di Kupang",
    ],
)
def test_pay_far_above_typical_is_too_good(flags_of, text: str) -> None:
    assert "salary_too_good" in flags_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kerja kebun sawit di Sabah gaji RM 1.700 sebulan",
        "Kerja pabrik Taiwan gaji NT$ 28.590 per bulan",
        "Kerja di Jepang gaji ¥ 180.000 per bulan, wajib JLPT N4",
        "Korea EPS: gaji 2 juta won sebulan",
        "Hong Kong domestic helper, salary HK$ 5,100 a month",
        "Kerja bangunan di Atambua, upah 150rb/hari",
        "Gaji 8 juta, bayar biaya admin 20 juta",
        "Kerja pabrik di Malaysia, hubungi 0812-3456-7890, gaji 5 juta",
    ],
)
def test_ordinary_pay_is_not_too_good(flags_of, text: str) -> None:
    assert "salary_too_good" not in flags_of(text)


def test_a_fee_amount_is_not_pay(offer_rules) -> None:
    result = service.check("Gaji 8 juta, transfer 20 juta dulu", "id", offer_rules)
    assert [flag.id for flag in result.flags] == ["upfront_fee"]
    assert result.flags[0].excerpt == "transfer 20 juta"
