"""Watch rules: the rule model and the compiled matcher (pure; no YAML here).

    model.py   Rule, the condition tree (AllOf/AnyOf/NoneOf and the leaves), Throttle,
               Verdict/Outcome (explanations), describe, parse_duration
    engine.py  compile_rules -> RuleSet: match (fast, with reasons) and explain (every
               rule, every leaf)
    scan.py    the shared Aho-Corasick automaton over every keyword of every rule
    names.py   people matching: folded names, aliases, close transliterations

`bot.rules_file` turns a YAML file into these values, with FILE:LINE:COL errors.
"""

from bot.core.rules.engine import RuleSet, compile_rules
from bot.core.rules.model import (
    PRIORITIES,
    AllOf,
    AnyOf,
    Condition,
    Countries,
    FatalityCount,
    Keywords,
    Leaf,
    NoneOf,
    Outcome,
    People,
    PersonName,
    Regex,
    Rule,
    Sources,
    Throttle,
    Verdict,
    describe,
    held_reasons,
    parse_duration,
)

__all__ = [
    "PRIORITIES",
    "AllOf",
    "AnyOf",
    "Condition",
    "Countries",
    "FatalityCount",
    "Keywords",
    "Leaf",
    "NoneOf",
    "Outcome",
    "People",
    "PersonName",
    "Regex",
    "Rule",
    "RuleSet",
    "Sources",
    "Throttle",
    "Verdict",
    "compile_rules",
    "describe",
    "held_reasons",
    "parse_duration",
]
