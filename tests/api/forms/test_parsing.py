"""Reading what people type in a report: lenient with the ways people write, strict about
what cannot be right."""

from datetime import date, timedelta

import pytest

from api.forms.parsing import (
    Invalid,
    first_day,
    match_country,
    match_district,
    means_dont_know,
    parse_age,
    parse_date,
    parse_passport,
    parse_phone,
    read_date,
    show_date,
    today,
)

DISTRICTS = {
    "kota_kupang": "Kupang (kota)",
    "kupang": "Kupang",
    "timor_tengah_selatan": "Timor Tengah Selatan",
    "sumba_barat": "Sumba Barat",
    "sumba_barat_daya": "Sumba Barat Daya",
    "flores_timur": "Flores Timur",
}


@pytest.mark.parametrize(
    ("typed", "kept", "shown"),
    [
        ("17-08-2024", "2024-08-17", "17-08-2024"),
        ("17/8/2024", "2024-08-17", "17-08-2024"),
        ("17 Agustus 2024", "2024-08-17", "17-08-2024"),
        ("Maret 2024", "2024-03", "03-2024"),
        ("march 2024", "2024-03", "03-2024"),
        ("bulan Mei 2023", "2023-05", "05-2023"),
        ("03/2024", "2024-03", "03-2024"),
        ("2024", "2024", "2024"),
    ],
)
def test_dates_as_people_write_them(typed, kept, shown):
    assert parse_date(typed) == kept
    assert show_date(kept) == shown


def test_a_month_or_year_is_sent_as_its_first_day():
    assert first_day("2024-03") == date(2024, 3, 1)
    assert first_day("2024") == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31-02-2024", "could not read"),
        ("minggu", "could not read"),
        (f"01-01-{today().year + 1}", "in the future"),
        ("1899", "before 1900"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(typed, reason):
    with pytest.raises(Invalid) as refused:
        read_date(typed)
    assert reason in refused.value.explain(str)


def _months_back(months: int) -> str:
    year, month = divmod(today().year * 12 + today().month - 1 - months, 12)
    return f"{year:04d}-{month + 1:02d}"


@pytest.mark.parametrize(
    ("typed", "kept", "approximate"),
    [
        ("juni 2025", "2025-06", False),  # a month stays a month: never "1 Jun 2025"
        ("sejak Maret 2024", "2024-03", False),
        ("sekitar 2019", "2019", True),
        ("kira-kira Agustus 2023", "2023-08", True),
        ("3 bulan lalu", _months_back(3), True),
        ("tiga bulan yang lalu", _months_back(3), True),
        ("bulan lalu", _months_back(1), True),
        ("tahun lalu", str(today().year - 1), True),
        ("juni tahun lalu", f"{today().year - 1}-06", True),
        ("awal 2024", "2024", True),
        ("kemarin", (today() - timedelta(days=1)).isoformat(), True),
    ],
)
def test_approximate_dates_are_kept_with_their_precision_and_as_written(typed, kept, approximate):
    value = read_date(typed)
    assert value == {"date": kept, "approximate": approximate, "as_written": typed}


def test_ages_as_people_give_them():
    def years(typed):
        age = parse_age(typed)
        return age["years"], age["to"], age["approximate"]

    assert years("24") == (24, None, False)
    assert years("24 tahun") == (24, None, False)
    assert years("umur 17") == (17, None, False)
    assert years("sekitar tujuh belas tahun") == (17, None, True)
    assert years("kira2 17") == (17, None, True)
    assert years("16-17") == (16, 17, False)
    assert years("16 atau 17 tahun") == (16, 17, False)
    assert years("dua puluh lima") == (25, None, False)
    assert years(str(today().year - 30)) == (30, None, False)
    assert parse_age("17-08-1995")["born"] == "1995-08-17"
    for wrong in ("150", "08-1995", "abc", "18-16"):
        with pytest.raises(Invalid):
            parse_age(wrong)


@pytest.mark.parametrize("typed", ["tidak tahu", "Tdk tau", "lupa", "tidak ada", "-", "sonde tau"])
def test_dont_know_in_the_ways_people_write_it(typed):
    assert means_dont_know(typed)
    assert not means_dont_know("Maria")


def test_phone_and_passport_numbers():
    assert parse_phone("0812-3456-7890") == "+6281234567890"
    assert parse_phone("+60 12 345 6789") == "+60123456789"
    assert parse_phone("6282211112222") == "+6282211112222"
    assert parse_phone("Iya pak, nomor HP Maria 0822 1111 2222") == "+6282211112222"
    assert parse_phone("WA: 0812.3456.7890") == "+6281234567890"
    assert parse_passport("c 1234567") == "C1234567"
    for wrong_phone in ("123", "call me"):
        with pytest.raises(Invalid):
            parse_phone(wrong_phone)
    with pytest.raises(Invalid):
        parse_passport("12")


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Kota Kupang", "kota_kupang"),
        ("kupang", "kupang"),
        ("TTS", "timor_tengah_selatan"),
        ("kab. Timor Tengah Selatan", "timor_tengah_selatan"),
        ("sumba barat", "sumba_barat"),
        ("SBD", "sumba_barat_daya"),
        ("flores timr", "flores_timur"),
    ],
)
def test_districts_typed_leniently(typed, slug):
    assert match_district(typed, DISTRICTS) == slug


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Malaysia", "MY"),
        ("malasya", "MY"),
        ("Singapura", "SG"),
        ("hongkong", "HK"),
        ("Saudi", "SA"),
        ("Arab Saudi", "SA"),
        ("Korea Selatan", "KR"),
        ("Jepang", "JP"),
    ],
)
def test_countries_in_english_and_indonesian(typed, code):
    assert match_country(typed) == code


def test_unknown_or_ambiguous_places_are_asked_again():
    for typed in ("Atlantis", "Korea"):
        with pytest.raises(Invalid):
            match_country(typed)
    with pytest.raises(Invalid):
        match_district("Jakarta", DISTRICTS)
