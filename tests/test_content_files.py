"""Content files read into models: every problem names the file, the line and what is wrong."""

from pathlib import Path

import pytest

from api.cases import districts
from api.cases.danger import DangerWords
from api.content_files import ContentError, Document, Strict


class Words(Strict):
    words: tuple[str, ...]
    limit: int = 3


def document(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "words.yaml"
    path.write_text(text, encoding="utf-8")
    return Document(path, "words.yaml")


def test_a_problem_is_at_the_line_of_the_key_it_names(tmp_path: Path) -> None:
    found = document(tmp_path, "# words\nwords: [a, b]\nlimit: many\nlimits: 2\n")
    assert found.validate(Words) is None
    assert [str(problem) for problem in found.problems] == [
        "words.yaml:3: limit: Input should be a valid integer, unable to parse string as an "
        "integer",
        "words.yaml:4: unknown key 'limits'",
    ]


def test_no_and_on_stay_words_and_numbers_are_texts(tmp_path: Path) -> None:
    found = document(tmp_path, "words: [no, on, yes, 110]\n")
    assert found.validate(Words) == Words(words=("no", "on", "yes", "110"))


def test_a_duplicate_key_and_invalid_yaml(tmp_path: Path) -> None:
    found = document(tmp_path, "words: [a]\nlimit: 1\nlimit: 2\n")
    assert [str(p) for p in found.problems] == [
        "words.yaml:3: duplicate key 'limit' (first at line 2)"
    ]
    found = document(tmp_path, "words: [a\nlimit: 1\n")
    (problem,) = found.problems
    assert problem.line == 2 and problem.message.startswith("not valid YAML: ")
    assert Document(tmp_path / "none.yaml", "none.yaml").problems[0].message == "file is missing"


def test_each_bad_district_is_named(tmp_path: Path) -> None:
    (tmp_path / "districts.yaml").write_text(
        "districts:\n  - {slug: kupang, name: Kupang}\n  - {slug: Belu, name: Belu}\n"
        "  - {slug: alor}\n  - {slug: kupang, name: Kupang lagi}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as refused:
        districts.load(tmp_path)
    assert [str(p) for p in refused.value.problems] == [
        "districts.yaml:3: districts.1.slug: String should match pattern '^[a-z][a-z_]*$'",
        "districts.yaml:4: districts.2: missing 'name'",
        "districts.yaml:5: districts.3.slug: duplicate district 'kupang'",
    ]


def test_danger_phrases_need_a_list_per_language(tmp_path: Path) -> None:
    (tmp_path / "danger.yaml").write_text("phrases:\n  id: [disekap]\n  en: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        DangerWords.load(tmp_path)
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == ("danger.yaml", 3)
    assert problem.message.startswith("phrases.en: Tuple should have at least 1 item")
