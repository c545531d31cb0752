"""The report conversation: any kind of report the backend declares (a suspicious job offer,
someone in danger, a missing relative, unpaid wages, a question for a caseworker).

The backend owns the forms (GET /api/v1/forms/{kind}) and reads every answer (POST
/api/v1/forms/{kind}/answers): this module only shows a form's questions and buttons, passes
on what the user typed, tapped or sent, and shows what the backend made of it. It holds no
field rule. Consent first, then one question at a time ("Back", "Don't know" on optional
steps), then a summary to send, change one answer, start again or cancel. The conversation
state is the stage (consent, a question, the summary); the draft is JSON in
user_data["report"], which the backend stores after every update, so a report in progress
survives a restart of the bot.

Button data: `report:<kind>` starts a report (`report:offer:<n>` with a checked offer,
`report:<kind>:<n>` with the words an answer kept, `human:<topic>` a question about a topic),
`rc:yes|no` answers the consent, `a:<field>:<value>` answers a question (`!back`, `!skip`),
`rs:send:<submission_id>|again|change|cancel` answers the summary, `rx:<field>` picks the
answer to change."""

import warnings
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
    BaseHandler,
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
from bot.persistence import BackendPersistence
from bot.replies import main_menu, send, two_columns
from bot.telegram_io import MESSAGE_LIMIT, answer_query, edit_buttons, edit_text

REPORT = "report"  # user_data: the report being made
REPLYING = "replying_to"  # user_data: the case the user is writing to (bot.mycases)
LAST_SENT = "last_report"  # user_data: submission id and reference of the last report sent
# chat_data, memory only: what a report's button can fill it in with (offers just checked,
# a person's words just answered), by the message the button is under
REPORT_STARTS = "report_starts"
KEEP_STARTS = 5
# chat_data, memory only: report kind -> the key in REPORT_STARTS of the latest words answered
# with that kind's report button, for the same report started from the menu instead
LATEST_WORDS = "latest_words"
CONSENT = "consent"
ASKING = "asking"
SUMMARY = "summary"
CHANGING = "changing"
OFFER_LIMIT = 4000
PHOTO_TYPE = "image/jpeg"  # Telegram sends photos as JPEG
MAX_PHOTO_BYTES = 5 * 1024 * 1024
KIND = r"[a-z][a-z0-9_]{1,15}"

BACK = N_("◂ Back")
AGREE = N_("I agree")
DECLINE = N_("No, thanks")
SEND = N_("✅ Send")
CHANGE = N_("✏️ Change an answer")
START_AGAIN = N_("🔄 Start again")
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
PHOTO_TOO_LARGE = N_("That photo is too large. Please send a smaller one.")
PHOTO_KEPT = N_("📷 Thank you: the picture is attached to your report.")
NOT_HERE = N_(
    "I cannot use voice messages, stickers, files or locations in a report. "
    "Please answer in words, or with the buttons."
)
SO_FAR = N_("Your answer so far: {answer}")
WORDS_KEPT = N_(
    "What you wrote before is kept with this report, in your words, for your caseworker, "
    "who will read all of it."
)
THANKS = N_("Thank you.")
OK = N_("OK.")
SUMMARY_HEAD = N_("Please check your report before you send it:")
SUMMARY_BUTTONS = N_("Please tap “{send}”, “{change}” or “{cancel}” under your report.")
WHICH_ANSWER = N_("Which answer would you like to change?")
FLAGS_FOUND = N_("Warning signs found")
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


# The forms, as the backend serves them


async def form_of(context: HelplineContext, kind: str) -> dict[str, Any]:
    """The kind's form in the user's language, asked of the backend once per language."""
    cache = context.bot_data.setdefault("forms", {})
    key = f"{kind}:{context.lang}"
    if key not in cache:
        cache[key] = await context.api.form(kind, context.lang)
    return cache[key]


async def kind_titles(context: HelplineContext) -> dict[str, str]:
    """The kinds of report and their titles in the user's language, in the order offered."""
    cache = context.bot_data.setdefault("kind_titles", {})
    if context.lang not in cache:
        kinds = await context.api.forms(context.lang)
        cache[context.lang] = {kind["kind"]: kind["title"] for kind in kinds}
    return cache[context.lang]


def step_of(form: dict[str, Any], field: str) -> dict[str, Any] | None:
    return next((step for step in form["steps"] if step["field"] == field), None)


async def districts(context: HelplineContext) -> dict[str, str]:
    """District slug -> name, asked of the backend once."""
    if "districts" not in context.bot_data:
        context.bot_data["districts"] = await context.api.districts()
    return context.bot_data["districts"]


# The draft


def busy(context: HelplineContext) -> bool:
    """A report or a message to a caseworker is under way."""
    return REPORT in context.state or REPLYING in context.state


def next_step(form: dict[str, Any], draft: dict[str, Any], after: str | None) -> dict | None:
    """The question after `after` (the first when None), passing over prefilled answers."""
    fields = [step["field"] for step in form["steps"]]
    start = fields.index(after) + 1 if after in fields else 0
    return next((s for s in form["steps"][start:] if s["field"] not in draft["prefill"]), None)


def report_body(draft: dict[str, Any], user_id: int, lang: str) -> dict[str, Any]:
    """The report for POST /api/v1/cases: the values the backend read, as it read them."""
    return {
        "submission_id": draft["submission_id"],
        "kind": draft["kind"],
        "channel_user_id": str(user_id),
        "language": lang,
        "consent": True,
        "danger_noticed": draft["danger"],
        "details": {**draft["extra"], **draft["answers"]},
    }


# Showing things


async def hotlines(context: HelplineContext) -> str:
    return (await context.api.topic("hotlines", context.lang))["pages"][0]


async def send_emergency(update: Update, context: HelplineContext) -> None:
    """The emergency contacts at once; with a button to report someone in danger, unless a
    report or a message to a caseworker is under way (it will be urgent)."""
    _ = context._
    text = _(EMERGENCY) + "\n\n" + await hotlines(context)
    markup = None
    if REPORT in context.state:
        text += "\n\n" + _(EMERGENCY_IN_REPORT)
    elif REPLYING in context.state:
        text += "\n\n" + _(URGENT_NOTED)
    else:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(_(REPORT_DANGER), callback_data="report:danger")]]
        )
    await send(update, text, reply_markup=markup)


async def show_report_kinds(update: Update, context: HelplineContext) -> None:
    """The "📝 Report" menu: the kinds of report the backend offers."""
    _ = context._
    rows = [
        [InlineKeyboardButton(title, callback_data=f"report:{kind}")]
        for kind, title in (await kind_titles(context)).items()
    ]
    rows.append([InlineKeyboardButton(_(HOW_REPORTING_WORKS), callback_data="topic:report.how")])
    await send(update, _(CHOOSE_KIND), reply_markup=InlineKeyboardMarkup(rows))


def chat_memory(context: HelplineContext) -> dict[str, Any]:
    """chat_data (every update of a private chat has one)."""
    if context.chat_data is None:
        raise updates.MissingPart("no chat data")
    return context.chat_data


def _remember_start(context: HelplineContext, key: int, start: dict[str, Any]) -> str:
    starts = chat_memory(context).setdefault(REPORT_STARTS, {})
    starts[str(key)] = start
    while len(starts) > KEEP_STARTS:
        del starts[next(iter(starts))]
    return str(key)


def remember_checked_offer(
    context: HelplineContext, key: int, text: str, result: dict[str, Any]
) -> str:
    """Keep an offer just checked, so that its "Report" button can fill the report in; the
    button's data. Kept in chat_data, which stays in memory: the offer reaches the backend
    only if the user agrees and sends the report."""
    offer = {
        "text": text[:OFFER_LIMIT],
        "flags": [flag["id"] for flag in result["flags"]],
        "labels": [flag["label"] for flag in result["flags"]],
    }
    return f"report:offer:{_remember_start(context, key, {'offer': offer})}"


def remember_words(context: HelplineContext, key: int, text: str, kinds: list[str]) -> str:
    """Keep what a person wrote that was answered with a report button of one of `kinds` (a
    mother telling how her daughter went missing), so that the report keeps it in their own
    words, whether they tap that button or start the same kind of report from the menu; what
    the button's data ends with. In memory, as an offer: it reaches the backend only if they
    agree and send the report."""
    start = _remember_start(context, key, {"words": text})
    latest = chat_memory(context).setdefault(LATEST_WORDS, {})
    latest.update(dict.fromkeys(kinds, start))
    return start


async def mark_answered(update: Update) -> None:
    """Take the buttons off the message just answered, noting the tapped one under it."""
    query = updates.tapped(update)
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


def keyboard(context: HelplineContext, step: dict[str, Any], draft: dict[str, Any]):
    _ = context._
    if step["share_contact"]:
        keys = [[KeyboardButton(step["share_label"], request_contact=True)]]
        if step["optional"]:
            keys.append([KeyboardButton(step["skip_label"])])
        keys.append([KeyboardButton(_(BACK))])
        return ReplyKeyboardMarkup(keys, resize_keyboard=True)
    field = step["field"]
    buttons = [
        InlineKeyboardButton(button["label"], callback_data=f"a:{field}:{button['value']}")
        for button in step["buttons"]
    ]
    rows = two_columns(buttons)
    navigation = []
    if draft["history"] and not draft.get(CHANGING):
        navigation.append(InlineKeyboardButton(_(BACK), callback_data=f"a:{field}:!back"))
    if step["optional"]:
        navigation.append(
            InlineKeyboardButton(step["skip_label"], callback_data=f"a:{field}:!skip")
        )
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows) if rows else None


async def ask(
    update: Update, context: HelplineContext, step: dict[str, Any], *, problem: str | None = None
) -> str:
    """Ask the question (after what was wrong with the last answer); the state."""
    draft = context.state[REPORT]
    parts = ["⚠️ " + problem] if problem else []
    parts.append(step["question"])
    current = draft["shown"].get(step["field"])
    if current is not None:
        parts.append(context._(SO_FAR).format(answer=current))
    draft["asking"] = step["field"]
    await keep_draft(update, context)
    await send(update, "\n\n".join(parts), reply_markup=keyboard(context, step, draft))
    return ASKING


async def keep_draft(update: Update, context: HelplineContext) -> None:
    """Store the draft (the answers so far and the question asked) before the question goes
    out: a crash between the two would otherwise show the next question over a draft still
    on the last, and read the answer to one as the answer to the other."""
    persistence = context.application.persistence
    if isinstance(persistence, BackendPersistence):
        await persistence.write_user_now(updates.user_id(update), context.state)


async def show_summary(update: Update, context: HelplineContext, *, nudge: bool = False) -> str:
    _ = context._
    draft = context.state[REPORT]
    form = await form_of(context, draft["kind"])
    draft["asking"] = SUMMARY
    draft.pop(CHANGING, None)
    lines = [f"📝 {form['title']}", _(SUMMARY_HEAD), ""]
    labels = {step["field"]: step["label"] for step in form["steps"]}
    for unasked in ("photo", "story"):
        if form[f"{unasked}_field"] and form[f"{unasked}_field"] not in labels:
            labels[form[f"{unasked}_field"]] = form[f"{unasked}_label"]
    for field, label in labels.items():
        if field in draft["shown"]:
            lines.append(f"• {label}: {draft['shown'][field]}")
    if draft.get("flag_labels"):
        lines.append(f"• {_(FLAGS_FOUND)}: " + "; ".join(draft["flag_labels"]))
    if nudge:
        buttons_named = _(SUMMARY_BUTTONS).format(send=_(SEND), change=_(CHANGE), cancel=_(CANCEL))
        lines.insert(0, buttons_named + "\n")
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_(SEND), callback_data=f"rs:send:{draft['submission_id']}")],
            [InlineKeyboardButton(_(CHANGE), callback_data="rs:change")],
            [
                InlineKeyboardButton(_(START_AGAIN), callback_data="rs:again"),
                InlineKeyboardButton(_(CANCEL), callback_data="rs:cancel"),
            ],
        ]
    )
    await send(update, "\n".join(lines), reply_markup=buttons)
    return SUMMARY


def sent_text(context: HelplineContext, sent: dict[str, Any]) -> str:
    _ = context._
    text = _(SENT).format(reference=sent["reference"])
    return text + ("\n\n" + _(SENT_URGENT) if sent["urgent"] else "")


# The conversation's callbacks


async def start(update: Update, context: HelplineContext) -> object:
    """Start a report (a button): the consent question."""
    query = updates.tapped(update)
    await answer_query(query)
    if busy(context):
        await send(update, context._(BUSY))
        return ConversationHandler.END
    prefix, _sep, rest = updates.tap_data(update).partition(":")
    kind, _sep, started_from = rest.partition(":")
    draft: dict[str, Any] = {
        "kind": "question" if prefix == "human" else kind,
        "submission_id": str(uuid4()),
        "answers": {},
        "shown": {},
        "prefill": [],
        "history": [],
        "extra": {"topic": rest} if prefix == "human" else {},
        "danger": False,
    }
    if not started_from and prefix == "report":  # from the menu: words that led to this kind
        started_from = chat_memory(context).get(LATEST_WORDS, {}).get(kind, "")
    if started_from:  # a key of REPORT_STARTS: what the button's message began it with
        draft["started_from"] = started_from
    context.state[REPORT] = draft
    return await ask_consent(update, context)


async def ask_consent(update: Update, context: HelplineContext) -> object:
    _ = context._
    form = await form_of(context, context.state[REPORT]["kind"])
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(AGREE), callback_data="rc:yes"),
                InlineKeyboardButton(_(DECLINE), callback_data="rc:no"),
            ]
        ]
    )
    text = f"📝 {form['title']}\n\n" + _(CONSENT_TEXT).format(collected=form["collected"])
    await send(update, text, reply_markup=buttons)
    return CONSENT


async def no_longer_open(update: Update, context: HelplineContext) -> object:
    """The draft is gone (the user deleted their data): end quietly."""
    if update.callback_query:
        await answer_query(update.callback_query)
    text = context._(NOT_OPEN).format(report=context._(texts.MENU_REPORT))
    await send(update, text, reply_markup=main_menu(context))
    return ConversationHandler.END


async def consent_answered(update: Update, context: HelplineContext) -> object:
    query = updates.tapped(update)
    draft = context.state.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    await answer_query(query)
    await mark_answered(update)
    if query.data == "rc:no":
        del context.state[REPORT]
        text = context._(DECLINED) + "\n\n" + await hotlines(context)
        await send(update, text, reply_markup=main_menu(context))
        return ConversationHandler.END
    started = chat_memory(context).get(REPORT_STARTS, {}).get(draft.pop("started_from", None), {})
    form = await form_of(context, draft["kind"])
    if "offer" in started:
        offer = started["offer"]
        if await prefilled(context, draft, "offer_text", offer["text"]):
            draft["prefill"] = ["offer_text"]
            draft["extra"]["flags"] = offer["flags"]
            draft["flag_labels"] = offer["labels"]
    if "words" in started and form["story_field"]:
        if await prefilled(context, draft, form["story_field"], started["words"]):
            await send(update, context._(WORDS_KEPT))
    return await ask(update, context, next_step(form, draft, None) or form["steps"][0])


async def prefilled(context: HelplineContext, draft: dict[str, Any], field: str, text: str) -> bool:
    """Fill `field` in with `text` as the backend reads it; whether it was taken."""
    answer = await context.api.read_answer(
        draft["kind"], {"field": field, "language": context.lang, "text": text}
    )
    if answer["accepted"]:
        draft["answers"][field] = answer["value"]
        draft["shown"][field] = answer["shown"]
    return bool(answer["accepted"])


async def answered(
    update: Update, context: HelplineContext, step: dict[str, Any], answer: dict[str, Any]
) -> str:
    """Keep the backend's reading of the answer (a value of None: unknown) and go on to the
    next question, or back to the summary when one answer was being changed."""
    draft = context.state[REPORT]
    field = step["field"]
    if answer["value"] is None:
        draft["answers"].pop(field, None)
    else:
        draft["answers"][field] = answer["value"]
    draft["shown"][field] = answer["shown"]
    if step["share_contact"]:
        await send(update, context._(THANKS), reply_markup=main_menu(context))
    if step["alarm"] and answer["value"] is True:
        await send_emergency(update, context)
    if draft.get(CHANGING):
        return await show_summary(update, context)
    if field not in draft["history"]:
        draft["history"].append(field)
    following = next_step(await form_of(context, draft["kind"]), draft, field)
    if following is None:
        return await show_summary(update, context)
    return await ask(update, context, following)


async def read(
    update: Update, context: HelplineContext, step: dict[str, Any], **answer: Any
) -> str:
    """Ask the backend to read an answer; on to the next question, or the same one again with
    what was wrong."""
    draft = context.state[REPORT]
    body = {"field": step["field"], "language": context.lang, "answers": draft["answers"]}
    reading = await context.api.read_answer(draft["kind"], body | answer)
    if reading["danger_words"]:
        await heed_danger(update, context)
    if not reading["accepted"]:
        kept = reading.get("kept")
        if kept:  # an account typed at a short question: kept for the caseworker
            draft["answers"][kept["field"]] = kept["value"]
            draft["shown"][kept["field"]] = kept["shown"]
        return await ask(update, context, step, problem=reading["problem"])
    return await answered(update, context, step, reading)


async def current_step(context: HelplineContext) -> dict[str, Any] | None:
    """The question the draft is on, or None (no draft, or not at a question)."""
    draft = context.state.get(REPORT)
    if draft is None:
        return None
    return step_of(await form_of(context, draft["kind"]), draft.get("asking") or "")


async def go_back(update: Update, context: HelplineContext, step: dict[str, Any]) -> str:
    draft = context.state[REPORT]
    if step["share_contact"]:
        await send(update, context._(OK), reply_markup=main_menu(context))
    form = await form_of(context, draft["kind"])
    if draft["history"] and draft["history"][-1] == step["field"]:
        draft["history"].pop()
    previous = step_of(form, draft["history"].pop()) if draft["history"] else step
    return await ask(update, context, previous or step)


async def button_tapped(update: Update, context: HelplineContext) -> object:
    query = updates.tapped(update)
    step = await current_step(context)
    if REPORT not in context.state:
        return await no_longer_open(update, context)
    _prefix, field, value = updates.tap_data(update).split(":", 2)
    allowed = {button["value"] for button in step["buttons"]} if step else set()
    if step is None or field != step["field"] or value not in allowed | {"!back", "!skip"}:
        await answer_query(query, context._(STALE))
        return None
    await answer_query(query)
    await mark_answered(update)
    if value == "!back":
        return await go_back(update, context, step)
    if value == "!skip":
        return await read(update, context, step, dont_know=True)
    return await read(update, context, step, text=value)


async def text_typed(update: Update, context: HelplineContext) -> object:
    step = await current_step(context)
    if step is None:
        return await no_longer_open(update, context)
    text = updates.text(update).strip()
    if step["share_contact"] and text == context._(BACK):
        return await go_back(update, context, step)
    if step["optional"] and text == step["skip_label"]:
        return await read(update, context, step, dont_know=True)
    return await read(update, context, step, text=text)


async def photo_sent(update: Update, context: HelplineContext) -> object:
    """A photo: the answer to the form's photo question, at that question or at any other
    (evidence of an offer or of danger); the question on screen is then asked again."""
    step = await current_step(context)
    if step is None:
        return await no_longer_open(update, context)
    draft = context.state[REPORT]
    form = await form_of(context, draft["kind"])
    photo_field = form["photo_field"]
    if photo_field is None:
        return await ask(update, context, step, problem=context._(NOT_HERE))
    photo = updates.message(update).photo[-1]  # the largest size
    if photo.file_size and photo.file_size > MAX_PHOTO_BYTES:
        return await ask(update, context, step, problem=context._(PHOTO_TOO_LARGE))
    data = await (await context.bot.get_file(photo.file_id)).download_as_bytearray()
    key = await context.api.upload_photo(bytes(data), PHOTO_TYPE)
    if photo_field == step["field"]:
        return await read(update, context, step, upload_key=key)
    body = {"field": photo_field, "language": context.lang, "upload_key": key}
    reading = await context.api.read_answer(draft["kind"], body)
    if reading["accepted"]:
        draft["answers"][photo_field] = reading["value"]
        draft["shown"][photo_field] = reading["shown"]
        if photo_field not in draft["prefill"]:
            draft["prefill"].append(photo_field)  # not asked for again
        await send(update, context._(PHOTO_KEPT))
    return await ask(update, context, step)


async def contact_shared(update: Update, context: HelplineContext) -> object:
    step = await current_step(context)
    if step is None:
        return await no_longer_open(update, context)
    contact = updates.message(update).contact
    if contact is None:
        return await ask(update, context, step, problem=context._(NOT_HERE))
    number = contact.phone_number
    if not step["share_contact"]:
        return await ask(update, context, step, problem=context._(NOT_HERE))
    return await read(
        update, context, step, text=number if number.startswith("+") else f"+{number}"
    )


async def other_sent(update: Update, context: HelplineContext) -> object:
    """A sticker, voice message, file, location…: a kind word, and the question again."""
    step = await current_step(context)
    if step is None:
        return await no_longer_open(update, context)
    return await ask(update, context, step, problem=context._(NOT_HERE))


async def send_report(update: Update, context: HelplineContext) -> object:
    query = updates.tapped(update)
    draft = context.state.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    if query.data != f"rs:send:{draft['submission_id']}":
        await answer_query(query, context._(STALE))
        return None
    await answer_query(query)
    created = await context.api.create_case(
        report_body(draft, updates.user_id(update), context.lang)
    )
    await mark_answered(update)
    del context.state[REPORT]
    # what earlier words could start is done: the next report of this kind starts from nothing
    chat_memory(context).get(LATEST_WORDS, {}).pop(draft["kind"], None)
    sent = {
        "submission_id": draft["submission_id"],
        "reference": created["reference"],
        "urgent": created["priority"] == "urgent",
    }
    context.state[LAST_SENT] = sent
    await send(update, sent_text(context, sent), reply_markup=main_menu(context))
    return ConversationHandler.END


async def start_again(update: Update, context: HelplineContext) -> object:
    draft = context.state.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    await answer_query(updates.tapped(update))
    await mark_answered(update)
    draft["answers"] = {f: v for f, v in draft["answers"].items() if f in draft["prefill"]}
    draft["shown"] = {f: v for f, v in draft["shown"].items() if f in draft["prefill"]}
    draft["history"] = []
    form = await form_of(context, draft["kind"])
    return await ask(update, context, next_step(form, draft, None) or form["steps"][0])


async def choose_change(update: Update, context: HelplineContext) -> object:
    """The summary's "Change an answer": a button per question."""
    draft = context.state.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    await answer_query(updates.tapped(update))
    await mark_answered(update)
    form = await form_of(context, draft["kind"])
    buttons = [
        InlineKeyboardButton(step["label"], callback_data=f"rx:{step['field']}")
        for step in form["steps"]
    ]
    await send(
        update, context._(WHICH_ANSWER), reply_markup=InlineKeyboardMarkup(two_columns(buttons))
    )
    return SUMMARY


async def change_answer(update: Update, context: HelplineContext) -> object:
    """One answer to change: its question again; the summary follows its answer."""
    query = updates.tapped(update)
    draft = context.state.get(REPORT)
    if draft is None:
        return await no_longer_open(update, context)
    step = step_of(
        await form_of(context, draft["kind"]), updates.tap_data(update).removeprefix("rx:")
    )
    if step is None:
        await answer_query(query, context._(STALE))
        return None
    await answer_query(query)
    await mark_answered(update)
    draft[CHANGING] = True
    return await ask(update, context, step)


async def summary_typed(update: Update, context: HelplineContext) -> object:
    if updates.message(update).text:
        await watch_for_danger(update, context)
    if REPORT not in context.state:
        return await no_longer_open(update, context)
    return await show_summary(update, context, nudge=True)


async def interrupted(update: Update, context: HelplineContext) -> None:
    """A command in the middle of a report: ask before leaving it (the draft stays)."""
    _ = context._
    command = (updates.text(update).split() or ["/start"])[0].lstrip("/").split("@")[0]
    context.state["interrupted_by"] = command
    draft = context.state.get(REPORT)
    title = (await form_of(context, draft["kind"]))["title"] if draft else ""
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_(CONTINUE), callback_data="ri:continue")],
            [InlineKeyboardButton(_(LEAVE), callback_data="ri:leave")],
        ]
    )
    await send(update, _(INTERRUPTED).format(kind=title), reply_markup=buttons)


async def interruption_answered(update: Update, context: HelplineContext) -> object:
    """Continue: the question the report was on, again. Leave: the report is dropped and
    the command the user sent is carried out."""
    query = updates.tapped(update)
    await answer_query(query)
    await mark_answered(update)
    command = context.state.pop("interrupted_by", "start")
    draft = context.state.get(REPORT)
    if draft is None:
        return ConversationHandler.END
    if updates.tap_data(update) == "ri:continue":
        asking = draft.get("asking")
        if asking == SUMMARY:
            return await show_summary(update, context)
        step = await current_step(context)
        if step is None:  # still at the consent question
            return await ask_consent(update, context)
        return await ask(update, context, step)
    context.state.pop(REPORT, None)
    await send(update, context._(CANCELLED))
    await context.bot_data["commands"][command](update, context)
    return ConversationHandler.END


async def cancel(update: Update, context: HelplineContext) -> object:
    """/cancel or the summary's Cancel: drop the draft."""
    if update.callback_query:
        await answer_query(update.callback_query)
        await mark_answered(update)
    context.state.pop(REPORT, None)
    await send(update, context._(CANCELLED), reply_markup=main_menu(context))
    return ConversationHandler.END


async def stale_button(update: Update, context: HelplineContext) -> None:
    """A button of a question already answered, or of a report no longer open."""
    await answer_query(updates.tapped(update), context._(STALE))


# Outside the conversation


async def heed_danger(update: Update, context: HelplineContext) -> None:
    """Danger words in a text (or a danger sign the answers saw): the emergency contacts at
    once, before any other reply, and the report being made is marked to be sent urgent. The
    message is then handled as usual.

    Every handler of typed text sees to it before it replies: those whose request reads the
    text anyway (answers, the offer check, a report's answer) take `danger_words` from that
    answer; the others call `watch_for_danger`. A tap on the menu keyboard sends the button's
    label, the bot's own words: it is not checked."""
    draft = context.state.get(REPORT)
    if draft is not None:
        draft["danger"] = True
    await send_emergency(update, context)


async def watch_for_danger(update: Update, context: HelplineContext) -> None:
    """The danger words of a text that no other request reads, in a request of their own."""
    if await context.api.safety_check(updates.text(update)):
        await heed_danger(update, context)


async def sent_again(update: Update, context: HelplineContext) -> None:
    """The Send of a report already sent (Telegram delivered the tap twice): same reference."""
    query = updates.tapped(update)
    sent = context.state.get(LAST_SENT)
    if sent is None or query.data != f"rs:send:{sent['submission_id']}":
        await answer_query(query, context._(STALE))
        return
    await answer_query(query)
    await send(update, sent_text(context, sent), reply_markup=main_menu(context))


async def remind_busy(update: Update, context: HelplineContext) -> None:
    await answer_query(updates.tapped(update))
    await send(update, context._(BUSY))


async def cancel_outside(update: Update, context: HelplineContext) -> None:
    """/cancel with no conversation under way: clear anything left over."""
    left = context.state.pop(REPORT, None) or context.state.pop(REPLYING, None)
    text = CANCELLED if left is not None else NOTHING_TO_CANCEL
    await send(update, context._(text), reply_markup=main_menu(context))


def add_conversations(application: Application, *, menu: BaseFilter) -> None:
    """The report conversation, for every kind. `menu` (the menu buttons' texts) is never an
    answer: a menu button does what it always does, and the report waits."""
    typed = filters.TEXT & ~filters.COMMAND & ~menu
    other = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    entry_points: list[BaseHandler] = [
        CallbackQueryHandler(start, pattern=rf"^report:{KIND}(:\d+)?$"),
        # an answer's "Talk to a person", with its topic
        CallbackQueryHandler(start, pattern=r"^human:[a-z0-9_.]{1,58}$"),
    ]
    states: dict[object, list] = {
        CONSENT: [CallbackQueryHandler(consent_answered, pattern=r"^rc:(yes|no)$")],
        ASKING: [
            CallbackQueryHandler(button_tapped, pattern=r"^a:"),
            MessageHandler(typed, text_typed),
            MessageHandler(filters.PHOTO, photo_sent),
            MessageHandler(filters.CONTACT, contact_shared),
            MessageHandler(other, other_sent),
        ],
        SUMMARY: [
            CallbackQueryHandler(send_report, pattern=r"^rs:send:"),
            CallbackQueryHandler(choose_change, pattern=r"^rs:change$"),
            CallbackQueryHandler(change_answer, pattern=r"^rx:"),
            CallbackQueryHandler(start_again, pattern=r"^rs:again$"),
            CallbackQueryHandler(cancel, pattern=r"^rs:cancel$"),
            MessageHandler(typed | other, summary_typed),
        ],
    }
    with warnings.catch_warnings():
        # Buttons carry the question they answer, so a conversation per chat (not per
        # message) is what we want; PTB warns about CallbackQueryHandlers in that case.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        application.add_handler(
            ConversationHandler(
                entry_points=entry_points,
                states=states,
                fallbacks=[
                    CommandHandler("cancel", cancel),
                    CommandHandler(list(INTERRUPTING), interrupted),
                    CallbackQueryHandler(interruption_answered, pattern=r"^ri:(continue|leave)$"),
                    CallbackQueryHandler(stale_button, pattern=r"^(a|rc|rs|ri|rx):"),
                ],
                name="report",
                persistent=True,
            )
        )


def add_fallbacks(application: Application) -> None:
    """After the conversation: a repeated Send, stale buttons, starting a second report."""
    application.add_handler(CallbackQueryHandler(sent_again, pattern=r"^rs:send:"))
    application.add_handler(CallbackQueryHandler(stale_button, pattern=r"^(a|rc|rs|ri|rx):"))
    application.add_handler(CallbackQueryHandler(remind_busy, pattern=r"^(report|human|reply):"))
    application.add_handler(CommandHandler("cancel", cancel_outside))
