"""Which regular patterns the offer rules accept: safe ones that can match offers."""

import pytest

from api.offers import patterns

SHIPPED_STYLE = [
    r"\b(?:[1-9]|1[0-4]) (?:hari|day|days) (?:lagi|berangkat)\b",
    r"\b(?:umur|usia)(?: min| minimal)? (?:[0-9]|1[0-7])\b",
    r"\bpotong(?: gaji)? (?:selama |for )?[1-9] bulan\b",
    r"(?:a|b|c){1,3}x",  # alternatives of single characters are a class
    r"(?<!tidak )bayar",
    r"gaji.{0,30}juta",
]


@pytest.mark.parametrize("pattern", SHIPPED_STYLE)
def test_safe_patterns_are_accepted(pattern: str) -> None:
    assert patterns.problem(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(biaya", "pattern does not compile"),
        ("x?", "pattern matches empty text"),
        ("(?:a+)+b", "nested quantifiers"),
        ("(?:ab{1,3}){2}", "nested quantifiers"),
        ("(?:ab|cd){2}x", "must not contain alternatives"),
        ("bayar .*", "quantifiers must be bounded"),
        ("gaji.{0,31}", "quantifiers must be bounded"),
        ("gaji.{2,}", "quantifiers must be bounded"),
        ("(a)x\\1", "back-references"),
        ("(?P<a>x)y(?P=a)", "back-references"),
        ("Gaji", "upper-case 'G'"),
        ("pasport", None),
        ("passport", "doubled 's'"),
        ("pas?sport", None),
        ("\\bbayar", None),  # \b is not a letter: "bb" is not doubled
        ("[A-Z]aji", None),  # a class is not checked letter by letter
    ],
)
def test_each_problem_is_named(pattern: str, problem: str | None) -> None:
    found = patterns.problem(pattern)
    assert (found is None) if problem is None else (found is not None and problem in found)
