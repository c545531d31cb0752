"""POST /api/v1/offers/check on the real app: result, counting without text, bad requests."""

from sqlalchemy import select

from api.offers.models import OfferCheckDay, OfferFlagDay

URL = "/api/v1/offers/check"


async def test_check_an_offer_is_counted_without_its_text(api) -> None:
    offer = {"text": "Son perlu paspor, jang kasi tau bapa mama.", "lang": "mkn"}
    response = await api.post(URL, json=offer)
    assert response.status_code == 200
    body = response.json()
    assert body["risk"] == "high"
    assert {flag["id"] for flag in body["flags"]} == {"no_documents", "secrecy"}
    assert body["flags"][0].keys() == {"id", "label", "advice", "excerpt", "reason", "company"}
    assert body["flags"][0]["reason"] is None  # only a company the registry does not list
    assert body["truncated"] is False
    await api.post(URL, json=offer)
    sessionmaker = api._transport.app.state.sessionmaker
    async with sessionmaker() as session:
        checks = (await session.scalars(select(OfferCheckDay))).all()
        flags = (await session.scalars(select(OfferFlagDay))).all()
    assert [(c.language, c.risk, c.checks) for c in checks] == [("mkn", "high", 2)]
    assert sorted((f.flag, f.hits) for f in flags) == [("no_documents", 2), ("secrecy", 2)]


async def test_bad_requests_are_refused(api) -> None:
    assert (await api.post(URL, json={"lang": "id"})).status_code == 422
    assert (await api.post(URL, json={"text": "x", "lang": "!!"})).status_code == 422
    assert (await api.post(URL, json={"text": "a" * 200_001})).status_code == 422
    anonymous = await api.post(URL, json={"text": "x"}, headers={"Authorization": ""})
    assert anonymous.status_code == 401


DETECT = "/api/v1/offers/detect"


async def test_a_message_that_recruits_with_pay_or_contact_is_checked_and_counted(api) -> None:
    offers = [
        "Dicari TKW ke Malaysia, gaji 8jt, tanpa paspor",
        "Lowongan kebun sawit Sabah, hub 0812-3456-7890",
        "We are hiring cleaners for Singapore, departure next week",
        "Loker pabrik Taiwan NT$ 30rb",
    ]
    for text in offers:
        body = (await api.post(DETECT, json={"text": text, "lang": "en"})).json()
        assert body["looks_like_offer"] is True, text
        assert body["check"]["advice"]
    tanpa_paspor = (await api.post(DETECT, json={"text": offers[0]})).json()["check"]
    assert "no_documents" in {flag["id"] for flag in tanpa_paspor["flags"]}
    sessionmaker = api._transport.app.state.sessionmaker
    async with sessionmaker() as session:
        checks = (await session.scalars(select(OfferCheckDay))).all()
    assert sum(c.checks for c in checks) == len(offers) + 1


async def test_an_offer_told_as_received_is_checked(api) -> None:
    """ "Someone offered me...": how a young person asks whether an offer is safe. It had no
    recruiting word (only adverts' "dicari", "lowongan"), so it was answered with a topic and
    its red flags were never shown."""
    text = (
        "ada om yg tawarin kerja di restoran malaysia gaji 9 juta, berangkat minggu depan, "
        "paspor diurus dia, cuma bayar 3 juta dulu. aman ko?"
    )
    body = (await api.post(DETECT, json={"text": text, "lang": "id"})).json()
    assert body["looks_like_offer"] is True
    assert body["check"]["risk"] == "high"
    assert {"upfront_fee", "fast_departure"} <= {flag["id"] for flag in body["check"]["flags"]}


async def test_questions_and_talk_about_offers_are_not_checked_nor_counted(api) -> None:
    messages = [
        "gmn cara dpt paspor",
        "beta mau pi karja di Malaysia, gaji berapa?",
        "i got a job offer on whatsapp, how can i tell if its legit",
        "sy dapat tawaran kerja lewat wa, gmn cara cek asli ga",
        "Hub WA 0812-3456-7890",  # a contact alone is not an offer
        "🙂🙂",
    ]
    for text in messages:
        body = (await api.post(DETECT, json={"text": text, "lang": "id"})).json()
        assert body == {"looks_like_offer": False, "check": None}, text
    sessionmaker = api._transport.app.state.sessionmaker
    async with sessionmaker() as session:
        assert (await session.scalars(select(OfferCheckDay))).all() == []


async def test_checks_made_at_once_are_all_counted(api) -> None:
    """Counted by atomic upsert: 30 checks at the same time (each request its own transaction)
    lose none, where a read-modify-write counter lost updates."""
    import asyncio

    offer = {"text": "Son perlu paspor, jang kasi tau bapa mama.", "lang": "mkn"}
    responses = await asyncio.gather(*(api.post(URL, json=offer) for _ in range(30)))
    assert [r.status_code for r in responses] == [200] * 30
    sessionmaker = api._transport.app.state.sessionmaker
    async with sessionmaker() as session:
        checks = (await session.scalars(select(OfferCheckDay))).all()
        flags = (await session.scalars(select(OfferFlagDay))).all()
    assert [(c.risk, c.checks) for c in checks] == [("high", 30)]
    assert sorted((f.flag, f.hits) for f in flags) == [("no_documents", 30), ("secrecy", 30)]
