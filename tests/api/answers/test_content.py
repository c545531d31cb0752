"""`helpline content check`: the shipped content is valid, and every kind of problem is
reported with its file and line."""

import re
import shutil
from pathlib import Path

import pytest

from api.answers.content import read_content
from api.settings import PROJECT_ROOT
from helpline.cli import main
from tests.conftest import SHARED

CONTENT = PROJECT_ROOT / "content"


def test_shipped_content_has_no_problems():
    _content, problems = read_content(CONTENT)
    assert [str(p) for p in problems] == []


@pytest.mark.skipif(not (SHARED / "spec" / "topics.md").exists(), reason="shared/spec not here")
def test_every_topic_of_the_spec_exists():
    spec = (SHARED / "spec" / "topics.md").read_text()
    slugs = set(re.findall(r"^\| ([a-z_]+(?:\.[a-z_]+)?) \|", spec, re.MULTILINE)) - {"slug"}
    content, _ = read_content(CONTENT)
    assert len(slugs) >= 28
    assert slugs <= set(content.topics)


def test_every_contact_has_source_and_check_date():
    content, _ = read_content(CONTENT)
    for contact in content.contacts.values():
        assert contact.source.startswith("http") and contact.checked


@pytest.fixture
def broken_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def messages(root: Path) -> list[str]:
    return [str(problem) for problem in read_content(root)[1]]


def test_yaml_error_reported_with_line(broken_content: Path):
    line = edit(broken_content / "topics" / "fees.yaml", "translations:", "translations: [")
    assert any(
        m.startswith("content/topics/fees.yaml:") and "not valid YAML" in m
        for m in messages(broken_content)
    )
    assert line > 1


def test_broken_placeholder_and_unknown_contact(broken_content: Path):
    path = broken_content / "topics" / "hotlines.yaml"
    edit(path, "{contact:police_110}", "{contact:police_999}")
    found = messages(broken_content)
    assert any("hotlines.yaml" in m and "unknown contact 'police_999'" in m for m in found)
    edit(path, "{contact:sapa_129}", "{contact:sapa_129")
    assert any(
        "unmatched brace" in m or "broken placeholder" in m for m in messages(broken_content)
    )


def test_missing_language_reported(broken_content: Path):
    path = broken_content / "topics" / "fees.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\n  mkn:\n(    .*\n|\n)*", "\n", text, count=1), encoding="utf-8")
    assert any("fees.yaml" in m and "missing language 'mkn'" in m for m in messages(broken_content))


def test_contact_without_source_reported_with_line(broken_content: Path):
    path = broken_content / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^    source: .*\n", text, re.MULTILINE)
    path.write_text(text[: match.start()] + text[match.end() :], encoding="utf-8")
    found = messages(broken_content)
    first = text.count("\n", 0, text.index("  - id: ")) + 1
    assert [m for m in found if "contacts.yaml" in m] == [
        f"content/contacts.yaml:{first}: contacts.0: missing 'source'"
    ]
    assert not [m for m in found if "unknown contact" in m]  # the contact is known, if broken


def problems_of(root: Path, file: str) -> list[tuple[int, str]]:
    return sorted((p.line, p.message) for p in read_content(root)[1] if p.file == f"content/{file}")


def test_a_translation_in_an_unlisted_language(broken_content: Path):
    line = edit(broken_content / "topics" / "fees.yaml", "  en:\n", "  xx:\n")
    translations = edit(broken_content / "topics" / "fees.yaml", "translations:", "translations:")
    assert problems_of(broken_content, "topics/fees.yaml") == [
        (translations, "translations: missing language 'en'"),
        (line, "translations.xx: unknown language 'xx'"),
    ]


def test_a_category_title_needs_every_required_language(broken_content: Path):
    line = edit(broken_content / "categories.yaml", "en: Human trafficking, ", "")
    assert problems_of(broken_content, "categories.yaml") == [
        (line, "categories.0.title: has no 'en' text")
    ]


def test_lexicon_keys_are_single_words_listed_once(broken_content: Path):
    path = broken_content / "lexicon.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "extra:\n  two words: dua kata\n", encoding="utf-8")
    end = text.count("\n") + 1
    (problem,) = problems_of(broken_content, "lexicon.yaml")
    assert problem[0] == end + 1 and problem[1].startswith("extra.two words: String should match")
    path.write_text(text + "extra:\n  beta: saya\n", encoding="utf-8")
    first = text.count("\n", 0, text.index("\n  beta:") + 1) + 1
    assert problems_of(broken_content, "lexicon.yaml") == [
        (end + 1, f"extra.beta: 'beta' is listed twice (also at line {first})")
    ]


def test_an_unknown_key_or_action_in_a_topic(broken_content: Path):
    path = broken_content / "topics" / "fees.yaml"
    line = edit(path, "keywords:", "keyword:")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "actions: [call_mum]\n", encoding="utf-8")
    found = problems_of(broken_content, "topics/fees.yaml")
    assert (line, "unknown key 'keyword'") in found
    assert any(m.startswith("actions.0: Input should be 'report_missing'") for _, m in found)


def test_a_page_too_long_is_named_with_its_line(broken_content: Path):
    path = broken_content / "topics" / "fees.yaml"
    text = path.read_text(encoding="utf-8")
    body = text.index("    body:\n      - |\n") + len("    body:\n      - |\n")
    path.write_text(text[:body] + "        " + "kata " * 150 + "\n" + text[body:], encoding="utf-8")
    line = text.count("\n", 0, body)
    (problem,) = problems_of(broken_content, "topics/fees.yaml")
    assert problem[0] == line
    assert re.fullmatch(
        r"translations\.id\.body\.0: page has \d+ characters; at most 700 fit", problem[1]
    )


def test_unknown_slug_in_category(broken_content: Path):
    edit(broken_content / "categories.yaml", "hotlines", "hotlinez")
    found = messages(broken_content)
    assert any("categories.yaml" in m and "unknown slug 'hotlinez'" in m for m in found)


def test_cli_refuses_invalid_content(broken_content: Path, monkeypatch, capsys):
    edit(broken_content / "topics" / "fees.yaml", "translations:", "translations: [")
    monkeypatch.setenv("HELPLINE_CONTENT_DIR", str(broken_content))
    assert main(["content", "check"]) == 1
    assert "fees.yaml" in capsys.readouterr().out
    assert main(["ask", "paspor"]) == 1
    assert "content has problems" in capsys.readouterr().err


def test_keywords_only_in_listed_languages(broken_content: Path):
    line = edit(broken_content / "topics" / "fees.yaml", "keywords:\n", "keywords:\n  zz: [x]\n")
    assert problems_of(broken_content, "topics/fees.yaml") == [
        (line, "keywords: unknown language 'zz'")
    ]
