"""Reports as the backend declares them, through the real bot and the strict stand-in: a kind
that is only a file, changing one answer, a photo as evidence, and what cannot be an answer."""

from sqlalchemy import select

from api.cases.models import Case
from bot.local import LocalHelpline
from bot.standin import TelegramUser
from tests.bot.test_reports import JPEG, in_english, reference_in, start_report


async def only_case(helpline: LocalHelpline) -> Case:
    async with helpline.app.state.sessionmaker() as session:
        [case] = (await session.scalars(select(Case))).all()
    return case


async def test_unpaid_wages_a_kind_added_as_one_file(user: TelegramUser, helpline):
    await in_english(user)
    replies = await start_report(user, "Unpaid wages")
    assert "Whose wages are not paid" in replies[-1].text
    await user.send("Yosefina Tael")
    replies = await user.press("Malaysia")
    assert "employer" in replies[-1].text
    await user.send("Ladang sawit Sabah")
    await user.send("tidak tahu")  # the agency
    await user.send("enam bulan")
    await user.press("Yes")  # still working there
    summary = await user.send("0812-3456-7890")
    assert "Unpaid wages" in summary[-1].text and "+6281234567890" in summary[-1].text
    reference_in(await user.press("✅ Send"))
    case = await only_case(helpline)
    assert (case.kind, case.destination_country, case.priority) == ("unpaid_wages", "MY", "normal")
    assert case.details["still_working"] is True and "agency" not in case.details


async def test_one_answer_is_changed_from_the_summary(user: TelegramUser, helpline):
    await in_english(user)
    await start_report(user, "Question for a caseworker")
    await user.send("Is PT Maju Jaya licensed?")
    await user.press("✏️ Change an answer")
    replies = await user.press("Question")
    assert "so far: Is PT Maju Jaya licensed?" in replies[-1].text
    summary = await user.send("Is PT Maju Makmur licensed?")
    assert "Please check your report" in summary[-1].text  # straight back to the summary
    assert "Makmur" in summary[-1].text and "Maju Jaya" not in summary[-1].text
    reference_in(await user.press("✅ Send"))
    assert (await only_case(helpline)).details["question"] == "Is PT Maju Makmur licensed?"


async def test_a_photo_in_a_danger_report_is_evidence_and_the_report_goes_on(
    user: TelegramUser, helpline
):
    await in_english(user)
    await start_report(user, "Someone in danger")
    await user.send("My sister is locked in the employer's house")
    replies = await user.send_photo(JPEG)
    assert "attached to your report" in replies[0].text
    assert "In which country" in replies[-1].text  # the question on screen, again
    replies = await user.send_voice()
    assert "voice messages" in replies[-1].text and "In which country" in replies[-1].text
    replies = await user.send_location()
    assert "locations" in replies[-1].text
    await user.press("Malaysia")
    await user.send("16")  # her age: a minor
    await user.send("Kuching")
    await user.press("🤷 Don't know")
    await user.send("two weeks")
    await user.press("No")
    summary = await user.press("🤷 Don't know")
    assert "📷" in summary[-1].text
    reference_in(await user.press("✅ Send"))
    case = await only_case(helpline)
    assert case.priority == "urgent"  # a minor in danger, even with "No" to danger now
    photo = await helpline.app.state.storage.open(case.details["evidence_photo"])
    assert photo.startswith(b"\xff\xd8")


async def test_a_mothers_account_at_the_first_question_reaches_the_case(
    user: TelegramUser, helpline
):
    await user.send("/start")
    await user.press("✅ Bahasa Indonesia")
    await user.press("📝 Lapor")
    await user.press("Keluarga hilang")
    await user.press("Saya setuju")
    account = (
        "Anak saya Maria Ulu, umur sekitar tujuh belas tahun, pergi dengan perekrut bernama Pak "
        "Yosef bulan juni 2025 ke Malaysia, sejak 3 bulan lalu tidak ada kabar sama sekali"
    )
    replies = await user.send(account)
    assert "sudah saya simpan" in replies[-1].text and "nama lengkap" in replies[-1].text
    await user.send("Maria Ulu")
    await user.press("Perempuan")
    await user.send("sekitar tujuh belas tahun")
    await user.send("tts")
    await user.send("tidak tahu")
    await user.press("Malaysia")
    for answer in ("Kuching", "juni 2025", "3 bulan lalu", "Pak Yosef", "-", "tidak tahu"):
        await user.send(answer)
    await user.press("Lewati ▸")
    await user.send("Mama Yuliana")
    await user.press("Orang tua")
    summary = await user.send("0822 1111 2222")
    assert "Dengan kata-kata Anda: Anak saya Maria Ulu" in summary[-1].text
    assert "Foto: tidak dikirim" in summary[-1].text
    reference_in(await user.press("✅ Kirim"))
    case = await only_case(helpline)
    assert case.details["story"] == account and case.details["name"] == "Maria Ulu"
    assert case.priority == "urgent"  # about seventeen: a minor


async def test_each_answer_is_kept_before_the_next_question_reaches_the_phone(
    user: TelegramUser, helpline
):
    """A crash between the bot asking a question and storing the draft showed the next
    question over a draft still on the last one, and read the answer to one as the other
    (the fault injection found an agency stored as "enam bulan")."""
    api = helpline.application.bot_data["api"]
    stored_when_asked: dict[str, dict] = {}
    handle = helpline.standin.handle

    async def telegram(token, method, params, files=None):
        if method == "sendMessage" and "For how long" in params.get("text", ""):
            [state] = [s for s in await api.conversation_states() if s["user_data"]]
            stored_when_asked["draft"] = state["user_data"]["report"]
        return await handle(token, method, params, files)

    helpline.standin.handle = telegram
    await in_english(user)
    await start_report(user, "Unpaid wages")
    await user.send("Yosefina Tael")
    await user.press("Malaysia")
    await user.send("Ladang sawit Sabah")
    await user.send("PT Sinar Abadi")  # the agency: next comes "For how long ..."
    draft = stored_when_asked["draft"]
    assert draft["asking"] == "months_unpaid"
    assert draft["answers"]["agency"] == "PT Sinar Abadi"
