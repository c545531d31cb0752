"""Matching names as people write them against the sample registry (pure, no database)."""

from datetime import date

import pytest

from api.agencies.matching import RegisteredAgency, Registry, normalize_licence, normalize_name
from api.agencies.service import read_csv
from tests.api.agencies.conftest import SAMPLE


@pytest.fixture(scope="module")
def registry() -> Registry:
    rows, problems = read_csv(SAMPLE.read_text(encoding="utf-8"))
    assert problems == []
    return Registry(
        RegisteredAgency(
            id=number,
            name=row.name,
            licence_number=row.licence_number,
            address=row.address,
            status=row.status,
            source_date=row.source_date,
        )
        for number, row in enumerate(rows, 1)
    )


SPELLINGS = [
    # as written                               result        company (without "PT", "(SAMPLE)")
    ("PT. Sumber Rejeki Abadi", "licensed", "Sumber Rejeki Abadi"),
    ("PT Sumber Rejeki Abadi", "licensed", "Sumber Rejeki Abadi"),
    ("SUMBER REJEKI ABADI", "licensed", "Sumber Rejeki Abadi"),
    ("SUMBER REJEKI", "licensed", "Sumber Rejeki Abadi"),
    ("pt sumber rezeki", "licensed", "Sumber Rejeki Abadi"),
    ("P.T. Sumber Rejeki Abadi", "licensed", "Sumber Rejeki Abadi"),
    ("p.t sumber rejeki abadi", "licensed", "Sumber Rejeki Abadi"),
    ("Sumber Rejeki Abadi, Tbk", "licensed", "Sumber Rejeki Abadi"),
    ("PT Sumber-Rejeki Abadi", "licensed", "Sumber Rejeki Abadi"),
    ("sumberrejeki abadi", "licensed", "Sumber Rejeki Abadi"),
    ("sumber rejky abadi", "licensed", "Sumber Rejeki Abadi"),
    ("Sumber Rezeki Abadi", "licensed", "Sumber Rejeki Abadi"),
    ("rejeki abadi", "licensed", "Sumber Rejeki Abadi"),
    ("PT Sumber Rejeki Abadi Jaya", "licensed", "Sumber Rejeki Abadi"),
    ("PT Súmber Rejeki Abadí", "licensed", "Sumber Rejeki Abadi"),
    ("KEP.001/SAMPLE/2024", "licensed", "Sumber Rejeki Abadi"),
    ("kep 001 sample 2024", "licensed", "Sumber Rejeki Abadi"),
    ("KEP-001-SAMPLE-2024", "licensed", "Sumber Rejeki Abadi"),
    ("PT Karya Mandiri Utama", "licensed", "Karya Mandiri Utama"),
    ("PT Karya Mandiri Utma", "licensed", "Karya Mandiri Utama"),
    ("karya mandiri sejahtra", "licensed", "Karya Mandiri Sejahtera"),
    ("CV Karya Mandiri Sejahtera", "licensed", "Karya Mandiri Sejahtera"),
    ("bintang timur", "suspended", "Bintang Timur Lestari"),
    ("PT BINTANG TIMUR LESTARI", "suspended", "Bintang Timur Lestari"),
    ("bintang timor lestari", "suspended", "Bintang Timur Lestari"),
    ("pelangi kasih nusantara", "suspended", "Pelangi Kasih Nusantara"),
    ("KEP.012/SAMPLE/2022", "suspended", "Pelangi Kasih Nusantara"),
    ("anugrah timor raya", "revoked", "Anugerah Timor Raya"),
    ("PT Anugerah Timor", "revoked", "Anugerah Timor Raya"),
    ("nusa tenggara jaya abadi", "revoked", "Nusa Tenggara Jaya Abadi"),
    ("PT Nusa Tenggara Jaya", "revoked", "Nusa Tenggara Jaya Abadi"),
    ("mutiara sasando", "licensed", "Mutiara Sasando Perkasa"),
    ("Teguh Bersama Makmur Kupang", "licensed", "Teguh Bersama Makmur"),
    ("cendana wangi", "licensed", "Cendana Wangi Utama"),
    ("PT Flobamora Citra Mandiri", "licensed", "Flobamora Citra Mandiri"),
    ("flobamora citra", "licensed", "Flobamora Citra Mandiri"),
    ("lontar harapan", "licensed", "Lontar Harapan Bangsa"),
    ("karya mandiri", "ambiguous", None),  # Utama or Sejahtera
    ("PT Karya Mandiri", "ambiguous", None),
    ("PT Sinar Harapan", "ambiguous", None),  # only something like Lontar Harapan
    ("PT Maju Jaya", "not_found", None),
    ("PT Maju Terus Pantang Mundur", "not_found", None),
    ("abadi", "not_found", None),  # one common word names no company
    ("sumber", "not_found", None),
    ("pt", "not_found", None),
    ("KEP.999/SAMPLE/2024", "not_found", None),
    ("???", "not_found", None),
]


@pytest.mark.parametrize(("written", "result", "company"), SPELLINGS)
def test_spelling_matches(registry: Registry, written: str, result: str, company: str | None):
    found = registry.match(written)
    assert found.result == result, (found.score, found.agency, found.candidates)
    if company is None:
        assert found.agency is None
    else:
        assert normalize_name(found.agency.name) == normalize_name(company)


def test_ambiguous_gives_the_candidates_best_first(registry: Registry):
    found = registry.match("karya mandiri")
    names = [candidate.agency.name for candidate in found.candidates]
    assert names[:2] == ["PT Karya Mandiri Utama (SAMPLE)", "PT Karya Mandiri Sejahtera (SAMPLE)"]
    scores = [candidate.score for candidate in found.candidates]
    assert scores == sorted(scores, reverse=True)


def test_normalising():
    assert normalize_name("P.T. Sumber-Rejeki  ABADI, Tbk (Cabang Kupang)") == (
        "sumber rejeki abadi"
    )
    assert normalize_licence(" kep.001 / sample-2024 ") == "KEP001SAMPLE2024"


def test_an_empty_registry_finds_nothing():
    empty = Registry([])
    assert empty.match("PT Sumber Rejeki Abadi").result == "not_found"
    assert empty.source_date is None


def test_among_two_thousand_companies_the_one_named_is_found():
    words = [
        "sumber",
        "rejeki",
        "karya",
        "mandiri",
        "timur",
        "jaya",
        "abadi",
        "sejahtera",
        "bintang",
        "lestari",
        "nusa",
        "utama",
        "makmur",
        "bersama",
        "cahaya",
        "harapan",
    ]
    agencies = [
        RegisteredAgency(
            id=n,
            name=f"PT {words[n % 16].title()} {words[n // 16 % 16].title()} {n:04d}",
            licence_number=f"KEP.{n}/TEST",
            address="",
            status="active",
            source_date=date(2026, 1, 1),
        )
        for n in range(2000)
    ]
    registry = Registry(agencies)
    queries = ["pt sumber rezeki 0016", "KEP.1999/TEST", "PT Tidak Ada Sama Sekali", "karya"] * 25
    results = [registry.match(query) for query in queries]
    assert results[0].agency.name == "PT Sumber Rejeki 0016"
    assert results[1].agency.id == 1999
