"""Offer rules (content/offer_rules.yaml) and wages (content/wages.yaml): validate, compile.

The files are validated by the models of `rule_files`. Phrases of every rule go into one
Aho-Corasick automaton, so an offer is read once whatever the number of phrases; the few
regular patterns (kept safe by `patterns`) are joined into one pattern per flag. Phrase
syntax: words as people write them (normalised like the offers); a leading or trailing `*`
lets the phrase start or end inside a word ("potong*"); `@name` stands for the phrases of
`word_lists.name`; `@amount` (in combos only) stands for an amount of money that is not pay.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
from pydantic import BaseModel

from api import languages
from api.content_files import ContentError, Document, Problem, sorted_problems
from api.offers import rule_files
from api.offers.amounts import AmountReader, Currency, Destination, Wages
from api.offers.normalize import Normalizer
from api.offers.rule_files import AMOUNT_TERM, RulesFile, WagesFile
from api.offers.schemas import FLAG_IDS

RULES_FILE = "offer_rules.yaml"
WAGES_FILE = "wages.yaml"
WARNING = "warning"  # the pseudo-flag of warnings that quote scam phrases


class Role:
    """What a phrase found in an offer means (plain ints: compared in the matching loop)."""

    TRIGGER = 0
    TERM = 1
    UNLESS_BEFORE = 2
    UNLESS_AFTER = 3
    SALARY = 4
    NO_SKILL = 5
    PERIOD = 6
    DESTINATION = 7
    JOB = 8
    RANGE = 9
    RECRUITING = 10
    OFFER_DETAIL = 11


class Entry(NamedTuple):
    role: int
    name: str  # flag id, period id, destination id or job id
    combo: int = -1
    group: int = -1


class RulesError(ContentError):
    """The offer rules have problems; the checker refuses to start with them."""


@dataclass(frozen=True)
class Combo:
    groups: int
    within: int  # most words allowed between the first term and the last one
    amount_groups: frozenset[int]
    clause: bool  # terms must be in one clause, not only in one sentence


@dataclass(frozen=True)
class FlagRule:
    id: str
    label: dict[str, str]
    advice: dict[str, str]
    risk: str  # the risk this flag gives alone: "high" or "medium"
    patterns: tuple[str, ...]
    pattern: re.Pattern[str] | None  # the patterns joined into one
    combos: tuple[Combo, ...]
    window_before: int
    window_after: int
    # reason -> language -> text: the advice when a company named in the offer is not licensed
    registry_advice: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class OfferRules:
    """Compiled rules: what `service.check` needs."""

    normalizer: Normalizer
    automaton: Any  # ahocorasick.Automaton: key -> (key length, tuple of Entry)
    flags: dict[str, FlagRule]
    warning: FlagRule
    advice: dict[str, dict[str, str]]  # risk -> language -> text
    max_chars: int
    high_risk_count: int  # this many flags together give high risk
    wages: Wages
    amounts: AmountReader
    # a typed message read as one of these topics is not checked as an offer
    not_for_topics: frozenset[str] = frozenset()


# --- validation --------------------------------------------------------------------------


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _checked(document: Document, model: type[BaseModel], context: dict) -> Any:
    """The file's model, or None when it has problems (all recorded in the document)."""
    data = document.validate(model, context)
    if model is RulesFile:
        found = rule_files.rules_problems(document.data)
    else:
        found = rule_files.wages_problems(data) if isinstance(data, WagesFile) else []
    for where, message, first in found:
        document.problem(where, message, first)
    return None if document.problems else data


def _read_rules(path: Path) -> tuple[list[Problem], RulesFile | None]:
    document = Document(path, _display(path))
    _, known = languages.read(path.parent)
    if known is None:
        message = f"cannot check texts: {languages.LANGUAGES_FILE} has problems"
        return [Problem(document.name, 0, message)], None
    rules = _checked(document, RulesFile, known.context())
    topics = path.parent / "topics"
    # a rules file copied without the rest of its content folder has no topics to check with
    if rules is not None and topics.is_dir():
        for index, slug in enumerate(rules.detection.not_for_topics):
            if not (topics / f"{slug}.yaml").is_file():
                document.problem(("detection", "not_for_topics", index), f"no topic {slug!r}")
        rules = None if document.problems else rules
    return document.problems, rules


def _read_wages(path: Path) -> tuple[list[Problem], WagesFile | None]:
    document = Document(path, _display(path))
    wages = _checked(document, WagesFile, rule_files.wages_context(document.data))
    return document.problems, wages


def validate(path: Path | str) -> list[Problem]:
    """Problems in the offer rules: `path` is the content folder or one rules or wages file."""
    path = Path(path)
    if path.is_dir():
        return validate(path / RULES_FILE) + validate(path / WAGES_FILE)
    problems, _ = _read_wages(path) if path.name == WAGES_FILE else _read_rules(path)
    return sorted_problems(problems)


# --- compiling ---------------------------------------------------------------------------


class _Builder:
    def __init__(self, normalizer: Normalizer, word_lists: dict[str, tuple[str, ...]]):
        self.normalizer = normalizer
        self.word_lists = word_lists
        self.entries: dict[str, list[Entry]] = {}

    def expand(self, phrases: tuple[str, ...]) -> Iterator[str]:
        for phrase in phrases:
            if phrase.startswith("@") and phrase != AMOUNT_TERM:
                yield from self.word_lists[phrase[1:]]
            else:
                yield phrase

    def add(self, phrases: tuple[str, ...], entry: Entry) -> None:
        for phrase in self.expand(phrases):
            key = rule_files.key(self.normalizer, phrase)
            if key is not None and entry not in self.entries.setdefault(key, []):
                self.entries[key].append(entry)

    def automaton(self) -> Any:
        automaton = ahocorasick.Automaton()
        for key, entries in self.entries.items():
            automaton.add_word(key, (len(key), tuple(entries)))
        automaton.make_automaton()
        return automaton


def _flag_rule(
    builder: _Builder, flag_id: str, rule: rule_files.Rule, windows: rule_files.UnlessWindow
) -> FlagRule:
    builder.add(rule.phrases, Entry(Role.TRIGGER, flag_id))
    builder.add(rule.unless_before, Entry(Role.UNLESS_BEFORE, flag_id))
    builder.add(rule.unless_after, Entry(Role.UNLESS_AFTER, flag_id))
    combos = []
    for number, combo in enumerate(rule.combos):
        amount_groups = set()
        for group_number, group in enumerate(combo.groups):
            if AMOUNT_TERM in group:
                amount_groups.add(group_number)
            terms = tuple(term for term in group if term != AMOUNT_TERM)
            builder.add(terms, Entry(Role.TERM, flag_id, number, group_number))
        combos.append(
            Combo(
                groups=len(combo.groups),
                within=combo.within,
                amount_groups=frozenset(amount_groups),
                clause=combo.scope == "clause",
            )
        )
    window = rule.unless_window or windows
    flag = rule if isinstance(rule, rule_files.Flag) else None
    patterns = rule.patterns
    return FlagRule(
        id=flag_id,
        risk=flag.risk if flag else "medium",
        label=dict(flag.label) if flag else {},
        advice=dict(flag.advice) if flag else {},
        patterns=patterns,
        pattern=re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None,
        combos=tuple(combos),
        window_before=window.before,
        window_after=window.after,
        registry_advice=flag.registry_advice.model_dump() if flag and flag.registry_advice else {},
    )


def _wages(data: WagesFile) -> Wages:
    return Wages(
        currencies={
            code: Currency(code, item.idr, item.aliases, item.dollar)
            for code, item in data.currencies.items()
        },
        default_currency=data.default_currency,
        dollar_aliases=data.dollar_aliases,
        magnitudes={word: item.factor for item in data.magnitudes.values() for word in item.words},
        periods={name: item.per_month for name, item in data.periods.items()},
        destinations={
            name: Destination(
                name, item.currency, {job: pay.pay for job, pay in item.typical.items()}
            )
            for name, item in data.destinations.items()
        },
        jobs=tuple(data.jobs),
        baseline=data.comparison.baseline,
        ratio=data.comparison.ratio,
        ratio_no_skill=data.comparison.ratio_no_skill,
    )


def compile_rules(rules: RulesFile, wages_data: WagesFile) -> OfferRules:
    """Compile validated rules and wages."""
    normalizer = rules.normalizer()
    builder = _Builder(normalizer, rules.word_lists)
    windows = rules.unless_window
    flags = {
        flag_id: _flag_rule(builder, flag_id, rules.flags[flag_id], windows) for flag_id in FLAG_IDS
    }
    warning = _flag_rule(builder, WARNING, rules.warnings, windows)
    builder.add(rules.amounts.salary_words, Entry(Role.SALARY, "salary"))
    builder.add(rules.amounts.no_skill_words, Entry(Role.NO_SKILL, "no_skill"))
    builder.add(rules.amounts.range_words, Entry(Role.RANGE, "range"))
    builder.add(rules.detection.recruiting, Entry(Role.RECRUITING, "recruiting"))
    builder.add(rules.detection.details, Entry(Role.OFFER_DETAIL, "detail"))
    for period, item in wages_data.periods.items():
        builder.add(item.words, Entry(Role.PERIOD, period))
    for job, words in wages_data.jobs.items():
        builder.add(words, Entry(Role.JOB, job))
    for destination, place in wages_data.destinations.items():
        builder.add(place.keywords, Entry(Role.DESTINATION, destination))
    wages = _wages(wages_data)
    return OfferRules(
        normalizer=normalizer,
        automaton=builder.automaton(),
        flags=flags,
        warning=warning,
        advice=rules.advice.model_dump(),
        max_chars=rules.max_chars,
        high_risk_count=rules.high_risk_count,
        wages=wages,
        amounts=AmountReader(wages),
        not_for_topics=frozenset(rules.detection.not_for_topics),
    )


def load(content_dir: Path | str) -> OfferRules:
    """Validate and compile the offer rules of a content folder; RulesError if invalid."""
    content_dir = Path(content_dir)
    rules_problems, rules = _read_rules(content_dir / RULES_FILE)
    wages_problems, wages = _read_wages(content_dir / WAGES_FILE)
    if rules is None or wages is None:
        raise RulesError(sorted_problems(rules_problems + wages_problems))
    return compile_rules(rules, wages)
