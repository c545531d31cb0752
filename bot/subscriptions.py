"""Safe-migration news: /subscribe (with the district), /stop, and the one-time question
"Get safe-migration news?" after an answer the user found helpful. The backend remembers the
subscription and that the question was asked; campaigns reach subscribers through the outbox."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import button_data, updates
from bot.context import HelplineContext
from bot.replies import send, two_columns
from bot.reports import districts
from bot.telegram_io import answer_query, edit_buttons


async def district_keyboard(context: HelplineContext) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(name, callback_data=button_data.DISTRICT.format(slug))
        for slug, name in (await districts(context)).items()
    ]
    return InlineKeyboardMarkup(two_columns(buttons))


async def ask_district(update: Update, context: HelplineContext) -> None:
    _ = context._
    await send(
        update,
        _(
            "Get news about safe migration: new scams and warnings, and how to find work abroad "
            "legally. Which district (kabupaten) do you live in?"
        ),
        reply_markup=await district_keyboard(context),
    )


async def district_chosen(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    _ = context._
    slug = updates.tap_data(update).split(":", 1)[1]
    names = await districts(context)
    await answer_query(query)
    if slug not in names:
        return
    await context.api.subscribe(updates.user_id(update), slug, context.lang)
    await edit_buttons(query, None)
    await send(
        update,
        _(
            "Done: you will get safe-migration news for {district}, a few messages a month. "
            "Send /stop at any time to stop them."
        ).format(district=names[slug]),
    )


async def stop(update: Update, context: HelplineContext) -> None:
    _ = context._
    await context.api.unsubscribe(updates.user_id(update))
    await send(
        update,
        _("You will get no more news from us. Send /subscribe if you want it again."),
    )


async def offer_news(update: Update, context: HelplineContext) -> None:
    """Ask once, ever, whether the user wants the news (the backend says if it is the time)."""
    _ = context._
    if not await context.api.offer_news(updates.user_id(update), context.lang):
        return
    await send(
        update,
        _(
            "Get safe-migration news? A few messages a month about scams and safe ways to work "
            "abroad."
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(_("Yes, choose my district"), callback_data="news:yes")],
                [InlineKeyboardButton(_("No, thanks"), callback_data="news:no")],
            ]
        ),
    )


async def news_answered(update: Update, context: HelplineContext) -> None:
    query = updates.tapped(update)
    _ = context._
    await answer_query(query)
    await edit_buttons(query, None)
    if updates.tap_data(update) == "news:yes":
        await ask_district(update, context)
    else:
        await send(update, _("All right. You can send /subscribe at any time."))


def add_handlers(application: Application) -> None:
    application.add_handler(CommandHandler("subscribe", ask_district))
    application.add_handler(CommandHandler("stop", stop))
    application.add_handler(CallbackQueryHandler(district_chosen, pattern=r"^sub:[a-z_]{1,32}$"))
    application.add_handler(CallbackQueryHandler(news_answered, pattern=r"^news:(yes|no)$"))
