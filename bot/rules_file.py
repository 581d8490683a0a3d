"""The rules file (YAML) -> core rules, with every problem as FILE:LINE:COL.

    defaults:                      # optional: channels, priority, throttle for every rule
      channels: [console]
    rules:
      - name: idlib-escalation
        when:                      # a condition (leaves side by side mean `all`)
          countries: [Turkey, SY]
          fatalities: {min: 5}
        unless: {keywords: [football]}
        priority: high
        throttle: {max: 10, per: 1h}

`load_rules` reads, validates and compiles a file; it raises `RuleError` carrying every
problem found (it never stops at the first). The language is documented in
docs/rules.md. This module reads the file's frame (rules, defaults, channels, priority,
throttle); the conditions under `when:` and `unless:` are read by
`bot.rules_file_conditions`. Countries are resolved by callables from the extractor's
gazetteer, so neither module knows country data of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from bot.core.errors import Problem, RuleError
from bot.core.extract.places import Gazetteer
from bot.core.models import Priority
from bot.core.rules import PRIORITIES, Rule, RuleSet, Throttle, compile_rules, parse_duration
from bot.rules_file_conditions import ConditionReader, CountryLookup
from bot.rules_file_watch import RulesWatcher
from bot.rules_file_yaml import did_you_mean, entries_by_key
from bot.yaml_marks import YamlSyntaxError, compose

__all__ = ["CountryLookup", "RulesWatcher", "load_rules", "parse_rules"]

_TOP_KEYS = ("rules", "defaults")
_DEFAULT_KEYS = ("channels", "priority", "throttle")
_RULE_KEYS = ("name", "when", "unless", "channels", "priority", "throttle")
_CHANNEL_FORM = re.compile(r"^(console|slack:\S+|matrix:\S+)$")


@dataclass(slots=True)
class _Defaults:
    channels: tuple[str, ...] | None = None
    priority: Priority = "normal"
    throttle: Throttle | None = None


class _RulesReader(ConditionReader):
    def __init__(
        self, file: str, countries: CountryLookup, channels: Collection[str] | None
    ) -> None:
        super().__init__(file, countries)
        self.declared = tuple(channels) if channels is not None else None

    # -- file and rules ---------------------------------------------------------------

    def read(self, root: yaml.Node | None) -> list[Rule]:
        if root is None:
            self.problems.append(
                Problem(self.file, 1, 1, "the rules file is empty; expected 'rules:' and a list")
            )
            return []
        top = self.mapping(root, "the rules file", _TOP_KEYS, hint=" with 'rules:'")
        if top is None:
            return []
        keys = entries_by_key(top)
        defaults = self.defaults(keys["defaults"].value) if "defaults" in keys else _Defaults()
        if "rules" not in keys:
            self.problem(root, "missing 'rules:' (the list of rules)")
            return []
        if isinstance(keys["rules"].value, yaml.ScalarNode) and keys["rules"].value.value:
            self.problem(keys["rules"].value, "'rules' must be a list of rules")
            return []
        if isinstance(keys["rules"].value, yaml.SequenceNode) and not keys["rules"].value.value:
            return []  # no rules at all is allowed: nothing will alert
        items = self.items(keys["rules"].value, "'rules'")
        rules: list[Rule] = []
        first_line: dict[str, int] = {}
        for item in items or []:
            rule = self.rule(item, defaults, first_line)
            if rule is not None:
                rules.append(rule)
        return rules

    def defaults(self, node: yaml.Node) -> _Defaults:
        found = _Defaults()
        entries = self.mapping(node, "'defaults'", _DEFAULT_KEYS)
        for entry in entries or []:
            if entry.key == "channels":
                found.channels = self.channels(entry.value)
            elif entry.key == "priority":
                found.priority = self.priority(entry.value) or found.priority
            else:
                found.throttle = self.throttle(entry.value)
        return found

    def rule(self, node: yaml.Node, defaults: _Defaults, first_line: dict[str, int]) -> Rule | None:
        entries = self.mapping(node, "a rule", _RULE_KEYS)
        if entries is None:
            return None
        keys = entries_by_key(entries)
        name = None
        if "name" not in keys:
            self.problem(node, "a rule needs a 'name'")
        else:
            name = self.text(keys["name"].value, "'name'")
            if name is not None and name in first_line:
                self.problem(
                    keys["name"].value,
                    f"two rules named '{name}' (the first is on line {first_line[name]})",
                )
                name = None
            elif name is not None:
                first_line[name] = keys["name"].value.start_mark.line + 1
        label = f"rule '{name}'" if name else "this rule"
        when = None
        if "when" not in keys:
            self.problem(node, f"{label} has no 'when' (the condition that makes it fire)")
        else:
            when = self.condition(keys["when"].value, "'when'")
        unless = self.condition(keys["unless"].value, "'unless'") if "unless" in keys else None
        channels = defaults.channels
        if "channels" in keys:
            channels = self.channels(keys["channels"].value)
        elif channels is None:
            self.problem(node, f"{label} has no 'channels', and 'defaults' sets none")
        priority = defaults.priority
        if "priority" in keys:
            priority = self.priority(keys["priority"].value) or priority
        throttle = defaults.throttle
        if "throttle" in keys:
            throttle = self.throttle(keys["throttle"].value)
        if name is None or when is None or channels is None:
            return None
        if "unless" in keys and unless is None:
            return None
        return Rule(name, when, unless, channels, priority, throttle)

    def channels(self, node: yaml.Node) -> tuple[str, ...] | None:
        values = self.texts(node, "'channels'")
        if values is None:
            return None
        ok = True
        for channel, item in values:
            if self.declared is not None and channel not in self.declared:
                declared = ", ".join(self.declared) or "none"
                hint = did_you_mean(channel, self.declared) or f" (declared: {declared})"
                self.problem(item, f"channel '{channel}' is not declared in the config{hint}")
                ok = False
            elif self.declared is None and not _CHANNEL_FORM.match(channel):
                self.problem(
                    item,
                    f"unknown channel '{channel}': use console, slack:#name, slack:C0123ABCD, "
                    "matrix:#alias:server or matrix:!roomid",
                )
                ok = False
        return tuple(dict.fromkeys(c for c, _ in values)) if ok else None

    def priority(self, node: yaml.Node) -> Priority | None:
        value = self.text(node, "'priority'")
        if value is None:
            return None
        for known in PRIORITIES:
            if value == known:
                return known
        hint = did_you_mean(value, PRIORITIES) or ""
        self.problem(node, f"unknown priority '{value}'{hint}: use {', '.join(PRIORITIES)}")
        return None

    def throttle(self, node: yaml.Node) -> Throttle | None:
        entries = self.mapping(node, "'throttle'", ("max", "per"), hint=" like {max: 10, per: 1h}")
        if entries is None:
            return None
        keys = entries_by_key(entries)
        limit = per = None
        if "max" in keys:
            limit = self.integer(keys["max"].value, "'max'", 1)
        if "per" in keys:
            text = self.text(keys["per"].value, "'per'")
            per = parse_duration(text) if text is not None else None
            if text is not None and per is None:
                self.problem(
                    keys["per"].value,
                    f"'per' must be a duration like 30m, 1h or 1d, got '{text}'",
                )
        for needed in ("max", "per"):
            if needed not in keys:
                self.problem(node, f"'throttle' needs '{needed}', e.g. {{max: 10, per: 1h}}")
        return Throttle(limit, per) if limit is not None and per is not None else None


def parse_rules(
    text: str, file: str, *, countries: CountryLookup, channels: Collection[str] | None
) -> list[Rule]:
    """Validate rules-file text; raises RuleError with every problem, sorted by position."""
    reader = _RulesReader(file, countries, channels)
    try:
        root = compose(text, file)
    except YamlSyntaxError as exc:
        raise RuleError([exc.problem]) from None
    rules = reader.read(root)
    if reader.problems:
        problems = sorted(set(reader.problems), key=lambda p: (p.line or 0, p.column or 0))
        raise RuleError(problems)
    return rules


def load_rules(
    path: Path,
    *,
    resolve_country: Callable[[str], str | None],
    suggest_country: Callable[[str], str | None],
    country_name: Callable[[str], str],
    channels: Collection[str] | None,
) -> RuleSet:
    """Read, validate and compile a rules file; raises RuleError with every problem.

    `channels` are the channels the config declares (None: only check their form).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError([Problem(str(path), None, None, "rules file not found")]) from None
    except UnicodeDecodeError as exc:
        raise RuleError([Problem(str(path), None, None, f"not UTF-8 text: {exc.reason}")]) from None
    except OSError as exc:
        raise RuleError([Problem(str(path), None, None, f"cannot read: {exc.strerror}")]) from None
    lookup = CountryLookup(resolve_country, suggest_country, country_name)
    return compile_rules(parse_rules(text, str(path), countries=lookup, channels=channels))


def rules_loader(
    gazetteer: Gazetteer, channels: Collection[str] | None
) -> Callable[[Path], RuleSet]:
    """`load_rules` bound to the extractor's gazetteer and the declared channels: what
    the watcher, the commands and the tests call with just a path."""
    return partial(
        load_rules,
        resolve_country=gazetteer.resolve,
        suggest_country=gazetteer.suggest,
        country_name=gazetteer.name_of,
        channels=channels,
    )
