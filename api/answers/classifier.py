"""A naive Bayes topic classifier: how likely each topic is, given the words of a message.

Trained at start from the content alone (never from evaluation lines): each topic's keywords,
titles and example questions, and, with a small weight, its answer pages, which describe the
situations a topic is about in many more words than its questions do. Features are the
normalised words of retrieval.py, their affix stems and neighbouring word pairs. A message's
score for a topic is the mean log-likelihood of its known features, so a long message is not
pushed towards whatever topic shares most of its story words; the scores become probabilities
by a softmax whose temperature sets how sure the classifier is allowed to be.
"""

import re
from collections import defaultdict
from functools import lru_cache

import numpy as np

from api.answers.content import Content
from api.answers.retrieval import SMALL_TALK, Normaliser, affix_stem

FIELD_WEIGHTS = {"keyword": 3.0, "title": 2.0, "example": 1.0, "page": 0.3}
SMOOTHING = 0.1
TEMPERATURE = 3.0
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def features(words: list[str]) -> list[str]:
    """The words, their affix stems where they differ, and each pair of neighbouring words."""
    found: list[str] = []
    for word in words:
        found.append(word)
        stem = affix_stem(word)
        if stem and stem != word:
            found.append(stem)
    found += [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    return found


class TopicClassifier:
    """Multinomial naive Bayes over the topics and small talk, as one log-probability matrix."""

    def __init__(self, content: Content, normaliser: Normaliser):
        self.normaliser = normaliser
        counts: dict[str, dict[str, float]] = {}
        for slug, topic in content.topics.items():
            texts = [(p, "keyword") for ps in topic.keywords.values() for p in ps]
            for text in topic.texts.values():
                texts.append((text.title, "title"))
                texts += [(example, "example") for example in text.examples]
                texts += [(_PLACEHOLDER.sub(" ", page), "page") for page in text.pages]
            counts[slug] = self._count(texts)
        counts[SMALL_TALK] = self._count([(text, "example") for text in content.small_talk])
        self.slugs = list(counts)
        vocabulary = sorted({feature for counter in counts.values() for feature in counter})
        self.columns = {feature: i for i, feature in enumerate(vocabulary)}
        matrix = np.full((len(vocabulary), len(self.slugs)), SMOOTHING)
        for j, slug in enumerate(self.slugs):
            for feature, count in counts[slug].items():
                matrix[self.columns[feature], j] += count
        self.log_probabilities = np.log(matrix / matrix.sum(axis=0)).astype(np.float32)
        self.word_rows = lru_cache(maxsize=50_000)(self._word_rows)

    def _count(self, texts: list[tuple[str, str]]) -> dict[str, float]:
        counter: dict[str, float] = defaultdict(float)
        for text, field in texts:
            for feature in features(self.normaliser.words(text)):
                counter[feature] += FIELD_WEIGHTS[field]
        return counter

    def _word_rows(self, word: str) -> tuple[int, ...]:
        """The matrix rows of a word's own features (the word and its stem), cached."""
        return tuple(self.columns[f] for f in features([word]) if f in self.columns)

    def probabilities(self, words: list[str]) -> np.ndarray | None:
        """Each topic's probability, in the order of `slugs` (small talk last), or None when
        no feature of the words is known."""
        rows = [row for word in words for row in self.word_rows(word)]
        columns = self.columns
        for pair in map("_".join, zip(words, words[1:], strict=False)):
            if pair in columns:
                rows.append(columns[pair])
        if not rows:
            return None
        total = np.add.reduce(self.log_probabilities[rows], axis=0)
        weights = np.exp((TEMPERATURE / len(rows)) * (total - total.max()))
        return weights / weights.sum()
