"""The districts of NTT (content/districts.yaml): the slugs reports use, the names people see."""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from api.answers.content import ContentError, Problem

DISTRICTS_FILE = "districts.yaml"
_SLUG = re.compile(r"[a-z][a-z_]*")


@dataclass(frozen=True)
class Districts:
    names: dict[str, str]  # slug -> name, in the order of the file

    def __contains__(self, slug: object) -> bool:
        return slug in self.names

    def name(self, slug: str) -> str:
        return self.names.get(slug, slug)


def load(content_dir: Path) -> Districts:
    """Read and check the districts; ContentError lists every problem with its line."""
    path = content_dir / DISTRICTS_FILE
    problems: list[Problem] = []
    names: dict[str, str] = {}

    def problem(node: yaml.Node | None, message: str) -> None:
        problems.append(Problem(DISTRICTS_FILE, node.start_mark.line + 1 if node else 0, message))

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError([Problem(DISTRICTS_FILE, 0, f"cannot read: {error}")]) from error
    entries = _value(root, "districts")
    if not isinstance(entries, yaml.SequenceNode) or not entries.value:
        problem(root, "needs a non-empty list `districts`")
        raise ContentError(problems)
    for entry in entries.value:
        slug = _value(entry, "slug")
        name = _value(entry, "name")
        if not isinstance(slug, yaml.ScalarNode) or not _SLUG.fullmatch(str(slug.value)):
            problem(entry, "each district needs a `slug` of lower-case letters and _")
        elif not isinstance(name, yaml.ScalarNode) or not str(name.value).strip():
            problem(entry, f"district {slug.value!r} needs a `name`")
        elif slug.value in names:
            problem(slug, f"duplicate district {slug.value!r}")
        else:
            names[slug.value] = str(name.value)
    if problems:
        raise ContentError(problems)
    return Districts(names)


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if name.value == key), None)
