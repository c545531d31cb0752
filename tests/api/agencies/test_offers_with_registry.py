"""The offer checker with the registry: companies an offer names that are not licensed."""

import json

import pytest

from api.agencies.matching import RegisteredAgency, Registry
from api.agencies.service import read_csv
from api.offers import rules, service
from api.settings import PROJECT_ROOT
from tests.api.agencies.conftest import SAMPLE

URL = "/api/v1/offers/check"
DEV_OFFERS = PROJECT_ROOT.parent / "shared" / "eval" / "offers-dev.jsonl"
LISTED = "Lowongan PT Sumber Rejeki Abadi: kerja di pabrik Malaysia, gaji sesuai kontrak."
UNLISTED = "Lowongan PT Maju Terus Pantang Mundur: kerja di pabrik Malaysia, gaji sesuai kontrak."
SUSPENDED = "Dicari operator pabrik lewat PT. BINTANG TIMUR LESTARI, kontrak 2 tahun."
REVOKED = "Agensi Anugerah Timor Raya membuka lowongan kerja kebun di Malaysia."


async def check(api, text: str, lang: str = "en") -> dict:
    response = await api.post(URL, json={"text": text, "lang": lang})
    assert response.status_code == 200, response.text
    return response.json()


def registry_flag(result: dict) -> dict | None:
    return next((f for f in result["flags"] if f["id"] == "unlicensed_recruiter"), None)


async def test_without_a_registry_companies_are_not_judged(api):
    for text in (LISTED, UNLISTED, SUSPENDED, REVOKED):
        result = await check(api, text)
        assert registry_flag(result) is None, text
        assert result["risk"] == "low"


async def test_an_unlisted_company_is_flagged_and_a_listed_one_is_not(api, sample_registry):
    assert (await check(api, LISTED))["risk"] == "low"
    result = await check(api, UNLISTED)
    flag = registry_flag(result)
    assert result["risk"] == "medium"
    assert flag["reason"] == "not_registered"
    assert flag["company"] == "PT Maju Terus Pantang Mundur"
    assert flag["excerpt"] == "PT Maju Terus Pantang Mundur"
    assert flag["advice"].startswith(
        'The company "PT Maju Terus Pantang Mundur" is not in the list of licensed placement'
    )
    assert "Only licensed placement companies (P3MI)" in flag["advice"]


async def test_suspended_and_revoked_companies_are_flagged_with_the_reason(api, sample_registry):
    suspended = registry_flag(await check(api, SUSPENDED, "id"))
    assert (suspended["reason"], suspended["company"]) == (
        "suspended",
        "PT Bintang Timur Lestari (SAMPLE)",
    )
    assert suspended["advice"].startswith('Izin perusahaan "PT Bintang Timur Lestari (SAMPLE)"')
    revoked = registry_flag(await check(api, REVOKED))
    assert (revoked["reason"], revoked["company"]) == ("revoked", "PT Anugerah Timor Raya (SAMPLE)")
    assert "may no longer place migrant workers" in revoked["advice"]


async def test_the_registry_reason_joins_a_flag_raised_by_words(api, sample_registry):
    result = await check(api, "Lewat calo saja, nanti diurus PT Maju Terus Pantang Mundur.")
    flags = [flag for flag in result["flags"] if flag["id"] == "unlicensed_recruiter"]
    assert len(flags) == 1
    assert flags[0]["excerpt"] == "calo"  # the first words that raised it
    assert flags[0]["reason"] == "not_registered"


async def test_warnings_and_loose_words_name_no_company(api, sample_registry):
    for text in (
        "Awas, PT Maju Terus Pantang Mundur itu palsu!",  # a warning quotes the name
        "Kerja di perusahaan Malaysia, lewat PT penempatan resmi.",
        "Agen kami akan urus paspor, hubungi 081234567890.",
        "Hubungi agen Pak Budi di Kupang.",
    ):
        assert registry_flag(await check(api, text)) is None, text


async def test_an_import_is_seen_without_a_restart(api, helpline_command):
    assert registry_flag(await check(api, UNLISTED)) is None
    assert (await api.get("/api/v1/agencies/match", params={"q": "x"})).json()[
        "source_date"
    ] is None
    code, _out, _err = await helpline_command("agencies", "import", str(SAMPLE))
    assert code == 0
    assert registry_flag(await check(api, UNLISTED))["reason"] == "not_registered"


@pytest.mark.skipif(not DEV_OFFERS.exists(), reason="no dev set")
def test_the_dev_offers_are_checked_the_same_with_the_sample_registry():
    """The dev offers name no listed company: `helpline eval offers` figures stay as they are."""
    rows, _problems = read_csv(SAMPLE.read_text(encoding="utf-8"))
    registry = Registry(
        RegisteredAgency(n, row.name, row.licence_number, row.address, row.status, row.source_date)
        for n, row in enumerate(rows)
    )
    offer_rules = rules.load(PROJECT_ROOT / "content")
    for line in DEV_OFFERS.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        with_registry = service.check(text, "id", offer_rules, registry=registry)
        assert with_registry == service.check(text, "id", offer_rules), text
