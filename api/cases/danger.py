"""Danger words (content/danger.yaml): phrases that make a message or report urgent.

Text and phrases are normalised like job offers (case, accents, repeated letters, digits for
letters, spaced letters), and every phrase is matched as whole words in one pass of an
Aho-Corasick automaton."""

from pathlib import Path

import ahocorasick
import yaml

from api.answers.content import ContentError, Problem
from api.offers.normalize import Normalizer

DANGER_FILE = "danger.yaml"


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
        path = content_dir / DANGER_FILE
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ContentError([Problem(DANGER_FILE, 0, f"cannot read: {error}")]) from error
        phrases = data.get("phrases") if isinstance(data, dict) else None
        if not isinstance(phrases, dict) or not all(
            isinstance(items, list)
            and items
            and all(isinstance(p, str) and p.strip() for p in items)
            for items in phrases.values()
        ):
            raise ContentError(
                [Problem(DANGER_FILE, 0, "`phrases` must map languages to lists of phrases")]
            )
        return cls(phrases)

    def find(self, text: str) -> list[str]:
        """The danger phrases in `text`, each once, in the order they end in it."""
        found: dict[str, None] = {}
        for _end, phrase in self._automaton.iter(self._normalizer.normalize(text).text):
            found[phrase] = None
        return list(found)
