"""Reading a report's answers by its form: what a person typed (or tapped) turned into a value,
a document of values checked, values shown in a language, and what a form says about urgency
and place. The one place field rules live; channel adapters only ask."""

import re
from typing import Any

import pycountry
from babel.dates import format_date

from api.cases.districts import Districts
from api.forms import parsing
from api.forms.declarations import FieldType, Form, Step
from api.forms.parsing import Invalid
from api.i18n import N_, Translator

TOO_LONG = N_("That is too long: please keep it under {limit} characters.")
CHOOSE_BUTTON = N_("Please tap one of the buttons.")
SEND_PHOTO = N_("Please send a photo, or tap “{skip}”.")
BEFORE_LEAVING = N_("That is before they left home ({date}). Please check it.")
YES, NO = N_("Yes"), N_("No")
PHOTO_ATTACHED = N_("attached")
SKIP = N_("Skip ▸")
DONT_KNOW = N_("🤷 Don't know")
NOT_SENT = N_("none sent")  # a photo step skipped
NEEDED = N_("We need this answer to act on your report. Please answer it as well as you can.")
YES_WORDS = {"ya", "iya", "y", "yes", "yup", "betul", "benar", "io", "sin", "ee", "he'e", "hee"}
NO_WORDS = {"tidak", "tdk", "gak", "ga", "nggak", "no", "n", "bukan", "sonde", "son", "lae", "kahi"}
UPLOAD_KEY = re.compile(r"^[A-Za-z0-9_-]{8,60}\.(?:jpg|png)$")
TOPIC = re.compile(r"^[a-z0-9_.]{1,64}$")
FLAG = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
SHOWN_LIMIT = 300  # characters of a long answer shown back
STORY_LENGTH = 100  # an answer that cannot be taken and is this long is an account: kept
STORY_KEPT = N_(
    "Thank you. I have kept everything you wrote for your caseworker, who will read all of it. "
    "To file your report I still need a short answer to this question:"
)


def skip_label(step: Step) -> str:
    """The button that leaves an optional step unanswered."""
    return SKIP if step.type is FieldType.PHOTO else DONT_KNOW


def read_answer(
    step: Step,
    *,
    text: str | None = None,
    upload_key: str | None = None,
    dont_know: bool = False,
    answers: dict[str, Any],
    districts: Districts,
    _: Translator,
    lang: str,
) -> Any:
    """The value of what a person answered to `step` (None: unknown, for optional steps);
    Invalid, with the reason, when it cannot be taken."""
    if dont_know or (step.optional and text is not None and parsing.means_dont_know(text)):
        if not step.optional:
            raise Invalid(NEEDED)
        return None
    if step.type is FieldType.PHOTO:
        if upload_key is None:
            raise Invalid(SEND_PHOTO, skip=_(skip_label(step)))
        return checked_value(step, upload_key, districts)
    if upload_key is not None or text is None or not text.strip():
        raise Invalid(CHOOSE_BUTTON if _has_buttons(step) else parsing.WORDS_PLEASE)
    text = text.strip()
    kind = step.type
    if kind is FieldType.TEXT:
        if len(text) > step.max_length:
            raise Invalid(TOO_LONG, limit=step.max_length)
        return text
    if kind is FieldType.DISTRICT:
        return parsing.match_district(text, districts.names)
    if kind is FieldType.CHOICE:
        typed = text.casefold()
        for choice in step.choices:
            if typed in (choice.value, _(choice.label).casefold(), choice.label.casefold()):
                return choice.value
        raise Invalid(CHOOSE_BUTTON)
    if kind is FieldType.YES_NO:
        typed = text.casefold().strip(" .!")
        if typed in YES_WORDS | {"true", _(YES).casefold()}:
            return True
        if typed in NO_WORDS | {"false", _(NO).casefold()}:
            return False
        raise Invalid(CHOOSE_BUTTON)
    if kind is FieldType.COUNTRY:
        if re.fullmatch(r"[A-Za-z]{2}", text) and pycountry.countries.get(alpha_2=text.upper()):
            return text.upper()
        return parsing.match_country(text)
    if kind is FieldType.DATE:
        value = parsing.read_date(text)
        earlier = answers.get(step.not_before) if step.not_before else None
        if isinstance(earlier, dict) and _first_day(value) < _first_day(earlier):
            raise Invalid(BEFORE_LEAVING, date=show_date(earlier, lang))
        return value
    if kind is FieldType.AGE:
        return parsing.parse_age(text)
    if kind is FieldType.PHONE:
        return parsing.parse_phone(text)
    if kind is FieldType.PASSPORT:
        return parsing.parse_passport(text)
    raise Invalid(parsing.WORDS_PLEASE)  # flags and topics are never typed


def _has_buttons(step: Step) -> bool:
    return step.type in (FieldType.CHOICE, FieldType.YES_NO, FieldType.DISTRICT)


def _first_day(value: dict[str, Any]) -> Any:
    return parsing.first_day(str(value["date"]))


def checked_value(step: Step, value: Any, districts: Districts) -> Any:
    """A value as a report document keeps it, checked; ValueError says what is wrong. Plain
    forms are taken too ("2025-06" for a date, 17 for an age, "yes" for yes/no) and given the
    document's shape."""
    kind = step.type
    if kind is FieldType.TEXT:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("must be text")
        if len(value.strip()) > step.max_length:
            raise ValueError(f"must be at most {step.max_length} characters")
        return value.strip()
    if kind is FieldType.CHOICE:
        if value not in {choice.value for choice in step.choices}:
            raise ValueError(f"must be one of {', '.join(c.value for c in step.choices)}")
        return value
    if kind is FieldType.YES_NO:
        if isinstance(value, bool):
            return value
        if value in ("yes", "no"):
            return value == "yes"
        raise ValueError("must be true or false")
    if kind is FieldType.DISTRICT:
        if value not in districts:
            raise ValueError(f"unknown district {value!r}; use a slug of content/districts.yaml")
        return value
    if kind is FieldType.COUNTRY:
        code = str(value).strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ValueError("not a country code; use the two-letter ISO code, e.g. MY")
        return code
    if kind is FieldType.DATE:
        return _checked_date(value)
    if kind is FieldType.AGE:
        return _checked_age(value)
    if kind in (FieldType.PHONE, FieldType.PASSPORT):
        parse = parsing.parse_phone if kind is FieldType.PHONE else parsing.parse_passport
        try:
            return parse(str(value)[:60])
        except Invalid as problem:
            raise ValueError(problem.explain(str)) from problem
    if kind is FieldType.PHOTO:
        if not isinstance(value, str) or not UPLOAD_KEY.match(value):
            raise ValueError("must be the key of an upload (POST /api/v1/uploads)")
        return value
    if kind is FieldType.FLAGS:
        if not isinstance(value, list) or not all(
            isinstance(f, str) and FLAG.match(f) for f in value
        ):
            raise ValueError("must be a list of red-flag ids")
        return value
    if not isinstance(value, str) or not TOPIC.match(value):
        raise ValueError("must be a topic slug")
    return value


def _checked_date(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = {"date": value, "approximate": False, "as_written": None}
    if not isinstance(value, dict) or set(value) - {"date", "approximate", "as_written"}:
        raise ValueError('must be a date like "2025-06-17", "2025-06" or "2025"')
    try:
        kept = parsing.checked_partial(str(value.get("date", "")))
    except Invalid as problem:
        raise ValueError(problem.explain(str)) from problem
    written = value.get("as_written")
    return {
        "date": kept,
        "approximate": bool(value.get("approximate")),
        "as_written": str(written)[:120] if written else None,
    }


def _checked_age(value: Any) -> dict[str, Any]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = {"years": value}
    keys = {"years", "to", "approximate", "born", "as_written"}
    if not isinstance(value, dict) or set(value) - keys or not isinstance(value.get("years"), int):
        raise ValueError("must be an age in years, e.g. 17")
    years, to = value["years"], value.get("to")
    if not 0 <= years <= parsing.MAX_AGE or (to is not None and not years < to <= parsing.MAX_AGE):
        raise ValueError(f"must be from 0 to {parsing.MAX_AGE} years")
    born = value.get("born")
    if born is not None:
        born = _checked_date(born)["date"]
    written = value.get("as_written")
    return {
        "years": years,
        "to": to,
        "approximate": bool(value.get("approximate")),
        "born": born,
        "as_written": str(written)[:120] if written else None,
    }


def checked_document(
    form: Form,
    details: dict[str, Any],
    districts: Districts,
    *,
    district: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """A report's details checked by its form: every field known, every value right, the
    form's first question answered (a channel may send what the reporter gave even when a
    question the bot insists on is missing). ValueError names the field. A
    district or country given beside the details answers the form's place fields."""
    details = dict(details)
    for field, given in ((form.place.district, district), (form.place.country, country)):
        if field and given and field not in details:
            details[field] = given
    unknown = sorted(set(details) - {step.field for step in form.steps})
    if unknown:
        raise ValueError(f"{unknown[0]}: not a field of a {form.kind} report")
    document: dict[str, Any] = {}
    for step in form.steps:
        value = details.get(step.field)
        if value is None or value == "" or value == []:
            continue
        try:
            document[step.field] = checked_value(step, value, districts)
        except ValueError as error:
            raise ValueError(f"{step.field}: {error}") from error
    first = form.asked[0].field
    if first not in document:
        raise ValueError(f"{first}: required")
    for step in form.steps:
        earlier = document.get(step.not_before) if step.not_before else None
        later = document.get(step.field)
        if earlier and later and _first_day(later) < _first_day(earlier):
            raise ValueError(f"{step.field}: cannot be before {step.not_before}")
    return document


def is_urgent(form: Form, document: dict[str, Any]) -> bool:
    """Whether an answer makes the report urgent by the form's rules (a minor, danger now)."""
    for rule in form.urgent_when:
        value = document.get(rule.field)
        if rule.under is not None and isinstance(value, dict) and value.get("years") is not None:
            if value["years"] < rule.under:
                return True
        elif rule.equals is not None and value == rule.equals:
            return True
    return False


def document_text(document: dict[str, Any]) -> str:
    """Every text of the answers (names, numbers, places, dates as written), for the danger
    words and the staff search."""
    texts = []
    for value in document.values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict) and value.get("as_written"):
            texts.append(str(value["as_written"]))
    return "\n".join(texts)


def show_date(value: dict[str, Any], lang: str) -> str:
    """A date as given: approximate ones as written ("sekitar 3 bulan lalu"), exact ones with
    their precision, in the language ("Juni 2025", "17 Agustus 2024", "2025")."""
    if value.get("approximate") and value.get("as_written"):
        return str(value["as_written"])
    day = _first_day(value)
    locale = "id" if lang in ("mkn", "aoz") else ("pt" if lang == "tet" else lang)
    precision = str(value["date"]).count("-")
    if precision == 0:
        return str(value["date"])
    if precision == 1:
        return format_date(day, "MMMM y", locale=locale).capitalize()
    return format_date(day, "d MMMM y", locale=locale)


def show_age(value: dict[str, Any], lang: str) -> str:
    if value.get("as_written") and (value.get("approximate") or value.get("to") is not None):
        return str(value["as_written"])
    if value.get("to") is not None:
        return f"{value['years']}–{value['to']}"
    if value.get("born"):
        born = {"date": value["born"], "approximate": False}
        return f"{value['years']} ({show_date(born, lang)})"
    return str(value["years"])


def shown(
    step: Step, value: Any, *, _: Translator, lang: str, districts: Districts, long: bool = False
) -> str:
    """A value as people read it, in the language; long texts shortened unless `long`."""
    kind = step.type
    if kind is FieldType.CHOICE:
        label = next((c.label for c in step.choices if c.value == value), None)
        return _(label) if label else str(value)
    if kind is FieldType.YES_NO:
        return _(YES) if value else _(NO)
    if kind is FieldType.DISTRICT:
        return districts.name(value)
    if kind is FieldType.COUNTRY:
        return parsing.country_name(value, lang)
    if kind is FieldType.DATE:
        return show_date(value, lang)
    if kind is FieldType.AGE:
        return show_age(value, lang)
    if kind is FieldType.PHOTO:
        return "📷 " + _(PHOTO_ATTACHED)
    if kind is FieldType.FLAGS:
        return ", ".join(value)
    text = str(value)
    if long or len(text) <= SHOWN_LIMIT:
        return text
    return text[:SHOWN_LIMIT].rstrip() + "…"


def kept_story(form: Form, step: Step, text: str | None, answers: dict[str, Any]) -> str | None:
    """The form's story with `text` added, when `text` (an answer that could not be taken)
    is a reporter's account rather than an answer; None otherwise. Nothing is cut: what does
    not fit is refused as too long, as before."""
    if form.story is None or step.field == form.story or text is None:
        return None
    text = text.strip()
    if len(text) < STORY_LENGTH:
        return None
    before = answers.get(form.story)
    story = f"{before}\n\n{text}" if isinstance(before, str) and before.strip() else text
    return story if len(story) <= form.step(form.story).max_length else None
