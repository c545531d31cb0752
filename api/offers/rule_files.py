"""The shape of content/offer_rules.yaml and content/wages.yaml, as typed models.

The models check each value (types, ranges, known keys and ids, safe patterns, texts in the
languages of content/languages.yaml); `rules_problems` and `wages_problems` then check what
spans the file: phrases that name unknown word lists, have no words or repeat, `unless`
phrases that would cancel a trigger of their own rule, and names one part of the wages
gives another. Each problem is a location in the file and a message.
"""

from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
)

from api.content_files import Location, Strict
from api.languages import Text, Translations
from api.offers import patterns
from api.offers.normalize import Normalizer
from api.offers.schemas import FLAG_IDS

MAX_WINDOW = 30
AMOUNT_TERM = "@amount"
REGISTRY_FLAG = "unlicensed_recruiter"
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Word = Annotated[str, StringConstraints(pattern=r"^[^\W_]+$")]
Phrases = tuple[Text, ...]
# where, what, and where the first of a duplicate is
Found = list[tuple[Location, str, Location | None]]


def _safe(pattern: str) -> str:
    problem = patterns.problem(pattern)
    if problem:
        raise ValueError(problem)
    return pattern


def _known_flag(flag_id: str) -> str:
    if flag_id not in FLAG_IDS:
        raise ValueError(f"unknown flag id {flag_id!r}")
    return flag_id


Pattern = Annotated[str, AfterValidator(_safe)]
FlagId = Annotated[str, AfterValidator(_known_flag)]
Window = Annotated[int, Field(ge=0, le=MAX_WINDOW)]


class UnlessWindow(Strict):
    before: Window = 5
    after: Window = 3


class Combo(Strict):
    groups: tuple[Phrases, ...] = Field(min_length=2)
    within: Window = 3  # most words allowed between the first term and the last one
    scope: Literal["clause", "sentence"] = "clause"


class Rule(Strict):
    """What raises a flag (or marks a warning) and what cancels it."""

    phrases: Phrases = ()
    patterns: tuple[Pattern, ...] = ()
    combos: tuple[Combo, ...] = ()
    unless_before: Phrases = ()
    unless_after: Phrases = ()
    unless_window: UnlessWindow | None = None


class RegistryAdvice(Strict):
    """The advice when a company named in the offer is not licensed, by reason."""

    not_registered: Translations
    suspended: Translations
    revoked: Translations


class Flag(Rule):
    risk: Literal["high", "medium"]  # the risk this flag gives alone
    label: Translations
    advice: Translations
    registry_advice: RegistryAdvice | None = None


class Amounts(Strict):
    salary_words: Phrases = ()
    no_skill_words: Phrases = ()
    range_words: Phrases = ()


class Detection(Strict):
    recruiting: Phrases = ()
    details: Phrases = ()
    # topic slugs: a message read as one of them tells what happened, it is not an offer
    not_for_topics: tuple[str, ...] = ()


def _needs(name: str) -> AfterValidator:
    """A mapping must have the key `name`."""

    def check(value: dict) -> dict:
        if name not in value:
            raise ValueError(f"needs {name!r}")
        return value

    return AfterValidator(check)


class Advice(Strict):
    low: Translations
    medium: Translations
    high: Translations


class RulesFile(Strict):
    high_risk_count: int = Field(default=3, ge=1, le=len(FLAG_IDS))
    max_chars: int = Field(default=4000, ge=100, le=100_000)
    unless_window: UnlessWindow = UnlessWindow()
    clause_words: Phrases = ()
    abbreviations: dict[Word, Text]
    word_lists: dict[Slug, Phrases] = {}
    warnings: Rule = Rule()
    amounts: Amounts = Amounts()
    detection: Detection = Detection()
    advice: Advice
    flags: dict[FlagId, Flag] = Field(min_length=1)

    def normalizer(self) -> Normalizer:
        return Normalizer(dict(self.abbreviations), frozenset(self.clause_words))


def _named(kind: str, section: str) -> AfterValidator:
    """A name that must be a key of another section of the wages file (in the context)."""

    def check(name: str, info: ValidationInfo) -> str:
        if name not in (info.context or {}).get(section, (name,)):
            raise ValueError(f"unknown {kind} {name!r}")
        return name

    return AfterValidator(check)


def wages_context(data: Any) -> dict[str, tuple[str, ...]]:
    """The names sections of the wages file give each other: pass as `context`."""
    data = data if isinstance(data, dict) else {}
    names = {}
    for section in ("currencies", "jobs", "destinations"):
        value = data.get(section)
        names[section] = tuple(map(str, value)) if isinstance(value, dict) else ()
    names["jobs"] += ("default",)
    return names


class Currency(Strict):
    idr: Annotated[float, Field(ge=0.0001, le=1_000_000)]  # rupiah for one unit
    aliases: Phrases
    dollar: bool = False
    source: Text | None = None
    verified: bool = False


class Magnitude(Strict):
    factor: Annotated[float, Field(ge=1, le=1e12)]
    words: Phrases


class Period(Strict):
    per_month: Annotated[float, Field(ge=0.0001, le=1000)]
    words: Phrases


class Comparison(Strict):
    ratio: Annotated[float, Field(ge=1, le=100)]
    ratio_no_skill: Annotated[float, Field(ge=1, le=100)]
    baseline: Annotated[Slug, _named("destination", "destinations")]  # when an offer names none


JobName = Annotated[Slug, _named("job", "jobs")]


class TypicalPay(Strict):
    pay: Annotated[float, Field(ge=1, le=1e12)]
    source: Text
    verified: bool


class Destination(Strict):
    currency: Annotated[str, _named("currency", "currencies")]
    keywords: Phrases = ()
    typical: Annotated[dict[JobName, TypicalPay], _needs("default")]  # job or "default" -> pay


class WagesFile(Strict):
    comparison: Comparison
    default_currency: Annotated[str, _named("currency", "currencies")]
    dollar_aliases: Phrases
    magnitudes: dict[Slug, Magnitude]
    periods: Annotated[dict[Slug, Period], _needs("month")]
    currencies: dict[str, Currency]
    jobs: dict[Slug, Phrases]
    destinations: dict[Slug, Destination]


def key(normalizer: Normalizer, phrase: str) -> str | None:
    """The automaton key of a phrase: its normalised words, space-bounded unless `*`."""
    core = normalizer.phrase(phrase.strip().strip("*"))
    if not core:
        return None
    left = "" if phrase.strip().startswith("*") else " "
    right = "" if phrase.strip().endswith("*") else " "
    return left + core + right


class _Phrases:
    """Checks lists of phrases: words, known @lists, no duplicate in one scope."""

    def __init__(self, normalizer: Normalizer, word_lists: dict[str, Phrases]):
        self.normalizer = normalizer
        self.word_lists = word_lists
        self.found: Found = []

    def check(
        self, phrases: Phrases, at: Location, seen: dict[str, Location], amount: bool = False
    ) -> None:
        """Record the keys of phrases in `seen` (key -> location) and what is wrong."""
        for index, phrase in enumerate(phrases):
            where = (*at, index)
            if phrase.startswith("@"):
                if phrase[1:] not in self.word_lists and not (amount and phrase == AMOUNT_TERM):
                    self.found.append((where, f"unknown word list {phrase!r}", None))
                    continue
                phrase_key: str | None = phrase
            else:
                phrase_key = key(self.normalizer, phrase)
            if phrase_key is None:
                self.found.append((where, f"phrase {phrase!r} has no words", None))
            elif phrase_key in seen:
                self.found.append((where, f"duplicate phrase {phrase!r}", seen[phrase_key]))
            else:
                seen[phrase_key] = where

    def words(self, seen: dict[str, Location]) -> Iterator[tuple[str, Location]]:
        """The normalised words of checked phrases, @lists expanded, with their locations."""
        for phrase_key, where in seen.items():
            if phrase_key.startswith("@"):
                for phrase in self.word_lists.get(phrase_key[1:], ()):
                    words = key(self.normalizer, phrase)
                    if words:
                        yield words.strip(), where
            else:
                yield phrase_key.strip(), where


class _PhraseParts(Strict):
    """The parts of a rule that hold phrases, read even when other parts have problems."""

    model_config = ConfigDict(extra="ignore")
    phrases: Phrases = ()
    combos: tuple[Combo, ...] = ()
    unless_before: Phrases = ()
    unless_after: Phrases = ()
    patterns: tuple[str, ...] = ()


@cache
def _adapter(kind: Any) -> TypeAdapter:
    return TypeAdapter(kind)


def _part(kind: Any, value: Any, default: Any) -> Any:
    """`value` validated as `kind`, or `default` when it is not valid (the models say why)."""
    try:
        return _adapter(kind).validate_python(value)
    except ValidationError:
        return default


def _mapping(data: dict, name: str) -> list[tuple[Any, Any]]:
    """The items of the mapping at `name`; none when it is not a mapping."""
    value = data.get(name)
    return list(value.items()) if isinstance(value, dict) else []


def rules_problems(data: Any) -> Found:
    """What the models cannot see: phrases, duplicates and conflicts across the file.

    Runs on the file's data as read, each part validated alone, so that a problem in one part
    hides none of these in the others."""
    if not isinstance(data, dict):
        return []
    normalizer = Normalizer(
        _part(dict[Word, Text], data.get("abbreviations", {}), {}),
        frozenset(_part(Phrases, data.get("clause_words", ()), ())),
    )
    lists = {str(name): _part(Phrases, words, ()) for name, words in _mapping(data, "word_lists")}
    phrases = _Phrases(normalizer, lists)
    for name, words in lists.items():
        phrases.check(words, ("word_lists", name), {})
    for section, model in (("amounts", Amounts), ("detection", Detection)):
        for name, words in _part(model, data.get(section, {}), model()):
            if name != "not_for_topics":  # topic slugs, not words of a message
                phrases.check(words, (section, name), {})
    _rule_problems(
        phrases, _part(_PhraseParts, data.get("warnings", {}), _PhraseParts()), ("warnings",)
    )
    flags = dict(_mapping(data, "flags"))
    missing = [flag_id for flag_id in FLAG_IDS if flag_id not in flags]
    if flags and missing:
        phrases.found.append((("flags",), f"missing {', '.join(map(repr, missing))}", None))
    for flag_id, flag in flags.items():
        at = ("flags", flag_id)
        _rule_problems(phrases, _part(_PhraseParts, flag, _PhraseParts()), at)
        has_advice = isinstance(flag, dict) and "registry_advice" in flag
        if flag_id == REGISTRY_FLAG and not has_advice:
            phrases.found.append((at, "missing 'registry_advice'", None))
        if flag_id != REGISTRY_FLAG and has_advice:
            message = f"only {REGISTRY_FLAG!r} has registry_advice"
            phrases.found.append(((*at, "registry_advice"), message, None))
    return phrases.found


def _rule_problems(phrases: _Phrases, rule: _PhraseParts, at: Location) -> None:
    triggers: dict[str, Location] = {}
    phrases.check(rule.phrases, (*at, "phrases"), triggers)
    for number, combo in enumerate(rule.combos):
        terms: dict[str, Location] = {}  # a term may repeat in another combo, not in this one
        for group_number, group in enumerate(combo.groups):
            where = (*at, "combos", number, "groups", group_number)
            phrases.check(group, where, terms, amount=True)
        triggers.update(terms)
    unless: dict[str, Location] = {}
    for side in ("unless_before", "unless_after"):
        side_seen: dict[str, Location] = {}
        phrases.check(getattr(rule, side), (*at, side), side_seen)
        unless.update(side_seen)
    first: dict[str, Location] = {}
    for index, pattern in enumerate(rule.patterns):
        where = (*at, "patterns", index)
        if pattern in first:
            phrases.found.append((where, f"duplicate pattern {pattern!r}", first[pattern]))
        first.setdefault(pattern, where)
    trigger_words = [(f" {words} ", words) for words, _ in phrases.words(triggers)]
    for words, where in phrases.words(unless):
        cancelled = next((t for padded, t in trigger_words if f" {words} " in padded), None)
        if cancelled is not None:
            message = f"unless phrase {words!r} is part of {cancelled!r}: it would cancel it"
            phrases.found.append((where, message, None))


def wages_problems(wages: WagesFile) -> Found:
    """Words that must not repeat across the wages file."""
    found: Found = []
    aliases: dict[str, Location] = {}

    def alias_words(words: Phrases, at: Location) -> None:
        for index, word in enumerate(words):
            if word.lower() in aliases:
                found.append(((*at, index), f"duplicate word {word!r}", aliases[word.lower()]))
            aliases.setdefault(word.lower(), (*at, index))

    for code, currency in wages.currencies.items():
        alias_words(currency.aliases, ("currencies", code, "aliases"))
    alias_words(wages.dollar_aliases, ("dollar_aliases",))
    for name, magnitude in wages.magnitudes.items():
        alias_words(magnitude.words, ("magnitudes", name, "words"))
    keywords = _Phrases(Normalizer(), {})
    period_words: dict[str, Location] = {}
    for name, period in wages.periods.items():
        keywords.check(period.words, ("periods", name, "words"), period_words)
    job_words: dict[str, Location] = {}
    for name, words in wages.jobs.items():
        keywords.check(words, ("jobs", name), job_words)
    place_words: dict[str, Location] = {}
    for name, destination in wages.destinations.items():
        at = ("destinations", name)
        keywords.check(destination.keywords, (*at, "keywords"), place_words)
    return found + keywords.found
