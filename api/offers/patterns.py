"""The regular patterns of content/offer_rules.yaml: what they may contain, so that matching
stays fast and every pattern can match the normalised text of an offer.

A pattern must compile, must not match empty text, and its quantifiers must be bounded
({0,30} at most: no `*`, `+` or `{n,}`), not nested, and a repeated group must not contain
alternatives (`|`) other than single characters: no catastrophic backtracking.
Back-references are not allowed. A letter must be lower case and never doubled (offers are
lower-cased and doubled letters collapsed).

The pattern is read by a small scanner of the syntax of `re` (groups, classes, escapes,
quantifiers), after `re.compile` has accepted it.
"""

import re
from dataclasses import dataclass, field

MAX_QUANTIFIER = 30
UNBOUNDED = -1
_GROUP_PREFIX = re.compile(r"\?(?::|=|!|>|<=|<!|P?<\w+>|[aiLmsux-]*(?::|\)))")
_QUANTIFIER = re.compile(r"\{(\d*)(,)?(\d*)\}")


class _BackReference(Exception):
    """The pattern refers back to a group."""


@dataclass
class _Item:
    """One atom of a pattern with its quantifier's upper bound (None: not quantified)."""

    literal: str | None = None  # the character, for a plain literal
    branches: list[list["_Item"]] = field(default_factory=list)  # the alternatives of a group
    high: int | None = None


class _Scanner:
    def __init__(self, pattern: str):
        self.pattern = pattern
        self.at = 0

    def peek(self, text: str) -> bool:
        return self.pattern.startswith(text, self.at)

    def alternatives(self) -> list[list[_Item]]:
        branches: list[list[_Item]] = [[]]
        while self.at < len(self.pattern) and not self.peek(")"):
            if self.peek("|"):
                self.at += 1
                branches.append([])
                continue
            item = self.atom()
            if item is not None:
                item.high = self.quantifier()
                branches[-1].append(item)
        return branches

    def atom(self) -> _Item | None:
        char = self.pattern[self.at]
        if char == "(":
            return self.group()
        if char == "[":
            self.character_class()
            return _Item()
        if char == "\\":
            escaped = self.pattern[self.at + 1]
            self.at += 2
            if escaped in "123456789":
                raise _BackReference
            if escaped.isalnum():
                return _Item()  # \b \d \w \s \x41 ...: not a letter as written
            return _Item(literal=escaped)
        self.at += 1
        return _Item(literal=char if char not in ".^$" else None)

    def group(self) -> _Item | None:
        self.at += 1
        if self.peek("?#"):
            self.at = self.pattern.index(")", self.at) + 1
            return None
        if self.peek("?P=") or self.peek("?("):
            raise _BackReference
        if self.peek("?"):
            prefix = re.match(
                r"\?(?::|=|!|>|<=|<!|P?<\w+>|[aiLmsux-]*(?::|\)))", self.pattern[self.at :]
            )
            assert prefix is not None  # re.compile accepted the pattern
            self.at += prefix.end()
            if prefix.group().endswith(")"):
                return None  # global flags: (?i)
        branches = self.alternatives()
        self.at += 1  # the closing parenthesis
        return _Item(branches=branches)

    def character_class(self) -> None:
        self.at += 1
        if self.peek("^"):
            self.at += 1
        if self.peek("]"):
            self.at += 1
        while not self.peek("]"):
            self.at += 2 if self.peek("\\") else 1
        self.at += 1

    def quantifier(self) -> int | None:
        high: int | None = None
        if self.peek("*") or self.peek("+"):
            high = UNBOUNDED
            self.at += 1
        elif self.peek("?"):
            high = 1
            self.at += 1
        else:
            match = _QUANTIFIER.match(self.pattern, self.at)
            if match and (match.group(1) or match.group(3)):
                low, comma, upper = match.groups()
                if comma is None:
                    high = int(low)
                else:
                    high = int(upper) if upper else UNBOUNDED
                self.at = match.end()
        if high is not None and (self.peek("?") or self.peek("+")):
            self.at += 1  # lazy or possessive
        return high


def problem(pattern: str) -> str | None:
    """Why a pattern is unsafe or can never match normalised text, if it is."""
    try:
        compiled = re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        return f"pattern does not compile: {error}"
    if compiled.fullmatch(""):
        return "pattern matches empty text"
    try:
        branches = _Scanner(pattern).alternatives()
    except _BackReference:
        return "back-references are not allowed"
    return _unsafe(branches, inside_repeat=False)


def _unsafe(branches: list[list[_Item]], *, inside_repeat: bool) -> str | None:
    """Reject what can backtrack badly: unbounded or nested repeats, repeated alternatives."""
    one_character = all(len(items) == 1 and _is_character(items[0]) for items in branches)
    if len(branches) > 1 and inside_repeat and not one_character:
        return "a quantified group must not contain alternatives (|)"
    for items in branches:
        previous: _Item | None = None
        for item in items:
            problem = _item_problem(item, previous, inside_repeat)
            if problem:
                return problem
            previous = item
    return None


def _is_character(item: _Item) -> bool:
    """A literal, a class or an escape such as \\d: alternatives of these are a class."""
    return not item.branches and item.high is None


def _item_problem(item: _Item, previous: _Item | None, inside_repeat: bool) -> str | None:
    repeats = item.high is not None and (item.high == UNBOUNDED or item.high > 1)
    if repeats and inside_repeat:
        return "nested quantifiers can backtrack catastrophically"
    if item.branches:
        problem = _unsafe(item.branches, inside_repeat=inside_repeat or repeats)
        if problem:
            return problem
    elif item.literal is not None and item.literal.isalpha():
        if item.literal.isupper():
            return f"upper-case {item.literal!r} never matches: offers are lower-cased"
        doubled = previous is not None and previous.high is None and item.high is None
        if doubled and previous is not None and previous.literal == item.literal:
            return f"doubled {item.literal!r} never matches: repeated letters are collapsed"
    if item.high is not None and (item.high == UNBOUNDED or item.high > MAX_QUANTIFIER):
        return f"quantifiers must be bounded: use {{0,{MAX_QUANTIFIER}}} at most, not * +"
    return None
