"""Offer rules (content/offer_rules.yaml) and wages (content/wages.yaml): validate, compile.

Phrases of every rule go into one Aho-Corasick automaton, so an offer is read once whatever
the number of phrases; the few regular patterns are joined into one pattern per flag, and
each pattern is checked to have only bounded, un-nested quantifiers (no catastrophic
backtracking). Phrase syntax: words as people write them (normalised like the offers);
a leading or trailing `*` lets the phrase start or end inside a word ("potong*");
`@name` stands for the phrases of `word_lists.name`; `@amount` (in combos only) stands for
an amount of money that is not pay.
"""

import re
import re._constants as sre_constants  # the parsed form of a pattern, to check its safety
import re._parser as sre_parser
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import yaml

from api.answers.content import ContentError, FastSafeLoader, Problem
from api.offers.amounts import AmountReader, Currency, Destination, Wages
from api.offers.normalize import Normalizer
from api.offers.schemas import FLAG_IDS

RULES_FILE = "offer_rules.yaml"
WAGES_FILE = "wages.yaml"
LANGUAGES = ("id", "en", "mkn", "tet", "aoz")
REQUIRED_LANGUAGES = ("id", "en", "mkn")
RISKS = ("low", "medium", "high")
FLAG_RISKS = ("medium", "high")  # the risk one flag gives alone
WARNING = "warning"  # the pseudo-flag of warnings that quote scam phrases
AMOUNT_TERM = "@amount"
MAX_QUANTIFIER = 30
MAX_WINDOW = 30
REGISTRY_FLAG = "unlicensed_recruiter"
REGISTRY_REASONS = ("not_registered", "suspended", "revoked")  # see schemas.RegistryReason


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


# --- validation --------------------------------------------------------------------------

_RULES_KEYS = {
    "high_risk_count",
    "max_chars",
    "unless_window",
    "abbreviations",
    "clause_words",
    "word_lists",
    "warnings",
    "amounts",
    "advice",
    "flags",
    "detection",
}
_FLAG_KEYS = {
    "risk",
    "label",
    "advice",
    "phrases",
    "patterns",
    "combos",
    "unless_before",
    "unless_after",
    "unless_window",
    "registry_advice",
}
_WAGES_KEYS = {
    "comparison",
    "default_currency",
    "dollar_aliases",
    "magnitudes",
    "periods",
    "currencies",
    "jobs",
    "destinations",
}
_SLUG = re.compile(r"[a-z][a-z0-9_]*")
_WORD = re.compile(r"[^\W_]+")
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


class _Checker:
    """Walks YAML nodes and records problems with file and line."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def report(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"{what} must be a mapping")
            return {}
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in entries:
                first = entries[name][0].start_mark.line + 1
                self.report(key, f"duplicate key {name!r} in {what} (first at line {first})")
            entries[name] = (key, value)
        return entries

    def known_keys(self, entries: dict, allowed: set[str], what: str) -> None:
        for name, (key, _) in entries.items():
            if name not in allowed:
                self.report(key, f"unknown key {name!r} in {what}")

    def text(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.report(node, f"{what} must be a non-empty text")
            return None
        return str(node.value)

    def texts(self, node: yaml.Node, what: str) -> list[yaml.ScalarNode]:
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, f"{what} must be a list")
            return []
        items = []
        for item in node.value:
            if self.text(item, f"an item of {what}") is not None:
                items.append(item)
        return items

    def number(self, node: yaml.Node, what: str, low: float, high: float) -> float | None:
        try:
            value = float(node.value) if isinstance(node, yaml.ScalarNode) else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            self.report(node, f"{what} must be a number from {low:g} to {high:g}")
            return None
        return value

    def translations(self, node: yaml.Node, what: str) -> None:
        entries = self.mapping(node, what)
        for name, (key, value) in entries.items():
            if name not in LANGUAGES:
                self.report(key, f"unknown language {name!r} in {what}")
            self.text(value, f"{what} in {name!r}")
        for lang in REQUIRED_LANGUAGES:
            if entries and lang not in entries:
                self.report(node, f"{what} has no {lang!r} text")


def _pattern_problem(pattern: str) -> str | None:
    """Why a user-editable pattern is unsafe or can never match normalised text, if it is."""
    try:
        compiled = re.compile(pattern)
        parsed = sre_parser.parse(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        return f"pattern does not compile: {error}"
    if compiled.fullmatch(""):
        return "pattern matches empty text"
    return _unsafe(list(parsed), inside_repeat=False)


def _unsafe(items: list, *, inside_repeat: bool) -> str | None:
    """Reject what can backtrack badly: unbounded or nested repeats, repeated alternatives."""
    previous = None
    for op, value in items:
        if op in _REPEATS:
            _, high, body = value
            if inside_repeat and high > 1:
                return "nested quantifiers can backtrack catastrophically"
            problem = _unsafe(list(body), inside_repeat=inside_repeat or high > 1)
            if problem:
                return problem
            if high == sre_constants.MAXREPEAT or high > MAX_QUANTIFIER:
                return f"quantifiers must be bounded: use {{0,{MAX_QUANTIFIER}}} at most, not * +"
        elif op is sre_constants.BRANCH:
            if inside_repeat:
                return "a quantified group must not contain alternatives (|)"
            for branch in value[1]:
                problem = _unsafe(list(branch), inside_repeat=False)
                if problem:
                    return problem
        elif op is sre_constants.SUBPATTERN:
            problem = _unsafe(list(value[-1]), inside_repeat=inside_repeat)
            if problem:
                return problem
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            problem = _unsafe(list(value[1]), inside_repeat=inside_repeat)
            if problem:
                return problem
        elif op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            return "back-references are not allowed"
        elif op is sre_constants.LITERAL:
            char = chr(value)
            if char.isupper():
                return f"upper-case {char!r} never matches: offers are lower-cased"
            if previous == (op, value) and char.isalpha():
                return f"doubled {char!r} never matches: repeated letters are collapsed"
        previous = (op, value)
    return None


class _PhraseChecker:
    """Checks phrase lists: each phrase normalises to words, no duplicates, known @lists."""

    def __init__(self, checker: _Checker, normalizer: Normalizer, word_lists: set[str]):
        self.checker = checker
        self.normalizer = normalizer
        self.word_lists = word_lists
        self.list_keys: dict[str, list[str]] = {}

    def words(self, seen: dict[str, int]) -> Iterator[tuple[str, int]]:
        """The normalised words of checked phrases, with @lists expanded, and their lines."""
        for key, line in seen.items():
            for word_key in self.list_keys.get(key[1:], []) if key.startswith("@") else [key]:
                yield word_key.strip(), line

    def check(
        self, node: yaml.Node, what: str, seen: dict[str, int] | None = None, amount: bool = False
    ) -> dict[str, int]:
        """Check a list of phrases; `seen` (key -> line) is shared to find duplicates."""
        seen = {} if seen is None else seen
        for item in self.checker.texts(node, what):
            phrase = str(item.value)
            if phrase.startswith("@"):
                if phrase[1:] not in self.word_lists and not (amount and phrase == AMOUNT_TERM):
                    self.checker.report(item, f"unknown word list {phrase!r} in {what}")
                    continue
                key = phrase
            else:
                key = _key(self.normalizer, phrase)
                if key is None:
                    self.checker.report(item, f"phrase {phrase!r} in {what} has no words")
                    continue
            line = item.start_mark.line + 1
            if key in seen:
                self.checker.report(
                    item, f"duplicate phrase {phrase!r} in {what} (also at line {seen[key]})"
                )
            else:
                seen[key] = line
        return seen


def _validate_rules(path: Path, file: str) -> list[Problem]:
    checker = _Checker(file)
    root = _compose(path, checker)
    if root is None:
        return checker.problems
    top = checker.mapping(root, "the rules file")
    checker.known_keys(top, _RULES_KEYS, "the rules file")
    for required in ("abbreviations", "advice", "flags"):
        if required not in top:
            checker.report(root, f"the rules file has no {required!r}")

    if "max_chars" in top:
        checker.number(top["max_chars"][1], "max_chars", 100, 100_000)
    if "high_risk_count" in top:
        checker.number(top["high_risk_count"][1], "high_risk_count", 1, len(FLAG_IDS))
    if "unless_window" in top:
        _check_window(checker, top["unless_window"][1])

    abbreviations: dict[str, str] = {}
    if "abbreviations" in top:
        for name, (key, value) in checker.mapping(top["abbreviations"][1], "abbreviations").items():
            if not _WORD.fullmatch(name):
                checker.report(key, f"abbreviation {name!r} must be a single word")
            elif checker.text(value, f"the expansion of {name!r}") is not None:
                abbreviations[name] = str(value.value)
    clause_words: list[str] = []
    if "clause_words" in top:
        clause_words = [str(n.value) for n in checker.texts(top["clause_words"][1], "clause_words")]
    normalizer = Normalizer(abbreviations, frozenset(clause_words))

    word_lists = checker.mapping(top["word_lists"][1], "word_lists") if "word_lists" in top else {}
    phrases = _PhraseChecker(checker, normalizer, set(word_lists))
    for name, (key, value) in word_lists.items():
        if not _SLUG.fullmatch(name):
            checker.report(key, f"word list name {name!r} must be a lower-case slug")
        phrases.list_keys[name] = list(phrases.check(value, f"word list {name!r}"))

    if "warnings" in top:
        entries = checker.mapping(top["warnings"][1], "warnings")
        checker.known_keys(
            entries, _FLAG_KEYS - {"risk", "label", "advice", "registry_advice"}, "warnings"
        )
        _check_flag_rule(checker, phrases, entries, "warnings")
    if "amounts" in top:
        entries = checker.mapping(top["amounts"][1], "amounts")
        checker.known_keys(entries, {"salary_words", "no_skill_words", "range_words"}, "amounts")
        for name, (_, value) in entries.items():
            phrases.check(value, f"amounts.{name}")
    if "detection" in top:
        entries = checker.mapping(top["detection"][1], "detection")
        checker.known_keys(entries, {"recruiting", "details"}, "detection")
        for name, (_, value) in entries.items():
            phrases.check(value, f"detection.{name}")
    if "advice" in top:
        entries = checker.mapping(top["advice"][1], "advice")
        checker.known_keys(entries, set(RISKS), "advice")
        for risk in RISKS:
            if risk not in entries:
                checker.report(top["advice"][1], f"advice has no text for risk {risk!r}")
            else:
                checker.translations(entries[risk][1], f"advice for risk {risk!r}")
    if "flags" in top:
        flags_node = top["flags"][1]
        flags = checker.mapping(flags_node, "flags")
        for flag_id, (key, value) in flags.items():
            if flag_id not in FLAG_IDS:
                checker.report(key, f"unknown flag id {flag_id!r}")
                continue
            entries = checker.mapping(value, f"flag {flag_id!r}")
            checker.known_keys(entries, _FLAG_KEYS, f"flag {flag_id!r}")
            for required in ("label", "advice"):
                if required not in entries:
                    checker.report(value, f"flag {flag_id!r} has no {required!r}")
                else:
                    checker.translations(entries[required][1], f"{required} of {flag_id!r}")
            if "risk" not in entries:
                checker.report(value, f"flag {flag_id!r} has no 'risk' (high or medium)")
            elif entries["risk"][1].value not in FLAG_RISKS:
                checker.report(entries["risk"][1], f"risk of {flag_id!r} must be high or medium")
            if flag_id == REGISTRY_FLAG or "registry_advice" in entries:
                _check_registry_advice(checker, entries, flag_id, value)
            _check_flag_rule(checker, phrases, entries, f"flag {flag_id!r}")
        for flag_id in FLAG_IDS:
            if flags and flag_id not in flags:
                checker.report(flags_node, f"flag {flag_id!r} is missing")
    return checker.problems


def _check_registry_advice(
    checker: _Checker, entries: dict, flag_id: str, flag_node: yaml.Node
) -> None:
    """Only `unlicensed_recruiter` has registry_advice, and it has a text for each reason."""
    if flag_id != REGISTRY_FLAG:
        checker.report(entries["registry_advice"][0], f"only {REGISTRY_FLAG!r} has registry_advice")
        return
    if "registry_advice" not in entries:
        checker.report(flag_node, f"flag {flag_id!r} has no 'registry_advice'")
        return
    node = entries["registry_advice"][1]
    reasons = checker.mapping(node, "registry_advice")
    checker.known_keys(reasons, set(REGISTRY_REASONS), "registry_advice")
    for reason in REGISTRY_REASONS:
        if reason not in reasons:
            checker.report(node, f"registry_advice has no text for {reason!r}")
        else:
            checker.translations(reasons[reason][1], f"registry_advice for {reason!r}")


def _check_window(checker: _Checker, node: yaml.Node) -> None:
    entries = checker.mapping(node, "unless_window")
    checker.known_keys(entries, {"before", "after"}, "unless_window")
    for name, (_, value) in entries.items():
        checker.number(value, f"unless_window.{name}", 0, MAX_WINDOW)


def _check_flag_rule(checker: _Checker, phrases: _PhraseChecker, entries: dict, what: str) -> None:
    triggers: dict[str, int] = {}
    if "phrases" in entries:
        phrases.check(entries["phrases"][1], f"phrases of {what}", triggers)
    unless: dict[str, int] = {}
    for side in ("unless_before", "unless_after"):
        if side in entries:
            unless.update(phrases.check(entries[side][1], f"{side} of {what}"))
    if "unless_window" in entries:
        _check_window(checker, entries["unless_window"][1])
    if "patterns" in entries:
        seen: dict[str, int] = {}
        for item in checker.texts(entries["patterns"][1], f"patterns of {what}"):
            pattern = str(item.value)
            problem = _pattern_problem(pattern)
            if problem:
                checker.report(item, f"{problem} in {pattern!r} ({what})")
            if pattern in seen:
                checker.report(
                    item, f"duplicate pattern {pattern!r} (also at line {seen[pattern]})"
                )
            seen.setdefault(pattern, item.start_mark.line + 1)
    if "combos" in entries:
        combos = entries["combos"][1]
        if not isinstance(combos, yaml.SequenceNode):
            checker.report(combos, f"combos of {what} must be a list")
        else:
            for number, combo in enumerate(combos.value, start=1):
                triggers.update(_check_combo(checker, phrases, combo, f"combo {number} of {what}"))
    _check_conflicts(checker, phrases, triggers, unless, what)


def _check_conflicts(
    checker: _Checker, phrases: _PhraseChecker, triggers: dict, unless: dict, what: str
) -> None:
    """An `unless` phrase that is part of a trigger of the same rule would cancel it."""
    trigger_words = [(f" {words} ", words) for words, _ in phrases.words(triggers)]
    reported = set()
    for words, line in phrases.words(unless):
        for padded, trigger in trigger_words:
            if f" {words} " in padded and line not in reported:
                reported.add(line)
                checker.problems.append(
                    Problem(
                        checker.file,
                        line,
                        f"unless phrase {words!r} is part of {trigger!r} in {what}: "
                        "it would cancel it",
                    )
                )


def _check_combo(
    checker: _Checker, phrases: _PhraseChecker, node: yaml.Node, what: str
) -> dict[str, int]:
    entries = checker.mapping(node, what)
    checker.known_keys(entries, {"within", "groups", "scope"}, what)
    if "scope" in entries and entries["scope"][1].value not in ("clause", "sentence"):
        checker.report(entries["scope"][1], f"scope of {what} must be clause or sentence")
    if "within" in entries:
        checker.number(entries["within"][1], f"within of {what}", 0, MAX_WINDOW)
    if "groups" not in entries:
        checker.report(node, f"{what} has no groups")
        return {}
    groups = entries["groups"][1]
    if not isinstance(groups, yaml.SequenceNode) or len(groups.value) < 2:
        checker.report(groups, f"groups of {what} must be a list of at least two lists")
        return {}
    seen: dict[str, int] = {}
    for group in groups.value:
        phrases.check(group, f"a group of {what}", seen, amount=True)
    return seen


def _validate_wages(path: Path, file: str) -> list[Problem]:
    checker = _Checker(file)
    root = _compose(path, checker)
    if root is None:
        return checker.problems
    top = checker.mapping(root, "the wages file")
    checker.known_keys(top, _WAGES_KEYS, "the wages file")
    for required in _WAGES_KEYS:
        if required not in top:
            checker.report(root, f"the wages file has no {required!r}")
    if not checker.problems:
        _check_wages(checker, top)
    return checker.problems


def _check_wages(checker: _Checker, top: dict) -> None:
    normalizer = Normalizer()
    keywords = _PhraseChecker(checker, normalizer, set())
    currencies = checker.mapping(top["currencies"][1], "currencies")
    aliases: dict[str, int] = {}
    for code, (key, value) in currencies.items():
        entries = checker.mapping(value, f"currency {code!r}")
        checker.known_keys(entries, {"idr", "aliases", "dollar", "source", "verified"}, code)
        if "idr" not in entries or "aliases" not in entries:
            checker.report(key, f"currency {code!r} needs 'idr' and 'aliases'")
            continue
        checker.number(entries["idr"][1], f"idr of {code!r}", 0.0001, 1_000_000)
        _check_aliases(checker, entries["aliases"][1], aliases, f"aliases of {code!r}")
    _check_aliases(checker, top["dollar_aliases"][1], aliases, "dollar_aliases")
    if str(top["default_currency"][1].value) not in currencies:
        checker.report(top["default_currency"][1], "default_currency is not in currencies")
    comparison = checker.mapping(top["comparison"][1], "comparison")
    checker.known_keys(comparison, {"ratio", "ratio_no_skill", "baseline"}, "comparison")
    for name in ("ratio", "ratio_no_skill"):
        if name not in comparison:
            checker.report(top["comparison"][1], f"comparison has no {name!r}")
        else:
            checker.number(comparison[name][1], f"comparison.{name}", 1, 100)
    for name, (key, value) in checker.mapping(top["magnitudes"][1], "magnitudes").items():
        entries = checker.mapping(value, f"magnitude {name!r}")
        if "factor" not in entries or "words" not in entries:
            checker.report(key, f"magnitude {name!r} needs 'factor' and 'words'")
            continue
        checker.number(entries["factor"][1], f"factor of {name!r}", 1, 1e12)
        _check_aliases(checker, entries["words"][1], aliases, f"words of magnitude {name!r}")
    period_words: dict[str, int] = {}
    periods = checker.mapping(top["periods"][1], "periods")
    for name, (key, value) in periods.items():
        entries = checker.mapping(value, f"period {name!r}")
        if "per_month" not in entries or "words" not in entries:
            checker.report(key, f"period {name!r} needs 'per_month' and 'words'")
            continue
        checker.number(entries["per_month"][1], f"per_month of {name!r}", 0.0001, 1000)
        keywords.check(entries["words"][1], f"words of period {name!r}", period_words)
    if "month" not in periods:
        checker.report(top["periods"][1], "periods needs 'month'")
    job_words: dict[str, int] = {}
    jobs = checker.mapping(top["jobs"][1], "jobs")
    for name, (_, value) in jobs.items():
        keywords.check(value, f"keywords of job {name!r}", job_words)
    _check_destinations(checker, keywords, top, set(currencies), set(jobs))


def _check_destinations(
    checker: _Checker, keywords: _PhraseChecker, top: dict, currencies: set, jobs: set
) -> None:
    place_words: dict[str, int] = {}
    destinations = checker.mapping(top["destinations"][1], "destinations")
    for name, (key, value) in destinations.items():
        what = f"destination {name!r}"
        entries = checker.mapping(value, what)
        checker.known_keys(entries, {"currency", "keywords", "typical"}, what)
        if "currency" not in entries or "typical" not in entries:
            checker.report(key, f"{what} needs 'currency' and 'typical'")
            continue
        if str(entries["currency"][1].value) not in currencies:
            checker.report(entries["currency"][1], f"{what}: unknown currency")
        if "keywords" in entries:
            keywords.check(entries["keywords"][1], f"keywords of {what}", place_words)
        typical = checker.mapping(entries["typical"][1], f"typical pay of {what}")
        if "default" not in typical:
            checker.report(entries["typical"][1], f"typical pay of {what} needs 'default'")
        for job, (job_key, pay) in typical.items():
            if job != "default" and job not in jobs:
                checker.report(job_key, f"unknown job {job!r} in {what}")
            pay_entries = checker.mapping(pay, f"typical pay of {job!r} in {what}")
            for needed in ("pay", "source", "verified"):
                if needed not in pay_entries:
                    checker.report(pay, f"typical pay of {job!r} in {what} needs {needed!r}")
            if "pay" in pay_entries:
                checker.number(pay_entries["pay"][1], f"pay of {job!r} in {what}", 1, 1e12)
    baseline = checker.mapping(top["comparison"][1], "comparison").get("baseline")
    if baseline is None or str(baseline[1].value) not in destinations:
        checker.report(top["comparison"][1], "comparison.baseline must name a destination")


def _check_aliases(checker: _Checker, node: yaml.Node, seen: dict[str, int], what: str) -> None:
    for item in checker.texts(node, what):
        alias = str(item.value).lower()
        if alias in seen:
            checker.report(item, f"duplicate word {alias!r} in {what} (also at line {seen[alias]})")
        seen.setdefault(alias, item.start_mark.line + 1)


def _compose(path: Path, checker: _Checker) -> yaml.Node | None:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=FastSafeLoader)
    except OSError as error:
        checker.report(None, f"cannot read the file: {error.strerror}")
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        checker.problems.append(Problem(checker.file, line, f"not valid YAML: {error.problem}"))
        return None
    if root is None:
        checker.report(None, "the file is empty")
    return root


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def validate(path: Path | str) -> list[Problem]:
    """Problems in the offer rules: `path` is the content folder or one rules or wages file."""
    path = Path(path)
    if path.is_dir():
        return validate(path / RULES_FILE) + validate(path / WAGES_FILE)
    if path.name == WAGES_FILE:
        problems = _validate_wages(path, _display(path))
    else:
        problems = _validate_rules(path, _display(path))
    return sorted(problems, key=lambda problem: problem.line)


# --- compiling ---------------------------------------------------------------------------


class _Loader(FastSafeLoader):
    """Only true/false are booleans, so that phrases like "no" and "on" stay words."""


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), None)


def _key(normalizer: Normalizer, phrase: str) -> str | None:
    """The automaton key of a phrase: its normalised words, space-bounded unless `*`."""
    core = normalizer.phrase(phrase.strip().strip("*"))
    if not core:
        return None
    left = "" if phrase.strip().startswith("*") else " "
    right = "" if phrase.strip().endswith("*") else " "
    return left + core + right


class _Builder:
    def __init__(self, normalizer: Normalizer, word_lists: dict[str, list[str]]):
        self.normalizer = normalizer
        self.word_lists = word_lists
        self.entries: dict[str, list[Entry]] = {}

    def expand(self, phrases: list[str]) -> Iterator[str]:
        for phrase in phrases:
            if phrase.startswith("@") and phrase != AMOUNT_TERM:
                yield from self.word_lists[phrase[1:]]
            else:
                yield phrase

    def add(self, phrases: list[str], entry: Entry) -> None:
        for phrase in self.expand(phrases):
            key = _key(self.normalizer, phrase)
            if key is not None and entry not in self.entries.setdefault(key, []):
                self.entries[key].append(entry)

    def automaton(self) -> Any:
        automaton = ahocorasick.Automaton()
        for key, entries in self.entries.items():
            automaton.add_word(key, (len(key), tuple(entries)))
        automaton.make_automaton()
        return automaton


def _flag_rule(builder: _Builder, flag_id: str, data: dict, windows: dict[str, int]) -> FlagRule:
    builder.add(data.get("phrases", []), Entry(Role.TRIGGER, flag_id))
    builder.add(data.get("unless_before", []), Entry(Role.UNLESS_BEFORE, flag_id))
    builder.add(data.get("unless_after", []), Entry(Role.UNLESS_AFTER, flag_id))
    combos = []
    for number, combo in enumerate(data.get("combos", [])):
        amount_groups = set()
        for group_number, group in enumerate(combo["groups"]):
            if AMOUNT_TERM in group:
                amount_groups.add(group_number)
            terms = [term for term in group if term != AMOUNT_TERM]
            builder.add(terms, Entry(Role.TERM, flag_id, number, group_number))
        combos.append(
            Combo(
                groups=len(combo["groups"]),
                within=int(combo.get("within", 3)),
                amount_groups=frozenset(amount_groups),
                clause=combo.get("scope", "clause") == "clause",
            )
        )
    patterns = data.get("patterns", [])
    window = {**windows, **data.get("unless_window", {})}
    return FlagRule(
        id=flag_id,
        risk=data.get("risk", "medium"),
        label=data.get("label", {}),
        advice=data.get("advice", {}),
        patterns=tuple(patterns),
        pattern=re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None,
        combos=tuple(combos),
        window_before=int(window.get("before", 5)),
        window_after=int(window.get("after", 3)),
        registry_advice=data.get("registry_advice", {}),
    )


def _wages(data: dict) -> Wages:
    comparison = data["comparison"]
    return Wages(
        currencies={
            code: Currency(
                code, float(item["idr"]), tuple(item["aliases"]), bool(item.get("dollar"))
            )
            for code, item in data["currencies"].items()
        },
        default_currency=data["default_currency"],
        dollar_aliases=tuple(data["dollar_aliases"]),
        magnitudes={
            word: float(item["factor"])
            for item in data["magnitudes"].values()
            for word in item["words"]
        },
        periods={name: float(item["per_month"]) for name, item in data["periods"].items()},
        destinations={
            name: Destination(
                name,
                item["currency"],
                {job: float(pay["pay"]) for job, pay in item["typical"].items()},
            )
            for name, item in data["destinations"].items()
        },
        jobs=tuple(data["jobs"]),
        baseline=comparison["baseline"],
        ratio=float(comparison["ratio"]),
        ratio_no_skill=float(comparison["ratio_no_skill"]),
    )


def compile_rules(rules: dict, wages_data: dict) -> OfferRules:
    """Compile validated rules and wages data (as loaded from YAML)."""
    normalizer = Normalizer(
        rules.get("abbreviations", {}), frozenset(rules.get("clause_words", []))
    )
    builder = _Builder(normalizer, rules.get("word_lists", {}))
    windows = rules.get("unless_window", {})
    flags = {
        flag_id: _flag_rule(builder, flag_id, rules["flags"][flag_id], windows)
        for flag_id in FLAG_IDS
    }
    warning = _flag_rule(builder, WARNING, rules.get("warnings", {}), windows)
    amounts = rules.get("amounts", {})
    builder.add(amounts.get("salary_words", []), Entry(Role.SALARY, "salary"))
    builder.add(amounts.get("no_skill_words", []), Entry(Role.NO_SKILL, "no_skill"))
    builder.add(amounts.get("range_words", []), Entry(Role.RANGE, "range"))
    detection = rules.get("detection", {})
    builder.add(detection.get("recruiting", []), Entry(Role.RECRUITING, "recruiting"))
    builder.add(detection.get("details", []), Entry(Role.OFFER_DETAIL, "detail"))
    for period, item in wages_data["periods"].items():
        builder.add(item["words"], Entry(Role.PERIOD, period))
    for job, words in wages_data["jobs"].items():
        builder.add(words, Entry(Role.JOB, job))
    for destination, item in wages_data["destinations"].items():
        builder.add(item.get("keywords", []), Entry(Role.DESTINATION, destination))
    wages = _wages(wages_data)
    return OfferRules(
        normalizer=normalizer,
        automaton=builder.automaton(),
        flags=flags,
        warning=warning,
        advice=rules["advice"],
        max_chars=int(rules.get("max_chars", 4000)),
        high_risk_count=int(rules.get("high_risk_count", 3)),
        wages=wages,
        amounts=AmountReader(wages),
    )


def load(content_dir: Path | str) -> OfferRules:
    """Validate and compile the offer rules of a content folder; RulesError if invalid."""
    content_dir = Path(content_dir)
    problems = validate(content_dir)
    if problems:
        raise RulesError(problems)
    rules = yaml.load((content_dir / RULES_FILE).read_text(encoding="utf-8"), Loader=_Loader)
    wages = yaml.load((content_dir / WAGES_FILE).read_text(encoding="utf-8"), Loader=_Loader)
    return compile_rules(rules, wages)
