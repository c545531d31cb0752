"""Whole conversations with the real bot through the local Bot API stand-in."""

from bot.standin import TelegramUser


async def choose(user: TelegramUser, language_button: str) -> None:
    await user.send("/start")
    await user.press(language_button)


async def test_start_preselects_telegram_language_and_shows_menu(user: TelegramUser):
    replies = await user.send("/start")
    assert "Bahasa Indonesia" in " ".join(replies[-1].button_texts)
    assert "✅ Bahasa Indonesia" in replies[-1].button_texts
    replies = await user.press("English")
    assert "Language: English" in replies[-1].text
    assert user.reply_keyboard is not None
    assert "❓ Ask a question" in [label for row in user.reply_keyboard for label in row]


async def test_question_answered_in_chosen_language(user: TelegramUser):
    await choose(user, "English")
    replies = await user.send("how do i get a passport")
    answer = replies[-1]
    assert "passport" in answer.text.lower()
    assert "👍" in answer.button_texts and "👎" in answer.button_texts
    assert "🙋 Talk to a person" in answer.button_texts


async def test_kupang_malay_question_gets_unreviewed_note_and_indonesian_option(
    user: TelegramUser, helpline
):
    mkn = helpline.application.bot_data["catalogs"].translator("mkn")
    await choose(user, "Bahasa Kupang")
    replies = await user.send("beta mau pi karja di malaysia")
    answer = replies[-1]
    assert answer.text.startswith("⚠️")
    assert "Malaysia" in answer.text
    replies = await user.press(mkn("Show in Indonesian"))
    assert not replies[-1].text.startswith("⚠️")
    assert "Malaysia" in replies[-1].text


async def test_small_talk_gets_a_kind_reply_and_the_menu_never_police_numbers(user: TelegramUser):
    await choose(user, "English")
    for message in ("terima kasih", "halo", "ok", "👍", "what time is it"):
        replies = await user.send(message)
        assert "I am here when you need me" in replies[-1].text
        assert "You are welcome" not in replies[-1].text  # "what time is it" is small talk too
        assert "110" not in replies[-1].text
        assert replies[-1].reply_keyboard is not None


async def test_missing_relative_answer_starts_the_missing_report(user: TelegramUser):
    await choose(user, "English")
    replies = await user.send(
        "Good morning. My daughter Maria left for Malaysia in March with a sponsor from "
        "Soe. Since then there is no news and no communication with the family at all."
    )
    assert "missing" in replies[-1].text.lower()
    assert "📝 Report a missing relative" in replies[-1].button_texts
    replies = await user.press("📝 Report a missing relative")
    assert replies[-1].button_texts  # the report asks for consent first


async def test_a_minor_taken_away_gets_emergency_contacts_at_once(user: TelegramUser, helpline):
    mkn = helpline.application.bot_data["catalogs"].translator("mkn")
    await choose(user, "Bahasa Kupang")
    replies = await user.send(
        "kaka, beta pung ade parampuan umur 16 mau dibawa orang pi Kalimantan, bole ko?"
    )
    texts = " ".join(reply.text for reply in replies)
    assert "110" in texts
    assert any(mkn("🆘 Report someone in danger") in reply.button_texts for reply in replies)


async def test_indonesian_message_to_english_user_is_answered_in_indonesian(user: TelegramUser):
    await choose(user, "English")
    replies = await user.send("bagaimana cara membuat paspor di kantor imigrasi")
    assert "Paspor" in replies[-1].text or "paspor" in replies[-1].text
    assert "🙋 Talk to a person" in replies[-1].button_texts  # the buttons stay in English


async def test_unsure_match_offers_did_you_mean_buttons_and_a_person(user: TelegramUser, helpline):
    await choose(user, "English")
    reading = helpline.app.state.message_reader.read("my cousin works far away")
    assert reading.topic is None and reading.suggestions
    replies = await user.send("my cousin works far away")
    assert "Did you mean" in replies[-1].text
    assert "🙋 Talk to a person" in replies[-1].button_texts
    assert len(replies[-1].button_texts) == len(reading.suggestions) + 1
    topic = helpline.app.state.content.topics[reading.suggestions[0]]
    replies = await user.press(replies[-1].button_texts[0])
    assert replies[-1].text.startswith(topic.texts["en"].title)


async def test_browse_topics_by_category(user: TelegramUser):
    await choose(user, "English")
    replies = await user.press("❓ Ask a question")
    assert "Documents" in replies[-1].button_texts
    replies = await user.press("Documents")
    assert replies[-1].edited and "Documents" in replies[-1].text
    topic_button = next(t for t in replies[-1].button_texts if "assport" in t)
    replies = await user.press(topic_button)
    assert "immigration" in replies[-1].text.lower()
    replies = await user.press("◂ All topics")
    assert "Human trafficking" in replies[-1].button_texts


async def test_long_answer_pages_with_more_button(user: TelegramUser, helpline):
    await choose(user, "English")
    content = helpline.app.state.content
    slug = next(s for s, t in content.topics.items() if len(t.texts["en"].pages) > 1)
    title = content.topics[slug].texts["en"].title
    category = next(c for c in content.categories if slug in c.topics)
    await user.press("❓ Ask a question")
    await user.press(category.title["en"])
    replies = await user.press(title)
    assert "More ▸" in replies[-1].button_texts
    second_page = await user.press("More ▸")
    assert second_page[-1].text.strip() != replies[-1].text.strip()


async def test_feedback_is_stored_without_user_id(user: TelegramUser, helpline):
    from sqlalchemy import select

    from api.answers.models import AnswerFeedback

    await choose(user, "English")
    await user.send("cara buat paspor")
    await user.press("👍")
    async with helpline.app.state.sessionmaker() as session:
        rows = (await session.scalars(select(AnswerFeedback))).all()
    assert [(row.topic, row.helpful, row.language) for row in rows] == [
        ("documents.passport", True, "en")
    ]


async def test_language_is_remembered_across_bot_restart(settings, user: TelegramUser):
    from bot.local import local_helpline

    await choose(user, "English")
    async with local_helpline(settings, retry_backoff=0) as restarted:
        same_person = TelegramUser(restarted.standin, restarted.application, language_code="id")
        replies = await same_person.send("/help")
    assert "What I can do" in replies[-1].text


async def test_stickers_voice_location_files_get_polite_reply(user: TelegramUser):
    await choose(user, "English")
    for action in (user.send_sticker, user.send_voice, user.send_location, user.send_document):
        replies = await action()
        assert "I can only read text messages" in replies[-1].text


async def test_privacy_delete_forgets_language(user: TelegramUser, helpline):
    await choose(user, "English")
    replies = await user.send("/privacy")
    assert "🗑 Delete my data" in replies[-1].button_texts
    replies = await user.press("🗑 Delete my data")
    assert "deleted" in replies[-1].text
    replies = await user.send("/start")
    assert "✅ Bahasa Indonesia" in replies[-1].button_texts


async def test_commands_registered_for_the_languages_telegram_takes(user: TelegramUser, helpline):
    """Telegram takes only two-letter codes: Kupang Malay, Tetun and Uab Meto users get the
    default list, in Indonesian."""
    commands = helpline.standin.commands
    assert set(commands) == {"", "id", "en"}
    assert not [refused for refused in helpline.standin.refusals if refused[0] == "setMyCommands"]
    assert commands[""] == commands["id"]
    assert [c["command"] for c in commands["en"]] == [
        "start",
        "help",
        "hotline",
        "privacy",
        "language",
        "mycases",
        "cancel",
        "subscribe",
        "stop",
    ]
    assert commands["id"][1]["description"] != commands["en"][1]["description"]


async def test_hotline_command_lists_verified_contacts(user: TelegramUser):
    await choose(user, "English")
    replies = await user.send("/hotline")
    assert "110" in replies[-1].text and "129" in replies[-1].text


async def test_check_a_job_offer_from_the_menu(user: TelegramUser):
    await choose(user, "English")
    replies = await user.press("🔎 Check a job offer")
    assert "Paste or forward the job offer" in replies[-1].text
    replies = await user.send(
        "Dicari TKW ke Malaysia, gaji 15 juta, tidak perlu paspor cukup KTP, "
        "berangkat lewat jalur tikus minggu depan. Jangan kasih tau keluarga."
    )
    result = replies[-1]
    assert result.text.startswith("⛔ High risk")
    assert "jalur tikus" in result.text  # the excerpt that raised a flag
    assert "📝 Report this offer" in result.button_texts
    replies = await user.press("📖 How to check an offer")
    assert "offer" in replies[-1].text.lower()
    replies = await user.send("cara buat paspor")  # back to questions after one check
    assert "passport" in replies[-1].text.lower()


async def test_a_typed_job_offer_is_checked_and_answered(user: TelegramUser):
    await choose(user, "✅ Bahasa Indonesia")
    replies = await user.send(
        "Lowongan kerja Malaysia! Gaji 15 juta, tidak perlu paspor, hub 0812 3456 7890"
    )
    assert replies[0].text.startswith("⛔")
    assert "tidak perlu paspor" in replies[0].text
    assert len(replies) == 2  # the checked offer, then the answer about working abroad
    assert "👍" in replies[1].button_texts


async def test_a_mother_telling_how_her_daughter_went_missing_gets_no_offer_check(
    user: TelegramUser,
):
    """Her story names a calo, work in Malaysia and "tidak bisa dihubungi" (contact): it
    looks like an offer, but the daughter is gone; what to do now comes alone."""
    await choose(user, "✅ Bahasa Indonesia")
    replies = await user.send(
        "Selamat malam, saya mama dari Yuliana umur 19 tahun dari Kuanfatu. Dia berangkat "
        "bulan Maret 2024 dengan Pak Yohanes calo dari Kupang katanya kerja di Malaysia jadi "
        "pembantu. Sejak Juni 2024 sudah tidak bisa dihubungi, hp mati. Tolong bantu saya"
    )
    assert len(replies) == 1
    assert not replies[0].text.startswith(("⛔", "⚠️", "✅"))
    assert "📝 Laporkan keluarga hilang" in replies[0].button_texts


async def test_an_ordinary_question_is_not_checked_as_an_offer(user: TelegramUser):
    await choose(user, "English")
    replies = await user.send("how much does a passport cost")
    assert len(replies) == 1
    assert not replies[0].text.startswith(("⛔", "⚠️ Medium", "✅"))


async def test_an_offer_check_asked_for_before_a_bot_restart_is_still_awaited(
    settings, user: TelegramUser
):
    from bot.local import local_helpline

    await choose(user, "English")
    await user.press("🔎 Check a job offer")
    async with local_helpline(settings, retry_backoff=0) as restarted:
        same_person = TelegramUser(restarted.standin, restarted.application, language_code="id")
        replies = await same_person.send("Paspor ditahan agen selama kontrak berjalan.")
    assert replies[-1].text.startswith("⛔ High risk")


async def test_words_with_a_nul_or_a_lone_surrogate_are_answered_not_refused(
    user: TelegramUser,
):
    """The backend refuses such characters (they cannot be stored or encoded); the bot passes
    on the words without them, so the question is answered instead of "something went wrong"."""
    await choose(user, "English")
    for question in ["gmn cara dpt\x00 paspor", "gmn cara dpt paspor \ud800"]:
        replies = await user.send(question)
        assert "Passport" in replies[0].text
        assert not any("went wrong" in reply.text for reply in replies)


async def test_a_language_name_typed_instead_of_tapped_chooses_it(user: TelegramUser):
    await user.send("/start")
    replies = await user.send("bahasa  indonesia")
    assert "Bahasa: Bahasa Indonesia" in replies[-1].text
    replies = await user.send("English")
    assert "Language: English" in replies[-1].text
    replies = await user.send("how do i get a passport")
    assert "passport" in replies[-1].text.lower()  # answered in English from now on
