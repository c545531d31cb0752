"""Question matching: maps free text in any supported language to the best topic, or none.

Every text, from content or from a user, goes through the same normalisation: lower case,
accents and punctuation removed, long letter runs shortened, lexicon words (Kupang Malay,
chat abbreviations, Tetun, Uab Meto) replaced by Indonesian, stop words dropped, common
suffixes stripped. A question word the index does not know is matched to a known word that
differs only by an Indonesian affix ("direkrut" -> "rekrut") or, failing that, to the
closest known word by edit distance, so typos still count.

A topic's score blends two tf-idf cosine similarities: with the whole topic (keywords,
titles and example questions together) and with its single closest example question or
keyword. Small talk (content/smalltalk.yaml) is indexed like a topic; when it wins, or when
the best score is weak, the answer is "no topic".
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from api.answers.content import Content

SMALL_TALK = "_small_talk"
FIELD_WEIGHTS = {"keyword": 3.0, "title": 2.0, "example": 0.5}
TOPIC_SHARE = 0.5
MIN_SCORE = 0.3
FUZZY_MIN_LENGTH = 4
FUZZY_CUTOFF = 80.0
MAX_WORDS = 60

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_LONG_RUN = re.compile(r"(.)\1{2,}")
_SUFFIXES = ("nya", "kah", "lah", "ku", "mu")
_AFFIXES = re.compile(
    r"^(?:di|ke|ter|ber|be|me|mem|men|meng|meny|pe|pem|pen|peng|per)?(.+?)(?:kan|an|i)?$"
)


@lru_cache(maxsize=50_000)
def affix_stem(word: str) -> str | None:
    """The word without Indonesian affixes (ber-, di-, -kan, ...), if three letters remain."""
    stem = _AFFIXES.match(word)
    return stem.group(1) if stem and len(stem.group(1)) >= 3 else None


def _fold(text: str) -> str:
    text = text.lower().replace("’", "'")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
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
        # The words of one raw token, worked out once per token (messages repeat words).
        self._token = lru_cache(maxsize=50_000)(self._token_uncached)

    def words(self, text: str) -> list[str]:
        return self.tokens_words(_WORD.findall(_LONG_RUN.sub(r"\1", _fold(text))))

    def tokens_words(self, tokens: list[str]) -> list[str]:
        """The words of tokens already found in folded text (see `words`)."""
        result: list[str] = []
        for raw in tokens:
            result += self._token(raw)
        return result

    @staticmethod
    def folded(text: str) -> str:
        """The text as `words` reads it: lower case, accents removed, long runs shortened."""
        return _LONG_RUN.sub(r"\1", _fold(text))

    @staticmethod
    def tokens(folded: str) -> list[str]:
        return _WORD.findall(folded)

    def _token_uncached(self, raw: str) -> tuple[str, ...]:
        return tuple(
            _strip_suffix(part) for part in self._expand(raw) if part not in self.stopwords
        )

    def _expand(self, word: str) -> list[str]:
        if word in self.lexicon:
            return self.lexicon[word].split()
        bare = word.replace("'", "")
        if bare in self.lexicon:
            return self.lexicon[bare].split()
        if "'" in word:
            return [piece for part in word.split("'") for piece in self._expand(part) if piece]
        return [bare]


def _unit_vector(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {word: w / norm for word, w in weights.items()}


@dataclass(frozen=True)
class Match:
    slug: str
    score: float


class TopicIndex:
    """tf-idf vectors of every topic and of every example question, with inverted lists."""

    def __init__(self, content: Content):
        self.normaliser = Normaliser(content.lexicon, content.stopwords)
        self.slugs: list[str] = []
        bags: list[dict[str, float]] = []
        examples: list[tuple[int, list[str]]] = []
        for slug, topic in content.topics.items():
            phrases = [(p, "keyword") for ps in topic.keywords.values() for p in ps]
            for text in topic.texts.values():
                phrases.append((text.title, "title"))
                phrases += [(example, "example") for example in text.examples]
            self._add_document(slug, phrases, bags, examples)
        self._add_document(SMALL_TALK, [(e, "example") for e in content.small_talk], bags, examples)

        document_frequency: Counter[str] = Counter()
        for bag in bags:
            document_frequency.update(bag.keys())
        self.idf = {
            word: math.log(len(bags) / count) + 0.1 for word, count in document_frequency.items()
        }
        self.topic_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, bag in enumerate(bags):
            vector = _unit_vector({w: (1 + math.log(n)) * self.idf[w] for w, n in bag.items()})
            for word, weight in vector.items():
                self.topic_postings[word].append((index, weight))
        self.example_topic: list[int] = []
        self.example_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for topic_index, words in examples:
            vector = _unit_vector({w: self.idf[w] for w in set(words)})
            for word, weight in vector.items():
                self.example_postings[word].append((len(self.example_topic), weight))
            self.example_topic.append(topic_index)
        self.vocabulary = list(self.idf)
        self._resolve = lru_cache(maxsize=50_000)(self._resolve_uncached)
        self._arrays()

    def _arrays(self) -> None:
        """The postings as numpy arrays, per word: the columns it has weight in (each topic,
        then each example question) and those weights. A word has weight in a handful of
        the ~4,000 columns, so a query adds up only those (np.bincount) rather than copying
        whole dense rows. Examples are grouped by topic, so that the best example of each
        topic is one reduction."""
        topic_count, example_count = len(self.slugs), len(self.example_topic)
        self.columns = topic_count + example_count
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for word in self.vocabulary:
            cols = [index for index, _ in self.topic_postings.get(word, ())]
            cols += [topic_count + index for index, _ in self.example_postings.get(word, ())]
            weights = [w for _, w in self.topic_postings.get(word, ())]
            weights += [w for _, w in self.example_postings.get(word, ())]
            self.postings[word] = (np.array(cols, np.intp), np.array(weights, np.float64))
        topics = np.array(self.example_topic, dtype=np.intp)
        starts = np.searchsorted(topics, np.arange(topic_count))
        self.example_starts = np.minimum(starts, example_count - 1)  # a topic without examples
        has_examples = np.bincount(topics, minlength=topic_count) > 0
        self.example_share = (1 - TOPIC_SHARE) * has_examples

    def _add_document(
        self,
        slug: str,
        phrases: list[tuple[str, str]],
        bags: list[dict[str, float]],
        examples: list[tuple[int, list[str]]],
    ) -> None:
        bag: dict[str, float] = defaultdict(float)  # weighted counts: a Counter holds ints
        for phrase, field in phrases:
            words = self.normaliser.words(phrase)
            for word in words:
                bag[word] += FIELD_WEIGHTS[field]
            if words:
                examples.append((len(self.slugs), words))
        self.slugs.append(slug)
        bags.append(bag)

    def _resolve_uncached(self, word: str) -> tuple[str, float] | None:
        """The known word a question word stands for, with how sure the match is."""
        if word in self.idf:
            return word, 1.0
        stem = affix_stem(word)
        if stem in self.idf:
            return stem, 0.9
        if len(word) < FUZZY_MIN_LENGTH:
            return None
        found = process.extractOne(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        return (found[0], found[1] / 100.0) if found else None

    def _query_vector(self, words: list[str]) -> dict[str, float]:
        weights: dict[str, float] = {}
        for word in dict.fromkeys(words[:MAX_WORDS]):
            resolved = self._resolve(word)
            if resolved:
                known, certainty = resolved
                weights[known] = max(weights.get(known, 0.0), self.idf[known] * certainty)
        return _unit_vector(weights)

    def rank(self, text: str, limit: int = 5) -> list[Match]:
        """Topics ranked by score (0 to 1), best first; small talk included."""
        combined = self.score_vector(self.normaliser.words(text))
        if combined is None:
            return []
        ranked = [i for i in np.argsort(-combined, kind="stable")[:limit] if combined[i] > 0]
        return [Match(self.slugs[i], round(float(combined[i]), 4)) for i in ranked]

    def score_vector(self, words: list[str]) -> np.ndarray | None:
        """Every topic's score (in the order of `slugs`) for normalised words, or None when
        no word is known."""
        query = self._query_vector(words)
        if not query:
            return None
        postings = [(self.postings[word], weight) for word, weight in query.items()]
        cols = np.concatenate([c for (c, _), _ in postings])
        weights = np.concatenate([w * weight for (_, w), weight in postings])
        both = np.bincount(cols, weights, self.columns)
        topics = len(self.slugs)
        best_example = np.maximum.reduceat(both[topics:], self.example_starts)
        best_example *= self.example_share
        best_example += TOPIC_SHARE * both[:topics]
        return best_example

    def best(self, text: str) -> tuple[Match | None, list[Match]]:
        """The answering topic (None for small talk or a weak score) and the topic ranking."""
        ranking = self.rank(text)
        topics = [match for match in ranking if match.slug != SMALL_TALK]
        if ranking and ranking[0].slug != SMALL_TALK and ranking[0].score >= MIN_SCORE:
            return ranking[0], topics
        return None, topics
