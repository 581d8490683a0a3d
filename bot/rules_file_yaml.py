"""Reading a YAML node tree strictly, collecting every problem with its FILE:LINE:COL.

The rules file is read from PyYAML's composed node tree (SafeLoader: no tags run code),
not from constructed Python data, so every value keeps its position and its text as
written: `countries: [NO]` is Norway, not `False`, and a key given twice is an error
instead of silently replacing the first.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from bot.core.errors import Problem
from bot.yaml_marks import did_you_mean

__all__ = ["Entry", "NodeReader", "did_you_mean", "entries_by_key", "node_kind"]

_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"


def node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    return f"'{node.value}'"


@dataclass(frozen=True, slots=True)
class Entry:
    """One `key: value` of a mapping, with both nodes."""

    key: str
    key_node: yaml.Node
    value: yaml.Node


class NodeReader:
    """Helpers reading values from nodes; every problem goes to `problems`, never raised."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def problem(self, node: yaml.Node, message: str, offset: int = 0) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1 + offset, message))

    def mapping(
        self, node: yaml.Node, what: str, allowed: Collection[str], *, hint: str = ""
    ) -> list[Entry] | None:
        """Entries of a mapping node; unknown and repeated keys are reported and dropped."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping{hint}, got {node_kind(node)}")
            return None
        if any(k.tag == _MERGE for k, _ in node.value):
            try:
                self._constructor.flatten_mapping(node)
            except ConstructorError as exc:
                self.problem(node, f"invalid merge ('<<'): {exc.problem}")
                return None
        entries: list[Entry] = []
        seen: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"keys in {what} must be plain words")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.problem(key_node, f"duplicate key '{key}' (first given on line {first})")
                continue
            seen[key] = key_node
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                suggestion = did_you_mean(key, allowed) or f" (expected one of: {known})"
                self.problem(key_node, f"unknown key '{key}' in {what}{suggestion}")
                continue
            entries.append(Entry(key, key_node, value))
        return entries

    def text(self, node: yaml.Node, what: str) -> str | None:
        """A scalar as written (never converted: `NO`, `1.0` and `yes` stay text)."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
            self.problem(node, f"{what} must be text, got {node_kind(node)}")
            return None
        value = str(node.value).strip()
        if not value:
            self.problem(node, f"{what} is empty")
            return None
        return value

    def texts(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]] | None:
        """A list of texts (a single text counts as a list of one); never empty."""
        items = self.items(node, what)
        if items is None:
            return None
        result = []
        for item in items:
            value = self.text(item, f"an item of {what}")
            if value is not None:
                result.append((value, item))
        return result if len(result) == len(items) else None

    def items(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        """The nodes of a non-empty list; a lone scalar counts as a list of one."""
        if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
            return [node]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list, got {node_kind(node)}")
            return None
        if not node.value:
            self.problem(node, f"{what} is empty")
            return None
        return list(node.value)

    def integer(self, node: yaml.Node, what: str, minimum: int) -> int | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            self.problem(node, f"{what} must be a whole number, got {node_kind(node)}")
            return None
        value = self._constructor.construct_yaml_int(node)
        if not isinstance(value, int):
            return None
        if value < minimum:
            self.problem(node, f"{what} must be {minimum} or more, got {value}")
            return None
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
            self.problem(node, f"{what} must be true or false, got {node_kind(node)}")
            return None
        return bool(self._constructor.construct_yaml_bool(node))


def entries_by_key(entries: list[Entry]) -> dict[str, Entry]:
    return {e.key: e for e in entries}
