"""Reading a whole message: what it is about, how sure we are, and what else it shows.

A message is cut into sentences. Three kinds of evidence are added up:
- word overlap of the whole message with each topic (the tf-idf blend of retrieval.py);
- the naive Bayes classifier of classifier.py, trained on the topics' own texts;
- signs of a situation (content/signs.yaml), each found within one sentence, so that a long,
  frightened message about a relative who went silent counts as the situation it describes
  however many names, places, dates and greetings surround it.
Words written with a capital inside a sentence (names, places) are only used when the index
knows them exactly, never by closest spelling, so "Metilia" or "Oebobo" are no evidence.

The reading also says whether the message is small talk, whether a minor is being taken
away (a danger sign), and which language it is written in.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from api.answers.classifier import TopicClassifier
from api.answers.content import Content, ContentError, Problem
from api.answers.retrieval import SMALL_TALK, Match, Normaliser, TopicIndex, affix_stem

SIGNS_FILE = "signs.yaml"
ANSWER_MIN = 0.26
SIGNED_ANSWER_MIN = 0.15
SUGGEST_MIN = 0.12
TFIDF_SHARE = 0.2
BAYES_SHARE = 0.5
BAYES_GATE = 0.1
SUGGESTIONS = 3
RANKED = 5
SMALL_TALK_MAX_WORDS = 15
SIGN_REPEAT = 0.3
_PARTS = re.compile(r"[.!?;:\n]+")
_ENGLISH_ENDINGS = ("ing", "ed", "es", "s")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")
_EMOJI_ONLY = re.compile(r"^[\W\d_]*$")
_LANGUAGE_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class Group:
    """Alternatives of a sign: single words (with their affix stems) and longer phrases, each
    phrase word as the set of its forms (worked out once, when the signs are read)."""

    words: frozenset[str]
    phrases: tuple[tuple[frozenset[str], ...], ...]

    def found_in(self, words: set[str]) -> bool:
        if not self.words.isdisjoint(words):
            return True
        return any(all(not f.isdisjoint(words) for f in phrase) for phrase in self.phrases)


@dataclass(frozen=True)
class Sign:
    topic: str
    weight: float
    groups: tuple[Group, ...]


@dataclass
class Reading:
    """What a message is about: the answering topic (or None), the ranking, the topics to
    offer when unsure, and the other things the message shows."""

    topic: str | None
    score: float
    ranking: list[Match]
    suggestions: list[str] = field(default_factory=list)
    small_talk: bool = False
    danger: bool = False
    lang: str | None = None


@lru_cache(maxsize=50_000)
def _forms(word: str) -> frozenset[str]:
    stem = affix_stem(word)
    return frozenset({word, stem} if stem else {word})


@lru_cache(maxsize=50_000)
def _message_forms(word: str) -> frozenset[str]:
    """A message word's forms: its Indonesian affix stem and, for English, the word without
    -ing, -ed, -es or -s ("harasses" -> "harass"), so that signs are written as base words.
    (Only message words are cut so: a sign word such as "news" is never shortened to "new".)"""
    forms = set(_forms(word))
    for ending in _ENGLISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.add(word[: -len(ending)])
    return frozenset(forms)


class MessageReader:
    """Reads messages against the topic index and the signs of content/signs.yaml."""

    def __init__(self, index: TopicIndex, content: Content, content_dir: Path):
        self.index = index
        self.classifier = TopicClassifier(content, index.normaliser)
        self.words = Normaliser(content.lexicon, frozenset())
        data = _read_signs(content_dir / SIGNS_FILE)
        self.signs = [
            Sign(
                str(sign["topic"]),
                float(sign["weight"]),
                tuple(self._group(group) for group in sign["all"]),
            )
            for sign in data.get("signs", [])
            if str(sign.get("topic")) in content.topics
        ]
        # Which signs a word can start: a sentence is only checked against the signs whose
        # first group one of its words belongs to (a phrase needs all its words, so its first
        # word's forms stand for it).
        self.signs_by_word: dict[str, list[int]] = defaultdict(list)
        for i, sign in enumerate(self.signs):
            first = set(sign.groups[0].words)
            for phrase in sign.groups[0].phrases:
                first |= phrase[0]
            for word in first:
                self.signs_by_word[word].append(i)
        self.slugs = index.slugs
        if self.classifier.slugs != self.slugs:
            raise ValueError("the classifier and the index must order topics alike")
        self.slug_index = {slug: i for i, slug in enumerate(self.slugs)}
        self.small_talk = self.slug_index[SMALL_TALK]
        self.address_words = content.address_words
        self.background = frozenset(str(t) for t in data.get("background_topics") or [])
        self.background_factor = np.array(
            [
                float(data.get("background_share", 1.0)) if slug in self.background else 1.0
                for slug in self.slugs
            ]
        )
        self.stated = [
            self.slug_index[str(t)]
            for t in data.get("stated_topics") or []
            if str(t) in self.slug_index
        ]
        self.stated_share = float(data.get("stated_share", 1.0))
        minor = data.get("minor_taken", {})
        self.minor = {key: [self._phrase(p) for p in minor.get(key, [])] for key in minor}
        self.minor_words = self._group([p for p in minor.get("minor", []) if not str(p).isdigit()])
        self.taken_words = self._group(minor.get("taken", []))
        self.ages = {str(p) for p in minor.get("minor", []) if str(p).isdigit()}
        self.age_words = {str(p).lower() for p in minor.get("age_words", [])}
        self.language_words = {
            lang: {w.lower() for w in words} for lang, words in data["language_words"].items()
        }
        for lang in ("mkn", "tet", "aoz"):
            self.language_words[lang] = set(_lexicon_section(content_dir, lang))
        languages_of: dict[str, list[str]] = defaultdict(list)
        for lang, words in self.language_words.items():
            for word in words:
                languages_of[word].append(lang)
        self.word_languages = {word: tuple(langs) for word, langs in languages_of.items()}

    def _phrase(self, text: str) -> tuple[str, ...]:
        return tuple(self.words.words(str(text))) or (str(text).lower(),)

    def _group(self, texts) -> Group:
        phrases = [self._phrase(text) for text in texts]
        single = frozenset(f for p in phrases if len(p) == 1 for f in _forms(p[0]))
        longer = tuple(tuple(_forms(w) for w in p) for p in phrases if len(p) > 1)
        return Group(single, longer)

    def _part_words(self, part: str) -> set[str]:
        """The forms of a sentence's words (the sentence already folded, see Normaliser)."""
        found: set[str] = set()
        for word in self.words.tokens_words(self.words.tokens(part)):
            found |= _message_forms(word)
        return found

    def parts(self, text: str) -> list[str]:
        return [part for part in _PARTS.split(text) if part and part.strip()]

    def found_signs(self, parts_words: list[set[str]]) -> tuple[dict[str, float], set[str]]:
        """Each topic's sign weight: its best sign in each sentence, the sentences' weights
        added with a falling share (1, SIGN_REPEAT, SIGN_REPEAT², ...), so that a long story
        repeating one plea does not outweigh the one sentence that names the situation. Also
        the topics one of whose signs of two groups or more (a situation, not a bare name)
        was found."""
        found: dict[str, list[float]] = defaultdict(list)
        situated: set[str] = set()
        for words in parts_words:
            best: dict[str, float] = {}
            candidates = {i for w in words for i in self.signs_by_word.get(w, ())}
            for sign in (self.signs[i] for i in candidates):
                if all(group.found_in(words) for group in sign.groups):
                    best[sign.topic] = max(best.get(sign.topic, 0.0), sign.weight)
                    if len(sign.groups) > 1:
                        situated.add(sign.topic)
            for topic, weight in best.items():
                found[topic].append(weight)
        scores = {
            topic: sum(w * SIGN_REPEAT**i for i, w in enumerate(sorted(weights, reverse=True)))
            for topic, weights in found.items()
        }
        return scores, situated

    def minor_taken(self, parts: list[str], parts_words: list[set[str]]) -> bool:
        """A child or an age under 18, and being taken or recruited, in one part."""
        for part, words in zip(parts, parts_words, strict=True):
            if not self.taken_words.found_in(words):
                continue
            raw = part.lower().split()
            aged = not self.age_words.isdisjoint(raw) and not self.ages.isdisjoint(raw)
            if aged or self.minor_words.found_in(words):
                return True
        return False

    def language(self, text: str) -> str | None:
        """The language most of the message's words belong to, or None when unsure."""
        counts: dict[str, int] = {}
        for word in _LANGUAGE_WORD.findall(text.lower()):
            for lang in self.word_languages.get(word, ()):
                counts[lang] = counts.get(lang, 0) + 1
        if not counts:
            return None
        ranked = sorted(counts.items(), key=lambda item: -item[1])  # stable: first seen first
        (lang, top), *rest = ranked[:2] + [("", 0)]
        if lang in ("id", "mkn") and counts.get("mkn", 0) >= 2:
            return "mkn"
        return lang if top > rest[0][1] else None

    def _evidence_text(self, text: str) -> str:
        """The message without capitalised words the index does not know (names, places)."""

        def keep(match: re.Match) -> str:
            word = match.group(0).lower()
            return match.group(0) if word in self.index.idf or word in self.words.lexicon else " "

        return _CAPITALISED.sub(keep, text)

    def scores(
        self, words: list[str], signs: dict[str, float], situated: set[str] | None = None
    ) -> np.ndarray:
        """Each topic's evidence (in the order of the index's slugs): word overlap, situation
        signs and the classifier's belief.

        The classifier only speaks when the message has some word overlap with a topic or
        shows a situation, so that off-topic chat is not pushed into the likeliest topic. A
        place named in a story about another situation counts little (background topics),
        unless the message shows a situation in that place (`situated`)."""
        overlap = self.index.score_vector(words)
        scores = np.zeros(len(self.slugs)) if overlap is None else TFIDF_SHARE * overlap
        for topic, weight in signs.items():
            scores[self.slug_index[topic]] += weight
        overlapping = (
            overlap is not None
            and int(overlap.argmax()) != self.small_talk
            and overlap.max() >= BAYES_GATE
        )
        if signs or overlapping:
            probabilities = self.classifier.probabilities(words)
            if probabilities is not None:
                scores += BAYES_SHARE * probabilities
        for i in self.stated:  # a fact the message must state: without its sign, it counts less
            if self.slugs[i] not in signs:
                scores[i] *= self.stated_share
        if any(topic not in self.background for topic in signs):
            factor = self.background_factor
            placed = (situated or set()) & self.background
            if placed:
                factor = factor.copy()
                factor[[self.slug_index[t] for t in placed]] = 1.0
            scores *= factor
        return scores

    def read(self, text: str) -> Reading:
        parts = self.parts(self.words.folded(text))  # folded once, then cut into sentences
        parts_words = [self._part_words(part) for part in parts]
        signs, situated = self.found_signs(parts_words)
        words = self.index.normaliser.words(self._evidence_text(text))
        scores = self.scores(words, signs, situated)
        values = scores.tolist()
        ordered = [(self.slugs[i], values[i]) for i in np.argsort(-scores)[: RANKED + 1].tolist()]
        topics = [Match(slug, round(score, 4)) for slug, score in ordered if slug != SMALL_TALK]
        danger = self.minor_taken(parts, parts_words)
        lang = self.language(text)
        word_count = len(text.split())
        small = (
            not signs
            and word_count <= SMALL_TALK_MAX_WORDS
            and (
                _EMOJI_ONLY.match(text) is not None
                or self.address_words.issuperset(words)  # no words, or "halo kk"
                or (bool(ordered) and ordered[0][0] == SMALL_TALK)
            )
        )
        if danger and not topics[:1]:
            topics = [Match("trafficking.modus", 1.0)]
        best = topics[0] if topics else None
        if small and not danger:
            return Reading(None, 0.0, topics[:RANKED], small_talk=True, lang=lang)
        # A situation's sign is evidence enough for a lower score; word overlap alone must be
        # clearer, else the reader offers "Did you mean".
        needed = SIGNED_ANSWER_MIN if signs else ANSWER_MIN
        if best and (best.score >= needed or danger):
            return Reading(best.slug, best.score, topics[:RANKED], danger=danger, lang=lang)
        suggestions = [m.slug for m in topics[:SUGGESTIONS] if m.score >= SUGGEST_MIN]
        return Reading(
            None,
            best.score if best else 0.0,
            topics[:RANKED],
            suggestions,
            danger=danger,
            lang=lang,
        )


def _read_signs(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError([Problem(SIGNS_FILE, 0, f"cannot read: {error}")]) from error
    if not isinstance(data, dict) or not isinstance(data.get("language_words"), dict):
        raise ContentError([Problem(SIGNS_FILE, 0, "needs `signs` and `language_words`")])
    for sign in data.get("signs") or []:
        if not (isinstance(sign, dict) and sign.get("topic") and sign.get("all")):
            raise ContentError([Problem(SIGNS_FILE, 0, f"a sign needs topic and all: {sign}")])
    return data


def _lexicon_section(content_dir: Path, section: str) -> list[str]:
    data = yaml.safe_load((content_dir / "lexicon.yaml").read_text(encoding="utf-8")) or {}
    return [str(word).lower() for word in (data.get(section) or {})]
