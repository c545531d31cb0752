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
        m.startswith("content/topics/fees.yaml:") and "YAML error" in m
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
    found = [m for m in messages(broken_content) if "has no source" in m]
    assert found and re.match(r"content/contacts.yaml:\d+: ", found[0])


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
