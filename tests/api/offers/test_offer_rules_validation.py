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
    (6, "advice for risk 'high' has no 'mkn' text"),
    (11, "duplicate phrase 'Biaya  Daftar'"),
    (11, "phrase '🔥' in phrases of flag 'upfront_fee' has no words"),
    (13, "pattern does not compile"),
    (14, "nested quantifiers"),
    (15, "quantifiers must be bounded"),
    (16, "upper-case 'G' never matches"),
    (17, "doubled 's' never matches"),
    (18, "unknown flag id 'made_up_flag'"),
    (24, "unless phrase 'jangan' is part of 'jangan bilang'"),
    (25, "unknown key 'phrasess'"),
    (8, "flag 'no_documents' is missing"),
]


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
    messages = [problem.message for problem in rules.validate(path)]
    assert any("unknown currency" in message for message in messages)
    assert any("pay of 'default'" in message for message in messages)


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
