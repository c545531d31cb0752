"""Accuracy of question matching on a labelled file (lines {"text", "lang", "topic"}): top-1,
"no answer" (neither a topic nor a Did-you-mean offer) on answerable lines, and how often the
message's language is recognised."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from api.answers.matching import MessageReader


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class AnswerEvaluation:
    overall: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_topic: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[dict] = field(default_factory=list)
    no_answer: Tally = field(default_factory=Tally)
    language: Tally = field(default_factory=Tally)

    def format(self) -> str:
        lines = [
            f"accuracy: {self.overall.accuracy:.1%} ({self.overall.right}/{self.overall.total})"
        ]
        lines.append(
            f"no answer on answerable lines: {self.no_answer.accuracy:.1%} "
            f"({self.no_answer.right}/{self.no_answer.total})"
        )
        lines.append(
            f"language recognised: {self.language.accuracy:.1%} "
            f"({self.language.right}/{self.language.total})"
        )
        lines.append("by language:")
        for lang, tally in sorted(self.by_language.items()):
            lines.append(f"  {lang:5} {tally.accuracy:6.1%} ({tally.right}/{tally.total})")
        lines.append("by topic:")
        for topic, tally in sorted(self.by_topic.items()):
            lines.append(f"  {topic:28} {tally.accuracy:6.1%} ({tally.right}/{tally.total})")
        lines.append(f"misses: {len(self.misses)}")
        for miss in self.misses:
            lines.append(
                f"  [{miss['lang']}] {miss['text']!r}: expected {miss['expected']}, "
                f"got {miss['got']} (score {miss['score']})"
            )
        return "\n".join(lines)


def evaluate(reader: MessageReader, path: Path) -> AnswerEvaluation:
    result = AnswerEvaluation()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        reading = reader.read(item["text"])
        got = reading.topic
        expected = item.get("topic")
        if expected:
            result.no_answer.total += 1
            result.no_answer.right += got is None and not reading.suggestions
        result.language.total += 1
        result.language.right += (reading.lang or "id") == item.get("lang", "id")
        right = got == expected
        for tally in (
            result.overall,
            result.by_language[item.get("lang", "?")],
            result.by_topic[expected or "(none)"],
        ):
            tally.total += 1
            tally.right += right
        if not right:
            result.misses.append(
                {
                    "text": item["text"],
                    "lang": item.get("lang", "?"),
                    "expected": expected,
                    "got": got,
                    "score": reading.score,
                }
            )
    return result
