"""Checking a recruiter in the bot, through the local Bot API stand-in."""

import pytest

from api.agencies import service
from api.settings import PROJECT_ROOT
from bot.local import LocalHelpline
from bot.standin import TelegramUser

SAMPLE = PROJECT_ROOT / "content" / "agencies-sample.csv"


@pytest.fixture
async def sample_registry(helpline: LocalHelpline) -> None:
    async with helpline.app.state.sessionmaker() as session:
        await service.import_csv(session, SAMPLE.read_text(encoding="utf-8"))
        await session.commit()


async def in_english(user: TelegramUser) -> None:
    await user.send("/start")
    await user.press("English")


async def test_menu_check_of_a_licensed_company(user: TelegramUser, sample_registry):
    await in_english(user)
    assert "🏢 Check a recruiter" in [label for row in user.reply_keyboard for label in row]
    replies = await user.press("🏢 Check a recruiter")
    assert "Write the name of the placement company" in replies[-1].text
    replies = await user.send("pt sumber rezeki")
    text = replies[-1].text
    assert text.startswith("✅ Licensed")
    assert "PT Sumber Rejeki Abadi (SAMPLE)" in text and "Licence: KEP.001/SAMPLE/2024" in text
    assert "SISKOP2MI" in text and "Registry data of 2026-01-15." in text
    replies = await user.send("how do i get a passport")  # the next message is a question again
    assert "passport" in replies[-1].text.lower() and "Licensed" not in replies[-1].text


async def test_suspended_revoked_and_unknown_companies(user: TelegramUser, sample_registry):
    await in_english(user)
    await user.press("🏢 Check a recruiter")
    assert (await user.send("KEP.004/SAMPLE/2023"))[-1].text.startswith("⚠️ Licence suspended")
    await user.press("🏢 Check a recruiter")
    revoked = (await user.send("PT Anugerah Timor Raya"))[-1].text
    assert revoked.startswith("⛔ Licence revoked") and "no longer place" in revoked
    await user.press("🏢 Check a recruiter")
    unknown = (await user.send("PT Maju Terus Pantang Mundur"))[-1].text
    assert unknown.startswith("❓ I did not find “PT Maju Terus Pantang Mundur”")
    assert "Disnaker" in unknown and "Registry data of 2026-01-15." in unknown


async def test_an_ambiguous_name_lists_candidates_and_asks_again(
    user: TelegramUser, sample_registry
):
    await in_english(user)
    await user.press("🏢 Check a recruiter")
    text = (await user.send("karya mandiri"))[-1].text
    assert "Which one do you mean?" in text
    assert "• PT Karya Mandiri Utama (SAMPLE) (licensed)" in text
    assert "• PT Karya Mandiri Sejahtera (SAMPLE) (licensed)" in text
    replies = await user.send("Karya Mandiri Sejahtera")
    assert replies[-1].text.startswith("✅ Licensed") and "KEP.003/SAMPLE/2024" in replies[-1].text


async def test_the_button_under_an_offer_check(user: TelegramUser, helpline, sample_registry):
    await user.send("/start")
    await user.press("✅ Bahasa Indonesia")
    _ = helpline.application.bot_data["catalogs"].translator("id")
    await user.press(_("🔎 Check a job offer"))
    offer = "Lowongan PT Bintang Timur Lestari ke Malaysia, gaji sesuai kontrak."
    checked = (await user.send(offer))[-1]
    assert "Bintang Timur Lestari (SAMPLE)" in checked.text  # the flag's reason
    assert _("🏢 Check the company") in checked.button_texts
    replies = await user.press(_("🏢 Check the company"))
    assert replies[-1].text == _(
        "Write the name of the placement company (for example “PT ...”) or its licence "
        "number, and I will look for it in the registry of licensed placement companies (P3MI)."
    )
    replies = await user.send("bintang timur lestari")
    assert replies[-1].text.startswith("⚠️ Izin dibekukan")
    assert "Data daftar per 2026-01-15." in replies[-1].text


async def test_without_a_registry_the_bot_says_it_cannot_check(user: TelegramUser):
    await in_english(user)
    await user.press("🏢 Check a recruiter")
    replies = await user.send("PT Sumber Rejeki Abadi")
    assert replies[-1].text.startswith("I cannot check companies yet")
    assert user.reply_keyboard is not None


async def test_kupang_malay_menu_and_answer(user: TelegramUser, helpline, sample_registry):
    mkn = helpline.application.bot_data["catalogs"].translator("mkn")
    await user.send("/start")
    await user.press("Bahasa Kupang")
    replies = await user.press(mkn("🏢 Check a recruiter"))
    assert replies[-1].text.startswith("Tulis nama perusahaan penempatan")
    replies = await user.send("sumber rejeki abadi")
    assert replies[-1].text.startswith("✅ Ada izin")
