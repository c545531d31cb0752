"""The report conversations: a suspicious job offer, someone in danger, a missing relative, and
a question for a caseworker.

One ConversationHandler per kind, driven by the kind's list of steps: consent first, then one
question at a time (buttons where the answers are a list, "Skip" on optional steps, "Back"),
then a summary to send, start again or cancel. The conversation state is the name of the step
the user is on; the draft is JSON in user_data["report"]. The backend stores both after every
update, so a report in progress survives a restart of the bot.

Button data: `report:<kind>` starts a report (`report:offer:<n>` with a checked offer),
`rc:yes|no` answers the consent, `a:<step>:<value>` answers a step (`!back`, `!skip`),
`rs:send:<submission_id>|again|cancel` answers the summary."""

import warnings
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any
from uuid import uuid4

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.ext.filters import BaseFilter
from telegram.warnings import PTBUserWarning

from api.i18n import N_
from bot import texts, updates
from bot.context import HelplineContext
from bot.replies import main_menu, send, two_columns
from bot.report_input import (
    Invalid,
    country_name,
    first_day,
    match_country,
    match_district,
    means_dont_know,
    parse_age,
    parse_date,
    parse_passport,
    parse_phone,
    show_date,
)
from bot.telegram_io import MESSAGE_LIMIT, answer_query, edit_buttons, edit_text

REPORT = "report"  # user_data: the report being made
REPLYING = "replying_to"  # user_data: the case the user is writing to (bot.mycases)
LAST_SENT = "last_report"  # user_data: submission id and reference of the last report sent
CHECKED_OFFERS = "checked_offers"  # chat_data, memory only: offers checked lately
KEEP_CHECKED = 5
CONSENT = "consent"
SUMMARY = "summary"
SUMMARY_LIMIT = 300  # characters of a long answer shown in the summary
OFFER_LIMIT = 4000
PHOTO_TYPE = "image/jpeg"  # Telegram sends photos as JPEG
MAX_PHOTO_BYTES = 5 * 1024 * 1024

BACK = N_("◂ Back")
SKIP = N_("Skip ▸")
SHARE_NUMBER = N_("📱 Share my number")
AGREE = N_("I agree")
DECLINE = N_("No, thanks")
SEND = N_("✅ Send")
START_AGAIN = N_("✏️ Start again")
CANCEL = N_("Cancel")
REPORT_DANGER = N_("🆘 Report someone in danger")
HOW_REPORTING_WORKS = N_("📖 How reporting works")

CHOOSE_KIND = N_("What would you like to report? Caseworkers of IOM Kupang read every report.")
CONSENT_TEXT = N_(
    "Before we start. For this report we keep:\n{collected}\n• your Telegram user number\n\n"
    "Only the helpline's caseworkers at IOM Kupang read it. When it helps, they pass the case "
    "to the right service (for example the police or BP3MI); you can follow it with /mycases. "
    "You can delete your data at any time with /privacy.\n\n"
    "You can stop at any time with /cancel. Do you agree?"
)
DECLINED = N_(
    "All right: nothing of this report was kept. If you or someone else needs help now, "
    "these services can help:"
)
BUSY = N_("You are already making a report. Answer its last question, or send /cancel to stop it.")
STALE = N_("That button is no longer in use.")
INTERRUPTED = N_("You are in the middle of a report ({kind}). Continue your report or leave it?")
CONTINUE = N_("▶️ Continue my report")
LEAVE = N_("Leave it")
INTERRUPTING = ("start", "help", "language", "hotline", "privacy", "mycases", "subscribe")
NOT_OPEN = N_("This report is no longer open. Tap “{report}” in the menu to make one.")
CANCELLED = N_("Cancelled: nothing was sent, and nothing of this report was kept.")
NOTHING_TO_CANCEL = N_("There is nothing to cancel.")
TOO_LONG = N_("That is too long: please keep it under {limit} characters.")
CHOOSE_BUTTON = N_("Please tap one of the buttons.")
SEND_PHOTO = N_("Please send a photo, or tap “{skip}”.")
PHOTO_TOO_LARGE = N_("That photo is too large. Please send a smaller one.")
WORDS_PLEASE = N_("Please answer in words.")
BEFORE_LEAVING = N_("That is before they left home ({date}). Please check it.")
SO_FAR = N_("Your answer so far: {answer}")
THANKS = N_("Thank you.")
OK = N_("OK.")
SUMMARY_HEAD = N_("Please check your report before you send it:")
SUMMARY_BUTTONS = N_("Please tap “{send}”, “{again}” or “{cancel}” under your report.")
FLAGS_FOUND = N_("Warning signs found")
PHOTO_ATTACHED = N_("attached")
SENT = N_(
    "✅ Your report was sent. Its reference is {reference}.\n\n"
    "What happens next: a caseworker of IOM Kupang reads it, usually within one working day, "
    "and urgent reports at once. They may write to you here. Send /mycases to see your "
    "reports and their messages, and to add information."
)
SENT_URGENT = N_("🚨 It is marked urgent: caseworkers see it first.")
EMERGENCY = N_(
    "⚠️ If you or someone else is in danger now, contact these services at once. "
    "They can help day and night:"
)
EMERGENCY_IN_REPORT = N_("Your report will be marked urgent. Let us continue with it.")
URGENT_NOTED = N_("Your message will make your report urgent for the caseworkers.")


class Ask(StrEnum):
    """How a step is answered, and so how its answer is read, shown and sent."""

    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes_no"
    DISTRICT = "district"
    COUNTRY = "country"
    DATE = "date"
    AGE = "age"
    PHONE = "phone"
    PASSPORT = "passport"
    PHOTO = "photo"


@dataclass(frozen=True)
class Step:
    name: str  # the conversation state, and the answer's field on the wire
    question: str
    label: str  # in the summary
    ask: Ask = Ask.TEXT
    optional: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) of the buttons
    max_length: int = 200
    not_before: str | None = None  # a date step this one cannot be earlier than
    share_contact: bool = False  # offer Telegram's "share my number" button
    alarm: bool = False  # a "yes" is answered at once with the emergency contacts


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    collected: str  # what the consent says is kept
    steps: tuple[Step, ...]
    top_level: frozenset[str] = frozenset()  # answers sent beside the details, not in them

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)


SEEN_WHERE = (
    ("whatsapp", N_("WhatsApp")),
    ("facebook", N_("Facebook")),
    ("person", N_("A person")),
    ("other", N_("Other")),
)
SEX = (("female", N_("Female")), ("male", N_("Male")))
YES_NO = (("yes", N_("Yes")), ("no", N_("No")))
RELATIONSHIP = (
    ("parent", N_("Parent")),
    ("child", N_("Child")),
    ("spouse", N_("Husband or wife")),
    ("sibling", N_("Brother or sister")),
    ("relative", N_("Other relative")),
    ("friend", N_("Friend")),
    ("other", N_("Other")),
)
DESTINATIONS = (
    ("MY", N_("Malaysia")),
    ("SG", N_("Singapore")),
    ("HK", N_("Hong Kong")),
    ("TW", N_("Taiwan")),
    ("BN", N_("Brunei")),
    ("SA", N_("Saudi Arabia")),
    ("ID", N_("Indonesia")),
)
DATE_HINT = N_("a date (17-08-2024), a month (March 2024) or a year (2024)")

OFFER = Kind(
    name="offer",
    title=N_("Suspicious job offer"),
    collected=N_(
        "• the offer and where you saw it\n"
        "• the recruiter's name and phone number, if you know them\n"
        "• your district and village"
    ),
    steps=(
        Step(
            "offer_text",
            N_("Please paste or type the job offer, as you received it."),
            N_("Offer"),
            max_length=OFFER_LIMIT,
        ),
        Step(
            "seen_where",
            N_("Where did you see or get this offer?"),
            N_("Seen on"),
            Ask.CHOICE,
            choices=SEEN_WHERE,
        ),
        Step(
            "recruiter_name",
            N_("What is the name of the recruiter (the person or company offering the job)?"),
            N_("Recruiter"),
            optional=True,
            max_length=120,
        ),
        Step(
            "recruiter_phone",
            N_("What is the recruiter's phone or WhatsApp number?"),
            N_("Recruiter's number"),
            Ask.PHONE,
            optional=True,
        ),
        Step(
            "district",
            N_("Which district (kabupaten) do you live in? Tap it or write its name."),
            N_("District"),
            Ask.DISTRICT,
        ),
        Step(
            "village",
            N_("Which village (desa or kelurahan)?"),
            N_("Village"),
            optional=True,
            max_length=120,
        ),
    ),
    top_level=frozenset({"district"}),
)

DANGER = Kind(
    name="danger",
    title=N_("Someone in danger"),
    collected=N_(
        "• what is happening, to whom, where and since when\n• how to reach the person or you"
    ),
    steps=(
        Step(
            "what_happens",
            N_("What is happening? Tell us who is in danger and what they are going through."),
            N_("What is happening"),
            max_length=4000,
        ),
        Step(
            "country",
            N_("In which country is the person? Tap it or write its name."),
            N_("Country"),
            Ask.COUNTRY,
            choices=DESTINATIONS,
        ),
        Step(
            "city",
            N_("In which city or place?"),
            N_("City or place"),
            optional=True,
            max_length=120,
        ),
        Step(
            "employer",
            N_("Who is the employer (a person, a company, a plantation)?"),
            N_("Employer"),
            optional=True,
        ),
        Step(
            "since_when",
            N_("Since when has this been going on? (for example: two weeks, since March 2024)"),
            N_("Since when"),
            max_length=120,
        ),
        Step(
            "danger_now",
            N_("Is the person in danger right now?"),
            N_("In danger now"),
            Ask.YES_NO,
            choices=YES_NO,
            alarm=True,
        ),
        Step(
            "contact",
            N_("How can a caseworker reach the person, or you? (a phone number, WhatsApp, …)"),
            N_("How to reach"),
            optional=True,
        ),
    ),
)

MISSING = Kind(
    name="missing",
    title=N_("Missing relative"),
    collected=N_(
        "• about your relative: name, sex, age, home, where they went, when they left and when "
        "you last heard from them, who recruited them, the employer and passport number if you "
        "know them, and a photo if you send one\n"
        "• about you: your name, how you are related, and your phone number"
    ),
    steps=(
        Step(
            "name",
            N_("What is the full name of your missing relative?"),
            N_("Name"),
            max_length=120,
        ),
        Step("sex", N_("Is it a woman or a man?"), N_("Sex"), Ask.CHOICE, choices=SEX),
        Step(
            "age",
            N_("How old are they? Write the age in years (24), or the birth date (17-08-2001)."),
            N_("Age or birth date"),
            Ask.AGE,
        ),
        Step(
            "home_district",
            N_("Which district (kabupaten) is their home? Tap it or write its name."),
            N_("Home district"),
            Ask.DISTRICT,
        ),
        Step(
            "village",
            N_("Which village (desa or kelurahan)?"),
            N_("Village"),
            optional=True,
            max_length=120,
        ),
        Step(
            "destination_country",
            N_("To which country did they go? Tap it or write its name."),
            N_("Went to"),
            Ask.COUNTRY,
            choices=DESTINATIONS,
        ),
        Step(
            "destination_city",
            N_("To which city or place?"),
            N_("City or place"),
            optional=True,
            max_length=120,
        ),
        Step(
            "left_on",
            N_("When did they leave home? Write {date_hint}."),
            N_("Left home"),
            Ask.DATE,
        ),
        Step(
            "last_contact_on",
            N_("When did you last hear from them? Write {date_hint}."),
            N_("Last contact"),
            Ask.DATE,
            not_before="left_on",
        ),
        Step(
            "recruiter",
            N_("Who recruited them (a person or a company)?"),
            N_("Recruiter"),
            optional=True,
        ),
        Step(
            "employer",
            N_("Who is their employer, if you know?"),
            N_("Employer"),
            optional=True,
        ),
        Step(
            "passport_number",
            N_("What is their passport number, if you know it?"),
            N_("Passport number"),
            Ask.PASSPORT,
            optional=True,
        ),
        Step(
            "photo",
            N_("If you have a photo of them, send it here: it helps to find them."),
            N_("Photo"),
            Ask.PHOTO,
            optional=True,
        ),
        Step(
            "reporter_name",
            N_("Now about you: what is your name?"),
            N_("Your name"),
            max_length=120,
        ),
        Step(
            "reporter_relationship",
            N_("How are you related to them? You are their…"),
            N_("You are their"),
            Ask.CHOICE,
            choices=RELATIONSHIP,
        ),
        Step(
            "reporter_phone",
            N_("What is your phone number? Tap “{share}” below, or write it."),
            N_("Your phone"),
            Ask.PHONE,
            share_contact=True,
        ),
    ),
)

QUESTION = Kind(
    name="question",
    title=N_("Question for a caseworker"),
    collected=N_("• your question"),
    steps=(
        Step(
            "question",
            N_("Write your question for the caseworker. They will answer you here."),
            N_("Question"),
            max_length=4000,
        ),
    ),
)

KINDS = {kind.name: kind for kind in (OFFER, DANGER, MISSING, QUESTION)}


# The draft


def busy(context: HelplineContext) -> bool:
    """A report or a message to a caseworker is under way."""
    return REPORT in context.user_data or REPLYING in context.user_data


def next_step(kind: Kind, draft: dict[str, Any], after: str | None) -> Step | None:
    """The step after `after` (the first when None), passing over prefilled answers."""
    names = [step.name for step in kind.steps]
    start = names.index(after) + 1 if after else 0
    return next((s for s in kind.steps[start:] if s.name not in draft["prefill"]), None)


async def districts(context: HelplineContext) -> dict[str, str]:
    """District slug -> name, asked of the backend once."""
    if "districts" not in context.bot_data:
        context.bot_data["districts"] = await context.api.districts()
    return context.bot_data["districts"]


async def options(context: HelplineContext, step: Step) -> list[tuple[str, str]]:
    """The step's buttons as (value, label in the user's language)."""
    if step.ask is Ask.DISTRICT:
        return list((await districts(context)).items())
    return [(value, context._(label)) for value, label in step.choices]


def _shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT].rstrip() + "…"


async def shown(context: HelplineContext, step: Step, value: Any) -> str:
    """An answer as the user reads it in the summary."""
    if step.ask in (Ask.CHOICE, Ask.YES_NO, Ask.COUNTRY, Ask.DISTRICT):
        labels = dict(await options(context, step))
        if value in labels:
            return labels[value]
        return country_name(value, context.lang) if step.ask is Ask.COUNTRY else value
    if step.ask is Ask.DATE:
        return show_date(value)
    if step.ask is Ask.AGE:
        return str(value) if isinstance(value, int) else show_date(value)
    if step.ask is Ask.PHOTO:
        return "📷 " + context._(PHOTO_ATTACHED)
    return _shorten(value)


def wire_fields(step: Step, value: Any) -> dict[str, Any]:
    """An answer as the backend takes it (POST /api/v1/cases)."""
    if step.ask is Ask.DATE:
        return {step.name: first_day(value).isoformat()}
    if step.ask is Ask.AGE:
        return {"age": value} if isinstance(value, int) else {"birth_date": value}
    if step.ask is Ask.YES_NO:
        return {step.name: value == "yes"}
    return {step.name: value}


async def read(context: HelplineContext, step: Step, draft: dict[str, Any], text: str) -> Any:
    """A typed answer to the step, or Invalid with the reason."""
    if step.ask is Ask.TEXT:
        if len(text) > step.max_length:
            raise Invalid(TOO_LONG, limit=step.max_length)
        return text
    if step.ask is Ask.DISTRICT:
        return match_district(text, await districts(context))
    if step.ask in (Ask.CHOICE, Ask.YES_NO, Ask.COUNTRY):
        typed = text.casefold()
        for value, label in await options(context, step):
            if typed in (value.casefold(), label.casefold()):
                return value
        if step.ask is Ask.COUNTRY:
            return match_country(text)
        raise Invalid(CHOOSE_BUTTON)
    if step.ask is Ask.DATE:
        value = parse_date(text)
        earlier = draft["answers"].get(step.not_before) if step.not_before else None
        if earlier and first_day(value) < first_day(earlier):
            raise Invalid(BEFORE_LEAVING, date=show_date(earlier))
        return value
    if step.ask is Ask.AGE:
        return parse_age(text)
    if step.ask is Ask.PHONE:
        return parse_phone(text)
    if step.ask is Ask.PASSPORT:
        return parse_passport(text)
    raise Invalid(SEND_PHOTO, skip=context._(SKIP))


async def report_body(
    context: HelplineContext, kind: Kind, draft: dict[str, Any], user_id: int
) -> dict[str, Any]:
    """The report for POST /api/v1/cases; a photo is downloaded and uploaded only now."""
    details: dict[str, Any] = dict(draft["extra"])
    body: dict[str, Any] = {
        "submission_id": draft["submission_id"],
        "kind": kind.name,
        "channel_user_id": str(user_id),
        "language": context.lang,
        "consent": True,
        "danger_noticed": draft["danger"],
        "details": details,
    }
    for step in kind.steps:
        value = draft["answers"].get(step.name)
        if value is None:
            continue
        if step.ask is Ask.PHOTO:
            photo = await (await context.bot.get_file(value)).download_as_bytearray()
            body["photo_upload_key"] = await context.api.upload_photo(bytes(photo), PHOTO_TYPE)
        else:
            (body if step.name in kind.top_level else details).update(wire_fields(step, value))
    return body


# Showing things


async def hotlines(context: HelplineContext) -> str:
    return (await context.api.topic("hotlines", context.lang))["pages"][0]


async def send_emergency(update: Update, context: HelplineContext) -> None:
    """The emergency contacts at once; with a button to report someone in danger, unless a
    report or a message to a caseworker is under way (it will be urgent)."""
    _ = context._
    text = _(EMERGENCY) + "\n\n" + await hotlines(context)
    markup = None
    if REPORT in context.user_data:
        text += "\n\n" + _(EMERGENCY_IN_REPORT)
    elif REPLYING in context.user_data:
        text += "\n\n" + _(URGENT_NOTED)
    else:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(_(REPORT_DANGER), callback_data="report:danger")]]
        )
    await send(update, text, reply_markup=markup)


async def show_report_kinds(update: Update, context: HelplineContext) -> None:
    """The "📝 Report" menu: the four kinds of report."""
    _ = context._
    rows = [
        [InlineKeyboardButton(_(kind.title), callback_data=f"report:{kind.name}")]
        for kind in KINDS.values()
    ]
    rows.append([InlineKeyboardButton(_(HOW_REPORTING_WORKS), callback_data="topic:report.how")])
    await send(update, _(CHOOSE_KIND), reply_markup=InlineKeyboardMarkup(rows))


def remember_checked_offer(
    context: HelplineContext, key: int, text: str, result: dict[str, Any]
) -> str:
    """Keep an offer just checked, so that its "Report" button can fill the report in; the
    button's data. Kept in chat_data, which stays in memory: the offer reaches the backend
    only if the user agrees and sends the report."""
    checked = context.chat_data.setdefault(CHECKED_OFFERS, {})
    checked[str(key)] = {
        "text": text[:OFFER_LIMIT],
        "flags": [flag["id"] for flag in result["flags"]],
        "labels": [flag["label"] for flag in result["flags"]],
    }
    while len(checked) > KEEP_CHECKED:
        del checked[next(iter(checked))]
    return f"report:offer:{key}"


async def mark_answered(update: Update) -> None:
    """Take the buttons off the message just answered, noting the tapped one under it."""
    query = update.callback_query
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    label = next(
        (
            button.text
            for row in message.reply_markup.inline_keyboard
            for button in row
            if button.callback_data == query.data
        ),
        None,
    )
    text = message.text or ""
    if label and text and len(text) + len(label) + 4 <= MESSAGE_LIMIT:
        await edit_text(query, f"{text}\n\n➜ {label}")
    else:
        await edit_buttons(query, None)


async def keyboard(context: HelplineContext, step: Step, draft: dict[str, Any]):
    _ = context._
    if step.share_contact:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(_(SHARE_NUMBER), request_contact=True)], [KeyboardButton(_(BACK))]],
            resize_keyboard=True,
        )
    buttons = [
        InlineKeyboardButton(label, callback_data=f"a:{step.name}:{value}")
        for value, label in await options(context, step)
    ]
    rows = two_columns(buttons)
    navigation = []
    if draft["history"]:
        navigation.append(InlineKeyboardButton(_(BACK), callback_data=f"a:{step.name}:!back"))
    if step.optional:
        navigation.append(InlineKeyboardButton(_(SKIP), callback_data=f"a:{step.name}:!skip"))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows) if rows else None


async def ask(
    update: Update, context: HelplineContext, step: Step, *, problem: Invalid | None = None
) -> str:
    """Ask the step's question (after what was wrong with the last answer); its state."""
    _ = context._
    draft = context.user_data[REPORT]
    parts = ["⚠️ " + problem.explain(_)] if problem else []
    parts.append(_(step.question).format(share=_(SHARE_NUMBER), date_hint=_(DATE_HINT)))
    current = draft["answers"].get(step.name)
    if current is not None:
        parts.append(_(SO_FAR).format(answer=await shown(context, step, current)))
    draft["asking"] = step.name
    await send(update, "\n\n".join(parts), reply_markup=await keyboard(context, step, draft))
    return step.name


async def show_summary(
    update: Update, context: HelplineContext, kind: Kind, *, nudge: bool = False
) -> str:
    _ = context._
    draft = context.user_data[REPORT]
    draft["asking"] = SUMMARY
    lines = [f"📝 {_(kind.title)}", _(SUMMARY_HEAD), ""]
    for step in kind.steps:
        value = draft["answers"].get(step.name)
        if value is not None:
            lines.append(f"• {_(step.label)}: {await shown(context, step, value)}")
    if draft.get("flag_labels"):
        lines.append(f"• {_(FLAGS_FOUND)}: " + "; ".join(draft["flag_labels"]))
    if nudge:
        lines.insert(
            0,
            _(SUMMARY_BUTTONS).format(send=_(SEND), again=_(START_AGAIN), cancel=_(CANCEL)) + "\n",
        )
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_(SEND), callback_data=f"rs:send:{draft['submission_id']}")],
            [InlineKeyboardButton(_(START_AGAIN), callback_data="rs:again")],
            [InlineKeyboardButton(_(CANCEL), callback_data="rs:cancel")],
        ]
    )
    await send(update, "\n".join(lines), reply_markup=buttons)
    return SUMMARY


def sent_text(context: HelplineContext, sent: dict[str, Any]) -> str:
    _ = context._
    text = _(SENT).format(reference=sent["reference"])
    return text + ("\n\n" + _(SENT_URGENT) if sent["urgent"] else "")


# The conversation's callbacks


async def start(update: Update, context: HelplineContext, *, kind: Kind) -> object:
    """Start a report of `kind` (a button): the consent question."""
    _ = context._
    query = update.callback_query
    await answer_query(query)
    if busy(context):
        await send(update, _(BUSY))
        return ConversationHandler.END
    prefix, _sep, rest = query.data.partition(":")
    draft: dict[str, Any] = {
        "kind": kind.name,
        "submission_id": str(uuid4()),
        "answers": {},
        "prefill": {},
        "history": [],
        "extra": {"topic": rest} if prefix == "human" else {},
        "danger": False,
    }
    if rest.startswith("offer:"):
        draft["checked"] = rest.split(":", 1)[1]
    context.user_data[REPORT] = draft
    return await ask_consent(update, context, kind)


async def ask_consent(update: Update, context: HelplineContext, kind: Kind) -> object:
    _ = context._
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(AGREE), callback_data="rc:yes"),
                InlineKeyboardButton(_(DECLINE), callback_data="rc:no"),
            ]
        ]
    )
    text = f"📝 {_(kind.title)}\n\n" + _(CONSENT_TEXT).format(collected=_(kind.collected))
    await send(update, text, reply_markup=buttons)
    return CONSENT


async def no_longer_open(update: Update, context: HelplineContext) -> object:
    """The draft is gone (the user deleted their data): end quietly."""
    if update.callback_query:
        await answer_query(update.callback_query)
    text = context._(NOT_OPEN).format(report=context._(texts.MENU_REPORT))
    await send(update, text, reply_markup=main_menu(context))
    return ConversationHandler.END


async def consent_answered(update: Update, context: HelplineContext, *, kind: Kind) -> object:
    query = update.callback_query
    draft = context.user_data.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    await answer_query(query)
    await mark_answered(update)
    if query.data == "rc:no":
        del context.user_data[REPORT]
        text = context._(DECLINED) + "\n\n" + await hotlines(context)
        await send(update, text, reply_markup=main_menu(context))
        return ConversationHandler.END
    checked = context.chat_data.get(CHECKED_OFFERS, {}).get(draft.pop("checked", None))
    if checked:
        draft["prefill"] = {"offer_text": checked["text"]}
        draft["answers"] = dict(draft["prefill"])
        draft["extra"]["flags"] = checked["flags"]
        draft["flag_labels"] = checked["labels"]
    return await ask(update, context, next_step(kind, draft, None))


async def answered(
    update: Update, context: HelplineContext, kind: Kind, step: Step, value: Any
) -> str:
    """Keep the answer (None: skipped) and go on to the next step or the summary."""
    draft = context.user_data[REPORT]
    if value is None:
        draft["answers"].pop(step.name, None)
    else:
        draft["answers"][step.name] = value
    if step.share_contact:
        await send(update, context._(THANKS), reply_markup=main_menu(context))
    if step.alarm and value == "yes":
        await send_emergency(update, context)
    draft["history"].append(step.name)
    following = next_step(kind, draft, step.name)
    if following is None:
        return await show_summary(update, context, kind)
    return await ask(update, context, following)


async def go_back(update: Update, context: HelplineContext, kind: Kind, step: Step) -> str:
    draft = context.user_data[REPORT]
    if step.share_contact:
        await send(update, context._(OK), reply_markup=main_menu(context))
    previous = kind.step(draft["history"].pop()) if draft["history"] else step
    return await ask(update, context, previous)


async def button_tapped(
    update: Update, context: HelplineContext, *, kind: Kind, step: Step
) -> object:
    query = update.callback_query
    draft = context.user_data.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    value = query.data.split(":", 2)[2]
    allowed = {v for v, _label in await options(context, step)}
    if value not in allowed | {"!back", "!skip"} or (value == "!skip" and not step.optional):
        await answer_query(query, context._(STALE))
        return None
    await answer_query(query)
    await mark_answered(update)
    if value == "!back":
        return await go_back(update, context, kind, step)
    return await answered(update, context, kind, step, None if value == "!skip" else value)


async def text_typed(update: Update, context: HelplineContext, *, kind: Kind, step: Step) -> object:
    draft = context.user_data.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    text = update.effective_message.text.strip()
    if step.share_contact and text == context._(BACK):
        return await go_back(update, context, kind, step)
    if step.optional and means_dont_know(text):  # unknown, never a value ("TIDAKTAHU")
        return await answered(update, context, kind, step, None)
    try:
        value = await read(context, step, draft, text)
    except Invalid as problem:
        return await ask(update, context, step, problem=problem)
    return await answered(update, context, kind, step, value)


async def photo_sent(update: Update, context: HelplineContext, *, kind: Kind, step: Step) -> object:
    if REPORT not in context.user_data:
        return await no_longer_open(update, context)
    photo = update.effective_message.photo[-1]  # the largest size
    if photo.file_size and photo.file_size > MAX_PHOTO_BYTES:
        return await ask(update, context, step, problem=Invalid(PHOTO_TOO_LARGE))
    return await answered(update, context, kind, step, photo.file_id)


async def contact_shared(
    update: Update, context: HelplineContext, *, kind: Kind, step: Step
) -> object:
    if REPORT not in context.user_data:
        return await no_longer_open(update, context)
    number = update.effective_message.contact.phone_number
    try:
        value = parse_phone(number if number.startswith("+") else f"+{number}")
    except Invalid as problem:
        return await ask(update, context, step, problem=problem)
    return await answered(update, context, kind, step, value)


async def other_sent(update: Update, context: HelplineContext, *, step: Step) -> object:
    """A sticker, voice message, file…: explain what the step needs."""
    if REPORT not in context.user_data:
        return await no_longer_open(update, context)
    if step.ask is Ask.PHOTO:
        problem = Invalid(SEND_PHOTO, skip=context._(SKIP))
    elif step.choices or step.ask is Ask.DISTRICT:
        problem = Invalid(CHOOSE_BUTTON)
    else:
        problem = Invalid(WORDS_PLEASE)
    return await ask(update, context, step, problem=problem)


async def send_report(update: Update, context: HelplineContext, *, kind: Kind) -> object:
    query = update.callback_query
    draft = context.user_data.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    if query.data != f"rs:send:{draft['submission_id']}":
        await answer_query(query, context._(STALE))
        return None
    await answer_query(query)
    body = await report_body(context, kind, draft, update.effective_user.id)
    created = await context.api.create_case(body)
    await mark_answered(update)
    del context.user_data[REPORT]
    sent = {
        "submission_id": draft["submission_id"],
        "reference": created["reference"],
        "urgent": created["priority"] == "urgent",
    }
    context.user_data[LAST_SENT] = sent
    await send(update, sent_text(context, sent), reply_markup=main_menu(context))
    return ConversationHandler.END


async def start_again(update: Update, context: HelplineContext, *, kind: Kind) -> object:
    draft = context.user_data.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    await answer_query(update.callback_query)
    await mark_answered(update)
    draft["answers"] = dict(draft["prefill"])
    draft["history"] = []
    return await ask(update, context, next_step(kind, draft, None))


async def summary_typed(update: Update, context: HelplineContext, *, kind: Kind) -> object:
    if REPORT not in context.user_data:
        return await no_longer_open(update, context)
    return await show_summary(update, context, kind, nudge=True)


async def interrupted(update: Update, context: HelplineContext, *, kind: Kind) -> None:
    """A command in the middle of a report: ask before leaving it (the draft stays)."""
    _ = context._
    command = (updates.text(update).split() or ["/start"])[0].lstrip("/").split("@")[0]
    context.user_data["interrupted_by"] = command
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_(CONTINUE), callback_data="ri:continue")],
            [InlineKeyboardButton(_(LEAVE), callback_data="ri:leave")],
        ]
    )
    await send(update, _(INTERRUPTED).format(kind=_(kind.title)), reply_markup=buttons)


async def interruption_answered(
    update: Update, context: HelplineContext, *, kind: Kind
) -> object:
    """Continue: the question the report was on, again. Leave: the report is dropped and
    the command the user sent is carried out."""
    query = updates.tapped(update)
    await answer_query(query)
    await mark_answered(update)
    command = context.user_data.pop("interrupted_by", "start")
    draft = context.user_data.get(REPORT)
    if draft is None:
        return ConversationHandler.END
    if updates.tap_data(update) == "ri:continue":
        asking = draft.get("asking")
        if asking == SUMMARY:
            return await show_summary(update, context, kind)
        if asking is None:  # still at the consent question
            return await ask_consent(update, context, kind)
        return await ask(update, context, kind.step(asking))
    context.user_data.pop(REPORT, None)
    await send(update, context._(CANCELLED))
    await context.bot_data["commands"][command](update, context)
    return ConversationHandler.END


async def cancel(update: Update, context: HelplineContext) -> object:
    """/cancel or the summary's Cancel: drop the draft."""
    if update.callback_query:
        await answer_query(update.callback_query)
        await mark_answered(update)
    context.user_data.pop(REPORT, None)
    await send(update, context._(CANCELLED), reply_markup=main_menu(context))
    return ConversationHandler.END


async def stale_button(update: Update, context: HelplineContext) -> None:
    """A button of a question already answered, or of a report no longer open."""
    await answer_query(update.callback_query, context._(STALE))


# Outside the conversations


async def watch_for_danger(update: Update, context: HelplineContext) -> None:
    """Any text with danger words gets the emergency contacts at once, and the report being
    made is marked to be sent urgent. The message is then handled as usual."""
    if not await context.api.safety_check(update.effective_message.text):
        return
    draft = context.user_data.get(REPORT)
    if draft is not None:
        draft["danger"] = True
    await send_emergency(update, context)


async def danger_sign(update: Update, context: HelplineContext) -> None:
    """The answers saw a danger sign (a minor taken away) that the danger words missed: the
    emergency contacts, and the report being made is marked urgent."""
    if await context.api.safety_check(update.effective_message.text):
        return  # watch_for_danger has already answered it
    draft = context.user_data.get(REPORT)
    if draft is not None:
        draft["danger"] = True
    await send_emergency(update, context)


async def sent_again(update: Update, context: HelplineContext) -> None:
    """The Send of a report already sent (Telegram delivered the tap twice): same reference."""
    query = update.callback_query
    sent = context.user_data.get(LAST_SENT)
    if sent is None or query.data != f"rs:send:{sent['submission_id']}":
        await answer_query(query, context._(STALE))
        return
    await answer_query(query)
    await send(update, sent_text(context, sent), reply_markup=main_menu(context))


async def remind_busy(update: Update, context: HelplineContext) -> None:
    await answer_query(update.callback_query)
    await send(update, context._(BUSY))


async def cancel_outside(update: Update, context: HelplineContext) -> None:
    """/cancel with no conversation under way: clear anything left over."""
    left = context.user_data.pop(REPORT, None) or context.user_data.pop(REPLYING, None)
    text = CANCELLED if left is not None else NOTHING_TO_CANCEL
    await send(update, context._(text), reply_markup=main_menu(context))


def conversation(kind: Kind, entry_points: list, typed: BaseFilter) -> ConversationHandler:
    other = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    states: dict[object, list] = {
        CONSENT: [
            CallbackQueryHandler(partial(consent_answered, kind=kind), pattern=r"^rc:(yes|no)$")
        ]
    }
    for step in kind.steps:
        handlers = [
            CallbackQueryHandler(
                partial(button_tapped, kind=kind, step=step), pattern=rf"^a:{step.name}:"
            ),
            MessageHandler(typed, partial(text_typed, kind=kind, step=step)),
        ]
        if step.ask is Ask.PHOTO:
            handlers.append(
                MessageHandler(filters.PHOTO, partial(photo_sent, kind=kind, step=step))
            )
        if step.share_contact:
            handlers.append(
                MessageHandler(filters.CONTACT, partial(contact_shared, kind=kind, step=step))
            )
        handlers.append(MessageHandler(other, partial(other_sent, step=step)))
        states[step.name] = handlers
    states[SUMMARY] = [
        CallbackQueryHandler(partial(send_report, kind=kind), pattern=r"^rs:send:"),
        CallbackQueryHandler(partial(start_again, kind=kind), pattern=r"^rs:again$"),
        CallbackQueryHandler(cancel, pattern=r"^rs:cancel$"),
        MessageHandler(typed | other, partial(summary_typed, kind=kind)),
    ]
    with warnings.catch_warnings():
        # Buttons carry the step they answer, so a conversation per chat (not per message)
        # is what we want; PTB warns about CallbackQueryHandlers in that case.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=[
                CommandHandler("cancel", cancel),
                CommandHandler(list(INTERRUPTING), partial(interrupted, kind=kind)),
                CallbackQueryHandler(
                    partial(interruption_answered, kind=kind), pattern=r"^ri:(continue|leave)$"
                ),
                CallbackQueryHandler(stale_button, pattern=r"^(a|rc|rs|ri):"),
            ],
            name=f"report_{kind.name}",
            persistent=True,
        )


def add_conversations(application: Application, *, menu: BaseFilter) -> None:
    """The four report conversations. `menu` (the menu buttons' texts) is never an answer:
    a menu button does what it always does, and the report waits."""
    typed = filters.TEXT & ~filters.COMMAND & ~menu
    for kind in KINDS.values():
        pattern = rf"^report:{kind.name}$"
        if kind is OFFER:
            pattern = r"^report:offer(:\d+)?$"
        entry_points = [CallbackQueryHandler(partial(start, kind=kind), pattern=pattern)]
        if kind is QUESTION:  # an answer's "Talk to a person", with its topic
            entry_points.append(
                CallbackQueryHandler(partial(start, kind=kind), pattern=r"^human:[a-z0-9_.]{1,58}$")
            )
        application.add_handler(conversation(kind, entry_points, typed))


def add_fallbacks(application: Application) -> None:
    """After every conversation: a repeated Send, stale buttons, starting a second report."""
    application.add_handler(CallbackQueryHandler(sent_again, pattern=r"^rs:send:"))
    application.add_handler(CallbackQueryHandler(stale_button, pattern=r"^(a|rc|rs|ri):"))
    application.add_handler(CallbackQueryHandler(remind_busy, pattern=r"^(report|human|reply):"))
    application.add_handler(CommandHandler("cancel", cancel_outside))
