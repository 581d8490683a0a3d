"""Watch rules as data: the condition tree, the rule, and the verdicts explaining it.

A rule fires on a story when its `when` condition holds and its `unless` condition (if
any) does not. Conditions form a tree: `AllOf`, `AnyOf` and `NoneOf` combine other
conditions; the leaves test one thing the extractor or the feed told us:

    Countries      the story refers to one of these countries (ISO 3166-1 alpha-2 codes)
    People         one of these people is named (names compared folded, aliases and
                   close transliterations of the first name accepted)
    FatalityCount  the death toll is within [min, max]
    Keywords       one of these words or phrases occurs (whole word), in the text or,
                   with `headline_only`, in the headline
    Regex          one of these Python regular expressions matches the text
    Sources        the story came from one of these feeds

Everything here is a frozen value: two rules with equal fields are the same rule, which
is how a reload counts the rules that changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.core.models import Priority, Reason

PRIORITIES: tuple[Priority, ...] = ("low", "normal", "high", "urgent")


@dataclass(frozen=True, slots=True)
class AllOf:
    """Holds when every condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Holds when at least one condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class NoneOf:
    """Holds when no condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Countries:
    """The extraction lists one of `codes`; `names` are the display names, same order."""

    codes: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person a rule watches: the canonical name and other spellings of it."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class People:
    """One of `people` is named in the story."""

    people: tuple[PersonName, ...]


@dataclass(frozen=True, slots=True)
class FatalityCount:
    """The death toll is at least `min` and at most `max` (None: unbounded).

    The toll is `Extraction.fatalities.total` (0 when nobody died); with
    `include_cumulative`, the largest cumulative toll mentioned counts too.
    """

    min: int | None
    max: int | None = None
    include_cumulative: bool = False


@dataclass(frozen=True, slots=True)
class Keywords:
    """One of `words` (words or phrases) occurs as whole words.

    Folded (case and diacritics ignored) unless `case_sensitive`; a trailing `*`
    matches any word ending (`ceasefire*`). `headline_only` looks in the headline only.
    """

    words: tuple[str, ...]
    case_sensitive: bool = False
    headline_only: bool = False


@dataclass(frozen=True, slots=True)
class Regex:
    """One of `patterns` (Python `re` syntax) matches somewhere in `Story.text`."""

    patterns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sources:
    """The story came from one of the feeds named `names`."""

    names: tuple[str, ...]


Leaf = Countries | People | FatalityCount | Keywords | Regex | Sources
Condition = AllOf | AnyOf | NoneOf | Leaf


@dataclass(frozen=True, slots=True)
class Throttle:
    """At most `max` alerts per `per`; the pipeline turns the excess into a digest."""

    max: int
    per: timedelta


@dataclass(frozen=True, slots=True)
class Rule:
    """One watch rule: fire on stories where `when` holds and `unless` does not."""

    name: str
    when: Condition
    unless: Condition | None
    channels: tuple[str, ...]
    priority: Priority = "normal"
    throttle: Throttle | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one condition fared on one story.

    `reasons` say what matched (for a leaf that held; empty otherwise); `children`
    are the outcomes of a combinator's conditions, in the rule's order; `note` says
    what the story had instead, for a leaf that did not hold ("toll: 3 killed").
    """

    condition: Condition
    held: bool
    reasons: tuple[Reason, ...] = ()
    children: tuple[Outcome, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a rule fired on a story, and the outcome of every condition in it."""

    rule: Rule
    fired: bool
    when: Outcome
    unless: Outcome | None

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """The reasons of the held leaves under `when` (what an alert shows)."""
        return held_reasons(self.when)


def held_reasons(outcome: Outcome) -> tuple[Reason, ...]:
    """Reasons of every held leaf under `outcome`, skipping `none` branches, deduplicated."""
    found: dict[Reason, None] = {}

    def walk(node: Outcome) -> None:
        if not node.held or isinstance(node.condition, NoneOf):
            return
        for reason in node.reasons:
            found.setdefault(reason, None)
        for child in node.children:
            walk(child)

    walk(outcome)
    return tuple(found)


def describe(condition: Condition) -> str:
    """A one-line human form of a condition: `countries Turkey, Syria`, `fatalities >= 5`."""
    if isinstance(condition, AllOf | AnyOf | NoneOf):
        word = {AllOf: "all", AnyOf: "any", NoneOf: "none"}[type(condition)]
        return f"{word} of {len(condition.conditions)}"
    if isinstance(condition, Countries):
        return "countries " + ", ".join(condition.names)
    if isinstance(condition, People):
        return "people " + ", ".join(p.name for p in condition.people)
    if isinstance(condition, FatalityCount):
        parts = []
        if condition.min is not None:
            parts.append(f">= {condition.min}")
        if condition.max is not None:
            parts.append(f"<= {condition.max}")
        extra = " (cumulative too)" if condition.include_cumulative else ""
        return "fatalities " + " and ".join(parts) + extra
    if isinstance(condition, Keywords):
        kind = "headline" if condition.headline_only else "keywords"
        words = ", ".join(f'"{w}"' if " " in w else w for w in condition.words)
        return kind + " " + words + (" (case-sensitive)" if condition.case_sensitive else "")
    if isinstance(condition, Regex):
        return "regex " + ", ".join(f"/{p}/" for p in condition.patterns)
    return "sources " + ", ".join(condition.names)


_DURATION_PART = re.compile(r"(\d+)\s*(d|h|m|s)")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(text: str) -> timedelta | None:
    """`90s`, `10m`, `1h`, `1h30m`, `2d` -> timedelta; None when not such a duration or zero."""
    compact = text.strip().lower()
    if not compact:
        return None
    seconds = 0
    pos = 0
    for part in _DURATION_PART.finditer(compact):
        if part.start() != pos:
            return None
        seconds += int(part.group(1)) * _UNIT_SECONDS[part.group(2)]
        pos = part.end()
    if pos != len(compact) or seconds <= 0:
        return None
    return timedelta(seconds=seconds)
