"""Rules decided by what the scan found, without evaluating them one by one.

Most rules are a list of things to watch: keywords, people, countries, feeds, or `any`
of such lists, sometimes with a death toll beside it (`all` of a list and `fatalities`).
Such a `when` holds exactly when the story has one of the things listed (and the toll),
and its reasons are those things, in the rule's order; then only the rule's `unless`,
if any, remains to be tested.

So instead of visiting each rule and checking each of its words against the story
(touching every word of every candidate rule: at 10,000 rules, memory all over the
heap), the index is turned around: each thing a story may have (a pattern hit, a
country, a person, a feed) lists the *slots* of the direct rules that name it, sorted by
the toll their rule needs. Matching walks only what the story has, takes the slots whose
toll the story reaches, and groups them by rule.

The reasons come out exactly as the rule's reasons collector gives them (children
cheap-first in the engine's cost order, each leaf's items in order, then deduplicated),
because a slot's number is its place in that order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from bot.core.models import Reason
from bot.core.rules.combine import unique
from bot.core.rules.leaves import Explain, LeafCode, StoryScan, Test, WordCode, word_code
from bot.core.rules.model import (
    AllOf,
    AnyOf,
    Condition,
    Countries,
    FatalityCount,
    Keywords,
    People,
    Sources,
)

# A slot: (rule index, slot number, which of the pattern's words); the words of a
# pattern (as different rules write it: "Ceasefire", "ceasefire") are shared.
_Slot = tuple[int, int, int]
# The slots behind one thing, by the toll their rule needs (ascending): the tolls, the
# slots in the same order, and the highest toll.
_Table = tuple[tuple[int, ...], tuple[_Slot, ...], int]
# A `fatalities` leaf of a rule: its slot number and its reasons (None: does not hold).
_Toll = tuple[int, Explain]


def is_direct(when: Condition) -> bool:
    """Whether a rule's `when` is decided by its slots: `any` (nested or not) of keywords
    not restricted to the headline, countries, people and sources; or `all` of one such
    and `fatalities` leaves (a country and a toll)."""
    if isinstance(when, AllOf):
        lists = [c for c in when.conditions if not isinstance(c, FatalityCount)]
        return len(lists) == 1 and _is_list(lists[0])
    return _is_list(when)


def _is_list(condition: Condition) -> bool:
    if isinstance(condition, AnyOf):
        return all(map(_is_list, condition.conditions))
    if isinstance(condition, Keywords):
        return not condition.headline_only
    return isinstance(condition, Countries | People | Sources)


class DirectIndex:
    """Slots of the direct rules, by pattern id, country code, person id and feed.

    `order` sorts a rule's children as its reasons collector does; `keyword` and
    `person` resolve to the same ids the engine uses (pattern ids, person ids), `leaf`
    compiles a `fatalities` leaf. Call `add` for each direct rule, then `freeze`, then
    `fired` for each story.
    """

    def __init__(
        self,
        order: Callable[[Sequence[Condition]], list[Condition]],
        keyword: Callable[[str, bool], int | None],
        person: Callable[[str, tuple[str, ...]], int],
        leaf: Callable[[FatalityCount], LeafCode],
    ) -> None:
        self._order = order
        self._keyword = keyword
        self._person = person
        self._leaf = leaf
        self._words: dict[int, dict[WordCode, int]] = {}
        self._slots: dict[tuple[str, object], list[tuple[int, _Slot]]] = {}
        self._hits: dict[int, tuple[_Table, tuple[WordCode, ...]]] = {}
        self._countries: dict[str, _Table] = {}
        self._people: dict[int, _Table] = {}
        self._sources: dict[str, _Table] = {}
        self._tolls: dict[int, tuple[_Toll, ...]] = {}
        self._unless: dict[int, Test] = {}
        self.rules: set[int] = set()

    def add(self, index: int, when: Condition, unless: Test | None) -> None:
        """Add rule number `index`, whose `when` is direct (see `is_direct`), with its
        `unless` test (run only for a rule whose `when` held)."""
        self.rules.add(index)
        if isinstance(when, AllOf):
            # Slots for the list, in the order of the `all`; the tolls numbered among
            # them; and the list's slots skipped on stories with too few deaths.
            tolls = [c for c in when.conditions if isinstance(c, FatalityCount)]
            needed = max((1 if c.min is None else c.min for c in tolls), default=0)
            number = 0
            found: list[_Toll] = []
            for child in self._order(when.conditions):
                if isinstance(child, FatalityCount):
                    found.append((number, self._leaf(child).reasons))
                    number += 1
                else:
                    number = self._add(index, child, number, needed)
            if found:
                self._tolls[index] = tuple(found)
        else:
            self._add(index, when, 0, 0)
        if unless is not None:
            self._unless[index] = unless

    def _add(self, index: int, condition: Condition, number: int, toll: int) -> int:
        slots = self._slots
        if isinstance(condition, AnyOf):
            for child in self._order(condition.conditions):
                number = self._add(index, child, number, toll)
        elif isinstance(condition, Keywords):
            for word in condition.words:
                pattern = self._keyword(word, condition.case_sensitive)
                if pattern is not None:
                    words = self._words.setdefault(pattern, {})
                    spelled = word_code(pattern, word, headline=False)
                    which = words.setdefault(spelled, len(words))
                    slots.setdefault(("p", pattern), []).append((toll, (index, number, which)))
                    number += 1
        elif isinstance(condition, Countries):
            for code in condition.codes:
                slots.setdefault(("c", code), []).append((toll, (index, number, 0)))
                number += 1
        elif isinstance(condition, People):
            ids = (self._person(p.name, p.aliases) for p in condition.people)
            for person_id in dict.fromkeys(ids):  # the people leaf drops repeats too
                slots.setdefault(("n", person_id), []).append((toll, (index, number, 0)))
                number += 1
        elif isinstance(condition, Sources):
            for name in condition.names:
                slots.setdefault(("s", name), []).append((toll, (index, number, 0)))
                number += 1
        return number

    def freeze(self) -> None:
        """Turn the slots into the lookup tables; call once, after the last `add`."""
        for (kind, value), slots in self._slots.items():
            slots.sort(key=_toll)
            tolls = tuple(toll for toll, _ in slots)
            found: _Table = (tolls, tuple(slot for _, slot in slots), tolls[-1])
            if kind == "p":
                assert isinstance(value, int)
                self._hits[value] = (found, tuple(self._words[value]))
            elif kind == "c":
                self._countries[str(value)] = found
            elif kind == "n":
                assert isinstance(value, int)
                self._people[value] = found
            else:
                self._sources[str(value)] = found
        self._slots.clear()

    def fired(self, scan: StoryScan) -> dict[int, tuple[Reason, ...]]:
        """Rule index -> reasons, for every direct rule the story fires: a new dict, which
        the caller may add to."""
        deaths = scan.toll_with_cumulative
        # (slots, the reasons they point to), for each thing found that has slots left
        # once the tolls are checked; a reason is built only for such a thing.
        found: list[tuple[tuple[_Slot, ...], Sequence[Reason]]] = []
        spans = scan.hits
        by_hit = self._hits
        for pattern in spans.keys() & by_hit.keys():
            table, words = by_hit[pattern]
            slots = _reached(table, deaths)
            if slots:
                span = spans[pattern]
                found.append((slots, [scan.word_reason(word, span) for word in words]))
        by_country = self._countries
        for code in scan.countries.keys() & by_country.keys():
            slots = _reached(by_country[code], deaths)
            reason = scan.country_reason(code) if slots else None
            if reason is not None:
                found.append((slots, (reason,)))
        by_person = self._people
        for person_id in scan.people.keys() & by_person.keys():
            slots = _reached(by_person[person_id], deaths)
            if slots:
                found.append((slots, (scan.people[person_id],)))
        source = scan.story.source
        if source in self._sources:
            slots = _reached(self._sources[source], deaths)
            if slots:
                found.append((slots, (Reason("sources", source),)))
        if not found:
            return {}
        # The first slot of each rule, and all of them for rules with several.
        first: dict[int, tuple[int, Reason]] = {}
        more: dict[int, list[tuple[int, Reason]]] = {}
        for slots, reasons in found:
            for index, number, which in slots:
                if index in first:
                    more.setdefault(index, [first[index]]).append((number, reasons[which]))
                else:
                    first[index] = (number, reasons[which])
        tolls = self._tolls
        # A rule of one thing and one toll (a country with deaths, the usual case) pairs
        # its two reasons in slot order, without the general merge below.
        paired: dict[int, tuple[Reason, ...]] = {}
        for index in tolls.keys() & first.keys() if tolls else ():
            leaves = tolls[index]
            if len(leaves) == 1 and index not in more:
                number, toll_reasons = leaves[0]
                held_toll = toll_reasons(scan)
                at, reason = first.pop(index)
                if held_toll is not None:
                    toll = held_toll[0]
                    paired[index] = (reason, toll) if at < number else (toll, reason)
                continue
            held = [(number, reasons(scan)) for number, reasons in leaves]
            if all(reasons is not None for _, reasons in held):
                extra = more.setdefault(index, [first[index]])
                extra.extend((number, reasons[0]) for number, reasons in held if reasons)
            else:
                del first[index]
                more.pop(index, None)
        fired: dict[int, tuple[Reason, ...]] = {index: (got[1],) for index, got in first.items()}
        fired.update(paired)
        for index, slots_found in more.items():
            slots_found.sort(key=_number)
            fired[index] = unique([reason for _, reason in slots_found])
        unless = self._unless
        for index in unless.keys() & fired.keys() if unless else ():
            if unless[index](scan):
                del fired[index]
        return fired


def _reached(table: _Table, deaths: int) -> tuple[_Slot, ...]:
    """The slots of rules that need no more deaths than the story has."""
    tolls, slots, highest = table
    return slots if highest <= deaths else slots[: bisect_right(tolls, deaths)]


def _number(slot: tuple[int, Reason]) -> int:
    return slot[0]


def _toll(entry: tuple[int, _Slot]) -> int:
    return entry[0]
