"""Question matching: typos, abbreviations, local languages, and no answer for small talk."""

import json
import subprocess
import sys

import pytest

from api.answers.content import load_content
from api.answers.evaluation import evaluate
from api.answers.matching import MessageReader
from api.answers.retrieval import TopicIndex
from api.settings import PROJECT_ROOT
from tests.conftest import SHARED

DEV_QUESTIONS = SHARED / "eval" / "questions-dev.jsonl"


@pytest.fixture(scope="module")
def index() -> TopicIndex:
    return TopicIndex(load_content(PROJECT_ROOT / "content"))


@pytest.fixture(scope="module")
def reader(index: TopicIndex) -> MessageReader:
    content = load_content(PROJECT_ROOT / "content")
    return MessageReader(index, content, PROJECT_ROOT / "content")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("gmn cara dpt paspor", "documents.passport"),
        ("paspor hilang di kapal", "documents.passport"),
        ("bikin pasport dmn", "documents.passport"),
        ("PASPOR!!!", "documents.passport"),
        ("brp biaya penempatan yg hrs sy bayar", "fees"),
        ("who pays recruitment fees", "fees"),
        ("nomor darurat", "hotlines"),
        ("kerja di hongkong", "destination.hongkong"),
        ("kerja di taiwan lewat agensi", "destination.taiwan"),
        ("singapur pembantu rumah tangga", "destination.singapore"),
        ("kirim doi pi mama di kampung", "remittance"),
    ],
)
def test_questions_find_their_topic(index: TopicIndex, question: str, topic: str):
    best, ranking = index.best(question)
    assert best is not None and best.slug == topic, ranking[:3]


@pytest.mark.parametrize(
    "text", ["selamat pagi", "hello", "haha", "ok makasih", "", "???", "🙂", "xqzv wplk"]
)
def test_small_talk_and_noise_get_no_topic(index: TopicIndex, text: str):
    assert index.best(text)[0] is None


@pytest.mark.skipif(not DEV_QUESTIONS.exists(), reason="shared/eval not here")
def test_dev_set_accuracy(reader: MessageReader):
    result = evaluate(reader, DEV_QUESTIONS)
    nulls = result.by_topic["(none)"]
    assert result.overall.accuracy >= 0.92, result.format()
    assert nulls.right == nulls.total, result.format()


@pytest.mark.skipif(not DEV_QUESTIONS.exists(), reason="shared/eval not here")
def test_ask_jsonl_keeps_order_and_shape(reader: MessageReader):
    lines = DEV_QUESTIONS.read_text().splitlines()[:5] + ["not json", '{"text": "hello there"}']
    completed = subprocess.run(
        [sys.executable, "-m", "helpline.cli", "ask", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    outputs = [json.loads(line) for line in completed.stdout.splitlines()]
    assert len(outputs) == 7
    expected = [reader.read(json.loads(line)["text"]).topic for line in lines[:5]]
    assert [o["topic"] for o in outputs[:5]] == expected
    assert outputs[5]["topic"] is None and outputs[6]["topic"] is None
    keys = {"topic", "score", "alternatives", "suggestions", "small_talk", "danger", "lang"}
    assert all(set(o) == keys for o in outputs)


def test_team_question_set_accuracy(reader: MessageReader):
    """Questions written by the team apart from the content (tests/api/answers/)."""
    result = evaluate(reader, PROJECT_ROOT / "tests/api/answers/questions-extra.jsonl")
    nulls = result.by_topic["(none)"]
    assert result.overall.accuracy >= 0.92, result.format()
    assert nulls.right == nulls.total, result.format()
