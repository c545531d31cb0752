"""GET /api/v1/agencies/match: what the bot asks when a user checks a recruiter."""

URL = "/api/v1/agencies/match"


async def test_a_licensed_company_with_its_data(api, sample_registry):
    response = await api.get(URL, params={"q": "pt sumber rezeki"})
    assert response.status_code == 200
    assert response.json() == {
        "result": "licensed",
        "agency": {
            "id": response.json()["agency"]["id"],
            "name": "PT Sumber Rejeki Abadi (SAMPLE)",
            "licence_number": "KEP.001/SAMPLE/2024",
            "address": "Jl. Contoh No. 1, Kota Kupang (sample data)",
            "status": "active",
            "source_date": "2026-01-15",
        },
        "score": 75.9,
        "candidates": [],
        "source_date": "2026-01-15",
    }


async def test_suspended_revoked_ambiguous_and_not_found(api, sample_registry):
    async def result(query: str) -> dict:
        return (await api.get(URL, params={"q": query})).json()

    assert (await result("KEP.004/SAMPLE/2023"))["result"] == "suspended"
    assert (await result("PT Anugerah Timor Raya"))["result"] == "revoked"
    ambiguous = await result("karya mandiri")
    assert ambiguous["result"] == "ambiguous" and ambiguous["agency"] is None
    assert [c["agency"]["name"] for c in ambiguous["candidates"]][:2] == [
        "PT Karya Mandiri Utama (SAMPLE)",
        "PT Karya Mandiri Sejahtera (SAMPLE)",
    ]
    missing = await result("PT Maju Terus Pantang Mundur")
    assert (missing["result"], missing["agency"], missing["candidates"]) == ("not_found", None, [])
    assert missing["source_date"] == "2026-01-15"


async def test_an_empty_registry_says_so_with_no_date(api):
    body = (await api.get(URL, params={"q": "PT Sumber Rejeki Abadi"})).json()
    assert (body["result"], body["source_date"]) == ("not_found", None)


async def test_bad_queries_are_refused(api):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "a\x00b"}, {"q": "x" * 201}):
        response = await api.get(URL, params=params)
        assert response.status_code == 422, params
    assert (await api.get(URL, params={"q": "   "})).json()["code"] == "bad_agency_query"
    anonymous = await api.get(URL, params={"q": "x"}, headers={"Authorization": ""})
    assert anonymous.status_code == 401
