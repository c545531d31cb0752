"""The forms a channel adapter renders, and the reading of one answer, in the user's language."""

import shutil
from pathlib import Path

import pytest

from api.answers.content import ContentError
from api.forms import declarations
from api.settings import PROJECT_ROOT

FORMS = "/api/v1/forms"


async def answer(api, kind: str, field: str, language: str = "id", **given) -> dict:
    response = await api.post(
        f"{FORMS}/{kind}/answers", json={"field": field, "language": language, **given}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_kinds_are_listed_in_the_users_language_in_the_order_offered(api):
    english = (await api.get(FORMS, params={"language": "en"})).json()
    assert [k["kind"] for k in english] == [
        "offer",
        "danger",
        "missing",
        "unpaid_wages",
        "question",
    ]
    assert english[2]["title"] == "Missing relative"
    indonesian = (await api.get(FORMS, params={"language": "id"})).json()
    assert indonesian[2]["title"] != "Missing relative"


async def test_a_form_gives_each_question_with_its_buttons(api):
    form = (await api.get(f"{FORMS}/missing", params={"language": "en"})).json()
    steps = {step["field"]: step for step in form["steps"]}
    assert list(steps)[:3] == ["name", "sex", "age"]
    assert [b["value"] for b in steps["sex"]["buttons"]] == ["female", "male"]
    assert steps["age"]["optional"] and steps["age"]["skip_label"] == "🤷 Don't know"
    assert steps["photo"]["skip_label"] == "Skip ▸"
    assert steps["home_district"]["buttons"][0]["value"] == "kota_kupang"
    assert "MY" in [b["value"] for b in steps["destination_country"]["buttons"]]
    assert steps["reporter_phone"]["share_contact"] and steps["reporter_phone"]["share_label"]
    assert "{" not in steps["left_on"]["question"]  # the date hint is filled in
    assert not steps["name"]["optional"]


async def test_an_unknown_kind_field_or_language_is_refused(api):
    assert (await api.get(f"{FORMS}/rumour", params={"language": "id"})).status_code == 404
    assert (await api.get(f"{FORMS}/missing", params={"language": "fr"})).status_code == 422
    response = await api.post(f"{FORMS}/missing/answers", json={"field": "x", "language": "id"})
    assert response.status_code == 422


async def test_answers_are_read_forgivingly_and_shown_as_given(api):
    month = await answer(api, "missing", "left_on", text="juni 2025")
    assert month["value"]["date"] == "2025-06" and month["shown"] == "Juni 2025"
    ago = await answer(api, "missing", "left_on", text="sekitar 3 bulan lalu")
    assert ago["value"]["approximate"] and ago["shown"] == "sekitar 3 bulan lalu"
    age = await answer(api, "missing", "age", text="sekitar tujuh belas tahun")
    assert age["value"]["years"] == 17 and age["shown"] == "sekitar tujuh belas tahun"
    phone = await answer(api, "missing", "reporter_phone", text="0822-1111-2222")
    assert phone["value"] == "+6282211112222"
    district = await answer(api, "missing", "home_district", text="tts")
    assert (district["value"], district["shown"]) == (
        "timor_tengah_selatan",
        "Timor Tengah Selatan",
    )
    country = await answer(api, "danger", "country", text="Malaysia")
    assert country["value"] == "MY"
    yes = await answer(api, "danger", "danger_now", text="iya")
    assert yes["value"] is True


async def test_dont_know_is_unknown_never_a_value(api):
    for typed in ("tidak tahu", "lupa", "-"):
        passport = await answer(api, "missing", "passport_number", text=typed)
        assert (passport["accepted"], passport["value"]) == (True, None)
    tapped = await answer(api, "missing", "age", dont_know=True)
    assert (tapped["accepted"], tapped["value"]) == (True, None)
    required = await answer(api, "missing", "name", dont_know=True)
    assert not required["accepted"] and required["problem"]


async def test_a_wrong_answer_gets_the_reason_in_the_users_language(api):
    english = await answer(api, "missing", "reporter_phone", language="en", text="12")
    assert not english["accepted"] and "phone number" in english["problem"]
    indonesian = await answer(api, "missing", "reporter_phone", language="id", text="12")
    assert indonesian["problem"] != english["problem"]
    before = await answer(
        api,
        "missing",
        "last_contact_on",
        language="en",
        text="2024",
        answers={"left_on": {"date": "2025-03", "approximate": False, "as_written": "march 2025"}},
    )
    assert not before["accepted"] and "before they left home" in before["problem"]
    choice = await answer(api, "missing", "sex", language="en", text="maybe")
    assert not choice["accepted"]


def test_a_new_kind_is_one_file(tmp_path: Path):
    """The declarations are checked: a broken file is named with its line."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content" / declarations.FORMS_DIR, content / "report_forms")
    broken = content / "report_forms" / "rumour.yaml"
    broken.write_text(
        "kind: rumour\norder: 50\ntitle: A rumour\ncollected: it\npriority: normal\n"
        "steps:\n  - field: what\n    type: colour\n    label: What\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as refused:
        declarations.load(content)
    assert "report_forms/rumour.yaml:8: steps.0.type" in str(refused.value)
    broken.write_text(broken.read_text().replace("colour", "text\n    question: What?"))
    forms = declarations.load(content)
    assert list(forms)[-2:] == ["rumour", "question"]


ACCOUNT = (
    "Anak saya Maria Ulu, umur 17 tahun, pergi dengan perekrut bernama Pak Yosef bulan juni "
    "2025 ke Malaysia, sejak 3 bulan lalu tidak ada kabar"
)


async def test_an_account_typed_at_a_short_question_is_kept_not_refused(api):
    """A mother answers "What is the name?" with her whole story: it is kept in the form's
    story, she is told so and asked the question again; a second account is added to it."""
    first = await answer(api, "missing", "name", text=ACCOUNT)
    assert not first["accepted"] and "sudah saya simpan" in first["problem"]
    assert first["kept"] == {"field": "story", "value": ACCOUNT, "shown": ACCOUNT}
    more = (
        "Dia pernah telepon sekali dari Kuching bulan Agustus, katanya majikan ambil dia punya HP "
        "dan tidak bayar gaji"
    )
    second = await answer(api, "missing", "left_on", text=more, answers={"story": ACCOUNT})
    assert second["kept"]["value"] == f"{ACCOUNT}\n\n{more}"
    short = await answer(api, "missing", "left_on", language="en", text="when the rains came")
    assert short["kept"] is None and "date" in short["problem"]  # a wrong answer, not a story
    danger = await answer(api, "danger", "city", text=ACCOUNT, answers={"what_happens": "Disekap"})
    assert danger["kept"]["field"] == "what_happens"  # the danger form's own account
    assert danger["kept"]["value"] == f"Disekap\n\n{ACCOUNT}"


def test_a_story_must_be_a_long_text_field(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content" / declarations.FORMS_DIR, content / "report_forms")
    wages = content / "report_forms" / "unpaid_wages.yaml"
    wages.write_text(wages.read_text().replace("story: story", "story: months_unpaid"))
    with pytest.raises(ContentError) as refused:
        declarations.load(content)
    assert "unpaid_wages.yaml" in str(refused.value) and "`story` must be a text field" in str(
        refused.value
    )
