"""Loading and validating the curated content in content/ (topics, contacts, lexicon)."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from api.content_files import ContentError, FastSafeLoader, Problem

PAGE_LIMIT = 700
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
CONTACT_PLACEHOLDER = re.compile(r"contact:([a-z0-9_]+)")
# Buttons a topic's answer may carry besides the usual ones (content/topics/*.yaml `actions`).
ACTIONS = ("report_missing", "report_danger", "hotlines")


@dataclass(frozen=True)
class Contact:
    id: str
    name: dict[str, str]
    phone: tuple[str, ...] = ()
    whatsapp: tuple[str, ...] = ()
    website: str | None = None
    email: str | None = None
    note: dict[str, str] = field(default_factory=dict)
    source: str = ""
    checked: str = ""
    verified: bool = False


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
    line: int = 0


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    required: str | tuple[str, ...]
    line: int = 0


@dataclass
class Content:
    topics: dict[str, Topic]
    categories: list[Category]
    languages: list[Language]
    contacts: dict[str, Contact]
    lexicon: dict[str, str]
    stopwords: frozenset[str]
    small_talk: tuple[str, ...] = ()

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]


class _Mapping(dict):
    """A YAML mapping that remembers the line of each key."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(FastSafeLoader):
    duplicate_keys: list[tuple[Any, int]]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            loader.duplicate_keys.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Reader:
    """Reads YAML files and collects problems with file and line instead of raising."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.name(path), line, message))

    def read(self, path: Path) -> _Mapping | None:
        if not path.exists():
            self.problem(path, 0, "file is missing")
            return None
        text = path.read_text(encoding="utf-8")
        loader = _LineLoader(text)
        loader.duplicate_keys = []
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            reason = getattr(error, "problem", None) or str(error)
            self.problem(path, line, f"YAML error: {reason}")
            return None
        finally:
            loader.dispose()
        for key, line in loader.duplicate_keys:
            self.problem(path, line, f"duplicate key {key!r}")
        if not isinstance(data, _Mapping):
            self.problem(path, 1, "expected a mapping at the top of the file")
            return None
        return data


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if item is not None)
    return ()


def _read_languages(reader: _Reader, root: Path) -> list[Language]:
    path = root / "languages.yaml"
    data = reader.read(path)
    languages = []
    for entry in (data or {}).get("languages") or []:
        if not isinstance(entry, _Mapping) or not entry.get("code"):
            reader.problem(path, getattr(entry, "line", 0), "language needs a code")
            continue
        required = entry.get("required", "all")
        languages.append(
            Language(
                code=str(entry["code"]),
                name=str(entry.get("name", entry["code"])),
                required=required if required == "all" else _texts(required),
                line=entry.line_of("required"),
            )
        )
    return languages


def _read_contacts(reader: _Reader, root: Path) -> dict[str, Contact]:
    path = root / "contacts.yaml"
    data = reader.read(path)
    contacts: dict[str, Contact] = {}
    for entry in (data or {}).get("contacts") or []:
        if not isinstance(entry, _Mapping) or not entry.get("id"):
            reader.problem(path, getattr(entry, "line", 0), "contact needs an id")
            continue
        contact_id = str(entry["id"])
        if contact_id in contacts:
            reader.problem(path, entry.line, f"contact {contact_id!r} is listed twice")
        if not entry.get("source"):
            reader.problem(path, entry.line, f"contact {contact_id!r} has no source")
        if not entry.get("checked"):
            reader.problem(path, entry.line, f"contact {contact_id!r} has no 'checked' date")
        name = entry.get("name")
        if not isinstance(name, dict) or not name.get("id"):
            reader.problem(path, entry.line_of("name"), f"contact {contact_id!r} needs a name (id)")
            name = {"id": contact_id}
        if not any(entry.get(key) for key in ("phone", "whatsapp", "website", "email")):
            reader.problem(path, entry.line, f"contact {contact_id!r} has nothing to contact")
        contacts[contact_id] = Contact(
            id=contact_id,
            name={str(k): str(v) for k, v in name.items()},
            phone=_texts(entry.get("phone")),
            whatsapp=_texts(entry.get("whatsapp")),
            website=entry.get("website") or None,
            email=entry.get("email") or None,
            note={str(k): str(v) for k, v in (entry.get("note") or {}).items()},
            source=str(entry.get("source") or ""),
            checked=str(entry.get("checked") or ""),
            verified=entry.get("verified") is True,
        )
    return contacts


def _read_lexicon(reader: _Reader, root: Path) -> tuple[dict[str, str], frozenset[str]]:
    path = root / "lexicon.yaml"
    data = reader.read(path) or _Mapping()
    lexicon: dict[str, str] = {}
    stopwords: set[str] = set()
    for section, entries in data.items():
        if section == "stopwords":
            stopwords.update(word.lower() for word in _texts(entries))
            continue
        if not isinstance(entries, _Mapping):
            reader.problem(path, data.line_of(section), f"section {section!r} must be a mapping")
            continue
        for word, meaning in entries.items():
            key = str(word).lower()
            if not key or " " in key:
                reader.problem(
                    path, entries.line_of(word), f"lexicon key {word!r} must be one word"
                )
            elif key in lexicon:
                reader.problem(
                    path, entries.line_of(word), f"lexicon word {word!r} is listed twice"
                )
            elif not meaning:
                reader.problem(path, entries.line_of(word), f"lexicon word {word!r} has no meaning")
            else:
                lexicon[key] = str(meaning).lower()
    return lexicon, frozenset(stopwords)


def _read_categories(reader: _Reader, root: Path) -> list[Category]:
    path = root / "categories.yaml"
    data = reader.read(path)
    categories = []
    for entry in (data or {}).get("categories") or []:
        if not isinstance(entry, _Mapping) or not entry.get("id"):
            reader.problem(path, getattr(entry, "line", 0), "category needs an id")
            continue
        title = entry.get("title") or {}
        if not title.get("id"):
            reader.problem(path, entry.line_of("title"), f"category {entry['id']!r} needs a title")
        categories.append(
            Category(
                id=str(entry["id"]),
                title={str(k): str(v) for k, v in title.items()},
                reviewed={str(k): bool(v) for k, v in (entry.get("reviewed") or {}).items()},
                topics=_texts(entry.get("topics")),
                line=entry.line_of("topics"),
            )
        )
    return categories


def _read_small_talk(reader: _Reader, root: Path) -> tuple[str, ...]:
    path = root / "smalltalk.yaml"
    data = reader.read(path) or _Mapping()
    examples = data.get("examples")
    if not isinstance(examples, dict):
        reader.problem(path, data.line if data else 0, "expected 'examples' per language")
        return ()
    return tuple(text for texts in examples.values() for text in _texts(texts))


def _check_body(reader: _Reader, path: Path, line: int, page: str, contacts) -> None:
    for match in PLACEHOLDER.finditer(page):
        contact = CONTACT_PLACEHOLDER.fullmatch(match.group(1))
        if not contact:
            reader.problem(path, line, f"broken placeholder {match.group(0)!r}")
        elif contact.group(1) not in contacts:
            reader.problem(path, line, f"placeholder names unknown contact {contact.group(1)!r}")
        elif not contacts[contact.group(1)].verified:
            reader.problem(path, line, f"placeholder names unverified contact {contact.group(1)!r}")
    if PLACEHOLDER.sub("", page).count("{") or PLACEHOLDER.sub("", page).count("}"):
        reader.problem(path, line, "broken placeholder: unmatched brace")
    if len(page) > PAGE_LIMIT:
        reader.problem(path, line, f"page has {len(page)} characters; at most {PAGE_LIMIT} fit")


def _read_topic(reader: _Reader, path: Path, languages, contacts) -> Topic | None:
    data = reader.read(path)
    if data is None:
        return None
    slug = str(data.get("slug") or "")
    if slug != path.stem:
        reader.problem(path, data.line_of("slug"), f"slug {slug!r} does not match the file name")
        slug = path.stem
    texts: dict[str, TopicText] = {}
    translations = data.get("translations")
    if not isinstance(translations, _Mapping):
        reader.problem(path, data.line, "topic has no translations")
        translations = _Mapping()
        translations.line, translations.key_lines = data.line, {}
    codes = {language.code for language in languages}
    for lang, entry in translations.items():
        line = translations.line_of(lang)
        if lang not in codes:
            reader.problem(path, line, f"unknown language {lang!r}")
            continue
        if not isinstance(entry, _Mapping):
            reader.problem(path, line, f"translation {lang!r} must be a mapping")
            continue
        for key in ("title", "body", "examples"):
            if not entry.get(key):
                reader.problem(path, line, f"translation {lang!r} has no {key}")
        pages = _texts(entry.get("body"))
        for page in pages:
            _check_body(reader, path, entry.line_of("body"), page, contacts)
        texts[lang] = TopicText(
            lang=lang,
            title=str(entry.get("title") or slug),
            pages=tuple(page.strip() for page in pages),
            examples=_texts(entry.get("examples")),
            reviewed=entry.get("reviewed") is True,
        )
    for language in languages:
        needed = language.required == "all" or slug in language.required
        if needed and language.code not in texts:
            reader.problem(path, translations.line, f"missing language {language.code!r}")
    if not data.get("sources"):
        reader.problem(path, data.line, "topic lists no sources")
    keywords = data.get("keywords") or {}
    actions = _texts(data.get("actions"))
    for action in actions:
        if action not in ACTIONS:
            reader.problem(path, data.line_of("actions"), f"unknown action {action!r}")
    return Topic(
        slug=slug,
        category=str(data.get("category") or ""),
        keywords={str(k): _texts(v) for k, v in keywords.items()},
        texts=texts,
        sources=tuple(dict(source) for source in data.get("sources") or []),
        actions=tuple(action for action in actions if action in ACTIONS),
    )


def _check_catalogue(reader: _Reader, root: Path, content: Content) -> None:
    path = root / "categories.yaml"
    listed = set()
    for category in content.categories:
        for slug in category.topics:
            listed.add(slug)
            if slug not in content.topics:
                reader.problem(
                    path, category.line, f"unknown slug {slug!r} in category {category.id!r}"
                )
    for slug, topic in content.topics.items():
        if slug not in listed:
            reader.problem(root / "topics" / f"{slug}.yaml", 1, "topic is in no category")
        if topic.category not in {category.id for category in content.categories}:
            reader.problem(
                root / "topics" / f"{slug}.yaml", 1, f"unknown category {topic.category!r}"
            )
    for language in content.languages:
        if language.required != "all":
            for slug in language.required:
                if slug not in content.topics:
                    reader.problem(root / "languages.yaml", language.line, f"unknown slug {slug!r}")


def read_content(root: Path) -> tuple[Content, list[Problem]]:
    """Read everything under root; return the content and every problem found."""
    reader = _Reader(root)
    languages = _read_languages(reader, root)
    contacts = _read_contacts(reader, root)
    lexicon, stopwords = _read_lexicon(reader, root)
    categories = _read_categories(reader, root)
    topics = {}
    for path in sorted((root / "topics").glob("*.yaml")):
        topic = _read_topic(reader, path, languages, contacts)
        if topic is not None:
            topics[topic.slug] = topic
    small_talk = _read_small_talk(reader, root)
    content = Content(topics, categories, languages, contacts, lexicon, stopwords, small_talk)
    _check_catalogue(reader, root, content)
    return content, reader.problems


def load_content(root: Path) -> Content:
    """Read the content, refusing it when it has any problem."""
    content, problems = read_content(root)
    if problems:
        raise ContentError(problems)
    return content
