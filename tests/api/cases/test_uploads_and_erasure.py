"""Photos for missing-person reports, and erasing a reporter's data when they ask."""

from sqlalchemy import select

from api.cases import service
from api.cases.models import Case, CaseEvent, CaseMessage
from api.outbox.models import OutboxMessage
from api.staff.models import Role, Staff

UPLOADS = "/api/v1/uploads"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def sessionmaker(api):
    return api._transport.app.state.sessionmaker


async def upload(api, data: bytes, content_type: str):
    return await api.post(UPLOADS, content=data, headers={"Content-Type": content_type})


async def test_jpeg_and_png_photos_are_kept(api, settings):
    for data, content_type, suffix in ((JPEG, "image/jpeg", ".jpg"), (PNG, "image/png", ".png")):
        response = await upload(api, data, content_type)
        assert response.status_code == 201
        key = response.json()["key"]
        assert key.endswith(suffix)
        assert (settings.uploads_dir / key).read_bytes() != data  # kept encrypted
        assert await api._transport.app.state.storage.open(key) == data


async def test_anything_else_is_refused_with_a_clear_answer(api, settings):
    answers = [
        await upload(api, b"GIF89a....", "image/gif"),
        await upload(api, PNG, "image/jpeg"),
        await upload(api, b"%PDF-1.7", "image/png"),
        await upload(api, JPEG + b"\x00" * (5 * 1024 * 1024), "image/jpeg"),
    ]
    assert [(r.status_code, r.json()["code"]) for r in answers] == [
        (415, "unsupported_photo_type"),
        (415, "not_an_image"),
        (415, "not_an_image"),
        (413, "photo_too_large"),
    ]
    assert answers[3].json()["detail"] == "the photo is larger than 5 MB"
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())


async def test_a_missing_person_report_takes_an_uploaded_photo(api, report):
    key = (await upload(api, JPEG, "image/jpeg")).json()["key"]
    response = await api.post("/api/v1/cases", json=report("missing", photo_upload_key=key))
    assert response.status_code == 201
    async with sessionmaker(api)() as session:
        assert (await session.scalar(select(Case))).details["photo"] == key

    unknown = await api.post(
        "/api/v1/cases", json=report("missing", photo_upload_key="0" * 32 + ".jpg")
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_upload"
    no_photo_step = await api.post("/api/v1/cases", json=report("question", photo_upload_key=key))
    assert no_photo_step.status_code == 422
    assert "this kind of report takes no photo" in no_photo_step.text


async def test_forgetting_a_reporter_blanks_their_cases_but_keeps_them(api, report, settings):
    key = (await upload(api, JPEG, "image/jpeg")).json()["key"]
    missing = (await api.post("/api/v1/cases", json=report("missing", photo_upload_key=key))).json()
    offer = (await api.post("/api/v1/cases", json=report("offer"))).json()
    reply = {"channel": "telegram", "channel_user_id": "5550001", "text": "my number is 0812..."}
    await api.post(
        f"/api/v1/cases/{offer['reference']}/replies", json={**reply, "message_key": "1"}
    )
    other = (await api.post("/api/v1/cases", json=report("offer", channel_user_id="9"))).json()

    assert (await api.delete("/api/v1/reporters/telegram/5550001")).status_code == 204

    assert not (settings.uploads_dir / key).exists()
    assert (await api.get("/api/v1/reporters/telegram/5550001/cases")).json() == []
    async with sessionmaker(api)() as session:
        cases = {c.reference: c for c in (await session.scalars(select(Case))).all()}
        person = cases[missing["reference"]].details
        offer_report = cases[offer["reference"]].details
        other_report = cases[other["reference"]].details
        texts = (await session.scalars(select(CaseMessage.text))).all()
        erased = (await session.scalars(select(CaseEvent).where(CaseEvent.kind == "erased"))).all()
    assert set(cases) == {missing["reference"], offer["reference"], other["reference"]}
    assert cases[missing["reference"]].reporter_id is None
    assert (cases[missing["reference"]].kind, cases[missing["reference"]].district) == (
        "missing",
        "kota_kupang",
    )
    # nothing that names, reaches or describes the person: not even sex and age
    assert person == {"home_district": "timor_tengah_selatan", "destination_country": "MY"}
    assert offer_report == {
        "seen_where": "facebook",
        "district": "kota_kupang",
        "flags": ["salary_too_good", "fast_departure"],
    }
    assert other_report["recruiter_phone"] == "+6281234567890"
    assert texts == [""]
    assert len(erased) == 2


async def test_forgetting_drops_undelivered_messages_to_the_reporter(api, report):
    reference = (await api.post("/api/v1/cases", json=report("question"))).json()["reference"]
    async with sessionmaker(api)() as session:
        worker = Staff(username="ana", name="Ana", role=Role.AGENT, password_hash="-")
        session.add(worker)
        await session.flush()
        case = await service.get_by_reference(session, reference)
        notices = api._transport.app.state.notices
        await service.message_reporter(session, case, text="Call us", actor=worker, notices=notices)
        await session.commit()
    await api.delete("/api/v1/reporters/telegram/5550001")
    async with sessionmaker(api)() as session:
        assert (await session.scalars(select(OutboxMessage))).all() == []
