"""The question-matching approaches side by side on labelled files (top-1 and "no answer").

Run: .venv/bin/python bench/compare_matchers.py [FILE ...]   (needs rank_bm25, a dev extra)

- tfidf-whole: the tf-idf blend of retrieval.py on the whole message (the earlier method);
- bm25-whole: Okapi BM25 (rank_bm25) over one document per topic (keywords, titles,
  examples), same normalisation, small talk as a document, answer when the best score
  reaches a fixed share of the message's own maximum;
- reader: matching.py (tf-idf on the message without unknown names, the naive Bayes
  classifier of classifier.py, situation signs found per sentence, small talk,
  Did-you-mean).
"""

import json
import sys
from pathlib import Path

from rank_bm25 import BM25Okapi

from api.answers.content import load_content
from api.answers.matching import MessageReader
from api.answers.retrieval import SMALL_TALK, TopicIndex
from api.settings import PROJECT_ROOT

BM25_MIN = 4.0


def bm25_matcher(index: TopicIndex, content):
    slugs, docs = [], []
    for slug, topic in content.topics.items():
        texts = [p for ps in topic.keywords.values() for p in ps]
        for text in topic.texts.values():
            texts += [text.title, *text.examples]
        slugs.append(slug)
        docs.append(index.normaliser.words(" ".join(texts)))
    slugs.append(SMALL_TALK)
    docs.append(index.normaliser.words(" ".join(content.small_talk)))
    bm25 = BM25Okapi(docs)

    def match(text: str) -> str | None:
        scores = bm25.get_scores(index.normaliser.words(text))
        best = max(range(len(slugs)), key=lambda i: scores[i])
        if scores[best] < BM25_MIN or slugs[best] == SMALL_TALK:
            return None
        return slugs[best]

    return match


def main() -> None:
    content = load_content(PROJECT_ROOT / "content")
    index = TopicIndex(content)
    reader = MessageReader(index, content, PROJECT_ROOT / "content")
    approaches = {
        "tfidf-whole": lambda t: (getattr(index.best(t)[0], "slug", None), False),
        "bm25-whole": (lambda m: lambda t: (m(t), False))(bm25_matcher(index, content)),
        "reader": lambda t: (lambda r: (r.topic, bool(r.suggestions or r.small_talk)))(
            reader.read(t)
        ),
    }
    default = [
        PROJECT_ROOT / "tests/api/answers/field-dev.jsonl",
        PROJECT_ROOT.parent / "shared/eval/questions-dev.jsonl",
    ]
    for path in [Path(p) for p in sys.argv[1:]] or default:
        items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        answerable = [item for item in items if item.get("topic")]
        print(f"{path.name}: {len(items)} lines, {len(answerable)} answerable")
        for name, match in approaches.items():
            results = [(item, *match(item["text"])) for item in items]
            right = sum(got == item.get("topic") for item, got, _ in results)
            none = sum(
                1 for item, got, offered in results if item.get("topic") and not got and not offered
            )
            print(
                f"  {name:12} top-1 {right / len(items):6.1%}   "
                f"no answer {none / max(len(answerable), 1):6.1%}"
            )


if __name__ == "__main__":
    main()
