"""Reading what people type in a report: dates, ages, phone numbers, passport numbers,
districts and countries, turned into the values a report keeps.

Lenient with how people write ("Maret 2024", "17/8/2024", "tts", "Singapura"), strict about
what cannot be right (a date in the future, an age of 150): those raise `Invalid` with a
kind explanation."""

import gettext
import re
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from functools import cache

import phonenumbers
import pycountry
from rapidfuzz import fuzz, process

from api.i18n import N_

WITA = timezone(timedelta(hours=8), "WITA")  # NTT's time: "today" for the dates people give
OLDEST_YEAR = 1900
MAX_AGE = 100
FUZZY_CUTOFF = 80
MIN_WORD = 4  # shorter words of country names ("of", "the", "uni") do not name one

MONTHS = {  # the first three letters of month names in Indonesian, English and Tetun
    "jan": 1,
    "feb": 2,
    "fev": 2,
    "mar": 3,
    "apr": 4,
    "abr": 4,
    "mei": 5,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "aug": 8,
    "ago": 8,
    "sep": 9,
    "set": 9,
    "okt": 10,
    "oct": 10,
    "out": 10,
    "nov": 11,
    "des": 12,
    "dec": 12,
    "dez": 12,
}
_FILLER = re.compile(r"\b(?:tanggal|tgl|bulan|bln|tahun|thn|th|date|month|year)\b\.?")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/. ](\d{4})")
_NAMED = re.compile(r"(?:(\d{1,2})[-/ ])?([a-z]{3,})\.?[-/ ](\d{4})")
_YEAR = re.compile(r"\d{4}")
_PARTIAL = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_AGE = re.compile(r"(\d{1,3}) ?(?:tahun|thn|th|taun|years?|yrs?|y\.?o\.?|tinan)?")
COUNTRY_NAME_LANGUAGES = {"id": "id", "mkn": "id", "aoz": "id", "tet": "pt"}

BAD_DATE = N_(
    "I could not read that date. Please write it like 17-08-2024, or the month and year "
    "(March 2024), or only the year (2024)."
)
DATE_HINT = N_("a date (17-08-2024), a month (March 2024) or a year (2024)")
WORDS_PLEASE = N_("Please answer in words.")
FUTURE_DATE = N_("That date is in the future. Please check it.")
OLD_DATE = N_("That date is before 1900. Please check it.")
BAD_AGE = N_(
    "Please write the age in years (a number from 0 to 100), or the birth date like 17-08-1995."
)
BAD_PHONE = N_(
    "That does not look like a phone number. Write it like 0812 3456 7890, or with the "
    "country code for a number abroad, like +60 12 345 6789."
)
BAD_PASSPORT = N_(
    "A passport number has 6 to 9 letters and digits, like C1234567. Please check it."
)
UNKNOWN_DISTRICT = N_(
    "I do not know that district. Please choose it from the buttons, or write its name, "
    "like Timor Tengah Selatan."
)
UNKNOWN_COUNTRY = N_(
    "I do not know that country. Please write its name, like Malaysia, or tap a button."
)


class Invalid(ValueError):
    """An answer that cannot be taken; `message` (from the catalogs) explains why."""

    def __init__(self, message: str, **params: object):
        super().__init__(message)
        self.message = message
        self.params = params

    def explain(self, _) -> str:
        return _(self.message).format(**self.params)


DONT_KNOW = (
    frozenset(  # what people type for "I don't know" (id, mkn, en): an optional step unanswered
        {
            "tidak tahu",
            "tidak tau",
            "tdk tahu",
            "tdk tau",
            "gak tahu",
            "gak tau",
            "ga tau",
            "nggak tahu",
            "ngga tau",
            "enggak tahu",
            "belum tahu",
            "kurang tahu",
            "lupa",
            "tidak ingat",
            "tidak ada",
            "tdk ada",
            "gak ada",
            "ga ada",
            "belum ada",
            "sonde tau",
            "son tau",
            "seng tau",
            "sonde tahu",
            "sonde ada",
            "son ada",
            "don't know",
            "dont know",
            "do not know",
            "unknown",
            "no idea",
            "idk",
            "not sure",
            "none",
            "n/a",
            "na",
            "-",
            "--",
            "?",
        }
    )
)


def means_dont_know(text: str) -> bool:
    """Whether a typed answer says "I don't know" (or "there is none") rather than a value."""
    words = " ".join(text.casefold().replace("’", "'").strip(" .!?,").split())
    return words in DONT_KNOW or text.strip() in {"-", "?", "--"}


def today() -> date:
    return datetime.now(WITA).date()


def _clean(text: str) -> str:
    return " ".join(text.lower().replace(",", " ").split()).strip(" .")


# Dates: kept as "2024", "2024-03" or "2024-03-17", with the precision the person gave.


def _partial(year: int, month: int | None = None, day: int | None = None) -> str:
    try:
        date(year, month or 1, day or 1)
    except ValueError as error:
        raise Invalid(BAD_DATE) from error
    if year < OLDEST_YEAR:
        raise Invalid(OLD_DATE)
    value = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    if first_day(value) > today():
        raise Invalid(FUTURE_DATE)
    return value


def checked_partial(value: str) -> str:
    """A kept partial date ("2025", "2025-06", "2025-06-17") checked as a date of the past."""
    if not _PARTIAL.fullmatch(value):
        raise Invalid(BAD_DATE)
    return _partial(*(int(part) for part in value.split("-")))


def parse_date(text: str) -> str:
    """A date as typed: dd-mm-yyyy, dd/mm/yyyy, "17 Agustus 2024", "Maret 2024", "2024"."""
    cleaned = " ".join(_FILLER.sub(" ", _clean(text)).split())
    if match := _DAY_MONTH_YEAR.fullmatch(cleaned):
        day, month, year = map(int, match.groups())
        return _partial(year, month, day)
    if match := _ISO.fullmatch(cleaned):
        year, month, day = map(int, match.groups())
        return _partial(year, month, day)
    if match := _MONTH_YEAR.fullmatch(cleaned):
        month, year = map(int, match.groups())
        return _partial(year, month)
    if match := _NAMED.fullmatch(cleaned):
        day_text, name, year_text = match.groups()
        named_month = MONTHS.get(name[:3])
        if named_month is None:
            raise Invalid(BAD_DATE)
        return _partial(int(year_text), named_month, int(day_text) if day_text else None)
    if _YEAR.fullmatch(cleaned):
        return _partial(int(cleaned))
    raise Invalid(BAD_DATE)


def first_day(value: str) -> date:
    """The earliest day a partial date can mean; what is sent as its wire date."""
    parts = [int(part) for part in value.split("-")]
    return date(parts[0], *(parts[1:] + [1, 1])[:2])


def show_date(value: str) -> str:
    """A partial date as people in NTT write it: 17-03-2024, 03-2024 or 2024."""
    return "-".join(reversed(value.split("-")))


# Approximate dates: "3 bulan lalu", "juni tahun lalu", "sekitar 2019", "awal 2024", "kemarin".
_UNITS = {
    "hari": "day",
    "days": "day",
    "day": "day",
    "minggu": "week",
    "mgg": "week",
    "pekan": "week",
    "weeks": "week",
    "week": "week",
    "bulan": "month",
    "bln": "month",
    "months": "month",
    "month": "month",
    "tahun": "year",
    "thn": "year",
    "taun": "year",
    "years": "year",
    "year": "year",
}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_AGO = r"(?:\s+(?:yang\s+|yg\s+)?(?:lalu|lewat|kemarin|ago|lalu\s+ini))?"
_SINCE = re.compile(r"^(?:sejak|semenjak|dari|since|from)\s+")
_N_UNITS_AGO = re.compile(rf"(?:(.+?)\s*)?({_UNIT}){_AGO}")
_LAST = re.compile(rf"(?:last|past)\s+({_UNIT})")
_MONTH_OF = re.compile(
    r"([a-z]{3,})(?:\s+(tahun\s+lalu|thn\s+lalu|taun\s+lalu|last\s+year|"
    r"tahun\s+ini|this\s+year))?"
)
_PART_OF_YEAR = re.compile(r"(?:awal|akhir|pertengahan|tengah|early|late|mid|end\s+of)\s+(\d{4})")
_YESTERDAY = {"kemarin", "kemaren", "yesterday"}
_TODAY = {"hari ini", "tadi", "today"}


def _months_ago(months: int) -> str:
    now = today()
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    return _partial(year, month + 1)


def _relative(cleaned: str) -> str | None:
    """A date said relative to today, as a partial date; None if it is not one."""
    now = today()
    if cleaned in _YESTERDAY or cleaned in _TODAY:
        return (now - timedelta(days=cleaned in _YESTERDAY)).isoformat()
    if match := _LAST.fullmatch(cleaned):
        count, unit = 1, _UNITS[match.group(1)]
    elif (match := _N_UNITS_AGO.fullmatch(cleaned)) and (
        match.group(1) is None or number_in_words(match.group(1)) is not None
    ):
        if match.group(1) is None and not re.search(r"lalu|lewat|kemarin|ago", cleaned):
            return None  # "bulan" alone is no date
        count = 1 if match.group(1) is None else number_in_words(match.group(1)) or 0
        unit = _UNITS[match.group(2)]
    elif (match := _MONTH_OF.fullmatch(cleaned)) and match.group(1)[:3] in MONTHS:
        month = MONTHS[match.group(1)[:3]]
        last_year = bool(match.group(2)) and any(w in match.group(2) for w in ("lalu", "last"))
        year = now.year - 1 if last_year or (not match.group(2) and month > now.month) else now.year
        return _partial(year, month)
    elif match := _PART_OF_YEAR.fullmatch(cleaned):
        return _partial(int(match.group(1)))
    else:
        return None
    if unit == "day":
        return _partial_day(now - timedelta(days=count))
    if unit == "week":
        return _partial_day(now - timedelta(weeks=count))
    if unit == "month":
        return _months_ago(count)
    return _partial(now.year - count)


def _partial_day(day: date) -> str:
    return _partial(day.year, day.month, day.day)


def read_date(text: str) -> dict[str, object]:
    """A date as people give it, exact or not, kept with its precision and as written:
    {"date": "2025-06", "approximate": False, "as_written": "juni 2025"}; "3 bulan lalu" is
    the month three months back, approximate."""
    cleaned, approximate = approximately(_SINCE.sub("", _clean(text)))
    written = " ".join(text.split())
    try:
        value = parse_date(cleaned)
    except Invalid as error:
        if error.message != BAD_DATE:
            raise
        relative = _relative(cleaned)
        if relative is None:
            raise
        value, approximate = relative, True
    return {"date": value, "approximate": approximate, "as_written": written}


NUMBER_WORDS = {  # Indonesian (and Kupang Malay) and English, for ages and "tiga bulan lalu"
    "nol": 0,
    "satu": 1,
    "se": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "ampat": 4,
    "lima": 5,
    "enam": 6,
    "anam": 6,
    "tujuh": 7,
    "tuju": 7,
    "delapan": 8,
    "lapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_NUMBER = re.compile(r"\d{1,3}|[a-z]+(?:[ -][a-z]+)*")


def number_in_words(text: str) -> int | None:
    """A number written out: "tujuh belas", "dua puluh lima", "twenty-four", "17"."""
    if text.isdigit():
        return int(text)
    total, current = 0, None
    for word in text.replace("-", " ").split():
        if word == "belas" and current is not None:
            current += 10
        elif word == "puluh" and current is not None:
            current *= 10
        elif word in NUMBER_WORDS:
            value = NUMBER_WORDS[word]
            if current is not None and value < 10 and current % 10 == 0 and current >= 20:
                current += value  # "dua puluh lima", "twenty five"
            elif current is not None:
                return None
            else:
                current = value
        else:
            return None
        if word == "puluh" and current is not None:
            total, current = total + current, None
    if current is not None:
        total += current
    return total if text.strip() else None


_APPROXIMATELY = re.compile(
    r"^(?:sekitar|kira[- ]?kira|kira2|kurang lebih|kurleb|kl|lebih kurang|hampir|mungkin|"
    r"about|around|approximately|approx\.?|roughly|maybe|±|\+-|~)\s*"
)
_AGE_UNITS = r"(?:tahun|thn|th|taun|years? old|years?|yrs?|y\.?o\.?|tinan)"
_AGE_WORD = re.compile(r"^(?:umurnya|usianya|umur|usia|age|aged)\s*")
_AGE_RANGE = re.compile(rf"(.+?)\s*(?:-|–|sampai|sampe|atau|ato|or|to)\s*(.+?)\s*{_AGE_UNITS}?")
_AGE_NUMBER = re.compile(rf"(.+?)(?:an)?\s*{_AGE_UNITS}?(?:\s*lebih|\s*more)?")


def approximately(text: str) -> tuple[str, bool]:
    """The text without a leading "sekitar", "kira-kira", "about"…; and whether it had one."""
    cleaned = _clean(text)
    stripped = _APPROXIMATELY.sub("", cleaned)
    return stripped, stripped != cleaned


def _years(text: str) -> int | None:
    match = _AGE_NUMBER.fullmatch(text)
    if not match:
        return None
    words = match.group(1).strip()
    if words.endswith("an") and words[:-2].isdigit():  # "17an", "20an"
        words = words[:-2]
    return number_in_words(words)


def parse_age(text: str) -> dict[str, object]:
    """An age as people give it: 17, "17 tahun", "sekitar 17", "16-17", "tujuh belas", a birth
    year or a birth date. Kept with its precision:
    {"years": 17, "to": None, "approximate": True, "born": None, "as_written": "sekitar 17"}."""
    cleaned, approximate = approximately(_AGE_WORD.sub("", _clean(text)))
    approximate = approximate or bool(re.fullmatch(r"\d{1,2}an.*|.*\blebih\b.*", cleaned))
    years, to, born = _years(cleaned), None, None
    if years is None or _YEAR.fullmatch(cleaned):  # four digits: a birth year
        match = _AGE_RANGE.fullmatch(cleaned)
        low, high = (_years(match.group(1)), _years(match.group(2))) if match else (None, None)
        if low is not None and high is not None:
            if not low < high:
                raise Invalid(BAD_AGE)
            years, to = low, high
        else:
            try:
                born = parse_date(cleaned)
            except Invalid as error:
                if error.message == FUTURE_DATE:
                    raise
                raise Invalid(BAD_AGE) from error
            if born.count("-") == 1:  # a month and a year is not how anyone gives an age
                raise Invalid(BAD_AGE)
            years = years_since(born)
    if not 0 <= years <= MAX_AGE or (to or 0) > MAX_AGE:
        raise Invalid(BAD_AGE)
    written = " ".join(text.split())
    return {
        "years": years,
        "to": to,
        "approximate": approximate,
        "born": born,
        "as_written": written,
    }


def years_since(born: str) -> int:
    """Full years since a partial birth date, today (a birth year: the age reached this year)."""
    day, now = first_day(born), today()
    if born.count("-") == 0:
        return now.year - day.year
    return now.year - day.year - ((now.month, now.day) < (day.month, day.day))


def show_age(age: dict[str, object]) -> str:
    """An age as the person wrote it when approximate or a range, else the years."""
    if age.get("approximate") or age.get("to") is not None:
        return str(age.get("as_written") or f"{age['years']}-{age['to']}")
    if age.get("born"):
        return f"{age['years']} ({show_date(str(age['born']))})"
    return str(age["years"])


# Phone and passport numbers


def parse_phone(text: str) -> str:
    """A phone number as people write it (0812-3456-7890, +62 812…, 62812…, "WA 0812…"),
    Indonesian unless it has a country code; in E.164."""
    digits = re.sub(r"[^\d+]", "", text)
    candidates = [text, f"+{digits}"] if digits.startswith("62") else [text]
    for candidate in candidates:
        for match in phonenumbers.PhoneNumberMatcher(candidate, "ID"):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as error:
        raise Invalid(BAD_PHONE) from error
    if not phonenumbers.is_valid_number(number):
        raise Invalid(BAD_PHONE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_passport(text: str) -> str:
    number = "".join(text.split()).upper()
    if not (6 <= len(number) <= 9 and number.isascii() and number.isalnum()):
        raise Invalid(BAD_PASSPORT)
    return number


# Places


def _initials(name: str) -> str | None:
    words = name.split()
    return "".join(word[0] for word in words) if len(words) > 2 else None


def _district_keys(slug: str, name: str) -> list[str]:
    """The ways people write a district: "Kupang (kota)" is also "kupang kota", "kota kupang";
    names of three words also by their initials (TTS, TTU, SBD)."""
    plain = _clean(re.sub(r"[()]", " ", name))
    keys = [plain, slug.replace("_", " ")]
    if match := re.fullmatch(r"(.+?)\s*\((.+)\)", name.lower()):
        keys.append(f"{match.group(2)} {match.group(1)}")
    if initials := _initials(plain):
        keys.append(initials)
    return keys


def match_district(text: str, districts: dict[str, str]) -> str:
    """The slug of the district a person typed, leniently; Invalid when none is close."""
    cleaned = re.sub(r"^(?:kabupaten|kab)\b\.?\s*", "", _clean(text))
    keys = {key: slug for slug, name in districts.items() for key in _district_keys(slug, name)}
    if cleaned in keys:
        return keys[cleaned]
    found = process.extractOne(cleaned, list(keys), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if found is None:
        raise Invalid(UNKNOWN_DISTRICT)
    return keys[found[0]]


@cache
def _country_names(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])


def _one_each(names: dict[str, set[str]]) -> dict[str, str]:
    return {name: next(iter(codes)) for name, codes in names.items() if len(codes) == 1}


@cache
def _country_keys() -> tuple[dict[str, str], dict[str, str]]:
    """Country names in English, Indonesian and Portuguese (for Tetun), written plainly and
    without spaces; and the words of these names ("saudi"). Each -> the code of the only
    country it names ("korea" names two, so it is not taken)."""
    names: dict[str, set[str]] = defaultdict(set)
    words: dict[str, set[str]] = defaultdict(set)
    for country in pycountry.countries:
        english = {country.name, getattr(country, "common_name", country.name)}
        english.add(getattr(country, "official_name", country.name))
        translated = {_country_names(lang).gettext(n) for lang in ("id", "pt") for n in english}
        for name in english | translated:
            for variant in (_clean(name), _clean(name.split(",")[0])):
                names[variant].add(country.alpha_2)
                names[variant.replace(" ", "")].add(country.alpha_2)
                for word in variant.split():
                    if len(word) >= MIN_WORD:
                        words[word].add(country.alpha_2)
    return _one_each(names), _one_each(words)


def match_country(text: str) -> str:
    """The ISO code of the country a person typed ("Singapura", "Saudi", "malasya")."""
    names, words = _country_keys()
    cleaned = _clean(text)
    if cleaned in names or cleaned in words:
        return names.get(cleaned) or words[cleaned]
    found = process.extractOne(cleaned, list(names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if found is None:
        raise Invalid(UNKNOWN_COUNTRY)
    return names[found[0]]


def country_name(code: str, lang: str) -> str:
    """A country's name in the user's language where pycountry has it, else in English."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", country.name)
    catalog = COUNTRY_NAME_LANGUAGES.get(lang)
    return _country_names(catalog).gettext(name).split(",")[0] if catalog else name
