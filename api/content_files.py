"""Content files (YAML in content/) read into typed pydantic models, every problem with its
file and line.

A file is composed once into YAML nodes, so that a problem found by a model (a pydantic error
location) or by a check on the validated model (a location built the same way) is reported
at the line of the node it names. Only `true` and `false` are booleans, so that words like
"no" and "on" stay words.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

Location = tuple[int | str, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """The content has problems; the helpline refuses to start with it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Strict(BaseModel):
    """A part of a content file: unknown keys are errors; numbers are accepted as texts."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


# libyaml's parser when installed (several times faster), pure Python otherwise.
try:
    from yaml import CSafeLoader as FastSafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as FastSafeLoader  # type: ignore[assignment]


class WordsLoader(FastSafeLoader):
    """Only true/false are booleans, so that phrases like "no" and "on" stay words."""


_BOOL = "tag:yaml.org,2002:bool"
WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WordsLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), None
)


def where(location: Location) -> str:
    """A location as people read it: `flags.upfront_fee.phrases.2`."""
    return ".".join(str(part) for part in location)


class Document:
    """One YAML file: its data, its nodes (for lines) and the problems found in it."""

    def __init__(self, path: Path, name: str):
        self.path = path
        self.name = name
        self.problems: list[Problem] = []
        self.root: yaml.Node | None = None
        self.data: Any = None
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem_at(0, "file is missing")
            return
        except OSError as error:
            self.problem_at(0, f"cannot read the file: {error.strerror}")
            return
        loader = WordsLoader(text)
        try:
            self.root = loader.get_single_node()
            if self.root is None:
                self.problem_at(0, "the file is empty")
                return
            self.data = loader.construct_document(self.root)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            reason = getattr(error, "problem", None) or str(error)
            self.root = None
            self.problem_at(mark.line + 1 if mark else 0, f"not valid YAML: {reason}")
            return
        finally:
            loader.dispose()
        self._duplicate_keys(self.root)

    def problem_at(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def problem(self, location: Location, message: str, first: Location | None = None) -> None:
        """A problem at the node a location names; `first`: where the first of a duplicate is."""
        if first is not None:
            message += f" (also at line {self.line(first)})"
        text = f"{where(location)}: {message}" if location else message
        self.problem_at(self.line(location), text)

    def line(self, location: Location) -> int:
        """The line of the node at a location (of its key, in a mapping); of the deepest node
        found when it is missing."""
        node = self.root
        if node is None:
            return 0
        line = node.start_mark.line + 1
        for part in location:
            if part == "[key]":
                break
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if found is None:
                    break
                key_node, node = found
                line = key_node.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def validate(self, model: type[M], context: dict[str, Any] | None = None) -> M | None:
        """The file's data as a model, or None with every error recorded with its line."""
        if self.root is None:
            return None
        try:
            return model.model_validate(self.data, context=context)
        except ValidationError as error:
            self._errors(error, ())
            return None

    def validate_each(
        self, key: str, model: type[M], context: dict[str, Any] | None = None
    ) -> list[tuple[int, M]]:
        """The items of the list at the file's `key` (its only key), each validated alone so
        that a bad item hides no other, with their indexes."""
        if self.root is None:
            return []
        if not isinstance(self.data, dict) or not isinstance(self.data.get(key), list):
            self.problem((), f"expected a list {key!r} at the top of the file")
            return []
        for other in self.data:
            if other != key:
                self.problem_at(self.line((other,)), f"unknown key {other!r}")
        valid = []
        for index, item in enumerate(self.data[key]):
            try:
                valid.append((index, model.model_validate(item, context=context)))
            except ValidationError as error:
                self._errors(error, (key, index))
        return valid

    def _errors(self, error: ValidationError, prefix: Location) -> None:
        for item in error.errors():
            self._pydantic_problem((*prefix, *item["loc"]), item["type"], item["msg"])

    def _pydantic_problem(self, location: Location, kind: str, message: str) -> None:
        if kind == "extra_forbidden":
            text = f"unknown key {location[-1]!r}"
            parent = where(location[:-1])
            self.problem_at(self.line(location), f"{parent}: {text}" if parent else text)
        elif kind == "missing":
            self.problem(location[:-1], f"missing {location[-1]!r}")
        else:
            message = message.removeprefix("Value error, ")
            shown = tuple(part for part in location if part != "[key]")
            self.problem_at(self.line(location), f"{where(shown)}: {message}" if shown else message)

    def _duplicate_keys(self, root: yaml.Node) -> None:
        for node in _nodes(root):
            if isinstance(node, yaml.MappingNode):
                first: dict[str, int] = {}
                for key, _ in node.value:
                    line = key.start_mark.line + 1
                    if key.value in first:
                        self.problem_at(
                            line, f"duplicate key {key.value!r} (first at line {first[key.value]})"
                        )
                    first.setdefault(key.value, line)


def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.file, problem.line))
