"""Trigger atoms: which rules a story can possibly fire, found without looking at rules.

Each rule gets *trigger atoms*: things at least one of which a story must have for the
rule to possibly fire (a pattern hit, a country, a person, a source, a death toll, a
necessary word of a regex). `any` needs a trigger of any branch; `all` needs the
triggers of its most selective branch; `none` has none, and neither has a regex whose
necessary words are unknown, so rules like those are candidates on every story.

An `all` needs every branch, so its other branches give two more necessary conditions,
checked in the index before the rule is touched: a toll (an `all` beside a `fatalities`
leaf is triggered only when the toll is high enough for that leaf), and *guards* (the
atoms of each other branch: "Syria" and one of these words).

`TriggerIndex` maps each atom to the rules it triggers; `candidates` looks up only the
atoms a story has (a few dozen), so the cost grows with what a story contains, not with
the number of rules.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from typing import Any

from bot.core.rules.leaves import StoryScan
from bot.core.rules.model import (
    AllOf,
    AnyOf,
    Condition,
    Countries,
    FatalityCount,
    Keywords,
    People,
    Regex,
    Sources,
)

# Atoms: (kind, value, toll). Kinds: "p" (value: pattern id), "r" (pattern id of a
# regex's necessary word), "c" (country code), "n" (person id), "s" (feed); toll 0.
# "p+", "r+", "c+", "n+", "s+" mean that atom *and* a death toll of at least `toll`, for
# an `all` with a `fatalities` leaf beside it ("Syria" + 20 dead is only a candidate on
# stories with 20 deaths or more); "f" (value 0) is a toll of at least `toll` alone.
# The toll compared is the largest one, cumulative included: a necessary condition for
# either kind of `fatalities` leaf.
Atom = tuple[str, int | str, int]
# How common an atom is in stories, to pick the most selective branch of an `all`: most
# stories name a few countries and a feed; a given word or person is rarer; the fixed
# words of a regex ("killed") are everyday words.
_ATOM_COST = {"p": 1.0, "n": 2.0, "r": 20.0, "c": 10.0, "s": 100.0, "f": 1000.0}
_ATOM_COST |= {f"{kind}+": cost / 5 for kind, cost in _ATOM_COST.items()}
# A guard: alternatives (kind, values), one of which the story must have a value of.
# Kinds "p" (pattern ids: keywords and regex words alike), "c", "n", "s".
Guard = tuple[tuple[str, frozenset[Any]], ...]
_GUARD_KINDS = frozenset("prcns")


class Resolvers:
    """How a leaf's values become atom values: pattern ids, person ids, regex words."""

    def __init__(
        self,
        keyword: Callable[[str, bool], int | None],
        person: Callable[[str, tuple[str, ...]], int],
        regex_words: Callable[[str], tuple[int, ...] | None],
    ) -> None:
        self.keyword = keyword
        self.person = person
        self.regex_words = regex_words


def triggers(condition: Condition, ids: Resolvers) -> set[Atom] | None:
    """Atoms of which a story needs one for `condition` to hold; None: no such set."""
    if isinstance(condition, AnyOf):
        union: set[Atom] = set()
        for child in condition.conditions:
            atoms = triggers(child, ids)
            if atoms is None:
                return None
            union |= atoms
        return union
    if isinstance(condition, AllOf):
        return _all_of(condition, ids)[0]
    if isinstance(condition, Countries):
        return {("c", code, 0) for code in condition.codes}
    if isinstance(condition, People):
        return {("n", ids.person(p.name, p.aliases), 0) for p in condition.people}
    if isinstance(condition, Keywords):
        patterns = (ids.keyword(w, condition.case_sensitive) for w in condition.words)
        return {("p", p, 0) for p in patterns if p is not None}
    if isinstance(condition, Sources):
        return {("s", name, 0) for name in condition.names}
    if isinstance(condition, FatalityCount):
        low = 1 if condition.min is None else condition.min
        return {("f", 0, low)} if low > 0 else None
    if isinstance(condition, Regex):
        union = set()
        for source in condition.patterns:
            words = ids.regex_words(source)
            if words is None:
                return None
            union.update(("r", p, 0) for p in words)
        return union
    return None  # NoneOf


def rule_triggers(when: Condition, ids: Resolvers) -> tuple[set[Atom] | None, tuple[Guard, ...]]:
    """A rule's trigger atoms (see `triggers`) and guards: for an `all`, the plain atoms
    of each branch other than the triggering one, as those must be met too."""
    if isinstance(when, AllOf):
        return _all_of(when, ids)
    return triggers(when, ids), ()


def _all_of(condition: AllOf, ids: Resolvers) -> tuple[set[Atom] | None, tuple[Guard, ...]]:
    options = [a for a in (triggers(c, ids) for c in condition.conditions) if a is not None]
    if not options:
        return None, ()
    tolls = [a for a in options if all(kind == "f" for kind, _, _ in a)]
    others = [a for a in options if a not in tolls]
    best = min(others or options, key=_atoms_cost)
    found: list[Guard] = []
    for atoms in others:
        if atoms is not best and all(kind in _GUARD_KINDS for kind, _, _ in atoms):
            kinds: dict[str, set[Any]] = {}
            for kind, value, _ in atoms:
                kinds.setdefault(kind.replace("r", "p"), set()).add(value)
            found.append(tuple((kind, frozenset(values)) for kind, values in kinds.items()))
    if tolls and others and all(len(kind) == 1 for kind, _, _ in best):
        # and a death toll: the highest of the lowest tolls the `fatalities` need
        toll = max(min(toll for _, _, toll in a) for a in tolls)
        return {(kind + "+", value, toll) for kind, value, _ in best}, tuple(found)
    return best, tuple(found)


def _atoms_cost(atoms: set[Atom]) -> float:
    return sum(_ATOM_COST[kind] for kind, _, _ in atoms)


Rules = tuple[int, ...]
# Rules behind a gated atom: the toll each needs (ascending) and the rules, same order.
Gated = tuple[tuple[int, ...], Rules]
# Rules with guards behind an atom: (toll needed, rule index, guards).
Guarded = tuple[tuple[int, int, tuple[Guard, ...]], ...]


class TriggerIndex:
    """Atom -> the rules (indices) it triggers, one table per kind of atom.

    Three kinds of tables: plain (atom -> rules), gated (rules sorted by the toll they
    need, cut with one bisection), guarded (each entry checked against the story).
    """

    def __init__(
        self, rule_atoms: Sequence[set[Atom] | None], rule_guards: Sequence[tuple[Guard, ...]]
    ) -> None:
        tables: dict[str, dict[Any, list[tuple[int, int]]]] = {}
        guarded: dict[str, dict[Any, list[tuple[int, int, tuple[Guard, ...]]]]] = {}
        always: list[int] = []
        for index, atoms in enumerate(rule_atoms):
            if atoms is None:
                always.append(index)
                continue
            checks = rule_guards[index]
            for atom_kind, value, toll in atoms:
                # Keywords and regex words are both pattern ids: one table, one lookup
                # per scan hit.
                kind = atom_kind.replace("r", "p")
                if checks:
                    table = guarded.setdefault(kind.rstrip("+"), {})
                    table.setdefault(value, []).append((toll, index, checks))
                else:
                    tables.setdefault(kind, {}).setdefault(value, []).append((toll, index))

        def plain(kind: str) -> dict[Any, Rules]:
            table = tables.get(kind, {})
            return {value: tuple(i for _, i in entries) for value, entries in table.items()}

        def gated(kind: str) -> dict[Any, Gated]:
            found = {}
            for value, entries in tables.get(kind, {}).items():
                entries.sort()
                found[value] = (tuple(t for t, _ in entries), tuple(i for _, i in entries))
            return found

        def checked(kind: str) -> dict[Any, Guarded]:
            return {value: tuple(entries) for value, entries in guarded.get(kind, {}).items()}

        self.hits: dict[int, Rules] = plain("p")
        self.countries: dict[str, Rules] = plain("c")
        self.people: dict[int, Rules] = plain("n")
        self.sources: dict[str, Rules] = plain("s")
        self.hits_dead: dict[int, Gated] = gated("p+")
        self.countries_dead: dict[str, Gated] = gated("c+")
        self.people_dead: dict[int, Gated] = gated("n+")
        self.sources_dead: dict[str, Gated] = gated("s+")
        self.fatal: dict[int, Gated] = gated("f")
        # (A toll alone never has guards: it is the trigger only of an `all` of tolls.)
        self.guarded = (checked("p"), checked("c"), checked("n"), checked("s"))
        self.always: Rules = tuple(always)

    def candidates(self, scan: StoryScan) -> Sequence[int]:
        """The rules the story may fire (ascending, no repeats); other rules cannot."""
        hits, countries, people = self.hits, self.countries, self.people
        found = [hits[p] for p in scan.hits if p in hits]
        found += [countries[c] for c in scan.countries if c in countries]
        found += [people[n] for n in scan.people if n in people]
        source = scan.story.source
        if source in self.sources:
            found.append(self.sources[source])
        if self.always:
            found.append(self.always)
        toll = scan.toll_with_cumulative
        unordered = False
        if toll > 0:
            gates = [self.hits_dead[p] for p in scan.hits if p in self.hits_dead]
            gates += [self.countries_dead[c] for c in scan.countries if c in self.countries_dead]
            gates += [self.people_dead[n] for n in scan.people if n in self.people_dead]
            if source in self.sources_dead:
                gates.append(self.sources_dead[source])
            if 0 in self.fatal:
                gates.append(self.fatal[0])
            for tolls, rules in gates:
                enough = bisect_right(tolls, toll)
                if enough:
                    found.append(rules[:enough])
                    unordered = True  # a prefix in toll order, not rule order
        passed = self._guarded(scan, toll)
        if passed:
            found.append(tuple(passed))
            unordered = True
        if len(found) < 2 and not unordered:
            return found[0] if found else ()
        return sorted(set().union(*found))

    def _guarded(self, scan: StoryScan, toll: int) -> list[int]:
        """Rules with guards triggered by the story, whose toll and guards it meets."""
        by_hit, by_country, by_person, by_source = self.guarded
        source = scan.story.source
        entries = [by_hit[p] for p in scan.hits.keys() & by_hit.keys()] if by_hit else []
        if by_country:
            entries += [by_country[c] for c in scan.countries if c in by_country]
        if by_person:
            entries += [by_person[n] for n in scan.people if n in by_person]
        if source in by_source:
            entries.append(by_source[source])
        if not entries:
            return []
        present: dict[str, Collection[Any]] = {
            "p": scan.hits.keys(),
            "c": scan.countries.keys(),
            "n": scan.people.keys(),
            "s": (source,),
        }
        passed = []
        for entry in entries:
            for needed, index, checks in entry:
                if needed > toll:
                    continue
                for guard in checks:
                    for kind, values in guard:
                        if not values.isdisjoint(present[kind]):
                            break  # this guard is met
                    else:
                        break  # this one is not: the rule cannot fire
                else:
                    passed.append(index)
        return passed
