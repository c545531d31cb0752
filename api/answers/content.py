"""The curated content in content/ (topics, categories, contacts, lexicon, small talk),
read into typed models and checked: every problem is reported with its file and line."""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from api import languages
from api.content_files import ContentError, Document, Location, Problem, Strict
from api.languages import Language, LanguagesFile, Notes, Text, Translations, known_languages

PAGE_LIMIT = 700
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
CONTACT_PLACEHOLDER = re.compile(r"contact:([a-z0-9_]+)")
# Buttons a topic's answer may carry besides the usual ones (content/topics/*.yaml `actions`).
Action = Literal["report_missing", "report_danger", "hotlines"]


def _listed(value: Any) -> Any:
    """One text may be written without brackets: `phone: "110"`."""
    return [value] if isinstance(value, str | int | float) else value


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


Texts = Annotated[tuple[Text, ...], BeforeValidator(_listed)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
TopicSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(?:\.[a-z0-9_]+)?$")]
DateText = Annotated[str | None, BeforeValidator(_iso)]


class Contact(Strict):
    id: Slug
    name: Translations
    phone: Texts = ()
    whatsapp: Texts = ()
    website: Text | None = None
    email: Text | None = None
    note: Notes = {}
    source: Annotated[str, StringConstraints(pattern=r"^https?://")]
    source_date: DateText = None  # the date the source shows
    checked: Annotated[str, BeforeValidator(_iso), StringConstraints(min_length=1)]
    verified: bool = False  # false: never shown to users

    @model_validator(mode="after")
    def _reachable(self) -> "Contact":
        if not (self.phone or self.whatsapp or self.website or self.email):
            raise ValueError(f"contact {self.id!r} has nothing to contact")
        return self


class CategoryEntry(Strict):
    id: Slug
    title: Translations
    reviewed: Annotated[dict[str, bool], AfterValidator(known_languages)] = {}
    topics: tuple[TopicSlug, ...]


LexiconWord = Annotated[str, StringConstraints(pattern=r"^\S+$", to_lower=True)]


class SmallTalkFile(Strict):
    # language -> messages that no topic answers
    examples: Annotated[dict[str, Texts], AfterValidator(known_languages)]
    # words people call the helper by that a topic also knows in another sense
    address_words: tuple[LexiconWord, ...] = ()


class LexiconFile(Strict):
    """Sections per language (word -> its meaning in Indonesian) and the stop words."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, dict[LexiconWord, Annotated[Text, BeforeValidator(_lower)]]]
    stopwords: tuple[Text, ...] = ()


class TranslationEntry(Strict):
    reviewed: bool = False  # checked by a native speaker
    title: Text
    body: Annotated[Texts, Field(min_length=1)]  # pages: each fits a phone screen
    examples: Annotated[Texts, Field(min_length=1)]  # questions this topic answers


class TopicFile(Strict):
    slug: TopicSlug
    category: Slug
    sources: tuple[dict[str, Text], ...] = Field(min_length=1)
    keywords: Annotated[dict[str, Texts], AfterValidator(known_languages)] = {}
    translations: dict[str, TranslationEntry]
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class TopicText:
    lang: str
    title: str
    pages: tuple[str, ...]
    examples: tuple[str, ...]
    reviewed: bool

    @cached_property
    def sha256(self) -> str:
        """The hash of what a reader sees (title and pages): a review holds while it matches."""
        shown = json.dumps([self.title, *self.pages], ensure_ascii=False)
        return hashlib.sha256(shown.encode()).hexdigest()


@dataclass(frozen=True)
class Topic:
    slug: str
    category: str
    keywords: dict[str, tuple[str, ...]]
    texts: dict[str, TopicText]
    sources: tuple[dict[str, str], ...]
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    title: dict[str, str]
    reviewed: dict[str, bool]
    topics: tuple[str, ...]
    line: int = 0  # of its topics in categories.yaml


@dataclass
class Content:
    topics: dict[str, Topic]
    categories: list[Category]
    languages: list[Language]
    contacts: dict[str, Contact]
    lexicon: dict[str, str]
    stopwords: frozenset[str]
    small_talk: tuple[str, ...] = ()
    address_words: frozenset[str] = frozenset()

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]


class _Reader:
    """Reads the files of a content folder as documents, named relative to its parent."""

    def __init__(self, root: Path):
        self.root = root
        self.documents: list[Document] = []

    def document(self, path: Path) -> Document:
        try:
            name = str(path.relative_to(self.root.parent))
        except ValueError:
            name = str(path)
        document = Document(path, name)
        self.documents.append(document)
        return document

    @property
    def problems(self) -> list[Problem]:
        return [problem for document in self.documents for problem in document.problems]


def _read_contacts(reader: _Reader, context: dict) -> tuple[dict[str, Contact], set[str]]:
    """The valid contacts, and the ids of those with problems (named in no other problem)."""
    document = reader.document(reader.root / "contacts.yaml")
    contacts: dict[str, Contact] = {}
    for index, contact in document.validate_each("contacts", Contact, context):
        if contact.id in contacts:
            document.problem(("contacts", index, "id"), f"contact {contact.id!r} is listed twice")
        contacts[contact.id] = contact
    entries = document.data.get("contacts") if isinstance(document.data, dict) else None
    listed = {str(entry.get("id")) for entry in entries or () if isinstance(entry, dict)}
    return contacts, listed - set(contacts)


def _read_lexicon(reader: _Reader) -> tuple[dict[str, str], frozenset[str]]:
    document = reader.document(reader.root / "lexicon.yaml")
    data = document.validate(LexiconFile)
    lexicon: dict[str, str] = {}
    first: dict[str, Location] = {}
    for section, words in (data.model_extra or {}).items() if data else ():
        for word, meaning in words.items():
            if word in lexicon:
                document.problem((section, word), f"{word!r} is listed twice", first[word])
            lexicon.setdefault(word, meaning)
            first.setdefault(word, (section, word))
    stopwords = frozenset(word.lower() for word in data.stopwords) if data else frozenset()
    return lexicon, stopwords


def _read_topic(
    reader: _Reader,
    path: Path,
    known: LanguagesFile | None,
    contacts: dict[str, Contact],
    broken: set[str],
) -> Topic | None:
    document = reader.document(path)
    data = document.validate(TopicFile, known.context() if known else None)
    if data is None:
        return None
    if data.slug != path.stem:
        document.problem(("slug",), f"{data.slug!r} does not match the file name")
    codes = known.codes if known else tuple(data.translations)
    texts: dict[str, TopicText] = {}
    for lang, entry in data.translations.items():
        if lang not in codes:
            document.problem(("translations", lang), f"unknown language {lang!r}")
            continue
        for number, page in enumerate(entry.body):
            for message in _page_problems(page, contacts, broken):
                document.problem(("translations", lang, "body", number), message)
        texts[lang] = TopicText(lang, entry.title, entry.body, entry.examples, entry.reviewed)
    for language in known.languages if known else ():
        needed = language.required == "all" or path.stem in language.required
        if needed and language.code not in texts:
            document.problem(("translations",), f"missing language {language.code!r}")
    return Topic(
        slug=path.stem,
        category=data.category,
        keywords=data.keywords,
        texts=texts,
        sources=data.sources,
        actions=data.actions,
    )


def _page_problems(page: str, contacts: dict[str, Contact], broken: set[str]) -> list[str]:
    problems = []
    for match in PLACEHOLDER.finditer(page):
        contact = CONTACT_PLACEHOLDER.fullmatch(match.group(1))
        if not contact:
            problems.append(f"broken placeholder {match.group(0)!r}")
        elif contact.group(1) in broken:
            continue
        elif contact.group(1) not in contacts:
            problems.append(f"placeholder names unknown contact {contact.group(1)!r}")
        elif not contacts[contact.group(1)].verified:
            problems.append(f"placeholder names unverified contact {contact.group(1)!r}")
    if "{" in PLACEHOLDER.sub("", page) or "}" in PLACEHOLDER.sub("", page):
        problems.append("broken placeholder: unmatched brace")
    if len(page) > PAGE_LIMIT:
        problems.append(f"page has {len(page)} characters; at most {PAGE_LIMIT} fit")
    return problems


def _check_catalogue(
    reader: _Reader,
    categories: list[tuple[int, CategoryEntry]],
    known: LanguagesFile | None,
    topics: dict[str, Topic],
) -> None:
    """Every topic is in a known category and every slug named is a topic."""
    document = next(d for d in reader.documents if d.path.name == "categories.yaml")
    listed = set()
    for index, category in categories:
        for number, slug in enumerate(category.topics):
            listed.add(slug)
            if slug not in topics:
                where = ("categories", index, "topics", number)
                document.problem(where, f"unknown slug {slug!r} in category {category.id!r}")
    ids = {category.id for _, category in categories}
    for slug, topic in topics.items():
        topic_document = next(d for d in reader.documents if d.path.stem == slug)
        if slug not in listed:
            topic_document.problem((), "topic is in no category")
        if topic.category not in ids:
            topic_document.problem(("category",), f"unknown category {topic.category!r}")
    languages_document = next(d for d in reader.documents if d.path.name == "languages.yaml")
    for index, language in enumerate(known.languages if known else ()):
        for number, slug in enumerate(() if language.required == "all" else language.required):
            if slug not in topics:
                where = ("languages", index, "required", number)
                languages_document.problem(where, f"unknown slug {slug!r}")


def read_content(root: Path) -> tuple[Content, list[Problem]]:
    """Read everything under root; return the content and every problem found."""
    reader = _Reader(root)
    languages_document = reader.document(root / languages.LANGUAGES_FILE)
    known = languages_document.validate(LanguagesFile)
    context = known.context() if known else {}
    contacts, broken = _read_contacts(reader, context)
    lexicon, stopwords = _read_lexicon(reader)
    categories_document = reader.document(root / "categories.yaml")
    categories = categories_document.validate_each("categories", CategoryEntry, context)
    topics = {}
    for path in sorted((root / "topics").glob("*.yaml")):
        topic = _read_topic(reader, path, known, contacts, broken)
        if topic is not None:
            topics[topic.slug] = topic
    small_talk = reader.document(root / "smalltalk.yaml").validate(SmallTalkFile, context)
    examples = small_talk.examples.values() if small_talk else ()
    _check_catalogue(reader, categories, known, topics)
    content = Content(
        topics=topics,
        categories=[
            Category(
                id=entry.id,
                title=entry.title,
                reviewed=entry.reviewed,
                topics=entry.topics,
                line=categories_document.line(("categories", index, "topics")),
            )
            for index, entry in categories
        ],
        languages=list(known.languages) if known else [],
        contacts=contacts,
        lexicon=lexicon,
        stopwords=stopwords,
        small_talk=tuple(text for texts in examples for text in texts),
        address_words=frozenset(small_talk.address_words if small_talk else ()),
    )
    return content, reader.problems


def load_content(root: Path) -> Content:
    """Read the content, refusing it when it has any problem."""
    content, problems = read_content(root)
    if problems:
        raise ContentError(problems)
    return content
