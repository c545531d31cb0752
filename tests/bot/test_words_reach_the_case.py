"""A reporter's words always reach the case. A mother reports her missing daughter; the
caseworker writes to her; she types her answer straight into the chat, as anyone does on
Telegram. Before, the bot read it as a question ("Sorry, I have not found an answer") and it
never reached the case."""

from sqlalchemy import select

from api.cases import service as cases
from api.cases.models import Case
from api.staff.models import Staff
from bot.local import LocalHelpline
from bot.standin import BotMessage, TelegramUser
from tests.bot.test_reports import reference_in

MISSING_DAUGHTER = [  # the report as the bot asks for it (see tests/bot/test_reports.py)
    ("press", "📝 Report"),
    ("press", "Missing relative"),
    ("press", "I agree"),
    ("send", "Maria Nenobais"),
    ("press", "Female"),
    ("send", "24"),
    ("press", "Timor Tengah Selatan"),
    ("send", "Kuanfatu"),
    ("press", "Malaysia"),
    ("send", "Kuching"),
    ("send", "Maret 2024"),
    ("send", "17/06/2024"),
    ("send", "PT Contoh Jaya"),
    ("press", "🤷 Don't know"),
    ("send", "c 1234567"),
    ("press", "Skip ▸"),
    ("send", "Yohanes Nenobais"),
    ("press", "Brother or sister"),
    ("press", "📱 Share my number"),
]
ANSWER = "Iya pak, nomor HP Maria 0822 1111 2222, terakhir dia telepon dari Kuching."


async def mother_reports(user: TelegramUser) -> str:
    await user.send("/start")
    await user.press("English")
    for action, what in MISSING_DAUGHTER:
        await (user.send(what) if action == "send" else user.press(what))
    return reference_in(await user.press("✅ Send"))


async def caseworker_writes(helpline: LocalHelpline, staff_login, reference: str) -> BotMessage:
    agent = await staff_login("agent")
    async with helpline.app.state.sessionmaker() as session:
        case = await cases.get_by_reference(session, reference)
        await cases.message_reporter(
            session,
            case,
            text="Ibu, apakah ada nomor HP Maria yang bisa kami hubungi?",
            actor=await session.get(Staff, agent["id"]),
            notices=helpline.app.state.notices,
        )
        await session.commit()
    assert await helpline.outbox.deliver_due() == 1
    return helpline.standin.messages[agent_chat(helpline, reference)][-1]


def agent_chat(helpline: LocalHelpline, reference: str) -> int:
    return next(
        chat
        for chat, messages in helpline.standin.messages.items()
        if any(reference in message.text for message in messages)
    )


async def thread_of(helpline: LocalHelpline, reference: str) -> list[str]:
    async with helpline.app.state.sessionmaker() as session:
        case = await cases.get_by_reference(session, reference)
        [(_case, thread)] = [
            pair
            for pair in await cases.list_for_reporter(session, reporter_id=case.reporter_id)
            if pair[0].reference == reference
        ]
        return [message.text for message in thread]


async def test_the_mothers_answer_typed_straight_in_reaches_her_caseworker(
    user: TelegramUser, helpline: LocalHelpline, staff_login
):
    reference = await mother_reports(user)
    await caseworker_writes(helpline, staff_login, reference)

    replies = await user.send(ANSWER)
    assert f"Send this to your caseworker about {reference}?" in replies[-1].text
    assert "not found an answer" not in " ".join(reply.text for reply in replies)
    more = await user.send("Dia berangkat dengan sponsor dari Soe.")  # she goes on typing
    assert reference in more[-1].text
    sent = await user.press("✅ Yes, send it")
    assert f"added to {reference}" in sent[-1].text
    thread = await thread_of(helpline, reference)
    assert thread[-2:] == [ANSWER, "Dia berangkat dengan sponsor dari Soe."]


async def test_a_telegram_reply_to_the_caseworker_goes_to_the_case_at_once(
    user: TelegramUser, helpline: LocalHelpline, staff_login
):
    reference = await mother_reports(user)
    caseworkers_message = await caseworker_writes(helpline, staff_login, reference)
    replies = await user.send(ANSWER, reply_to=caseworkers_message)
    assert f"added to {reference}" in replies[-1].text
    assert (await thread_of(helpline, reference))[-1] == ANSWER


async def test_words_that_are_a_question_are_answered_as_one(
    user: TelegramUser, helpline: LocalHelpline, staff_login
):
    reference = await mother_reports(user)
    await caseworker_writes(helpline, staff_login, reference)
    await user.send("how much does a passport cost")
    replies = await user.press("No, it is a question")
    assert "passport" in replies[-1].text.lower()
    assert (await thread_of(helpline, reference))[-1] != "how much does a passport cost"
    replies = await user.send("how do i get a passport")  # the caseworker still waits: asked
    assert reference in replies[-1].text


async def test_without_a_caseworker_waiting_words_are_read_as_questions(user: TelegramUser):
    await user.send("/start")
    await user.press("English")
    replies = await user.send("how much does a passport cost")
    assert "caseworker" not in replies[-1].text and "passport" in replies[-1].text.lower()


async def test_dont_know_leaves_an_optional_answer_unknown_never_a_value(
    user: TelegramUser, helpline: LocalHelpline
):

    await user.send("/start")
    await user.press("English")
    steps = list(MISSING_DAUGHTER)
    steps[steps.index(("send", "PT Contoh Jaya"))] = ("send", "lupa")  # the recruiter
    steps[steps.index(("send", "c 1234567"))] = ("send", "tidak tahu")  # the passport
    for action, what in steps:
        await (user.send(what) if action == "send" else user.press(what))
    summary = user.inbox[-1].text
    assert "TIDAKTAHU" not in summary and "lupa" not in summary.lower()
    reference_in(await user.press("✅ Send"))
    async with helpline.app.state.sessionmaker() as session:
        [case] = (await session.scalars(select(Case))).all()
    assert "passport_number" not in case.details and "recruiter" not in case.details


async def test_start_in_the_middle_of_a_report_asks_before_leaving_it(
    user: TelegramUser, helpline: LocalHelpline
):
    await user.send("/start")
    await user.press("English")
    for action, what in MISSING_DAUGHTER[:9]:  # up to the destination country
        await (user.send(what) if action == "send" else user.press(what))
    asked_city = user.inbox[-1].text
    replies = await user.send("/start")
    assert "Continue your report or leave it?" in replies[-1].text
    replies = await user.press("▶️ Continue my report")
    assert replies[-1].text == asked_city  # the same question again, nothing lost
    await user.send("Kuching")
    replies = await user.send("/start")
    replies = await user.press("Leave it")
    texts = " ".join(reply.text for reply in replies)
    assert "Cancelled" in texts and "choose your language" in replies[-1].text
    replies = await user.send("how much does a passport cost")
    assert "passport" in replies[-1].text.lower()  # a question again, not a report's answer


async def test_a_reply_as_long_as_telegram_allows_reaches_the_case_whole(
    user: TelegramUser, helpline: LocalHelpline, staff_login
):
    """Telegram lets her send 4,096 characters; the backend keeps 4,000 in one reply. The
    longer reply was refused and lost ("something went wrong"); it is now kept in two parts."""
    reference = await mother_reports(user)
    caseworkers_message = await caseworker_writes(helpline, staff_login, reference)
    words = (ANSWER + " ") * 60
    long_answer = words[: words.rfind(" ", 0, 4096)]
    assert 4000 < len(long_answer) <= 4096
    replies = await user.send(long_answer, reply_to=caseworkers_message)
    assert f"added to {reference}" in replies[-1].text
    thread = await thread_of(helpline, reference)
    assert " ".join(thread[-2:]) == long_answer
    assert all(len(part) <= 4000 for part in thread[-2:])
