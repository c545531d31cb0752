"""Telegram handlers: language choice, menu, questions answered from curated content, topics,
the offer checker; the report conversations and /mycases are added from their modules."""

import logging
import re

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from api.i18n import N_, Translator
from bot import agencies, button_data, mycases, reports, subscriptions, texts, updates
from bot.client import BackendError
from bot.context import FALLBACK_LANGUAGE, HelplineContext
from bot.replies import main_menu, send, two_columns
from bot.telegram_io import RepeatedTaps, answer_query, edit_buttons, edit_text

TWO_LETTER = re.compile(r"[a-z]{2}")  # the language codes Telegram's setMyCommands takes

log = logging.getLogger("bot.handlers")


# Helpers


def language_keyboard(context: HelplineContext, preselected: str | None) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("✅ " if code == preselected else "") + name, callback_data=f"lang:{code}"
        )
        for code, name in context.languages.items()
    ]
    return InlineKeyboardMarkup(two_columns(buttons))


def guess_language(update: Update, context: HelplineContext) -> str:
    user = update.effective_user
    code = ((user.language_code if user else None) or "").split("-")[0]
    return code if code in context.languages else FALLBACK_LANGUAGE


# Every update: know the user's language (kept by the backend, cached per user here).


async def load_language(update: Update, context: HelplineContext) -> None:
    if update.effective_user is None or context.user_data is None or "lang" in context.user_data:
        return
    context.state["lang"] = await context.api.language_of(updates.user_id(update))


# Commands


async def start(update: Update, context: HelplineContext) -> None:
    preselected = context.chosen_language or guess_language(update, context)
    _ = context.catalogs.translator(preselected)
    await send(
        update,
        _(
            "Hello! I am the NTT Safe Migration Helpline, with IOM Kupang. I answer questions "
            "about working abroad safely, help you check job offers, and take reports, day and "
            "night.\n\nPlease choose your language:"
        ),
        reply_markup=language_keyboard(context, preselected),
    )


async def choose_language(update: Update, context: HelplineContext) -> None:
    preselected = context.chosen_language or guess_language(update, context)
    _ = context.catalogs.translator(preselected)
    await send(update, _("Choose your language:"), language_keyboard(context, preselected))


async def language_chosen(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    code = updates.tap_data(update).split(":", 1)[1]
    if code not in context.languages:
        await answer_query(query)
        return
    await remember_language(update, context, code)
    await answer_query(query)
    await edit_buttons(query, None)
    await language_confirmed(update, context, code)


def language_named(context: HelplineContext, text: str) -> str | None:
    """The language whose name is the whole of `text`: people type "Bahasa Indonesia" or
    "english" at the language buttons instead of tapping one."""
    wanted = " ".join(text.split()).casefold()
    return next(
        (code for code, name in context.languages.items() if name.casefold() == wanted), None
    )


async def remember_language(update: Update, context: HelplineContext, code: str) -> None:
    await context.api.set_language(updates.user_id(update), code)
    context.state["lang"] = code


async def language_confirmed(update: Update, context: HelplineContext, code: str) -> None:
    _ = context._
    await send(
        update,
        _("Language: {language}.").format(language=context.languages[code])
        + "\n\n"
        + _("Type your question in your own words, or use the menu below."),
        reply_markup=main_menu(context),
    )


async def help_command(update: Update, context: HelplineContext) -> None:
    _ = context._
    await send(
        update,
        _(
            "What I can do:\n"
            "• Answer questions about working abroad safely: type them in your own words.\n"
            "• Show topics to read: tap “{ask}”.\n"
            "• Help you check a job offer: tap “{offer}”.\n"
            "• Take your report to IOM Kupang caseworkers (a suspicious job offer, someone in "
            "danger, a missing relative) or your question for them: tap “{report}”.\n"
            "• Your reports and the caseworkers' messages: /mycases\n"
            "• Give emergency and help contacts: /hotline\n"
            "• Change the language: /language\n"
            "• What we keep about you: /privacy"
        ).format(ask=_(texts.MENU_ASK), offer=_(texts.MENU_OFFER), report=_(texts.MENU_REPORT)),
        reply_markup=main_menu(context),
    )


async def privacy(update: Update, context: HelplineContext) -> None:
    _ = context._
    await send(
        update,
        _(
            "Your privacy:\n"
            "• We keep your Telegram user number and the language you chose, so that we can "
            "answer you in your language.\n"
            "• The questions you type are not stored. A 👍 or 👎 on an answer is kept without "
            "your name or number.\n"
            "• A report you send is kept with what you wrote in it. The caseworkers may pass "
            "a case to a service that can help, such as the police or BP3MI.\n"
            "• Nothing else is shared outside the helpline team at IOM Kupang.\n\n"
            "You can delete what we keep about you at any time; your reports then keep no "
            "name, number, text or photo."
        ),
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(_("🗑 Delete my data"), callback_data="forget")]]
        ),
    )


async def forget(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    _ = context._
    await context.api.forget(updates.user_id(update))
    context.application.drop_user_data(updates.user_id(update))
    if update.effective_chat is not None:  # what the chat keeps in memory only: words, offers
        context.application.drop_chat_data(update.effective_chat.id)
    await answer_query(query)
    await edit_buttons(query, None)
    await send(
        update,
        _("Done: we deleted what we kept about you. Send /start to begin again."),
    )


# Answers and topics


ACTION_BUTTONS = {
    "report_missing": (N_("📝 Report a missing relative"), "report:missing"),
    "report_danger": (N_("🆘 Report someone in danger"), "report:danger"),
    "hotlines": (N_("☎️ Emergency contacts"), "topic:hotlines"),
}
REPORT_KINDS = {  # action -> the kind of report its button starts
    name: data.removeprefix("report:")
    for name, (_label, data) in ACTION_BUTTONS.items()
    if data.startswith("report:")
}


def answer_buttons(
    context: HelplineContext, answer: dict, page: int, *, words: str | None = None
) -> InlineKeyboardMarkup:
    """The answer's buttons; a report button carries `words` (a key of what the person wrote,
    see `reports.remember_words`) so that the report keeps them."""
    _ = context._
    slug = answer["slug"]
    rows = []
    for action in answer.get("actions", []):
        if action in ACTION_BUTTONS:
            label, data = ACTION_BUTTONS[action]
            if words is not None and action in REPORT_KINDS:
                data = f"{data}:{words}"
            rows.append([InlineKeyboardButton(_(label), callback_data=data)])
    if page + 1 < len(answer["pages"]):
        rows.append(
            [
                InlineKeyboardButton(
                    _("More ▸"), callback_data=button_data.MORE.format(slug, page + 1)
                )
            ]
        )
    if not answer["reviewed"] and answer["lang"] != FALLBACK_LANGUAGE:
        rows.append(
            [
                InlineKeyboardButton(
                    _("Show in Indonesian"), callback_data=button_data.ORIGINAL.format(slug)
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton("👍", callback_data=button_data.FEEDBACK.format(slug, 1)),
            InlineKeyboardButton("👎", callback_data=button_data.FEEDBACK.format(slug, 0)),
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                _("🙋 Talk to a person"), callback_data=button_data.HUMAN.format(slug)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def show_answer(
    update: Update,
    context: HelplineContext,
    answer: dict,
    page: int = 0,
    *,
    words: str | None = None,
) -> None:
    """One page of an answer; `words`: what the person wrote, kept for a report the answer
    offers (they reach the backend only if the person agrees and sends it)."""
    _ = context._
    kinds = [REPORT_KINDS[action] for action in answer.get("actions", []) if action in REPORT_KINDS]
    key = (
        reports.remember_words(context, updates.message(update).message_id, words, kinds)
        if words and kinds
        else None
    )
    text = answer["pages"][page]
    if page == 0:
        text = f"{answer['title']}\n\n{text}"
    if not answer["reviewed"] and answer["lang"] != FALLBACK_LANGUAGE:
        text = (
            "⚠️ "
            + _("This translation has not yet been checked by a native speaker.")
            + "\n\n"
            + text
        )
    await send(update, text, reply_markup=answer_buttons(context, answer, page, words=key))


async def show_hotlines(update: Update, context: HelplineContext) -> None:
    await show_answer(update, context, await context.api.topic("hotlines", context.lang))


async def small_talk(update: Update, context: HelplineContext) -> None:
    """Thanks, greetings, "ok", an emoji, a question off the helpline's subjects: a short kind
    reply that fits them all (not "You are welcome": "what time is it" is small talk too) and
    the menu."""
    _ = context._
    await send(
        update,
        _("I am here when you need me: type your question, or use the menu."),
        reply_markup=main_menu(context),
    )


async def did_you_mean(update: Update, context: HelplineContext, suggestions: list) -> None:
    """Unsure: the most likely topics as buttons, and a person to talk to."""
    _ = context._
    rows = [
        [
            InlineKeyboardButton(
                topic["title"], callback_data=button_data.TOPIC.format(topic["slug"])
            )
        ]
        for topic in suggestions
    ]
    rows.append(
        [
            InlineKeyboardButton(
                _("🙋 Talk to a person"),
                callback_data=button_data.HUMAN.format(suggestions[0]["slug"]),
            )
        ]
    )
    await send(update, _("Did you mean one of these?"), reply_markup=InlineKeyboardMarkup(rows))


async def no_answer(update: Update, context: HelplineContext) -> None:
    _ = context._
    hotlines = await context.api.topic("hotlines", context.lang)
    await send(
        update,
        _(
            "Sorry, I did not find an answer to that. Try other words, or tap “{ask}” to "
            "choose a topic. If you need help now, these services can help:"
        ).format(ask=_(texts.MENU_ASK))
        + "\n\n"
        + hotlines["pages"][0],
        reply_markup=main_menu(context),
    )


READ_QUOTE_LIMIT = 300  # characters of the text read from a screenshot quoted back
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram
IMAGE_UNREADABLE = N_(
    "I could not read the text in this image. Please copy the text of the offer and paste it "
    "here, or send a sharper screenshot in which the words are easy to see."
)

RISK_SUMMARIES = {
    "high": N_(
        "⛔ High risk: this offer shows serious warning signs of trafficking or illegal placement."
    ),
    "medium": N_("⚠️ Medium risk: be careful, and check this offer before you go further."),
    "low": N_("✅ I found no warning signs. Still check the company and the job before you go."),
}


async def ask_for_offer(update: Update, context: HelplineContext) -> None:
    _ = context._
    context.state.pop(agencies.AWAITING, None)
    context.state["awaiting_offer"] = True
    await send(
        update,
        _("Paste or forward the job offer here, and I will check it for warning signs."),
    )


async def check_offer(update: Update, context: HelplineContext, text: str) -> None:
    result = await context.api.check_offer(text, context.lang)
    if result.get("danger_words"):
        await reports.heed_danger(update, context)
    await show_offer_check(update, context, text, result)


def offer_check_reply(_: Translator, result: dict, *, read_from_image: str | None = None) -> str:
    """What the bot says of a checked offer: the risk, each flag with the words that raised it,
    the advice; `read_from_image` is the text read from a screenshot, quoted first."""
    lines = []
    if read_from_image is not None:
        read = " ".join(read_from_image.split())
        if len(read) > READ_QUOTE_LIMIT:
            read = read[: READ_QUOTE_LIMIT - 1] + "…"
        lines.append(_("I read the text in your image:") + f"\n“{read}”\n")
    lines.append(_(RISK_SUMMARIES[result["risk"]]))
    for flag in result["flags"]:
        lines.append(f"\n• {flag['label']}\n  “{flag['excerpt']}”\n  {flag['advice']}")
    lines.append("\n" + result["advice"])
    if result["truncated"]:
        lines.append("\n" + _("The offer was long: I read only its beginning."))
    return "\n".join(lines)


async def show_offer_check(
    update: Update,
    context: HelplineContext,
    text: str,
    result: dict,
    *,
    from_image: bool = False,
) -> None:
    """The risk and each red flag; its "Report this offer" button fills a report in."""
    _ = context._
    report = reports.remember_checked_offer(
        context, updates.message(update).message_id, text, result
    )
    reply = offer_check_reply(_, result, read_from_image=text if from_image else None)
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("📝 Report this offer"), callback_data=report)],
            [
                InlineKeyboardButton(
                    _("📖 How to check an offer"), callback_data="topic:offer.check"
                )
            ],
            [agencies.ask_button(context)],
        ]
    )
    await send(update, reply, reply_markup=buttons)


def _image_file(message: Message) -> tuple[str, int | None] | None:
    """The file id and size of a photo, or of an image sent as a file; None otherwise."""
    if message.photo:
        return message.photo[-1].file_id, message.photo[-1].file_size  # the largest size
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        return document.file_id, document.file_size
    return None


async def check_offer_image(
    update: Update, context: HelplineContext, image: tuple[str, int | None], *, detect: bool
) -> bool:
    """Read a screenshot of an offer and check it; False when, with `detect`, the image
    and caption do not look like an offer. The image is kept only in memory."""
    _ = context._
    file_id, size = image
    caption = updates.caption(update)
    if size is not None and size > MAX_IMAGE_BYTES:
        await send(update, _(IMAGE_UNREADABLE))
        context.state["awaiting_offer"] = True
        return True
    data = await (await context.bot.get_file(file_id)).download_as_bytearray()
    try:
        checked = await context.api.check_offer_image(
            bytes(data), context.lang, caption, detect=detect
        )
    except BackendError as error:
        if error.status not in (422, 503):
            raise
        checked = {"readable": False}
    if not checked["readable"]:
        if detect:
            return False
        context.state["awaiting_offer"] = True
        await send(update, _(IMAGE_UNREADABLE))
        return True
    if checked["check"] is None:
        return False
    await show_offer_check(update, context, checked["text"], checked["check"], from_image=True)
    return True


async def question(update: Update, context: HelplineContext) -> None:
    """Answer a typed message; one that looks like a job offer is checked as well. Words for
    a caseworker who waits for this person's answer go to the case instead (asked first)."""
    text = updates.text(update)
    if context.state.pop("awaiting_offer", False):
        await check_offer(update, context, text)
        return
    if context.state.pop(agencies.AWAITING, False):
        await reports.watch_for_danger(update, context)
        await agencies.check_agency(update, context, text)
        return
    if await mycases.sent_to_caseworker(update, context, text):
        return
    named = language_named(context, text)
    if named is not None:
        await remember_language(update, context, named)
        await language_confirmed(update, context, named)
        return
    await read_question(update, context, text, asked_by=updates.user_id(update))


async def kept_words_answered(update: Update, context: HelplineContext) -> None:
    text = await mycases.kept_words_answered(update, context)
    if text is not None:  # "No, it is a question": its danger was seen to when it was typed
        await read_question(update, context, text, words_seen_to=True)


async def read_question(
    update: Update,
    context: HelplineContext,
    text: str,
    *,
    asked_by: int | None = None,
    words_seen_to: bool = False,
) -> None:
    """Answer the words (the answer says whether they hold danger words or a danger sign, and,
    `asked_by` given, whether a caseworker waits for this person's answer: the words are then
    kept for the case instead), and check them as a job offer when they look like one."""
    result = await context.api.answer(text, context.lang, asked_by=asked_by, check_offer=True)
    in_danger = result["danger_words"] or result["danger"]
    if not words_seen_to and in_danger:
        await reports.heed_danger(update, context)
    if result["awaited_reply"] is not None:
        await mycases.keep_for_caseworker(update, context, text, result["awaited_reply"])
        return
    offer_check = result["offer_check"]
    if offer_check is not None:
        await show_offer_check(update, context, text, offer_check)
    if result["answer"] is not None:
        await show_answer(update, context, result["answer"], words=text)
    elif offer_check is not None:
        return
    elif result.get("small_talk"):
        if not in_danger:  # "tolong saya" (help me) reads like small talk: no small-talk reply
            await small_talk(update, context)
    elif result.get("suggestions"):
        await did_you_mean(update, context, result["suggestions"])
    else:
        await no_answer(update, context)


async def category_keyboard(context: HelplineContext) -> InlineKeyboardMarkup:
    categories = await context.api.categories(context.lang)
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(c["title"], callback_data=button_data.CATEGORY.format(c["id"]))]
            for c in categories
        ]
    )


async def show_categories(update: Update, context: HelplineContext) -> None:
    _ = context._
    await send(
        update,
        _("Type your question in your own words, or choose a topic:"),
        reply_markup=await category_keyboard(context),
    )


async def category_chosen(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    _ = context._
    category_id = updates.tap_data(update).split(":", 1)[1]
    categories = await context.api.categories(context.lang)
    await answer_query(query)
    category = next((c for c in categories if c["id"] == category_id), None)
    if category is None:
        return
    buttons = [
        [InlineKeyboardButton(t["title"], callback_data=button_data.TOPIC.format(t["slug"]))]
        for t in category["topics"]
    ]
    buttons.append([InlineKeyboardButton(_("◂ All topics"), callback_data="cats")])
    await edit_text(query, category["title"], reply_markup=InlineKeyboardMarkup(buttons))


async def all_categories(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    _ = context._
    await answer_query(query)
    await edit_text(
        query,
        _("Type your question in your own words, or choose a topic:"),
        reply_markup=await category_keyboard(context),
    )


async def topic_chosen(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    await answer_query(query)
    slug = updates.tap_data(update).split(":", 1)[1]
    await show_answer(update, context, await context.api.topic(slug, context.lang))


async def page_chosen(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    await answer_query(query)
    _, slug, page = updates.tap_data(update).split(":")
    answer = await context.api.topic(slug, context.lang)
    if int(page) < len(answer["pages"]):
        await show_answer(update, context, answer, int(page))


async def original_chosen(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    await answer_query(query)
    slug = updates.tap_data(update).split(":", 1)[1]
    await show_answer(update, context, await context.api.topic(slug, FALLBACK_LANGUAGE))


async def feedback_given(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    _ = context._
    _prefix, slug, helpful = updates.tap_data(update).split(":")
    await context.api.feedback(slug, context.lang, helpful == "1")
    await answer_query(query, _("Thank you for your feedback."))
    if helpful == "1":
        await subscriptions.offer_news(update, context)


# Menu buttons and other kinds of messages


async def menu_chosen(update: Update, context: HelplineContext) -> None:
    """A tap on the menu keyboard: the text is the button's label, the bot's own words, so no
    danger check (the user's own words are all checked)."""
    action = context.bot_data["menu_actions"][updates.text(update)]
    context.state.pop(agencies.AWAITING, None)
    if action == texts.MENU_ASK:
        await show_categories(update, context)
    elif action == texts.MENU_OFFER:
        await ask_for_offer(update, context)
    elif action == texts.MENU_REPORT:
        await reports.show_report_kinds(update, context)
    elif action == texts.MENU_HOTLINE:
        await show_hotlines(update, context)
    elif action == texts.MENU_LANGUAGE:
        await choose_language(update, context)
    elif action == texts.MENU_AGENCY:
        await agencies.ask_for_agency(update, context)


async def not_text(update: Update, context: HelplineContext) -> None:
    _ = context._
    message = updates.message(update)
    caption = updates.caption(update)
    image = _image_file(message)
    awaiting = context.state.get("awaiting_offer", False)
    if image is not None and (awaiting or caption):
        context.state.pop("awaiting_offer", None)
        if await check_offer_image(update, context, image, detect=not awaiting):
            return
    elif caption and context.state.pop("awaiting_offer", False):
        await check_offer(update, context, caption)
        return
    await send(
        update,
        _(
            "I can only read text messages. Type your question in words, or use the menu "
            "below. If you are in danger, send /hotline for emergency contacts."
        ),
        reply_markup=main_menu(context),
    )


async def on_error(update: object, context: HelplineContext) -> None:
    """Log the failure without personal data; tell the user politely, never a traceback."""
    error = context.error
    log.error(
        "update failed",
        extra={
            "error": type(error).__name__,
            "detail": str(error)[:200] if isinstance(error, BackendError) else "",
        },
    )
    if isinstance(update, Update) and update.effective_chat is not None:
        _ = context._
        await update.effective_chat.send_message(
            _(
                "Sorry, something went wrong on our side. Please try again in a moment. "
                "If you are in danger, send /hotline."
            )
        )


def menu_actions(context_catalogs, languages) -> dict[str, str]:
    """Each menu label, in every language, mapped to its action (the untranslated label)."""
    actions = {}
    for code in languages:
        _ = context_catalogs.translator(code)
        for row in texts.MENU_LAYOUT:
            for label in row:
                actions[_(label)] = label
    return actions


async def register_commands(application: Application) -> None:
    """The command list per language. Telegram takes only two-letter (ISO 639-1) codes, so
    users of Kupang Malay (mkn), Tetun (tet) and Uab Meto (aoz) see the default list, which is
    in the default language."""
    catalogs = application.bot_data["catalogs"]
    two_letter = [code for code in application.bot_data["languages"] if TWO_LETTER.fullmatch(code)]
    for code in [None, *two_letter]:
        _ = catalogs.translator(code or FALLBACK_LANGUAGE)
        commands = [BotCommand(name, _(description)) for name, description in texts.COMMANDS]
        if code is None:
            await application.bot.set_my_commands(commands)
        else:
            await application.bot.set_my_commands(commands, language_code=code)


def add_handlers(application: Application) -> None:
    actions = application.bot_data["menu_actions"]
    application.bot_data["commands"] = {  # what a report's "Leave it" goes on to do
        "start": start,
        "help": help_command,
        "language": choose_language,
        "hotline": show_hotlines,
        "privacy": privacy,
        "mycases": mycases.my_cases,
        "subscribe": subscriptions.ask_district,
    }
    menu = filters.Text(list(actions))
    application.add_handler(TypeHandler(Update, RepeatedTaps()), group=-3)
    application.add_handler(TypeHandler(Update, load_language), group=-2)
    text = filters.TEXT & ~filters.COMMAND
    # conversations first: while one is under way, it takes the messages it is waiting for
    reports.add_conversations(application, menu=menu)
    mycases.add_handlers(application, menu=menu)
    reports.add_fallbacks(application)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("language", choose_language))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("hotline", show_hotlines))
    application.add_handler(CommandHandler("privacy", privacy))
    subscriptions.add_handlers(application)
    application.add_handler(CallbackQueryHandler(language_chosen, pattern=r"^lang:"))
    application.add_handler(CallbackQueryHandler(forget, pattern=r"^forget$"))
    application.add_handler(CallbackQueryHandler(category_chosen, pattern=r"^cat:"))
    application.add_handler(CallbackQueryHandler(all_categories, pattern=r"^cats$"))
    application.add_handler(CallbackQueryHandler(topic_chosen, pattern=r"^topic:"))
    application.add_handler(CallbackQueryHandler(page_chosen, pattern=r"^page:"))
    application.add_handler(CallbackQueryHandler(original_chosen, pattern=r"^orig:"))
    application.add_handler(CallbackQueryHandler(feedback_given, pattern=r"^fb:"))
    application.add_handler(CallbackQueryHandler(kept_words_answered, pattern=r"^aw:(yes|no)$"))
    agencies.add_handlers(application)
    application.add_handler(MessageHandler(menu, menu_chosen))
    application.add_handler(MessageHandler(text, question))
    application.add_handler(MessageHandler(filters.COMMAND, help_command))
    application.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, not_text))
    application.add_error_handler(on_error)
