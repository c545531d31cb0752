"""Checking a recruiter: is a placement company in the registry of licensed companies (P3MI)?

From the menu or the button under an offer check, the bot asks for the company's name or
licence number; the next message the user types is looked up (only the flag
`awaiting_agency` is kept in user_data, never the text)."""

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application, CallbackQueryHandler

from api.i18n import N_
from bot import updates
from bot.context import HelplineContext
from bot.replies import main_menu, send
from bot.telegram_io import answer_query

AWAITING = "awaiting_agency"
ASK_BUTTON = "agency:ask"

STATUS_NAMES = {
    "active": N_("licensed"),
    "suspended": N_("licence suspended"),
    "revoked": N_("licence revoked"),
}
HEADINGS = {
    "licensed": N_(
        "✅ Licensed: this company is in the registry of licensed placement companies "
        "(P3MI), and its licence is active."
    ),
    "suspended": N_(
        "⚠️ Licence suspended: this company is in the registry of placement "
        "companies (P3MI), but its licence is suspended."
    ),
    "revoked": N_(
        "⛔ Licence revoked: this company is in the registry of placement companies "
        "(P3MI), but its licence has been revoked."
    ),
}
MEANINGS = {
    "licensed": N_(
        "Make sure the offer really comes from this company: the name and licence number must "
        "be exactly the same, and visit its office. By law, migrant workers may not be charged "
        "placement costs. You can also check it on SISKOP2MI, the ministry's portal, or ask "
        "the manpower office (Disnaker) or BP3MI."
    ),
    "suspended": N_(
        "Do not sign or pay anything with this company while its licence is not active "
        "again. Ask the manpower office (Disnaker) or BP3MI what this means for you."
    ),
    "revoked": N_(
        "This company may no longer place migrant workers: do not go with it. If it is "
        "still recruiting, you can report it to us, or tell the manpower office (Disnaker) "
        "or BP3MI."
    ),
}


def ask_button(context: HelplineContext) -> InlineKeyboardButton:
    """The "Check the company" button shown under an offer check."""
    return InlineKeyboardButton(context._("🏢 Check the company"), callback_data=ASK_BUTTON)


async def ask_for_agency(update: Update, context: HelplineContext) -> None:
    _ = context._
    context.state.pop("awaiting_offer", None)
    context.state[AWAITING] = True
    await send(
        update,
        _(
            "Write the name of the placement company (for example “PT ...”) or its licence "
            "number, and I will look for it in the registry of licensed placement companies "
            "(P3MI)."
        ),
    )


async def ask_button_pressed(update: Update, context: HelplineContext) -> None:
    await answer_query(updates.tapped(update))
    await ask_for_agency(update, context)


def _agency_lines(context: HelplineContext, agency: dict) -> list[str]:
    _ = context._
    lines = [f"🏢 {agency['name']}"]
    if agency["licence_number"]:
        lines.append(_("Licence: {number}").format(number=agency["licence_number"]))
    if agency["address"]:
        lines.append(_("Address: {address}").format(address=agency["address"]))
    return lines


async def check_agency(update: Update, context: HelplineContext, text: str) -> None:
    """Look up what the user wrote and say what it means and what to do."""
    _ = context._
    found = await context.api.match_agency(text)
    if found["source_date"] is None:
        await send(
            update,
            _(
                "I cannot check companies yet: the registry of licensed placement companies "
                "has not been loaded. Check the company on SISKOP2MI, the ministry's portal, "
                "or ask the manpower office (Disnaker) or BP3MI."
            ),
            reply_markup=main_menu(context),
        )
        return
    result = found["result"]
    if result in HEADINGS:
        lines = [_(HEADINGS[result]), "", *_agency_lines(context, found["agency"]), ""]
        lines.append(_(MEANINGS[result]))
    elif result == "ambiguous":
        context.state[AWAITING] = True
        lines = [
            _(
                "I found more than one company with a name like that, or only a similar "
                "name. Which one do you mean? Write its full name or its licence number."
            ),
            "",
        ]
        for candidate in found["candidates"]:
            agency = candidate["agency"]
            lines.append(f"• {agency['name']} ({_(STATUS_NAMES[agency['status']])})")
    else:
        lines = [
            _(
                "❓ I did not find “{query}” in the registry of licensed placement companies "
                "(P3MI)."
            ).format(query=" ".join(text.split())[:100]),
            "",
            _(
                "Only licensed placement companies (P3MI, always a PT) or the government may "
                "place migrant workers. Check the company's exact name on SISKOP2MI, the "
                "ministry's portal, or ask the manpower office (Disnaker) or BP3MI before you "
                "sign or pay anything. An offer from a person without a company is a warning "
                "sign."
            ),
        ]
    lines += ["", _("Registry data of {date}.").format(date=found["source_date"])]
    markup = None if result == "ambiguous" else main_menu(context)
    await send(update, "\n".join(lines), reply_markup=markup)


def add_handlers(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(ask_button_pressed, pattern=f"^{ASK_BUTTON}$"))
