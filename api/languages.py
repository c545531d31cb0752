"""The languages the helpline speaks (content/languages.yaml), and texts given per language.

Every other content file that has texts per language (offer rules, contacts, categories)
takes its languages from here: a text in an unlisted language is an error, and a language
with `required: all` must have a text.
"""

from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, model_validator

from api.content_files import Document, Strict

LANGUAGES_FILE = "languages.yaml"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
V = TypeVar("V")


class Language(Strict):
    code: Code
    name: Text
    # "all": every topic and text; otherwise the topics (slugs) that must exist in it
    required: Literal["all"] | tuple[Text, ...] = "all"


class LanguagesFile(Strict):
    languages: tuple[Language, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "LanguagesFile":
        codes = [language.code for language in self.languages]
        if len(set(codes)) != len(codes):
            raise ValueError("a language is listed twice")
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)

    @property
    def required(self) -> tuple[str, ...]:
        """The languages every text must have."""
        return tuple(lang.code for lang in self.languages if lang.required == "all")

    def context(self) -> dict[str, tuple[str, ...]]:
        """What models with `Translations` need: pass as `context` when validating."""
        return {"languages": self.codes, "required_languages": self.required}


def known_languages(value: dict[str, V], info: ValidationInfo) -> dict[str, V]:
    """Check that the keys of a mapping are languages (of the validation context)."""
    unknown = sorted(set(value) - set((info.context or {}).get("languages", value)))
    if unknown:
        raise ValueError(f"unknown language {', '.join(map(repr, unknown))}")
    return value


def _translations(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    context = info.context or {}
    known_languages(value, info)
    missing = [lang for lang in context.get("required_languages", ()) if lang not in value]
    if missing:
        raise ValueError(f"has no {', '.join(map(repr, missing))} text")
    return value


# language code -> text; languages from the validation context (LanguagesFile.context)
Translations = Annotated[dict[str, Text], AfterValidator(_translations)]
Notes = Annotated[dict[str, Text], AfterValidator(known_languages)]  # texts some languages have


def read(content_dir: Path, name: str = LANGUAGES_FILE) -> tuple[Document, LanguagesFile | None]:
    """The languages file as a document (its problems) and its model when valid."""
    document = Document(content_dir / LANGUAGES_FILE, name)
    return document, document.validate(LanguagesFile)
