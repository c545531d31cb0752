"""What the staff queue's text search finds a case by, with its details encrypted: the keyed
hashes (`encryption.KeyRing.search_token`) of the normalised words of its details and of
every phone number in them, kept in `cases.search_text`. A search matches whole words (a name,
a word of a place, a phone number however it is written), no longer parts of words."""

import re
import unicodedata

import phonenumbers
from sqlalchemy import ColumnElement, and_, false, or_

from api.cases.models import Case
from api.encryption import KeyRing

WORD = re.compile(r"[^\W_]+")  # letters and digits; "timor_tengah_selatan" is three words
PHONE_REGION = "ID"  # numbers written without a country code are Indonesian


def words(text: str) -> set[str]:
    """The text's words, compatibility-normalised and case-folded ("MARIA" and "Maria" alike)."""
    return set(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def phone(text: str) -> str | None:
    """The text as a phone number in the form the details keep (+E.164), if it is one."""
    if not any(char.isdigit() for char in text):
        return None
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def terms(text: str) -> set[str]:
    """What a case with this details text is found by: its words, and each phone number in
    it as digits of +E.164 ("0812-3456-7890" in a story is found as +6281234567890)."""
    found = words(text)
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.add(e164.lstrip("+"))
    return found


def index(text: str, keys: KeyRing) -> str:
    """`cases.search_text` for this details text: its terms' hashes, sorted (the order of
    the words is not kept), separated by spaces."""
    return " ".join(sorted({keys.search_token(term) for term in terms(text)}))


def _has(term: str, keys: KeyRing) -> ColumnElement[bool]:
    """The case's index holds `term` (hashed with any of the keys: during a rotation, cases
    not yet re-indexed hold the older key's hashes)."""
    return or_(*(Case.search_text.contains(token) for token in keys.search_tokens(term)))


def matches(text: str, keys: KeyRing) -> ColumnElement[bool]:
    """Every word of the search somewhere in the details, or the search as one phone number."""
    searched = words(text)
    found: list[ColumnElement[bool]] = []
    if searched:
        found.append(and_(*(_has(term, keys) for term in searched)))
    if number := phone(text):
        found.append(_has(number.lstrip("+"), keys))
    return or_(*found) if found else false()
