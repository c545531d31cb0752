"""Finding a placement company in the registry however people write its name or licence.

Names are compared after normalising (lower case, no accents or punctuation, without legal
forms such as "PT", "CV" or "Tbk", and without remarks in parentheses). A query is scored
against a registry name by how much of each one the other covers, word by word with typos
allowed (a soft F1 of the words, weighted by their length), or as one string when words are
run together ("sumberrejeki"). rapidfuzz picks a few likely names first, so a query costs
well under a millisecond on a registry of thousands.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz import fuzz, process

LEGAL_FORMS = frozenset({"pt", "cv", "tbk", "persero", "ud", "pd", "fa", "firma", "ltd", "inc"})
MATCH_SCORE = 72  # at least this: the query names this company
CANDIDATE_SCORE = 60  # at least this (but below MATCH_SCORE): a company the user may mean
CLOSE_MARGIN = 6  # two companies scoring this close are both possible: ambiguous
WORD_SCORE = 80  # two words this similar (rapidfuzz ratio) are the same word with a typo
SHORTLIST = 25  # names rescored per query, picked by rapidfuzz
MAX_CANDIDATES = 5
WHOLE = 0.95  # a coverage this high: every word is there

Result = Literal["licensed", "suspended", "revoked", "not_found", "ambiguous"]
RESULT_OF_STATUS: dict[str, Result] = {
    "active": "licensed",
    "suspended": "suspended",
    "revoked": "revoked",
}

_NOT_WORD = re.compile(r"[^\w]+|_")
_REMARK = re.compile(r"\([^)]*\)?")  # "(Cabang Kupang)", "(SAMPLE)": not part of the name
_SPACED_PT = re.compile(r"^\s*p\s*\.\s*t\s*\.?\s+|^\s*c\s*\.\s*v\s*\.?\s+", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def normalize_name(name: str) -> str:
    """The words of a company name that tell it apart: "PT. Sumber-Rejeki Abadi, Tbk" ->
    "sumber rejeki abadi"."""
    name = _SPACED_PT.sub(" ", _REMARK.sub(" ", name))
    words = _NOT_WORD.sub(" ", _plain(name)).split()
    return " ".join(word for word in words if word not in LEGAL_FORMS)


def normalize_licence(number: str) -> str:
    """A licence number without case, spaces, dashes, dots or slashes: "KEP-12/2019" ->
    "KEP122019"."""
    return _NOT_WORD.sub("", _plain(number)).upper()


@dataclass(frozen=True)
class RegisteredAgency:
    id: int
    name: str
    licence_number: str | None
    address: str
    status: str
    source_date: date


@dataclass(frozen=True)
class Scored:
    agency: RegisteredAgency
    score: float


@dataclass(frozen=True)
class Match:
    result: Result
    agency: RegisteredAgency | None = None
    score: float = 0.0
    candidates: tuple[Scored, ...] = ()


def _coverage(words: list[str], others: list[str]) -> float:
    """How much of `words` (by length) appears in `others`, each word allowing typos."""
    total = covered = 0.0
    for word in words:
        total += len(word)
        best = max((fuzz.ratio(word, other) for other in others), default=0.0)
        if best >= WORD_SCORE:
            covered += len(word) * best / 100
    return covered / total if total else 0.0


def _compare(query: str, name: str) -> tuple[float, float]:
    """The score (0-100) of `query` against `name`, both normalised, and how much of the
    query the name holds (0-1)."""
    query_words, name_words = query.split(), name.split()
    of_name = _coverage(name_words, query_words)
    of_query = _coverage(query_words, name_words)
    words = 200 * of_name * of_query / (of_name + of_query) if of_name + of_query else 0.0
    joined = fuzz.ratio("".join(query_words), "".join(name_words))
    return round(max(words, joined), 1), of_query


def score(query: str, name: str) -> float:
    """0-100: how surely `query` names the company called `name`."""
    return _compare(normalize_name(query), normalize_name(name))[0]


class Registry:
    """An immutable snapshot of the registry, ready for matching."""

    def __init__(self, agencies: Iterable[RegisteredAgency]):
        self.agencies = list(agencies)
        self._names = [normalize_name(agency.name) for agency in self.agencies]
        self._joined = [name.replace(" ", "") for name in self._names]
        self._by_licence = {
            normalize_licence(agency.licence_number): agency
            for agency in self.agencies
            if agency.licence_number and normalize_licence(agency.licence_number)
        }
        self.source_date = max((a.source_date for a in self.agencies), default=None)

    def __len__(self) -> int:
        return len(self.agencies)

    def _shortlist(self, query: str) -> set[int]:
        picked = process.extract(
            query, self._names, scorer=fuzz.WRatio, limit=SHORTLIST, score_cutoff=40
        )
        joined = process.extract(
            query.replace(" ", ""), self._joined, scorer=fuzz.ratio, limit=5, score_cutoff=50
        )
        return {index for _, _, index in picked} | {index for _, _, index in joined}

    def match(self, query: str) -> Match:
        """The company `query` names (a name or a licence number), candidates when unsure."""
        if _DIGIT.search(query):
            agency = self._by_licence.get(normalize_licence(query))
            if agency is not None:
                return Match(RESULT_OF_STATUS[agency.status], agency, 100.0)
        normalized = normalize_name(query)
        if not normalized or not self.agencies:
            return Match("not_found")
        scored = []
        for index in self._shortlist(normalized):
            value, of_query = _compare(normalized, self._names[index])
            if value >= CANDIDATE_SCORE:
                scored.append((Scored(self.agencies[index], value), of_query))
        if not scored:
            return Match("not_found")
        scored.sort(key=lambda item: (-item[0].score, item[0].agency.name))
        ranked = [item[0] for item in scored]
        best = ranked[0]
        # Others are as likely when they score close to the best, or when the query was only
        # part of a name ("karya mandiri") and is as wholly part of theirs.
        close = [
            candidate
            for candidate, of_query in scored[1:]
            if candidate.score >= best.score - CLOSE_MARGIN
            or (best.score < 100 and of_query >= WHOLE and scored[0][1] >= WHOLE)
        ]
        if best.score >= MATCH_SCORE and not close:
            return Match(RESULT_OF_STATUS[best.agency.status], best.agency, best.score)
        return Match("ambiguous", score=best.score, candidates=tuple(ranked[:MAX_CANDIDATES]))
