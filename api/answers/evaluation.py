"""Accuracy of question matching on a labelled file (lines {"text", "lang", "topic"})."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from api.answers.retrieval import TopicIndex


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

    def format(self) -> str:
        lines = [
            f"accuracy: {self.overall.accuracy:.1%} ({self.overall.right}/{self.overall.total})"
        ]
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


def evaluate(index: TopicIndex, path: Path) -> AnswerEvaluation:
    result = AnswerEvaluation()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        best, ranking = index.best(item["text"])
        got = best.slug if best else None
        expected = item.get("topic")
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
                    "score": ranking[0].score if ranking else 0.0,
                }
            )
    return result
