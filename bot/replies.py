"""What every conversation sends with: text within Telegram's limits, and the main menu."""

from telegram import InlineKeyboardButton, KeyboardButton, ReplyKeyboardMarkup, Update

from bot import texts, updates
from bot.context import HelplineContext
from bot.telegram_io import split_text


def main_menu(context: HelplineContext) -> ReplyKeyboardMarkup:
    _ = context._
    return ReplyKeyboardMarkup(
        [[KeyboardButton(_(label)) for label in row] for row in texts.MENU_LAYOUT],
        resize_keyboard=True,
        is_persistent=True,
    )


def two_columns(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Buttons in rows of two: long lists (districts, languages) stay readable on a phone."""
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


async def send(update: Update, text: str, reply_markup=None) -> None:
    """Send text to the user's chat, split when longer than Telegram allows."""
    parts = split_text(text)
    for index, part in enumerate(parts):
        markup = reply_markup if index == len(parts) - 1 else None
        await updates.chat(update).send_message(part, reply_markup=markup)
