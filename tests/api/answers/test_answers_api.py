"""The answers API: ranked topics with scores and the answer in the asked language."""


async def test_answer_in_asked_language_with_ranking(api):
    response = await api.get("/api/v1/answers", params={"q": "cara buat paspor", "lang": "en"})
    body = response.json()
    assert response.status_code == 200
    assert body["topic"] == "documents.passport"
    assert body["ranking"][0]["slug"] == "documents.passport"
    assert body["ranking"][0]["score"] >= body["ranking"][-1]["score"]
    assert body["answer"]["lang"] == "en" and body["answer"]["reviewed"] is True
    assert "passport" in body["answer"]["pages"][0].lower()


async def test_small_talk_gets_no_topic(api):
    body = (await api.get("/api/v1/answers", params={"q": "selamat pagi", "lang": "id"})).json()
    assert body["topic"] is None and body["answer"] is None


async def test_missing_translation_falls_back_to_indonesian(api):
    body = (await api.get("/api/v1/topics/fees", params={"lang": "tet"})).json()
    assert body["lang"] == "id" and body["fallback"] is True


async def test_contacts_are_rendered_from_contacts_file(api):
    body = (await api.get("/api/v1/topics/hotlines", params={"lang": "id"})).json()
    text = "\n".join(body["pages"])
    assert "110" in text and "{contact:" not in text


async def test_bad_input_is_a_clear_4xx(api):
    assert (await api.get("/api/v1/answers", params={"q": "", "lang": "id"})).status_code == 422
    long = (await api.get("/api/v1/answers", params={"q": "x" * 5000})).status_code
    assert long == 422
    unknown = await api.get("/api/v1/answers", params={"q": "paspor", "lang": "xx"})
    assert unknown.status_code == 422 and "unknown language" in unknown.text
    assert (await api.get("/api/v1/topics/no.such.topic")).status_code == 404


async def test_other_scripts_answer_without_error(api):
    for junk in ("\x01\x02", "护照怎么办", "🙂🙂🙂", "ثبت نام"):
        response = await api.get("/api/v1/answers", params={"q": junk, "lang": "id"})
        assert response.status_code == 200 and response.json()["topic"] is None


async def test_nul_characters_are_a_422_naming_the_question(api):
    response = await api.get("/api/v1/answers", params={"q": "\x00\x01\x02", "lang": "id"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


async def test_browse_categories_lists_every_topic(api):
    categories = (await api.get("/api/v1/topics", params={"lang": "en"})).json()
    slugs = {topic["slug"] for category in categories for topic in category["topics"]}
    assert len(slugs) >= 28


async def test_feedback_needs_service_token(api):
    body = {"topic": "fees", "lang": "id", "helpful": True}
    anonymous = await api.post("/api/v1/answers/feedback", json=body, headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert (await api.post("/api/v1/answers/feedback", json=body)).status_code == 204
    unknown = {"topic": "nope", "lang": "id", "helpful": True}
    assert (await api.post("/api/v1/answers/feedback", json=unknown)).status_code == 404


async def test_an_answer_says_whether_the_words_hold_danger(api):
    params = {"q": "tolong saya dikurung majikan", "lang": "id"}
    assert (await api.get("/api/v1/answers", params=params)).json()["danger_words"] is True
    params = {"q": "cara buat paspor", "lang": "id", "channel": "telegram", "user": "77"}
    body = (await api.get("/api/v1/answers", params=params)).json()
    assert body["danger_words"] is False
    assert body["awaited_reply"] is None  # nobody waits for this person's answer


async def test_an_answer_checks_the_words_as_an_offer_when_asked_and_they_look_like_one(api):
    from sqlalchemy import select

    from api.offers.models import OfferCheckDay

    offer = "Dicari TKW ke Malaysia, gaji 8jt, tanpa paspor"
    params = {"q": offer, "lang": "en", "check_offer": "true"}
    checked = (await api.get("/api/v1/answers", params=params)).json()["offer_check"]
    assert "no_documents" in {flag["id"] for flag in checked["flags"]} and checked["advice"]
    question = {"q": "gmn cara dpt paspor", "lang": "id", "check_offer": "true"}
    body = (await api.get("/api/v1/answers", params=question)).json()
    assert body["offer_check"] is None and body["topic"] == "documents.passport"
    unasked = (await api.get("/api/v1/answers", params={"q": offer, "lang": "en"})).json()
    assert unasked["offer_check"] is None
    async with api._transport.app.state.sessionmaker() as session:
        counted = (await session.scalars(select(OfferCheckDay))).all()
    assert sum(day.checks for day in counted) == 1  # counted as /offers/detect counts
