"""Content ids travel in the data of the bot's buttons, which Telegram limits to 64 bytes: a
topic slug too long for them is refused when the content is checked or loaded, by name."""

import shutil
from pathlib import Path

import pytest

from api.answers.content import ContentError
from api.settings import PROJECT_ROOT, Settings
from bot.button_data import CALLBACK_DATA_BYTES, TOPIC_BUTTONS, problems
from helpline.cli import main
from helpline.runner import prepare

LONG_SLUG = "about.this_helpline_and_who_answers_the_messages_day_and_night"


def content_with_topic_renamed(tmp_path: Path, new_slug: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", root)
    topic = (root / "topics" / "about.yaml").read_text(encoding="utf-8")
    (root / "topics" / "about.yaml").unlink()
    (root / "topics" / f"{new_slug}.yaml").write_text(
        topic.replace("slug: about", f"slug: {new_slug}", 1), encoding="utf-8"
    )
    categories = (root / "categories.yaml").read_text(encoding="utf-8")
    (root / "categories.yaml").write_text(
        categories.replace("victim.assistance, about]", f"victim.assistance, {new_slug}]"),
        encoding="utf-8",
    )
    return root


def test_the_longest_slug_that_passes_fits_every_topic_button():
    fits = "t" * 40
    assert problems([fits], [], []) == []
    for template in TOPIC_BUTTONS:
        assert len(template.format(fits).encode()) <= CALLBACK_DATA_BYTES
    assert problems(["t" * 60], [], []) != []


def test_content_check_names_a_slug_too_long_for_buttons(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HELPLINE_CONTENT_DIR", str(content_with_topic_renamed(tmp_path, LONG_SLUG)))
    assert main(["content", "check"]) == 1
    printed = capsys.readouterr().out
    assert f"topics/{LONG_SLUG}.yaml:1: topic {LONG_SLUG!r} is too long for Telegram's buttons" in (
        printed
    )


def test_the_helpline_does_not_start_with_it(tmp_path):
    content = content_with_topic_renamed(tmp_path, LONG_SLUG)
    settings = Settings(
        _env_file=None,
        content_dir=content,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'h.db'}",
    )
    with pytest.raises(ContentError, match="too long for Telegram's buttons"):
        prepare(settings)
    assert not (tmp_path / "h.db").exists()
