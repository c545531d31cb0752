"""What an update surely carries, given the handler it reached: python-telegram-bot types
every part of an update as optional, while each handler's filter already guarantees the part
it reads. These accessors say so once, and fail loudly (the error handler answers the user)
if a handler is ever registered for updates without that part."""

from telegram import CallbackQuery, Chat, Message, Update

from api.text import cleaned


class MissingPart(LookupError):
    """The update lacks what its handler's filter promised: a programming error."""


def tapped(update: Update) -> CallbackQuery:
    """The tap of a callback-query handler."""
    if update.callback_query is None:
        raise MissingPart("no callback query")
    return update.callback_query


def tap_data(update: Update) -> str:
    """The data of the tapped button."""
    return tapped(update).data or ""


def user_id(update: Update) -> int:
    """The person the update comes from (every private-chat update has one)."""
    if update.effective_user is None:
        raise MissingPart("no user")
    return update.effective_user.id


def chat(update: Update) -> Chat:
    if update.effective_chat is None:
        raise MissingPart("no chat")
    return update.effective_chat


def message(update: Update) -> Message:
    """The message of a message handler."""
    if update.effective_message is None:
        raise MissingPart("no message")
    return update.effective_message


def text(update: Update) -> str:
    """The text of a text-message handler, without characters the backend refuses (NUL, an
    unpaired surrogate): the message is answered, not refused."""
    return cleaned(message(update).text or "")


def caption(update: Update) -> str:
    """The caption of a photo or file, cleaned as `text`."""
    return cleaned(message(update).caption or "")
