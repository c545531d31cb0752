"""Question matching: maps free text in any supported language to the best topic, or none.

Each topic is one weighted bag of words (keywords, titles, example questions, answer text)
ranked with BM25. Every word, from content or from a user, goes through the same
normalisation: lower case, accents and punctuation removed, long letter runs shortened,
lexicon words (Kupang Malay, chat abbreviations, Tetun, Uab Meto) replaced by Indonesian,
stop words dropped, common suffixes stripped. A word the index does not know is matched to
its closest known words (edit distance), so typos still count.
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from api.answers.content import Content

FIELD_WEIGHTS = {"keyword": 3.0, "title": 2.0, "example": 1.0, "body": 0.25}
BM25_K1 = 1.2
BM25_B = 0.5
FUZZY_MIN_LENGTH = 4
FUZZY_CUTOFF = 80.0
MIN_SCORE = 3.0

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_LONG_RUN = re.compile(r"(.)\1{2,}")
_SUFFIXES = ("nya", "kah", "lah", "ku", "mu")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _strip_suffix(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


class Normaliser:
    """Turns text into the words the index compares."""

    def __init__(self, lexicon: dict[str, str], stopwords: frozenset[str]):
        self.lexicon = lexicon
        self.stopwords = stopwords

    def words(self, text: str) -> list[str]:
        result: list[str] = []
        for raw in _WORD.findall(_LONG_RUN.sub(r"\1", _fold(text))):
            for part in self._expand(raw):
                if part not in self.stopwords:
                    result.append(_strip_suffix(part))
        return result

    def _expand(self, word: str) -> list[str]:
        if word in self.lexicon:
            return self.lexicon[word].split()
        bare = word.replace("'", "")
        if bare in self.lexicon:
            return self.lexicon[bare].split()
        if "'" in word:
            return [piece for part in word.split("'") for piece in self._expand(part) if piece]
        return [bare]


@dataclass(frozen=True)
class Match:
    slug: str
    score: float


class TopicIndex:
    """BM25 over one weighted document per topic."""

    def __init__(self, content: Content):
        self.normaliser = Normaliser(content.lexicon, content.stopwords)
        self.slugs: list[str] = []
        documents: list[Counter[str]] = []
        for slug, topic in content.topics.items():
            bag: Counter[str] = Counter()
            for phrases in topic.keywords.values():
                self._add(bag, phrases, FIELD_WEIGHTS["keyword"])
            for text in topic.texts.values():
                self._add(bag, [text.title], FIELD_WEIGHTS["title"])
                self._add(bag, text.examples, FIELD_WEIGHTS["example"])
                self._add(bag, text.pages, FIELD_WEIGHTS["body"])
            self.slugs.append(slug)
            documents.append(bag)
        lengths = [sum(bag.values()) for bag in documents]
        average = sum(lengths) / max(len(lengths), 1)
        document_frequency: Counter[str] = Counter()
        for bag in documents:
            document_frequency.update(bag.keys())
        count = len(documents)
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, bag in enumerate(documents):
            norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[index] / average)
            for word, frequency in bag.items():
                df = document_frequency[word]
                idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
                weight = idf * frequency * (BM25_K1 + 1) / (frequency + norm)
                self.postings[word].append((index, weight))
        self.vocabulary = list(self.postings)
        self._similar = lru_cache(maxsize=20_000)(self._similar_uncached)

    def _add(self, bag: Counter[str], texts, weight: float) -> None:
        for text in texts:
            for word in self.normaliser.words(text):
                bag[word] += weight

    def _similar_uncached(self, word: str) -> tuple[tuple[str, float], ...]:
        if len(word) < FUZZY_MIN_LENGTH:
            return ()
        found = process.extract(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=2
        )
        return tuple((known, similarity / 100.0) for known, similarity, _ in found)

    def rank(self, text: str, limit: int = 5) -> list[Match]:
        """Topics ranked by score, best first; empty when nothing in the text is known."""
        scores: dict[int, float] = defaultdict(float)
        for word in dict.fromkeys(self.normaliser.words(text)):
            if word in self.postings:
                expansions: tuple[tuple[str, float], ...] = ((word, 1.0),)
            else:
                expansions = self._similar(word)[:1]
            for known, factor in expansions:
                for index, weight in self.postings[known]:
                    scores[index] += weight * factor
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:limit]
        return [Match(self.slugs[index], round(score, 4)) for index, score in ranked]

    def best(self, text: str) -> tuple[Match | None, list[Match]]:
        """The answering topic (None when the best score is too weak) and the ranking."""
        ranking = self.rank(text)
        if ranking and ranking[0].score >= MIN_SCORE:
            return ranking[0], ranking
        return None, ranking
