"""Reading what people type in a report: lenient with the ways people write, strict about
what cannot be right."""

from datetime import date

import pytest

from bot.report_input import (
    Invalid,
    first_day,
    match_country,
    match_district,
    parse_age,
    parse_date,
    parse_passport,
    parse_phone,
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
        ("kemarin", "could not read"),
        (f"01-01-{today().year + 1}", "in the future"),
        ("1899", "before 1900"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(typed, reason):
    with pytest.raises(Invalid) as refused:
        parse_date(typed)
    assert reason in refused.value.explain(str)


def test_ages_birth_years_and_birth_dates():
    assert parse_age("24") == 24
    assert parse_age("24 tahun") == 24
    assert parse_age(str(today().year - 30)) == 30
    assert parse_age("17-08-1995") == "1995-08-17"
    for wrong in ("150", "08-1995", "abc"):
        with pytest.raises(Invalid):
            parse_age(wrong)


def test_phone_and_passport_numbers():
    assert parse_phone("0812-3456-7890") == "+6281234567890"
    assert parse_phone("+60 12 345 6789") == "+60123456789"
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
