"""What the Telegram Bot API refuses, and the words it refuses it with.

Each check raises `ApiError` with Telegram's own status code and description, so that the bot
meets in tests exactly the refusal it would meet from Telegram. The limits are those of the Bot
API documentation (https://core.telegram.org/bots/api) and of tdlib, which the official Bot API
server is built on.
"""

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

TEXT_LIMIT = 4096
CALLBACK_DATA_BYTES = 64
CALLBACK_ANSWER_LIMIT = 200
INLINE_BUTTONS_LIMIT = 100
INLINE_ROW_LIMIT = 8
COMMANDS_LIMIT = 100
COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
DESCRIPTION_LIMIT = 256
LANGUAGE_CODE_PATTERN = re.compile(r"[a-z]{2}")
SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_PORTS = {443, 80, 88, 8443}
DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024  # what bots may download from Telegram's cloud
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip
BUTTON_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
}  # fmt: skip
HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class ApiError(Exception):
    """A refusal as the Bot API answers it: `{"ok": false, "error_code", "description"}`."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(problem: str) -> ApiError:
    return ApiError(400, f"Bad Request: {problem}")


# Reading parameters as they arrive: form fields, strings, JSON for everything else.


def required(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty" if value == "" else f'parameter "{name}" is required')
    return value


def integer(params: dict[str, str], name: str, default: int | None = None) -> int:
    value = params.get(name)
    if value is None:
        if default is None:
            raise bad_request(f'parameter "{name}" is required')
        return default
    try:
        return int(value)
    except ValueError:
        raise bad_request(f'field "{name}" must be of type Integer') from None


def boolean(params: dict[str, str], name: str) -> bool:
    return params.get(name, "false").lower() in {"true", "1"}


def json_field(params: dict[str, str], name: str) -> Any:
    value = params.get(name)
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(f"can't parse {name} JSON object") from None


# Texts


@dataclass(frozen=True)
class Formatted:
    """A text as Telegram shows it: the characters after entity parsing, and their styles."""

    text: str
    entities: tuple[tuple[str, int, int], ...] = ()


class _StrictHtml(HTMLParser):
    """Telegram's HTML: a handful of tags, four named entities, every tag closed in order."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.out: list[str] = []
        self.open: list[tuple[str, int]] = []
        self.entities: list[tuple[str, int, int]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.splitlines(keepends=True) or [""]
        prefix = "".join(lines[: line - 1]) + lines[line - 1][:column]
        return len(prefix.encode("utf-8"))

    def _length(self) -> int:
        return len("".join(self.out))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS:
            raise _entities_error(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')
        attributes = dict(attrs)
        if tag == "a" and not attributes.get("href"):
            raise _entities_error(
                f'Tag "a" must have attribute "href" at byte offset {self._offset()}'
            )
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise _entities_error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._offset()}'
            )
        self.open.append((tag, self._length()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise _entities_error(f'Unsupported start tag "{tag}/" at byte offset {self._offset()}')

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            raise _entities_error(f"Unexpected end tag at byte offset {self._offset()}")
        name, start = self.open.pop()
        if name != tag:
            raise _entities_error(
                f'Unmatched end tag at byte offset {self._offset()}, expected "</{name}>", '
                f'found "</{tag}>"'
            )
        self.entities.append((name, start, self._length() - start))

    def handle_data(self, data: str) -> None:
        for reserved in "<&":
            if reserved in data:
                raise _entities_error(
                    f"Character '{reserved}' is reserved and must be escaped at byte offset "
                    f"{self._offset() + len(data[: data.index(reserved)].encode('utf-8'))}"
                )
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in HTML_ENTITIES:
            raise _entities_error(f'Unsupported HTML entity "&{name};"')
        self.out.append(HTML_ENTITIES[name])

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            self.out.append(chr(code))
        except (ValueError, OverflowError):
            raise _entities_error(f'Unsupported HTML entity "&#{name};"') from None

    def unknown_decl(self, data: str) -> None:
        raise _entities_error(f"Unsupported declaration at byte offset {self._offset()}")

    def handle_decl(self, decl: str) -> None:
        self.unknown_decl(decl)

    handle_comment = handle_pi = unknown_decl


def _entities_error(problem: str) -> ApiError:
    return bad_request(f"can't parse entities: {problem}")


def parse_text(text: str, parse_mode: str | None) -> Formatted:
    """The text after entity parsing. HTML is parsed as strictly as Telegram parses it; the
    helpline never sends Markdown, so the stand-in refuses it rather than half-parse it."""
    if not parse_mode:
        return Formatted(text)
    if parse_mode == "HTML":
        parser = _StrictHtml(text)
        parser.feed(text)
        parser.close()
        if parser.open:
            tag = parser.open[-1][0]
            raise _entities_error(f'Can\'t find end tag corresponding to start tag "{tag}"')
        return Formatted("".join(parser.out), tuple(parser.entities))
    if parse_mode in {"MarkdownV2", "Markdown"}:
        raise bad_request(
            f"{parse_mode} is not parsed by this stand-in: the helpline sends plain text"
        )
    raise bad_request(f'unsupported parse_mode "{parse_mode}"')


def message_text(text: str | None, parse_mode: str | None) -> Formatted:
    """A message's text: 1-4096 characters after entity parsing, not only spaces."""
    formatted = parse_text(text or "", parse_mode)
    if not formatted.text.strip():
        raise bad_request("message text is empty")
    if len(formatted.text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return Formatted(formatted.text.strip(), formatted.entities)


# Keyboards


def reply_markup(markup: Any) -> Any:
    """Check a reply_markup object; it is returned unchanged."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _reply_keyboard(markup["keyboard"])
    elif not (markup.get("remove_keyboard") is True or markup.get("force_reply") is True):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    if sum(len(row) for row in rows) > INLINE_BUTTONS_LIMIT or any(
        len(row) > INLINE_ROW_LIMIT for row in rows
    ):
        raise bad_request("BUTTONS_TOO_MUCH")
    for row in rows:
        for button in row:
            _inline_button(button)


def _inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    if not isinstance(button.get("text"), str) or not button["text"].strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: only one of the optional fields must be used"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        parts = urlsplit(str(button["url"]))
        if parts.scheme not in {"http", "https", "tg"} or not (parts.netloc or parts.path):
            raise bad_request("BUTTON_URL_INVALID")


def _reply_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    for row in rows:
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse keyboard button: Text must be non-empty")


# Commands, callback answers, webhooks


def commands(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise bad_request("can't parse commands JSON object")
    if len(value) > COMMANDS_LIMIT:
        raise bad_request("too many commands specified")
    for command in value:
        if not isinstance(command, dict) or not COMMAND_PATTERN.fullmatch(
            str(command.get("command", ""))
        ):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(command.get("description", "")).strip()
        if not 1 <= len(description) <= DESCRIPTION_LIMIT:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return value


def language_code(code: str) -> str:
    if code and not LANGUAGE_CODE_PATTERN.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code


def callback_answer_text(text: str | None) -> str | None:
    if text is not None and len(text) > CALLBACK_ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    return text


def webhook(url: str, secret: str | None, *, local: bool) -> None:
    """Telegram's cloud takes HTTPS on four ports; a local Bot API server (`--local`) any URL."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if not local:
        if parts.scheme != "https":
            raise bad_request("bad webhook: HTTPS url must be provided for webhook")
        if (parts.port or 443) not in WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
    elif parts.scheme not in {"http", "https"}:
        raise bad_request("bad webhook: Unsupported URL protocol")
    if secret is not None and not SECRET_TOKEN_PATTERN.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
