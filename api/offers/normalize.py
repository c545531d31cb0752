"""Text normalisation for offer matching, keeping a map back to the original text.

An offer becomes a string of lower-case ASCII-ish words separated by single spaces, with a
space at each end (" gaji 25 juta berangkat 2 hari lagi "), so that rules can match whole
words. Each word remembers the span of the original text it came from, and the clause and
sentence it belongs to. The tricks undone here: case, accents and styled letters (NFKD),
emoji and punctuation (dropped), repeated letters ("gratiiis", and every doubled letter:
"passport" -> "pasport"), words spaced or dotted to dodge filters ("g a j i", "p.a.s.p.o.r"),
digits for letters ("g4ji"), reduplication ("cewek2"), and abbreviations ("brgkt").
"""

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")
_SPACER = re.compile(r"[ \t.\-_*·•]{1,3}")
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1+")
_INNER_DIGIT = re.compile(r"(?<=[a-z])[013457](?=[a-z])")
_FINAL_DIGIT = re.compile(r"(?<=[a-z]{2})[013457]$")
_REDUPLICATED = re.compile(r"([a-z]{2,})2$")
_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")
_SENTENCE_END = re.compile(r"[.!?\n\r…]")
_CLAUSE_END = re.compile(r"[,;:|]")
_LEET = str.maketrans("013457", "oieast")
_MIN_SPACED_RUN = 3  # "g a j i"; letters joined by dots or dashes need only 2 ("d.p")
_CACHE_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised words of a text, each tied to its span in the original text."""

    text: str
    compact: str  # the original text with spaced-out words joined ("j u t a" -> "juta   ")
    word_starts: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]
    clauses: tuple[int, ...]
    sentences: tuple[int, ...]

    def word_at(self, offset: int) -> int:
        """Index of the word that covers `offset` in the normalised text."""
        return max(bisect_right(self.word_starts, offset) - 1, 0)

    def original_span(self, first_word: int, last_word: int) -> tuple[int, int]:
        return self.spans[first_word][0], self.spans[last_word][1]


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _split_word(word: str) -> list[str]:
    """Undo leetspeak and reduplication in a word that mixes letters and digits."""
    word = _INNER_DIGIT.sub(lambda m: m.group().translate(_LEET), word)
    word = _FINAL_DIGIT.sub(lambda m: m.group().translate(_LEET), word)
    doubled = _REDUPLICATED.fullmatch(word)
    if doubled:
        return [doubled.group(1), doubled.group(1)]
    return _LETTERS_OR_DIGITS.findall(word)


def _raw_tokens(text: str) -> list[tuple[int, int, str]]:
    """Word-character runs with their spans; single letters spaced or dotted the same way
    ("g a j i", "p.a.s.p.o.r") are joined into one word."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    joined: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        j = i
        spacer = None
        if len(tokens[i][2]) == 1 and tokens[i][2].isalpha():
            while j + 1 < len(tokens) and len(tokens[j + 1][2]) == 1 and tokens[j + 1][2].isalpha():
                gap = text[tokens[j][1] : tokens[j + 1][0]]
                if spacer is None and _SPACER.fullmatch(gap):
                    spacer = gap
                if gap != spacer:
                    break
                j += 1
        shortest = _MIN_SPACED_RUN if spacer is None or not spacer.strip() else 2
        if j + 1 - i >= shortest:
            letters = "".join(token[2] for token in tokens[i : j + 1])
            joined.append((tokens[i][0], tokens[j][1], letters))
            i = j + 1
        else:
            joined.append(tokens[i])
            i += 1
    return joined


def _break_before(text: str, previous: tuple[int, int, str], current: tuple[int, int, str]) -> int:
    """2 if a sentence ends between two tokens, 1 if only a clause does, else 0."""
    gap = text[previous[1] : current[0]]
    if gap == " " or not gap.strip(" \t"):
        return 0
    if _SENTENCE_END.search(gap):
        numeric = gap in (".", ",") and previous[2][-1].isdigit() and current[2][0].isdigit()
        abbreviation = gap.startswith(".") and len(previous[2]) <= 2 and "\n" not in gap
        if not numeric and not abbreviation:
            return 2
    if _CLAUSE_END.search(gap):
        numeric = gap == "," and previous[2][-1].isdigit() and current[2][0].isdigit()
        return 0 if numeric else 1
    return 0


class Normalizer:
    """Normalises offers and rule phrases the same way, so that they can be compared."""

    def __init__(
        self,
        abbreviations: Mapping[str, str] | None = None,
        clause_words: frozenset[str] = frozenset(),
    ):
        self._abbreviations: dict[str, tuple[str, ...]] = {}
        for key, expansion in (abbreviations or {}).items():
            self._abbreviations[self.word(key)] = tuple(
                part for token in _TOKEN.findall(expansion) for part in self._words(token)
            )
        self._clause_words = frozenset(self.word(word) for word in clause_words)
        self._cache: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def word(token: str) -> str:
        """One token, lower-cased, without accents or doubled letters (no abbreviations)."""
        word = token.lower()
        if not word.isascii():
            word = _strip_accents(word)
        return _REPEATED_LETTER.sub(r"\1", word)

    def _cached_words(self, token: str) -> tuple[str, ...]:
        words = self._cache.get(token)
        if words is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            words = self._cache[token] = tuple(self._words(token))
        return words

    def _words(self, token: str) -> list[str]:
        word = token.lower()
        if not word.isascii():
            word = _strip_accents(word)
        parts = [word] if word.isalpha() or word.isdigit() else _split_word(word)
        words: list[str] = []
        for part in parts:
            part = _REPEATED_LETTER.sub(r"\1", part)
            words.extend(self._abbreviations.get(part, (part,)))
        return words

    def normalize(self, text: str) -> NormalizedText:
        words: list[str] = []
        starts: list[int] = []
        spans: list[tuple[int, int]] = []
        clauses: list[int] = []
        sentences: list[int] = []
        clause = sentence = 0
        offset = 1
        previous = None
        compact: list[str] = []
        copied = 0
        for token in _raw_tokens(text):
            if token[1] - token[0] != len(token[2]):
                compact += (text[copied : token[0]], token[2].ljust(token[1] - token[0]))
                copied = token[1]
            if previous is not None:
                level = _break_before(text, previous, token)
                clause += level > 0
                sentence += level > 1
            previous = token
            for word in self._cached_words(token[2]):
                if word in self._clause_words and words:
                    clause += 1
                words.append(word)
                starts.append(offset)
                offset += len(word) + 1
                spans.append((token[0], token[1]))
                clauses.append(clause)
                sentences.append(sentence)
        return NormalizedText(
            text=" " + " ".join(words) + " ",
            compact="".join(compact) + text[copied:] if compact else text,
            word_starts=tuple(starts),
            spans=tuple(spans),
            clauses=tuple(clauses),
            sentences=tuple(sentences),
        )

    def phrase(self, text: str) -> str:
        """A rule phrase in normalised form: words joined by single spaces."""
        return self.normalize(text).text.strip()
