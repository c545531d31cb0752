"""Rules are data: validation reports each problem with its file and line."""

import shutil
from pathlib import Path

import pytest

from api.offers import rules, service
from api.offers.rules import RulesError

BROKEN_RULES = """\
abbreviations:
  gj: gaji
advice:
  low: {id: a, en: a, mkn: a}
  medium: {id: b, en: b, mkn: b}
  high: {id: c, en: c}
flags:
  upfront_fee:
    label: {id: Bayar, en: Pay, mkn: Bayar}
    advice: {id: a, en: a, mkn: a}
    phrases: [biaya daftar, Biaya  Daftar, "🔥"]
    patterns:
      - '(biaya'
      - '(?:a+)+b'
      - '\\bbayar .*'
      - 'Gaji'
      - 'passport'
  made_up_flag:
    label: {id: x, en: x, mkn: x}
  secrecy:
    label: {id: x, en: x, mkn: x}
    advice: {id: x, en: x, mkn: x}
    phrases: [jangan bilang]
    unless_before: [jangan]
    phrasess: [typo]
"""

EXPECTED = [
    (6, "advice.high: has no 'mkn' text"),
    (7, "flags: missing 'salary_too_good', 'no_documents'"),
    (11, "flags.upfront_fee.phrases.1: duplicate phrase 'Biaya  Daftar' (also at line 11)"),
    (11, "flags.upfront_fee.phrases.2: phrase '🔥' has no words"),
    (13, "flags.upfront_fee.patterns.0: pattern does not compile"),
    (14, "nested quantifiers"),
    (15, "quantifiers must be bounded"),
    (16, "upper-case 'G' never matches"),
    (17, "doubled 's' never matches"),
    (18, "flags.made_up_flag: unknown flag id 'made_up_flag'"),
    (24, "unless phrase 'jangan' is part of 'jangan bilang'"),
    (25, "flags.secrecy: unknown key 'phrasess'"),
]


@pytest.fixture(autouse=True)
def languages(tmp_path: Path, content_dir: Path) -> None:
    """The languages texts must have come from the content folder's languages.yaml."""
    shutil.copy(content_dir / "languages.yaml", tmp_path / "languages.yaml")


@pytest.fixture
def broken_rules(tmp_path: Path) -> Path:
    path = tmp_path / "offer_rules.yaml"
    path.write_text(BROKEN_RULES, encoding="utf-8")
    return path


def test_problems_are_reported_with_file_and_line(broken_rules: Path) -> None:
    problems = rules.validate(broken_rules)
    assert all(problem.file == str(broken_rules) for problem in problems)
    for line, message in EXPECTED:
        assert any(p.line == line and message in p.message for p in problems), (line, message)
    assert str(problems[0]).startswith(f"{broken_rules}:")
    assert [problem.line for problem in problems] == sorted(problem.line for problem in problems)


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "offer_rules.yaml"
    path.write_text("flags:\n  upfront_fee:\n    phrases: [a, b\n  x: 1\n", encoding="utf-8")
    (problem,) = rules.validate(path)
    assert "not valid YAML" in problem.message
    assert problem.line == 4


def test_wages_problems_are_reported(tmp_path: Path, content_dir: Path) -> None:
    path = tmp_path / "wages.yaml"
    text = (content_dir / "wages.yaml").read_text(encoding="utf-8")
    text = text.replace("currency: MYR", "currency: XYZ", 1).replace("pay: 5100", "pay: -1", 1)
    path.write_text(text, encoding="utf-8")
    problems = rules.validate(path)
    lines = text.splitlines()
    currency = next(p for p in problems if "unknown currency 'XYZ'" in p.message)
    assert "currency: XYZ" in lines[currency.line - 1]
    pay = next(p for p in problems if ".typical.default.pay: " in p.message)
    assert "greater than or equal to 1" in pay.message and "pay: -1" in lines[pay.line - 1]
    assert all(problem.file == str(path) for problem in problems)


def test_the_shipped_rules_are_valid(content_dir: Path) -> None:
    assert rules.validate(content_dir) == []


def test_load_refuses_broken_rules(tmp_path: Path, content_dir: Path, broken_rules: Path) -> None:
    shutil.copy(content_dir / "wages.yaml", tmp_path / "wages.yaml")
    with pytest.raises(RulesError) as error:
        rules.load(tmp_path)
    assert "unknown flag id 'made_up_flag'" in str(error.value)


def test_a_new_phrase_needs_no_code_change(tmp_path: Path, content_dir: Path) -> None:
    shutil.copy(content_dir / "wages.yaml", tmp_path / "wages.yaml")
    text = (content_dir / "offer_rules.yaml").read_text(encoding="utf-8")
    text = text.replace("phrases: [puluhan juta,", "phrases: [gaji sultan, puluhan juta,", 1)
    (tmp_path / "offer_rules.yaml").write_text(text, encoding="utf-8")
    offer = "Kerja di kebun, GAJI SULTAN!!!"
    assert service.check(offer, "id", rules.load(content_dir)).flags == []
    flags = service.check(offer, "id", rules.load(tmp_path)).flags
    assert [flag.id for flag in flags] == ["salary_too_good"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "offer_rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _shipped(content_dir: Path, old: str, new: str) -> str:
    text = (content_dir / "offer_rules.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_text_in_an_unlisted_language_is_named_with_its_line(
    tmp_path: Path, content_dir: Path
) -> None:
    text = _shipped(content_dir, "    label:\n      id: ", "    label:\n      xx: Teks\n      id: ")
    (problem,) = rules.validate(_write(tmp_path, text))
    assert problem.file == str(tmp_path / "offer_rules.yaml")
    assert problem.line == _line_of(text, "    label:\n      xx: ")
    assert problem.message.endswith(".label: unknown language 'xx'")


def test_the_languages_come_from_languages_yaml(tmp_path: Path, content_dir: Path) -> None:
    path = _write(tmp_path, (content_dir / "offer_rules.yaml").read_text(encoding="utf-8"))
    assert rules.validate(path) == []
    languages = (tmp_path / "languages.yaml").read_text(encoding="utf-8")
    languages += "  - code: bjn\n    name: Banjar\n    required: all\n"
    (tmp_path / "languages.yaml").write_text(languages, encoding="utf-8")
    messages = [problem.message for problem in rules.validate(path)]
    assert "advice.low: has no 'bjn' text" in messages
    assert "flags.upfront_fee.label: has no 'bjn' text" in messages
    (tmp_path / "languages.yaml").unlink()
    (problem,) = rules.validate(path)
    assert "languages.yaml" in problem.message


def test_registry_advice_belongs_to_one_flag(tmp_path: Path, content_dir: Path) -> None:
    text = _shipped(content_dir, "  unlicensed_recruiter:\n", "  unlicensed_recruiter:\n")
    text = text.replace("registry_advice:", "registry_advise:", 1)
    problems = rules.validate(_write(tmp_path, text))
    line = _line_of(text, "registry_advise:")
    assert any(
        p.line == line and p.message == "flags.unlicensed_recruiter: unknown key 'registry_advise'"
        for p in problems
    )
    assert any(
        p.message == "flags.unlicensed_recruiter: missing 'registry_advice'" for p in problems
    )


def test_a_duplicate_key_is_named_with_both_lines(tmp_path: Path, content_dir: Path) -> None:
    text = _shipped(content_dir, "max_chars: 4000", "max_chars: 4000\nmax_chars: 5000")
    (problem,) = rules.validate(_write(tmp_path, text))
    first = _line_of(text, "max_chars: 4000")
    assert (problem.line, problem.message) == (
        first + 1,
        f"duplicate key 'max_chars' (first at line {first})",
    )


def test_numbers_out_of_range_are_named(tmp_path: Path, content_dir: Path) -> None:
    text = _shipped(content_dir, "high_risk_count: 3", "high_risk_count: 0")
    (problem,) = rules.validate(_write(tmp_path, text))
    assert problem.line == _line_of(text, "high_risk_count: 0")
    assert problem.message == "high_risk_count: Input should be greater than or equal to 1"


def test_a_phrase_naming_an_unknown_word_list(tmp_path: Path, content_dir: Path) -> None:
    text = _shipped(content_dir, "phrases: [puluhan juta,", "phrases: ['@riches', puluhan juta,")
    (problem,) = rules.validate(_write(tmp_path, text))
    assert problem.line == _line_of(text, "'@riches'")
    assert problem.message == "flags.salary_too_good.phrases.0: unknown word list '@riches'"


def test_wages_words_must_not_repeat(tmp_path: Path, content_dir: Path) -> None:
    text = (content_dir / "wages.yaml").read_text(encoding="utf-8")
    text = text.replace("aliases: [rm, myr, ringgit]", "aliases: [rm, myr, ringgit, rp]", 1)
    path = tmp_path / "wages.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = rules.validate(path)
    assert problem.line == _line_of(text, "ringgit, rp]")
    first = _line_of(text, "aliases: [rp,")
    assert problem.message == (
        f"currencies.MYR.aliases.3: duplicate word 'rp' (also at line {first})"
    )


def test_a_topic_the_offer_check_skips_must_be_a_topic(tmp_path: Path, content_dir: Path) -> None:
    shutil.copytree(content_dir / "topics", tmp_path / "topics")
    shutil.copy(content_dir / "wages.yaml", tmp_path / "wages.yaml")
    text = (content_dir / "offer_rules.yaml").read_text(encoding="utf-8")
    misspelt = text.replace("not_for_topics: [missing.person,", "not_for_topics: [missing.persn,")
    (tmp_path / "offer_rules.yaml").write_text(misspelt, encoding="utf-8")
    assert [problem.message for problem in rules.validate(tmp_path)] == [
        "detection.not_for_topics.0: no topic 'missing.persn'"
    ]
