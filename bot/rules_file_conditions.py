"""The conditions of the rules file (`when:` and `unless:`) -> core conditions.

`ConditionReader` reads a condition mapping: the combinators `all`, `any` and `none`,
and the leaves (countries, people, fatalities, keywords, headline, regex, sources).
Every problem is collected with its FILE:LINE:COL, never raised; `bot.rules_file`
reads the rest of the file (rules, defaults, channels, throttle) on top of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from bot.core.rules import (
    AllOf,
    AnyOf,
    Condition,
    Countries,
    FatalityCount,
    Keywords,
    NoneOf,
    People,
    PersonName,
    Regex,
    Sources,
)
from bot.rules_file_yaml import Entry, NodeReader, entries_by_key

__all__ = ["ConditionReader", "CountryLookup"]

_COMBINATORS = ("all", "any", "none")
_LEAVES = ("countries", "people", "fatalities", "keywords", "headline", "regex", "sources")
_CONDITION_KEYS = _COMBINATORS + _LEAVES


@dataclass(frozen=True, slots=True)
class CountryLookup:
    """The gazetteer's answers the rules need (names, codes, demonyms -> ISO code)."""

    resolve: Callable[[str], str | None]
    suggest: Callable[[str], str | None]
    name_of: Callable[[str], str]


class ConditionReader(NodeReader):
    """Reads conditions; countries are resolved through `countries`."""

    def __init__(self, file: str, countries: CountryLookup) -> None:
        super().__init__(file)
        self.countries = countries

    def condition(self, node: yaml.Node, what: str) -> Condition | None:
        if isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                f"{what} takes a mapping of conditions, not a list; put 'all:' or 'any:' "
                "above the list",
            )
            return None
        entries = self.mapping(node, what, _CONDITION_KEYS)
        if entries is None:
            return None
        if not entries and not node.value:
            self.problem(node, f"{what} is empty")
            return None
        parts = [self.entry(entry) for entry in entries]
        if len(parts) != len(node.value) or any(p is None for p in parts):
            return None
        conditions = tuple(p for p in parts if p is not None)
        return conditions[0] if len(conditions) == 1 else AllOf(conditions)

    def entry(self, entry: Entry) -> Condition | None:
        key, node = entry.key, entry.value
        if key in _COMBINATORS:
            items = self.items(node, f"'{key}'")
            if items is None:
                return None
            if isinstance(node, yaml.ScalarNode):
                self.problem(node, f"'{key}' takes a list of conditions")
                return None
            children = [self.condition(item, f"a condition in '{key}'") for item in items]
            if any(c is None for c in children):
                return None
            found = tuple(c for c in children if c is not None)
            if key == "all":
                return AllOf(found)
            return AnyOf(found) if key == "any" else NoneOf(found)
        if key == "countries":
            return self.countries_leaf(node)
        if key == "people":
            return self.people_leaf(node)
        if key == "fatalities":
            return self.fatalities_leaf(node)
        if key in ("keywords", "headline"):
            return self.keywords_leaf(node, key)
        if key == "regex":
            return self.regex_leaf(node)
        names = self.texts(node, "'sources'")
        return Sources(tuple(dict.fromkeys(n for n, _ in names))) if names else None

    def countries_leaf(self, node: yaml.Node) -> Condition | None:
        values = self.texts(node, "'countries'")
        if values is None:
            return None
        codes: list[str] = []
        ok = True
        for value, item in values:
            code = self.countries.resolve(value)
            if code is None:
                close = self.countries.suggest(value)
                hint = f" (did you mean '{close}'?)" if close else ""
                self.problem(item, f"unknown country '{value}'{hint}")
                ok = False
            elif code not in codes:
                codes.append(code)
        if not ok:
            return None
        return Countries(tuple(codes), tuple(self.countries.name_of(c) for c in codes))

    def people_leaf(self, node: yaml.Node) -> Condition | None:
        items = self.items(node, "'people'")
        if items is None:
            return None
        people = []
        for item in items:
            if not isinstance(item, yaml.MappingNode):
                name = self.text(item, "a person")
                if name is not None:
                    people.append(PersonName(name))
                continue
            entries = self.mapping(item, "a person", ("name", "aliases"))
            keys = entries_by_key(entries or [])
            if "name" not in keys:
                if entries is not None:
                    self.problem(item, "a person needs a 'name'")
                continue
            name = self.text(keys["name"].value, "'name'")
            aliases: list[tuple[str, yaml.Node]] | None = []
            if "aliases" in keys:
                aliases = self.texts(keys["aliases"].value, "'aliases'")
            if name is not None and aliases is not None:
                people.append(PersonName(name, tuple(a for a, _ in aliases)))
        return People(tuple(people)) if len(people) == len(items) else None

    def fatalities_leaf(self, node: yaml.Node) -> Condition | None:
        allowed = ("min", "max", "include_cumulative")
        entries = self.mapping(node, "'fatalities'", allowed, hint=" like {min: 5}")
        if entries is None:
            return None
        keys = entries_by_key(entries)
        low = high = None
        if "min" in keys:
            low = self.integer(keys["min"].value, "'min'", 0)
        if "max" in keys:
            high = self.integer(keys["max"].value, "'max'", 0)
        cumulative = False
        if "include_cumulative" in keys:
            cumulative = bool(
                self.boolean(keys["include_cumulative"].value, "'include_cumulative'")
            )
        if "min" not in keys and "max" not in keys:
            self.problem(node, "'fatalities' needs 'min' and/or 'max', e.g. {min: 1}")
            return None
        if low is not None and high is not None and low > high:
            self.problem(keys["max"].value, f"'min' ({low}) is greater than 'max' ({high})")
            return None
        if ("min" in keys and low is None) or ("max" in keys and high is None):
            return None
        return FatalityCount(low, high, cumulative)

    def keywords_leaf(self, node: yaml.Node, key: str) -> Condition | None:
        case_sensitive = False
        words_node = node
        if isinstance(node, yaml.MappingNode):
            entries = self.mapping(node, f"'{key}'", ("words", "case"))
            if entries is None:
                return None
            keys = entries_by_key(entries)
            if "case" in keys:
                case = self.text(keys["case"].value, "'case'")
                if case not in (None, "sensitive", "insensitive"):
                    self.problem(keys["case"].value, "'case' must be 'sensitive' or 'insensitive'")
                    return None
                case_sensitive = case == "sensitive"
            if "words" not in keys:
                self.problem(
                    node, f"'{key}' needs 'words', e.g. {{words: [NATO], case: sensitive}}"
                )
                return None
            words_node = keys["words"].value
        values = self.texts(words_node, f"'{key}'")
        if values is None:
            return None
        ok = True
        for word, item in values:
            bare = word.rstrip("*")
            if not bare.strip() or "*" in bare:
                self.problem(item, f"bad keyword '{word}': '*' may only end a word ('ceasefire*')")
                ok = False
        if not ok:
            return None
        words = tuple(dict.fromkeys(w for w, _ in values))
        return Keywords(words, case_sensitive=case_sensitive, headline_only=key == "headline")

    def regex_leaf(self, node: yaml.Node) -> Condition | None:
        values = self.texts(node, "'regex'")
        if values is None:
            return None
        ok = True
        for pattern, item in values:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                ok = False
                self._regex_problem(item, pattern, exc)
                continue
            if compiled.search("") is not None:
                ok = False
                self.problem(
                    item, f"regex '{pattern}' matches empty text, so it matches every story"
                )
        return Regex(tuple(dict.fromkeys(p for p, _ in values))) if ok else None

    def _regex_problem(self, item: yaml.Node, pattern: str, exc: re.error) -> None:
        pos = exc.pos if exc.pos is not None else 0
        offset = 0
        # On a one-line scalar the column can point into the pattern itself.
        if isinstance(item, yaml.ScalarNode) and item.start_mark.line == item.end_mark.line:
            quote = 1 if item.style in ("'", '"') else 0
            if str(item.value).strip() == item.value or quote:
                offset = quote + pos
        self.problem(
            item, f"invalid regex '{pattern}': {exc.msg} at position {pos + 1}", offset=offset
        )
