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


def affix_stem(word: str) -> str | None:
    """The word without Indonesian affixes (ber-, di-, -kan, ...), if three letters remain."""
    stem = _AFFIXES.match(word)
    return stem.group(1) if stem and len(stem.group(1)) >= 3 else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
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

    def _query_vector(self, text: str) -> dict[str, float]:
        weights: dict[str, float] = {}
        for word in dict.fromkeys(self.normaliser.words(text)[:MAX_WORDS]):
            resolved = self._resolve(word)
            if resolved:
                known, certainty = resolved
                weights[known] = max(weights.get(known, 0.0), self.idf[known] * certainty)
        return _unit_vector(weights)

    def rank(self, text: str, limit: int = 5) -> list[Match]:
        """Topics ranked by score (0 to 1), best first; small talk included."""
        query = self._query_vector(text)
        topic_scores: dict[int, float] = defaultdict(float)
        example_scores: dict[int, float] = defaultdict(float)
        for word, weight in query.items():
            for index, topic_weight in self.topic_postings[word]:
                topic_scores[index] += weight * topic_weight
            for index, example_weight in self.example_postings[word]:
                example_scores[index] += weight * example_weight
        best_example: dict[int, float] = defaultdict(float)
        for index, score in example_scores.items():
            topic = self.example_topic[index]
            best_example[topic] = max(best_example[topic], score)
        combined = {
            topic: TOPIC_SHARE * topic_scores[topic] + (1 - TOPIC_SHARE) * best_example[topic]
            for topic in topic_scores
        }
        ranked = sorted(combined.items(), key=lambda item: item[1], reverse=True)[:limit]
        return [Match(self.slugs[index], round(score, 4)) for index, score in ranked]

    def best(self, text: str) -> tuple[Match | None, list[Match]]:
        """The answering topic (None for small talk or a weak score) and the topic ranking."""
        ranking = self.rank(text)
        topics = [match for match in ranking if match.slug != SMALL_TALK]
        if ranking and ranking[0].slug != SMALL_TALK and ranking[0].score >= MIN_SCORE:
            return ranking[0], topics
        return None, topics
