"""Danger words (content/danger.yaml): phrases that make a message or report urgent.

Text and phrases are normalised like job offers (case, accents, repeated letters, digits for
letters, spaced letters), and every phrase is matched as whole words in one pass of an
Aho-Corasick automaton."""

from pathlib import Path
from typing import Annotated

import ahocorasick
from pydantic import Field

from api.content_files import ContentError, Document, Strict
from api.languages import Text
from api.offers.normalize import Normalizer

DANGER_FILE = "danger.yaml"


class DangerFile(Strict):
    reviewed: dict[str, bool] = {}  # language -> checked by a native speaker
    # language -> phrases
    phrases: dict[str, Annotated[tuple[Text, ...], Field(min_length=1)]] = Field(min_length=1)


class DangerWords:
    def __init__(self, phrases: dict[str, list[str]]):
        self._normalizer = Normalizer()
        self._automaton = ahocorasick.Automaton()
        for lang_phrases in phrases.values():
            for phrase in lang_phrases:
                key = f" {self._normalizer.phrase(phrase)} "
                if key.strip() and key not in self._automaton:
                    self._automaton.add_word(key, phrase)
        if len(self._automaton) == 0:
            raise ValueError("no danger phrase")
        self._automaton.make_automaton()

    @classmethod
    def load(cls, content_dir: Path) -> "DangerWords":
        document = Document(content_dir / DANGER_FILE, DANGER_FILE)
        data = document.validate(DangerFile)
        if data is None:
            raise ContentError(document.problems)
        return cls({lang: list(phrases) for lang, phrases in data.phrases.items()})

    def find(self, text: str) -> list[str]:
        """The danger phrases in `text`, each once, in the order they end in it."""
        found: dict[str, None] = {}
        for _end, phrase in self._automaton.iter(self._normalizer.normalize(text).text):
            found[phrase] = None
        return list(found)
