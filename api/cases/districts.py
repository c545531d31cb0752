"""The districts of NTT (content/districts.yaml): the slugs reports use, the names people see."""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints

from api.content_files import ContentError, Document, Strict
from api.languages import Text

DISTRICTS_FILE = "districts.yaml"


@dataclass(frozen=True)
class Districts:
    names: dict[str, str]  # slug -> name, in the order of the file

    def __contains__(self, slug: object) -> bool:
        return slug in self.names

    def name(self, slug: str) -> str:
        return self.names.get(slug, slug)


class District(Strict):
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$")]
    name: Text


def load(content_dir: Path) -> Districts:
    """Read and check the districts; ContentError lists every problem with its line."""
    document = Document(content_dir / DISTRICTS_FILE, DISTRICTS_FILE)
    names: dict[str, str] = {}
    for index, district in document.validate_each("districts", District):
        if district.slug in names:
            document.problem(("districts", index, "slug"), f"duplicate district {district.slug!r}")
        names.setdefault(district.slug, district.name)
    if document.root is not None and not names and not document.problems:
        document.problem(("districts",), "needs at least one district")
    if document.problems:
        raise ContentError(document.problems)
    return Districts(names)
