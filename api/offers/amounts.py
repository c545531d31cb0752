"""Money amounts in offers ("8jt", "Rp 1.500.000", "RM 3.500", "NT$ 30rb", "$2,500/month")
and the comparison of promised pay with typical pay (content/wages.yaml)."""

import re
from dataclasses import dataclass

# not inside another number: no digit just before, nor a digit and a separator ("Rp.5.000"
# is read: its "." follows letters)
_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[.,])(?:\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?!\d)"
)
_BEFORE_NUMBER = " \t."  # may stand between a currency and its number ("Rp. 5.000")
_NUMBER_PARTS = re.compile(r"(\d+(?:[.,]\d{3})*)(?:[.,](\d{1,2}))?")
_SEPARATORS = re.compile(r"[.,]")
_MAX_BARE_DIGITS = 7  # longer runs of digits without separators are phone numbers or ids
_PHONE_BEFORE = re.compile(r"[\d+\-][ \t]?$")  # "0812-3456": a part of a phone number
_PHONE_AFTER = re.compile(r"[ \t]?-[ \t]?\d")


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    idr: float  # value of one unit in rupiah
    aliases: tuple[str, ...]
    dollar: bool = False  # a "$" without a country is read as this currency at its destination


@dataclass(frozen=True, slots=True)
class Destination:
    id: str
    currency: str
    typical: dict[str, float]  # job id (or "default") -> typical monthly pay, in `currency`


@dataclass(frozen=True, slots=True)
class Wages:
    """Everything needed to read amounts and to judge a promised salary."""

    currencies: dict[str, Currency]
    default_currency: str  # of an amount with a magnitude word and no currency ("8jt")
    dollar_aliases: tuple[str, ...]
    magnitudes: dict[str, float]  # word -> factor ("jt" -> 1e6)
    periods: dict[str, float]  # period id -> number of such periods in a month
    destinations: dict[str, Destination]
    jobs: tuple[str, ...]
    baseline: str  # destination used when the offer names none
    ratio: float
    ratio_no_skill: float

    def typical_idr(self, destination: str | None, job: str | None) -> float:
        place = self.destinations[destination or self.baseline]
        pay = place.typical.get(job or "default", place.typical["default"])
        return pay * self.currencies[place.currency].idr

    def home_of(self, code: str) -> str | None:
        """The destination whose currency this is, or the baseline for rupiah."""
        if code == self.default_currency:
            return self.baseline
        homes = [place.id for place in self.destinations.values() if place.currency == code]
        return homes[0] if len(homes) == 1 else None

    def currency_at(self, code: str | None, destination: str | None) -> str | None:
        """The currency of an amount, once the destination is known."""
        local = self.destinations[destination].currency if destination else None
        if code == "$":
            if local and self.currencies[local].dollar:
                return local
            return next((c.code for c in self.currencies.values() if c.dollar), None)
        if code is None:
            return local
        return code


@dataclass(frozen=True, slots=True)
class Amount:
    start: int  # span in the original text
    end: int
    value: float
    currency: str | None  # a currency code, "$" (some dollar), or None (no currency written)
    bare: bool  # no currency and no magnitude word: a plain number


def _alternation(words: list[str]) -> str:
    """One pattern for any of `words`, longest first, never matching inside a longer word."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        part = re.escape(word).replace(r"\ ", r"\s?")
        if word[0].isalpha():
            part = r"(?<![^\W\d_])" + part
        if word[-1].isalpha():
            part += r"(?![^\W\d_])"
        parts.append(part)
    return "(?:" + "|".join(parts) + ")"


def _value(number: str) -> float:
    match = _NUMBER_PARTS.fullmatch(number)
    if match is None:
        return 0.0
    whole = _SEPARATORS.sub("", match.group(1))
    return float(f"{whole}.{match.group(2)}" if match.group(2) else whole)


class AmountReader:
    """Finds amounts of money: each number, with the currency and magnitude words around it."""

    def __init__(self, wages: Wages):
        self._aliases: dict[str, str] = {}
        for unit in wages.currencies.values():
            for alias in unit.aliases:
                self._aliases[alias.lower()] = unit.code
        for alias in wages.dollar_aliases:
            self._aliases[alias.lower()] = "$"
        self._magnitudes = {word.lower(): factor for word, factor in wages.magnitudes.items()}
        self._default_currency = wages.default_currency
        self._alias_lengths = sorted({len(alias) for alias in self._aliases}, reverse=True)
        currency = _alternation(list(self._aliases))
        magnitude = _alternation(list(self._magnitudes))
        self._after = re.compile(
            rf"(?:[ \t]?(?P<magnitude>{magnitude}))?(?:[ \t]?(?P<currency>{currency}))?",
            re.IGNORECASE,
        )

    def _alias(self, text: str | None) -> str | None:
        if text is None:
            return None
        return self._aliases.get(re.sub(r"\s+", " ", text.lower()))

    def _currency_before(self, text: str, start: int) -> tuple[str, int] | None:
        """The currency written just before a number, and where it starts."""
        window = max(start - self._alias_lengths[0] - 3, 0)
        head = text[window:start].rstrip(_BEFORE_NUMBER).lower()
        for length in self._alias_lengths:
            alias = head[-length:]
            if len(alias) < length or alias not in self._aliases:
                continue
            if alias[0].isalpha() and len(head) > length and head[-length - 1].isalpha():
                continue  # the end of a longer word
            return self._aliases[alias], window + len(head) - length
        return None

    def read(self, text: str) -> list[Amount]:
        amounts = []
        for number in _NUMBER.finditer(text):
            start, end = number.span()
            before = self._currency_before(text, start)
            after = self._after.match(text, end)
            assert after is not None  # every part of the pattern is optional
            currency = before[0] if before else self._alias(after["currency"])
            value = _value(number.group())
            if after["magnitude"]:
                value *= self._magnitudes[after["magnitude"].lower()]
                currency = currency or self._default_currency
            bare = currency is None
            if bare and not _plausible_bare(text, number):
                continue
            amounts.append(
                Amount(before[1] if before else start, after.end(), value, currency, bare)
            )
        return amounts


def _plausible_bare(text: str, number: re.Match[str]) -> bool:
    """A number written without currency may be pay ("gaji 3500"); not a year or phone."""
    if _PHONE_BEFORE.search(text, max(number.start() - 2, 0), number.start()):
        return False
    if _PHONE_AFTER.match(text, number.end()):
        return False
    written = number.group()
    digits = _SEPARATORS.sub("", written)
    if written[0] == "0" or len(digits) > _MAX_BARE_DIGITS:
        return False
    return written != digits or 100 <= int(digits) and not 1900 <= int(digits) <= 2100


def pay_ratio(
    wages: Wages,
    amount: Amount,
    *,
    destination: str | None,
    job: str | None,
    period: str | None,
) -> float | None:
    """Promised monthly pay divided by typical monthly pay, or None if it cannot be read."""
    code = wages.currency_at(amount.currency, destination)
    if code is None and amount.value >= 100_000:
        code = wages.default_currency
    if code is None or code not in wages.currencies:
        return None
    destination = destination or wages.home_of(code)
    if destination is None:
        return None
    monthly = amount.value * wages.periods.get(period or "month", 1.0)
    return monthly * wages.currencies[code].idr / wages.typical_idr(destination, job)


def too_good(wages: Wages, ratio: float, *, no_skill: bool) -> bool:
    return ratio > (wages.ratio_no_skill if no_skill else wages.ratio)
