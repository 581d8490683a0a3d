"""YAML with positions: load a file into plain data and remember where each value was.

Config and rules files are edited by hand; every error must point at `FILE:LINE:COL`.
`load_marked` composes the YAML node tree (PyYAML's SafeLoader, so no tags run code),
builds plain Python data from it, and returns a `Marks` index from a path of keys and
list indexes (`("feeds", 0, "interval")`) to the 1-based line and column of that value
(or of the key, for keys).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from bot.core.errors import Problem

PathKey = tuple[str | int, ...]


@dataclass(slots=True)
class Marks:
    """Positions of values (`values`) and of mapping keys (`keys`) by path."""

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def problem(self, path: Sequence[str | int], message: str, *, at_key: bool = False) -> Problem:
        """A Problem at the value (or key) of `path`, or its nearest known ancestor."""
        index = self.keys if at_key else self.values
        key: PathKey = tuple(path)
        while key:
            if key in index:
                line, col = index[key]
                return Problem(self.file, line, col, message)
            if key in self.values:
                line, col = self.values[key]
                return Problem(self.file, line, col, message)
            key = key[:-1]
        if () in self.values:
            line, col = self.values[()]
            return Problem(self.file, line, col, message)
        return Problem(self.file, None, None, message)


def _build(node: yaml.Node, path: PathKey, marks: Marks, loader: SafeConstructor) -> Any:
    marks.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int):
                key = str(key)
            child = (*path, key)
            marks.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, child, marks, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), marks, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def compose(text: str, file: str) -> yaml.Node | None:
    """The YAML node tree of `text` (SafeLoader: no tags run code), None when empty.

    A syntax error raises `YamlSyntaxError` whose Problem names the line and column.
    """
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context or 'cannot parse'}"
        if exc.context and exc.problem:
            message += f" ({exc.context})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise YamlSyntaxError(Problem(file, line, column, message)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(file, None, None, f"YAML error: {exc}")) from None


def did_you_mean(word: str, options: Collection[str]) -> str:
    """` (did you mean 'x'?)` for the closest option, or an empty string."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_marked(text: str, file: str) -> tuple[Any, Marks]:
    """Parse YAML text into plain data and the positions of its values; raises
    `YamlSyntaxError` on a syntax error."""
    marks = Marks(file)
    node = compose(text, file)
    if node is None:
        return None, marks
    return _build(node, (), marks, SafeConstructor()), marks


def load_marked(path: Path) -> tuple[Any, Marks]:
    """Read and parse a YAML file; raises YamlSyntaxError (with a Problem) or OSError."""
    return parse_marked(path.read_text(encoding="utf-8"), str(path))


class YamlSyntaxError(Exception):
    """A YAML file that does not parse; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
