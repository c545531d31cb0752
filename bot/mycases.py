"""/mycases: the reporter's cases, their status in plain words and the caseworkers' messages;
and writing to the caseworker of a case, a one-step conversation started by the case's
"✉️ Write to the caseworker" button or the "↩️ Reply" button under a caseworker's message
(both `reply:<reference>`)."""

import re
import warnings
from datetime import datetime, timedelta, timezone

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
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
from bot import button_data, texts, updates
from bot.client import BackendError
from bot.context import HelplineContext
from bot.replies import main_menu, send
from bot.reports import BUSY, REPLYING, busy, kind_titles, watch_for_danger
from bot.telegram_io import answer_query, edit_buttons, split_text

WITA = timezone(timedelta(hours=8), "WITA")  # NTT's time, for the dates shown
WRITING = "writing"
REPLY_LIMIT = 4000  # characters of one reply the backend keeps; Telegram allows 4,096
SHOWN_CASES = 10  # the most recent ones

STATUS = {
    "new": N_("received"),
    "triaged": N_("being looked at"),
    "in_progress": N_("a caseworker is working on it"),
    "referred": N_("passed to {referral}"),
    "closed": N_("closed"),
}
REFERRALS = {
    "police": N_("the police"),
    "bp3mi": N_("BP3MI, the office for the protection of migrant workers"),
    "manpower_office": N_("the district manpower office"),
    "embassy": N_("the embassy or consulate"),
    "ppa_unit": N_("the police unit for women and children"),
    "shelter": N_("a shelter"),
    "lpsk": N_("LPSK, the agency protecting witnesses and victims"),
    "other": N_("another service"),
}
NO_CASES = N_("You have not made any report yet. Tap “{report}” in the menu to make one.")
CASE = N_("{reference} · {kind} · {date}\nStatus: {status}")
FROM_CASEWORKER = N_("Caseworker")
FROM_YOU = N_("You")
WRITE = N_("✉️ Write to the caseworker")
WRITE_PROMPT = N_("Write your message for the caseworker about {reference}. Send /cancel to stop.")
WRITTEN = N_("Sent: your message was added to {reference}. The caseworker will read it.")
NOT_YOURS = N_("I could not find the report {reference} among yours.")
WRITING_CANCELLED = N_("Cancelled: nothing was sent.")
OLD_BUTTON = N_("This button is no longer in use.")
ASK_SEND = N_("Send this to your caseworker about {reference}?")
YES_SEND = N_("✅ Yes, send it")
NO_QUESTION = N_("No, it is a question")
AWAITED = "awaited_reply"  # words typed after a caseworker's message, kept until the user says
REFERENCE = re.compile(r"NTT-[0-9A-Z]{6}")
WORDS_PLEASE = N_("Please write your message in words.")


def _day(timestamp: str) -> str:
    return datetime.fromisoformat(timestamp).astimezone(WITA).strftime("%d-%m-%Y")


def case_text(context: HelplineContext, case: dict, titles: dict[str, str]) -> str:
    _ = context._
    referral = REFERRALS.get(case.get("referral") or "other", REFERRALS["other"])
    lines = [
        _(CASE).format(
            reference=case["reference"],
            kind=titles.get(case["kind"], case["kind"]),
            date=_day(case["created_at"]),
            status=_(STATUS[case["status"]]).format(referral=_(referral)),
        )
    ]
    for message in case["messages"]:
        who = FROM_CASEWORKER if message["direction"] == "to_reporter" else FROM_YOU
        lines.append(f"\n💬 {_(who)} ({_day(message['at'])}):\n{message['text']}")
    return "\n".join(lines)


async def my_cases(update: Update, context: HelplineContext) -> None:
    _ = context._
    cases = await context.api.cases_of(updates.user_id(update))
    if not cases:
        text = _(NO_CASES).format(report=_(texts.MENU_REPORT))
        await send(update, text, reply_markup=main_menu(context))
        return
    titles = await kind_titles(context)
    for case in reversed(cases[:SHOWN_CASES]):  # oldest first: the newest ends up at the bottom
        markup = None
        if case["status"] != "closed":
            button = InlineKeyboardButton(
                _(WRITE), callback_data=button_data.REPLY_TO_CASE.format(case["reference"])
            )
            markup = InlineKeyboardMarkup([[button]])
        await send(update, case_text(context, case, titles), reply_markup=markup)


async def start_writing(update: Update, context: HelplineContext) -> object:
    query = updates.tapped(update)
    await answer_query(query)
    if busy(context):
        await send(update, context._(BUSY))
        return ConversationHandler.END
    reference = updates.tap_data(update).split(":", 1)[1]
    context.state[REPLYING] = reference
    await send(update, context._(WRITE_PROMPT).format(reference=reference))
    return WRITING


async def written(update: Update, context: HelplineContext) -> object:
    _ = context._
    await watch_for_danger(update, context)
    reference = context.state.get(REPLYING)
    if reference is None:  # the user deleted their data meanwhile
        return ConversationHandler.END
    message = updates.message(update)
    try:
        await _store_replies(
            context,
            reference,
            updates.user_id(update),
            [[updates.text(update), str(message.message_id)]],
        )
    except BackendError as error:
        if error.status != 404:
            raise
        text = _(NOT_YOURS).format(reference=reference)
    else:
        text = _(WRITTEN).format(reference=reference)
    del context.state[REPLYING]
    await send(update, text, reply_markup=main_menu(context))
    return ConversationHandler.END


async def not_words(update: Update, context: HelplineContext) -> object:
    await send(update, context._(WORDS_PLEASE))
    return WRITING


async def cancel_writing(update: Update, context: HelplineContext) -> object:
    context.state.pop(REPLYING, None)
    await send(update, context._(WRITING_CANCELLED), reply_markup=main_menu(context))
    return ConversationHandler.END


def add_handlers(application: Application, *, menu: BaseFilter) -> None:
    typed = filters.TEXT & ~filters.COMMAND & ~menu
    with warnings.catch_warnings():
        # one conversation per chat, started by a button: what PTB warns about is intended
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        writing = ConversationHandler(
            entry_points=[
                CallbackQueryHandler(start_writing, pattern=r"^reply:[A-Za-z0-9-]{1,20}$")
            ],
            states={
                WRITING: [
                    MessageHandler(typed, written),
                    MessageHandler(
                        ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL, not_words
                    ),
                ]
            },
            fallbacks=[CommandHandler("cancel", cancel_writing)],
            name="reply_to_caseworker",
            persistent=True,
        )
    application.add_handler(writing)
    application.add_handler(CommandHandler("mycases", my_cases))


async def _send_to_case(
    update: Update, context: HelplineContext, reference: str, texts: list[list[str]]
) -> None:
    """Add each of the user's messages to the case's thread; say where they went."""
    _ = context._
    try:
        await _store_replies(context, reference, updates.user_id(update), texts)
    except BackendError as error:
        if error.status != 404:
            raise
        await send(
            update, _(NOT_YOURS).format(reference=reference), reply_markup=main_menu(context)
        )
        return
    await send(update, _(WRITTEN).format(reference=reference), reply_markup=main_menu(context))


async def _store_replies(
    context: HelplineContext, reference: str, user_id: int, texts: list[list[str]]
) -> None:
    """Add each (text, message key) to the case's thread, a text longer than the backend
    keeps in one reply as several, in order: every word reaches the caseworker."""
    for text, message_key in texts:
        for number, piece in enumerate(split_text(text, REPLY_LIMIT), start=1):
            key = message_key if number == 1 else f"{message_key}.{number}"
            await context.api.reply_to_case(reference, user_id, piece, key)


async def sent_to_caseworker(update: Update, context: HelplineContext, text: str) -> bool:
    """Before a typed message is read as a question: when it answers a caseworker's message
    (a Telegram reply to it) it goes to that case at once (its danger words seen to as well).
    True when it did."""
    message = updates.message(update)
    replied = message.reply_to_message
    found = REFERENCE.search(replied.text or "") if replied and replied.from_user else None
    if found and replied is not None and replied.from_user and replied.from_user.is_bot:
        await watch_for_danger(update, context)
        await _send_to_case(update, context, found[0], [[text, str(message.message_id)]])
        return True
    return False


async def keep_for_caseworker(
    update: Update, context: HelplineContext, text: str, reference: str
) -> None:
    """A caseworker waits for this person's answer (the answers request said so): the words
    are kept and the user is asked whether to send them to case `reference`."""
    message = updates.message(update)
    kept = context.state.get(AWAITED)
    if kept is None or kept["reference"] != reference:
        kept = context.state[AWAITED] = {"reference": reference, "texts": []}
    kept["texts"].append([text, str(message.message_id)])
    _ = context._
    buttons = [
        [InlineKeyboardButton(_(YES_SEND), callback_data="aw:yes")],
        [InlineKeyboardButton(_(NO_QUESTION), callback_data="aw:no")],
    ]
    await send(
        update, _(ASK_SEND).format(reference=reference), reply_markup=InlineKeyboardMarkup(buttons)
    )


async def kept_words_answered(update: Update, context: HelplineContext) -> str | None:
    """The user's answer to "Send this to your caseworker?": sent, or handed back (the last
    message) to be read as a question. None when there is nothing kept (an old button)."""
    query = updates.tapped(update)
    await answer_query(query)
    await edit_buttons(query, None)
    kept = context.state.pop(AWAITED, None)
    if kept is None:
        await send(update, context._(OLD_BUTTON), reply_markup=main_menu(context))
        return None
    if updates.tap_data(update) == "aw:yes":
        await _send_to_case(update, context, kept["reference"], kept["texts"])
        return None
    return kept["texts"][-1][0]
