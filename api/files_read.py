"""What the app reads from files when it starts (content/ and locales/), read once per process
for the same files.

Reading, validating and indexing the content and compiling the catalogs cost about 0.6 s of
CPU at every start, the better part of starting an app. An app started again in the same
process on files whose bytes are unchanged (hashed, a few milliseconds) shares what the first
one read: the tests start an app for nearly every test, and `helpline chat` after `helpline
demo` starts a second. All of it is read-only once built; files that changed are read again."""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from api.answers.content import Content, load_content
from api.answers.matching import MessageReader
from api.answers.retrieval import TopicIndex
from api.cases import districts
from api.cases.danger import DangerWords
from api.forms import declarations as forms
from api.i18n import Catalogs
from api.offers import rules as offer_rules
from api.settings import Settings


@dataclass(frozen=True)
class FilesRead:
    content: Content
    topic_index: TopicIndex
    message_reader: MessageReader
    offer_rules: offer_rules.OfferRules
    catalogs: Catalogs
    districts: districts.Districts
    forms: forms.Forms
    danger_words: DangerWords


def read(settings: Settings) -> FilesRead:
    """What `settings`' content and locales folders hold, read (or as read before)."""
    return _read(
        settings.content_dir,
        settings.locales_dir,
        settings.default_language,
        _digest(settings.content_dir, settings.locales_dir),
    )


def _digest(*folders: Path) -> str:
    """A hash of every file's path and bytes in `folders`."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _read(content_dir: Path, locales_dir: Path, default_language: str, digest: str) -> FilesRead:
    content = load_content(content_dir)
    topic_index = TopicIndex(content)
    return FilesRead(
        content=content,
        topic_index=topic_index,
        message_reader=MessageReader(topic_index, content, content_dir),
        offer_rules=offer_rules.load(content_dir),
        catalogs=Catalogs(locales_dir, default_language),
        districts=districts.load(content_dir),
        forms=forms.load(content_dir),
        danger_words=DangerWords.load(content_dir),
    )
