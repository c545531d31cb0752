"""The report conversations, /mycases and writing to a caseworker, with the real bot through
the local Bot API stand-in; what is stored is checked in the backend."""

import re

import pytest
from sqlalchemy import func, select

from api.cases import service
from api.cases.models import Case
from api.settings import Settings
from bot.local import LocalHelpline, local_helpline
from bot.standin import BotMessage, TelegramUser

REFERENCE = re.compile(r"NTT-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}")
JPEG = b"\xff\xd8\xff\xe0" + bytes(200)
OFFER = (
    "Dicari TKW ke Malaysia, gaji 15 juta, tidak perlu paspor cukup KTP, "
    "berangkat lewat jalur tikus minggu depan. Jangan kasih tau keluarga."
)


def text_of(replies: list[BotMessage]) -> str:
    return "\n".join(message.text for message in replies)


async def in_english(user: TelegramUser) -> None:
    await user.send("/start")
    await user.press("English")


async def start_report(user: TelegramUser, kind: str) -> list[BotMessage]:
    await user.press("📝 Report")
    consent = await user.press(kind)
    assert "IOM Kupang" in consent[-1].text and "/privacy" in consent[-1].text
    return await user.press("I agree")


async def cases(helpline: LocalHelpline) -> list[Case]:
    """Every case in the backend's database."""
    async with helpline.app.state.sessionmaker() as session:
        return list((await session.scalars(select(Case))).all())


async def case_count(helpline: LocalHelpline) -> int:
    async with helpline.app.state.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Case))


def reference_in(replies: list[BotMessage]) -> str:
    found = REFERENCE.search(replies[-1].text)
    assert found, replies[-1].text
    return found.group()


async def test_report_menu_offers_every_kind_the_backend_declares(user: TelegramUser):
    await in_english(user)
    replies = await user.press("📝 Report")
    assert replies[-1].button_texts == [
        "Suspicious job offer",
        "Someone in danger",
        "Missing relative",
        "Unpaid wages",
        "Question for a caseworker",
        "📖 How reporting works",
    ]
    for row in replies[-1].inline_buttons:
        assert len(row[0]["callback_data"].encode()) < 64


async def test_offer_report_from_the_checker_is_prefilled(user: TelegramUser, helpline):
    await in_english(user)
    await user.press("🔎 Check a job offer")
    await user.send(OFFER)
    consent = await user.press("📝 Report this offer")
    assert "Suspicious job offer" in consent[-1].text
    replies = await user.press("I agree")
    assert "Where did you see" in replies[-1].text  # the offer text is not asked again
    assert replies[-1].button_texts[:4] == ["WhatsApp", "Facebook", "A person", "Other"]
    await user.press("WhatsApp")
    await user.send("Ibu Sponsor")
    await user.send("0812-3456-7890")
    replies = await user.send("kab. TTS")
    assert "village" in replies[-1].text
    summary = await user.press("🤷 Don't know")
    text = summary[-1].text
    assert "Dicari TKW ke Malaysia" in text and "WhatsApp" in text and "Ibu Sponsor" in text
    assert "+6281234567890" in text and "Timor Tengah Selatan" in text
    assert "Warning signs found" in text
    replies = await user.press("✅ Send")
    reference = reference_in(replies)
    assert "within one working day" in replies[-1].text and "/mycases" in replies[-1].text

    [case] = await cases(helpline)
    offer = case.details
    assert (case.reference, case.kind, case.district, case.language) == (
        reference,
        "offer",
        "timor_tengah_selatan",
        "en",
    )
    assert offer["offer_text"] == OFFER and offer["seen_where"] == "whatsapp"
    assert offer["recruiter_phone"] == "+6281234567890" and "village" not in offer
    checked = await helpline.application.bot_data["api"].check_offer(OFFER, "en")
    assert offer["flags"] == [flag["id"] for flag in checked["flags"]] and offer["flags"]


async def test_danger_now_gives_the_emergency_contacts_at_once_and_an_urgent_case(
    user: TelegramUser, helpline
):
    await in_english(user)
    replies = await start_report(user, "Someone in danger")
    assert "What is happening" in replies[-1].text
    await user.send("My sister works without pay and her boss keeps her passport")
    replies = await user.send("Singapura")  # typed, in Indonesian
    assert "How old" in replies[-1].text
    replies = await user.send("tidak tahu")  # the age, unknown
    assert "city" in replies[-1].text
    await user.send("Johor Bahru")
    await user.press("🤷 Don't know")  # employer
    replies = await user.send("two months")
    assert replies[-1].button_texts[:2] == ["Yes", "No"]
    replies = await user.press("Yes")
    emergency = text_of(replies)
    assert "110" in emergency and "129" in emergency  # the hotlines, before anything else
    assert "marked urgent" in emergency
    assert "How can a caseworker reach" in replies[-1].text
    summary = await user.press("🤷 Don't know")
    assert "Singapore" in summary[-1].text and "In danger now: Yes" in summary[-1].text
    replies = await user.press("✅ Send")
    assert "marked urgent" in replies[-1].text

    [case] = await cases(helpline)
    danger = case.details
    assert (case.priority, case.destination_country) == ("urgent", "SG")
    assert danger["danger_now"] is True and "employer" not in danger and "age" not in danger
    assert danger["city"] == "Johor Bahru"


async def answer_missing_up_to_the_photo(user: TelegramUser) -> list[BotMessage]:
    await start_report(user, "Missing relative")
    return await answer_missing_after_consent(user)


async def answer_missing_after_consent(user: TelegramUser) -> list[BotMessage]:
    await user.send("Maria Nenobais")
    await user.press("Female")
    await user.send("24")
    await user.press("Timor Tengah Selatan")
    await user.send("Kuanfatu")
    await user.press("Malaysia")
    await user.send("Kuching")
    await user.send("Maret 2024")
    await user.send("17/06/2024")
    await user.send("PT Contoh Jaya")
    await user.press("🤷 Don't know")  # employer
    return await user.send("c 1234567")


async def test_missing_relative_with_a_photo_and_a_shared_number(user: TelegramUser, helpline):
    await in_english(user)
    replies = await answer_missing_up_to_the_photo(user)
    assert "photo" in replies[-1].text
    replies = await user.send_photo(JPEG)
    assert "your name" in replies[-1].text
    await user.send("Yohanes Nenobais")
    replies = await user.press("Brother or sister")
    assert "📱 Share my number" in [label for row in user.reply_keyboard for label in row]
    replies = await user.press("📱 Share my number")
    assert "❓ Ask a question" in [label for row in user.reply_keyboard for label in row]
    summary = replies[-1].text
    for shown in ("Maria Nenobais", "Female", "24", "Kuanfatu", "Malaysia", "March 2024"):
        assert shown in summary
    assert "17 June 2024" in summary and "C1234567" in summary and "📷" in summary
    assert "+6281234567890" in summary and "Brother or sister" in summary
    reference = reference_in(await user.press("✅ Send"))

    [case] = await cases(helpline)
    missing = case.details
    assert (case.reference, case.district, case.destination_country) == (
        reference,
        "timor_tengah_selatan",
        "MY",
    )
    assert (missing["age"]["years"], missing["sex"], missing["passport_number"]) == (
        24,
        "female",
        "C1234567",
    )
    # a month stays a month: "Maret 2024" is not kept as the 1st of March
    assert (missing["left_on"]["date"], missing["last_contact_on"]["date"]) == (
        "2024-03",
        "2024-06-17",
    )
    assert missing["reporter_phone"] == "+6281234567890"
    assert missing["reporter_relationship"] == "sibling" and "employer" not in missing
    assert await helpline.app.state.storage.open(missing["photo"]) == JPEG


async def test_a_mothers_words_before_the_report_are_kept_with_it(user: TelegramUser, helpline):
    """She writes what happened first; the answer's report button takes her words along, in
    her own words, for the caseworker (only once she agrees and sends)."""
    await in_english(user)
    words = (
        "Good evening. My daughter Maria left with a calo from Kupang in March 2024, he said "
        "she would work in Malaysia as a maid. Since June 2024 we cannot contact her, her "
        "phone is off. Please help me find my daughter"
    )
    replies = await user.send(words)
    assert "📝 Report a missing relative" in replies[-1].button_texts
    await user.press("📝 Report a missing relative")
    replies = await user.press("I agree")
    assert "What you wrote before is kept with this report" in text_of(replies)
    assert "full name" in replies[-1].text
    replies = await answer_missing_after_consent(user)
    await user.press("Skip ▸")  # the photo
    await user.send("Yohanes Nenobais")
    await user.press("Brother or sister")
    summary = (await user.press("📱 Share my number"))[-1].text
    assert f"In your words: {words}" in summary
    reference_in(await user.press("✅ Send"))
    [case] = await cases(helpline)
    assert case.details["story"] == words


async def finish_missing_report(user: TelegramUser) -> str:
    """The rest of a missing-relative report after consent; its summary."""
    await answer_missing_after_consent(user)
    await user.press("Skip ▸")  # the photo
    await user.send("Yohanes Nenobais")
    await user.press("Brother or sister")
    return (await user.press("📱 Share my number"))[-1].text


async def test_her_words_are_kept_when_she_starts_the_report_from_the_menu(
    user: TelegramUser, helpline
):
    """The answer offers "📝 Report a missing relative", but the menu's "📝 Report" is as near:
    taken that way, the report began from nothing and the names and dates of her first
    message never reached the caseworker. A report of another kind does not take them."""
    await in_english(user)
    words = (
        "My daughter Maria left with a calo from Soe in March 2024 to work in Malaysia. "
        "Since June we cannot contact her."
    )
    await user.send(words)
    replies = await start_report(user, "Someone in danger")
    assert "What you wrote before" not in text_of(replies)
    await user.send("/cancel")
    replies = await start_report(user, "Missing relative")
    assert "What you wrote before is kept with this report" in text_of(replies)
    assert f"In your words: {words}" in await finish_missing_report(user)
    reference_in(await user.press("✅ Send"))
    [case] = await cases(helpline)
    assert case.details["story"] == words
    # sent: a second report of the kind, for someone else, starts from nothing
    replies = await start_report(user, "Missing relative")
    assert "What you wrote before" not in text_of(replies)


async def test_deleting_my_data_forgets_the_words_an_answer_kept(user: TelegramUser):
    await in_english(user)
    await user.send("My son went to Malaysia with an agent and we have not heard from him")
    await user.send("/privacy")
    await user.press("🗑 Delete my data")
    await user.send("/start")
    await user.press("English")
    await user.press("📝 Report a missing relative")  # under the answer before the deletion
    replies = await user.press("I agree")
    assert "full name" in replies[-1].text
    assert "What you wrote before" not in text_of(replies)


async def test_words_answered_stay_out_of_a_report_declined(user: TelegramUser, helpline):
    await in_english(user)
    await user.send("My son went to Malaysia with an agent and we have not heard from him")
    await user.press("📝 Report a missing relative")
    replies = await user.press("No, thanks")
    assert "nothing of this report was kept" in replies[-1].text
    assert await case_count(helpline) == 0


async def test_talk_to_a_person_sends_a_question_with_its_topic(user: TelegramUser, helpline):
    await in_english(user)
    await user.send("how do i get a passport")
    consent = await user.press("🙋 Talk to a person")
    assert "your question" in consent[-1].text
    replies = await user.press("I agree")
    assert "Write your question" in replies[-1].text
    summary = await user.send("Can my cousin apply for me?")
    assert "Can my cousin apply for me?" in summary[-1].text
    reference_in(await user.press("✅ Send"))
    [case] = await cases(helpline)
    assert (case.kind, case.details) == (
        "question",
        {"question": "Can my cousin apply for me?", "topic": "documents.passport"},
    )


async def test_no_consent_keeps_nothing_and_gives_the_hotlines(user: TelegramUser, helpline):
    await in_english(user)
    await user.press("📝 Report")
    await user.press("Missing relative")
    replies = await user.press("No, thanks")
    assert "nothing of this report was kept" in replies[-1].text and "110" in replies[-1].text
    replies = await user.send("Maria Nenobais")  # an ordinary message again, not an answer
    assert "What is the full name" not in text_of(replies)
    assert await case_count(helpline) == 0
    async with helpline.app.state.sessionmaker() as session:
        from api.conversations.models import ConversationState

        states = (await session.scalars(select(ConversationState))).all()
    assert states == []  # the language is the reporter's, kept by the backend, not here


async def test_cancel_drops_the_report(user: TelegramUser, helpline):
    await in_english(user)
    await start_report(user, "Someone in danger")
    await user.send("They took his phone")
    replies = await user.send("/cancel")
    assert "Cancelled" in replies[-1].text
    replies = await user.send("/cancel")
    assert "nothing to cancel" in replies[-1].text
    replies = await user.press("📝 Report")  # a new report can start
    assert "Someone in danger" in replies[-1].button_texts
    assert await case_count(helpline) == 0


async def test_back_returns_to_the_last_question_keeping_the_answers(user: TelegramUser):
    await in_english(user)
    await start_report(user, "Missing relative")
    await user.send("Maria Nenobais")
    replies = await user.press("Female")
    assert "How old" in replies[-1].text
    replies = await user.press("◂ Back")
    assert "woman or a man" in replies[-1].text and "so far: Female" in replies[-1].text
    replies = await user.press("Male")
    assert "How old" in replies[-1].text
    await user.send("30")
    replies = await user.press("◂ Back")
    assert "How old" in replies[-1].text and "so far: 30" in replies[-1].text
    replies = await user.send("31")
    assert "district" in replies[-1].text


async def test_invalid_answers_are_explained_and_asked_again(user: TelegramUser):
    await in_english(user)
    await start_report(user, "Missing relative")
    await user.send("Maria Nenobais")
    await user.send("a woman")  # not a button
    replies = await user.press("Female")
    replies = await user.send("150")
    assert "0 to 100" in replies[-1].text and "How old" in replies[-1].text
    replies = await user.send("17-08-2090")
    assert "in the future" in replies[-1].text and "How old" in replies[-1].text
    await user.send("24")
    replies = await user.send("Atlantis")
    assert "do not know that district" in replies[-1].text
    await user.send("Kota Kupang")
    await user.press("🤷 Don't know")
    replies = await user.send("Narnia")
    assert "do not know that country" in replies[-1].text
    await user.send("hongkong")
    await user.press("🤷 Don't know")
    replies = await user.send("32-13-2024")
    assert "could not read that date" in replies[-1].text and "leave home" in replies[-1].text
    await user.send("June 2024")
    replies = await user.send("2023")
    assert "before they left home (June 2024)" in replies[-1].text
    await user.send("08-2024")
    for _skipped in range(2):  # recruiter, employer
        await user.press("🤷 Don't know")
    replies = await user.send("12")
    assert "6 to 9 letters and digits" in replies[-1].text
    await user.press("🤷 Don't know")
    replies = await user.send_sticker()
    assert "stickers" in replies[-1].text and "photo" in replies[-1].text
    await user.press("Skip ▸")
    await user.send("Yohanes")
    await user.press("Parent")
    replies = await user.send("123")
    assert "does not look like a phone number" in replies[-1].text
    summary = await user.send("+60 12 345 6789")
    text = summary[-1].text
    assert "Maria Nenobais" in text and "Female" in text and "Kupang (kota)" in text
    assert "Hong Kong" in text and "June 2024" in text and "August 2024" in text
    assert "+60123456789" in text


async def test_a_report_continues_after_a_bot_restart(settings: Settings, user: TelegramUser):
    await in_english(user)
    await start_report(user, "Suspicious job offer")
    await user.send("Kerja di Malaysia, gaji 8 juta, berangkat besok")
    await user.press("Facebook")
    async with local_helpline(settings, retry_backoff=0) as restarted:
        same = TelegramUser(restarted.standin, restarted.application, language_code="id")
        replies = await same.send("Pak Budi")  # the recruiter's name, asked before the restart
        assert "phone or WhatsApp number" in replies[-1].text
        await same.press("🤷 Don't know")
        await same.press("Alor")
        summary = await same.press("🤷 Don't know")
        text = summary[-1].text
        assert "Kerja di Malaysia" in text and "Facebook" in text and "Pak Budi" in text
        assert "Alor" in text
        reference_in(await same.press("✅ Send"))


async def test_the_same_send_delivered_twice_makes_one_case(user: TelegramUser, helpline):
    await in_english(user)
    await start_report(user, "Question for a caseworker")
    await user.send("Is PT Maju Jaya licensed?")
    first = reference_in(await user.press("✅ Send"))
    await user.resend_last()  # at once: the repeated tap is answered and goes no further
    assert [m.text for m in user.inbox if first in m.text] == [user.inbox[-1].text]
    assert await case_count(helpline) == 1


async def test_danger_words_anywhere_get_the_emergency_contacts(user: TelegramUser, helpline):
    await in_english(user)
    replies = await user.send("tolong saya dikurung majikan")
    assert "110" in replies[0].text and "🆘 Report someone in danger" in replies[0].button_texts
    consent = await user.press("🆘 Report someone in danger")
    assert "Someone in danger" in consent[-1].text

    await user.send("/cancel")
    await start_report(user, "Question for a caseworker")
    replies = await user.send("my friend says help me, they locked her in")
    assert "110" in replies[0].text and not replies[0].button_texts
    assert "marked urgent" in replies[0].text
    assert "Please check your report" in replies[-1].text  # the conversation went on
    await user.press("✅ Send")
    [case] = await cases(helpline)
    assert case.priority == "urgent"


async def test_a_cry_for_help_is_never_answered_as_small_talk(user: TelegramUser):
    """ "tolong saya" (help me) reads like small talk to the question matcher: the emergency
    contacts go out, and no small-talk reply after them."""
    await in_english(user)
    for cry in ["tolong saya", "tolong beta"]:
        replies = await user.send(cry)
        assert "110" in replies[0].text
        assert not any("I am here when you need me" in reply.text for reply in replies)


async def test_danger_words_outside_the_details_still_make_the_report_urgent(
    user: TelegramUser, helpline
):
    await in_english(user)
    await start_report(user, "Suspicious job offer")
    await user.send("Kerja di Taiwan gaji besar")
    replies = await user.send("they beat me, help me")  # typed where a button is asked
    assert "110" in replies[0].text and "tap one of the buttons" in replies[-1].text
    await user.press("Other")
    for _ in range(2):
        await user.press("🤷 Don't know")
    await user.press("Belu")
    await user.press("🤷 Don't know")
    await user.press("✅ Send")
    [case] = await cases(helpline)
    assert case.priority == "urgent" and "beat" not in case.details["offer_text"]


async def test_mycases_shows_staff_messages_and_replies_join_the_thread(
    user: TelegramUser, helpline, staff_login
):
    from api.staff.models import Staff

    await in_english(user)
    assert "not made any report" in (await user.send("/mycases"))[-1].text
    await start_report(user, "Question for a caseworker")
    await user.send("Is PT Maju Jaya licensed?")
    reference = reference_in(await user.press("✅ Send"))

    member = await staff_login("agent")
    async with helpline.app.state.sessionmaker() as session:
        case = await service.get_by_reference(session, reference)
        agent = await session.get(Staff, member["id"])
        await service.message_reporter(
            session,
            case,
            text="PT Maju Jaya is not licensed. Please do not pay them.",
            actor=agent,
            notices=helpline.app.state.notices,
        )
        await session.commit()
    assert await helpline.outbox.deliver_due() == 1
    delivered = user.inbox[-1]
    assert reference in delivered.text and "not licensed" in delivered.text

    replies = await user.send("/mycases")
    text = replies[-1].text
    assert reference in text and "Status: received" in text and "not licensed" in text
    replies = await user.press("✉️ Write to the caseworker")
    assert f"about {reference}" in replies[-1].text
    replies = await user.send("Thank you! They asked me for 5 million already.")
    assert "Sent" in replies[-1].text
    await user.resend_last()  # the same message delivered twice joins the thread once

    replies = await user.press("↩️ Reply")  # the button under the caseworker's message
    replies = await user.send("Now they locked me in the house")
    assert "110" in replies[0].text and "urgent" in replies[0].text
    assert not replies[0].button_texts and "Sent" in replies[-1].text
    thread = (await helpline_cases(helpline, user))[0]["messages"]
    assert [(m["direction"], m["text"]) for m in thread] == [
        ("to_reporter", "PT Maju Jaya is not licensed. Please do not pay them."),
        ("from_reporter", "Thank you! They asked me for 5 million already."),
        ("from_reporter", "Now they locked me in the house"),
    ]
    [case] = await cases(helpline)
    assert case.priority == "urgent"
    replies = await user.send("/mycases")
    assert "💬 You" in replies[-1].text and "locked me in" in replies[-1].text


async def helpline_cases(helpline: LocalHelpline, user: TelegramUser) -> list[dict]:
    return await helpline.application.bot_data["api"].cases_of(user.chat_id)


@pytest.mark.parametrize("command", ["mycases", "cancel"])
async def test_new_commands_are_registered(user: TelegramUser, helpline, command):
    assert command in [c["command"] for c in helpline.standin.commands["en"]]
