"""The compiled matcher: every rule compiled once, each story scanned once.

`compile_rules` turns rules into a `RuleSet`:

1. Every keyword, phrase and multi-word name of every rule goes into one shared
   automaton (`PatternSet`), and so do the necessary words of every regex
   (`literals.py`); every watched person goes into one surname index (`PeopleIndex`);
   every distinct regex is compiled once; equal leaves are compiled once and shared.
2. Rules whose `when` is a list of things to watch (`any` of keywords, people,
   countries, feeds) go into the `DirectIndex` (`direct.py`): found, with their
   reasons, from what the scan found, without visiting rules one by one.
3. Every other rule gets trigger atoms, a toll and guards (`triggers.py`): necessary
   conditions checked in the `TriggerIndex`, so only rules that may fire are visited,
   and becomes one closure, `fire(scan) -> reasons | None` (see `_fire`). Inside
   `all`/`any`/`none` the cheap leaves run first and the regex leaves last, so a regex
   runs only when the rule can still fire: in `all` after every cheap sibling held, in
   `any` and `none` only when no cheap sibling held.

Matching a story: scan once (automata + people + countries + toll), collect the direct
rules it fires, run the closures of the other candidates. The cost grows with what a
story contains and the rules it fires, not with the number of rules. `explain`
evaluates every rule fully instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.models import Extraction, Match, Mention, Reason, Story
from bot.core.rules.combine import (
    Collect,
    Test,
    all_collect,
    all_test,
    any_collect,
    any_test,
    no_reasons,
    none_test,
    unique,
)
from bot.core.rules.direct import DirectIndex, is_direct
from bot.core.rules.leaves import (
    LeafCode,
    RegexCode,
    StoryScan,
    countries_leaf,
    fatalities_leaf,
    keywords_leaf,
    people_leaf,
    regex_leaf,
    sources_leaf,
)
from bot.core.rules.literals import necessary_literals
from bot.core.rules.model import (
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
    Regex,
    Rule,
    Sources,
    Verdict,
)
from bot.core.rules.names import PeopleIndex, name_form
from bot.core.rules.scan import PatternSet
from bot.core.rules.triggers import Atom, Guard, Resolvers, TriggerIndex, rule_triggers

_REGEX_COST = 100


class RuleSet:
    """Rules compiled for matching. Build with `compile_rules`; immutable afterwards."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.patterns = PatternSet()
        self.people = PeopleIndex()
        self._name_patterns: dict[int, list[int]] = {}
        self._regexes: dict[str, RegexCode] = {}
        self._leaves: dict[Leaf, LeafCode] = {}
        ids = Resolvers(
            keyword=lambda word, case: self.patterns.add(word, case_sensitive=case),
            person=self.people.add,
            regex_words=lambda source: self._regex(source)[2],
        )
        self._direct = DirectIndex(_by_cost, ids.keyword, ids.person, self._leaf)
        atoms: list[set[Atom] | None] = []
        guards: list[tuple[Guard, ...]] = []
        fires: list[Collect] = []
        for index, rule in enumerate(self.rules):
            if is_direct(rule.when):
                unless = self._test(rule.unless) if rule.unless is not None else None
                self._direct.add(index, rule.when, unless)
                # Compiling the leaves registers what the scan must find for them (a
                # watched person's full name).
                self._collect(rule.when)
                fires.append(_decided_directly)
                atoms.append(set())  # never a candidate: the direct index finds it
                guards.append(())
            else:
                fires.append(self._fire(rule))
                found, checks = rule_triggers(rule.when, ids)
                atoms.append(found)
                guards.append(checks)
        self._direct.freeze()
        self._index = TriggerIndex(atoms, guards)
        self._fires = tuple(fires)
        self._heads = tuple((r.name, r.channels, r.priority) for r in self.rules)
        self.patterns.build()

    def __len__(self) -> int:
        return len(self.rules)

    # -- matching -------------------------------------------------------------------

    def match(self, story: Story, extraction: Extraction) -> list[Match]:
        """The rules that fire on the story, in file order, each with its reasons."""
        if not self.rules:
            return []
        scan = self.scan(story, extraction)
        fired = self._direct.fired(scan)
        fires = self._fires
        for index in self._index.candidates(scan):  # never a direct rule
            found = fires[index](scan)
            if found is not None:
                fired[index] = unique(found)
        heads = self._heads
        return [Match(*heads[index], fired[index]) for index in sorted(fired)]

    def explain(self, story: Story, extraction: Extraction) -> list[Verdict]:
        """Every rule, fired or not, with the outcome of each of its conditions."""
        scan = self.scan(story, extraction)
        verdicts = []
        for rule in self.rules:
            when = self._outcome(rule.when, scan)
            unless = self._outcome(rule.unless, scan) if rule.unless is not None else None
            fired = when.held and (unless is None or not unless.held)
            verdicts.append(Verdict(rule, fired, when, unless))
        return verdicts

    def scan(self, story: Story, extraction: Extraction) -> StoryScan:
        """Scan a story once for every rule: patterns, people, countries, toll."""
        hits, head = self.patterns.scan(story.text, len(story.headline))
        scan = StoryScan(story, extraction, hits, head)
        scan.people = self.find_people(scan)
        return scan

    def find_people(self, scan: StoryScan) -> dict[int, Reason]:
        """Watched people the story names: from the extraction, or a full name in the text."""
        found: dict[int, Reason] = {}
        if not len(self.people):
            return found
        names = self.people.names
        for person in scan.extraction.people:
            ids = self.people.find(person)
            if not ids:
                continue
            first = min(person.mentions, key=_start) if person.mentions else None
            for person_id in sorted(ids):
                if first is None:
                    reason = Reason("people", names[person_id], person.name)
                else:
                    reason = Reason("people", names[person_id], first.text, first.start, first.end)
                found.setdefault(person_id, reason)
        name_patterns = self._name_patterns
        for pattern_id, (start, end) in scan.hits.items():
            for person_id in name_patterns.get(pattern_id, ()):
                if person_id not in found:
                    text = scan.text[start:end]
                    found[person_id] = Reason("people", names[person_id], text, start, end)
        return found

    # -- compiling --------------------------------------------------------------------

    def _fire(self, rule: Rule) -> Collect:
        """One closure for the rule: its reasons when it fires on a candidate story, else
        None.

        A reasons collector also decides whether its condition holds (None exactly when
        it does not: a leaf has reasons iff it holds, `all` needs all, `any` one) unless
        there is a `none` inside, whose collector gives no reasons either way. So a rule
        without `none` in its `when` is collected straight away, with no separate test;
        the tests and collectors run the same leaves, cheap first, so no regex runs that
        a test would have skipped.
        """
        collect = self._collect(rule.when)
        unless = self._test(rule.unless) if rule.unless is not None else None
        if _has_none(rule.when):
            when = self._test(rule.when)
            test = when if unless is None else all_test((when, none_test((unless,))))

            def fire_tested(scan: StoryScan) -> Sequence[Reason] | None:
                return (collect(scan) or ()) if test(scan) else None

            return fire_tested
        if unless is None:
            return collect
        blocked = unless

        def fire_unless(scan: StoryScan) -> Sequence[Reason] | None:
            found = collect(scan)
            return None if found is None or blocked(scan) else found

        return fire_unless

    def _test(self, condition: Condition) -> Test:
        """The yes/no closure; cheap conditions first, so regexes run last (see above)."""
        if isinstance(condition, AllOf | AnyOf | NoneOf):
            tests = tuple(self._test(c) for c in _by_cost(condition.conditions))
            if isinstance(condition, AllOf):
                return all_test(tests)
            if isinstance(condition, AnyOf):
                return any_test(tests)
            return none_test(tests)
        return self._leaf(condition).test

    def _collect(self, condition: Condition) -> Collect:
        """The reasons closure for a rule that fired: every held leaf's reasons, except
        that an `any` already held on cheap evidence does not run its regexes. Never None
        when `condition` holds (a held leaf has reasons; `none` gives none, not None)."""
        if isinstance(condition, NoneOf):
            return no_reasons
        if isinstance(condition, AllOf | AnyOf):
            parts = _by_cost(condition.conditions)
            fns = tuple((self._collect(c), _cost(c) >= _REGEX_COST) for c in parts)
            return all_collect(fns) if isinstance(condition, AllOf) else any_collect(fns)
        return self._leaf(condition).reasons

    def _outcome(self, condition: Condition, scan: StoryScan) -> Outcome:
        if isinstance(condition, AllOf | AnyOf | NoneOf):
            children = tuple(self._outcome(c, scan) for c in condition.conditions)
            if isinstance(condition, AllOf):
                held = all(c.held for c in children)
            elif isinstance(condition, AnyOf):
                held = any(c.held for c in children)
            else:
                held = not any(c.held for c in children)
            return Outcome(condition, held, (), children)
        found = self._leaf(condition).reasons(scan)
        if found is None:
            return Outcome(condition, False, (), (), _miss_note(condition, scan))
        return Outcome(condition, True, tuple(dict.fromkeys(found)))

    def _leaf(self, leaf: Leaf) -> LeafCode:
        fn = self._leaves.get(leaf)
        if fn is None:
            fn = self._make_leaf(leaf)
            self._leaves[leaf] = fn
        return fn

    def _make_leaf(self, leaf: Leaf) -> LeafCode:
        if isinstance(leaf, Countries):
            return countries_leaf(leaf.codes)
        if isinstance(leaf, People):
            ids = []
            for person in leaf.people:
                person_id = self.people.add(person.name, person.aliases)
                ids.append(person_id)
                for spelling in (person.name, *person.aliases):
                    form = name_form(spelling)
                    pattern = None
                    if form is not None and form.given:  # a full name, not a lone surname
                        pattern = self.patterns.add(spelling, case_sensitive=False)
                    if pattern is not None:
                        named = self._name_patterns.setdefault(pattern, [])
                        if person_id not in named:
                            named.append(person_id)
            return people_leaf(tuple(dict.fromkeys(ids)))
        if isinstance(leaf, FatalityCount):
            return fatalities_leaf(leaf)
        if isinstance(leaf, Keywords):
            entries = []
            for word in leaf.words:
                pattern = self.patterns.add(word, case_sensitive=leaf.case_sensitive)
                if pattern is not None:
                    entries.append((pattern, word))
            return keywords_leaf(tuple(entries), leaf.headline_only)
        if isinstance(leaf, Regex):
            return regex_leaf(tuple(self._regex(source) for source in leaf.patterns))
        return sources_leaf(frozenset(leaf.names))

    def _regex(self, source: str) -> RegexCode:
        """A pattern compiled once, with the pattern ids of its necessary words (if known)."""
        code = self._regexes.get(source)
        if code is None:
            words = necessary_literals(source)
            needs = None
            if words is not None:
                needs = tuple(sorted({self.patterns.add_literal(w) for w in words}))
            code = self._regexes[source] = (source, re.compile(source), needs)
        return code


def compile_rules(rules: Sequence[Rule]) -> RuleSet:
    """Compile rules (already validated) into a `RuleSet`. Pure; raises `re.error` only
    for a regex the caller did not validate."""
    return RuleSet(rules)


def _start(mention: Mention) -> int:
    return mention.start


def _by_cost(conditions: Sequence[Condition]) -> list[Condition]:
    """Cheap conditions first (stable): the order tests and reasons run in."""
    return sorted(conditions, key=_cost)


def _decided_directly(scan: StoryScan) -> Sequence[Reason] | None:
    raise AssertionError("a direct rule is never a candidate")


def _has_none(condition: Condition) -> bool:
    if isinstance(condition, NoneOf):
        return True
    if isinstance(condition, AllOf | AnyOf):
        return any(map(_has_none, condition.conditions))
    return False


def _cost(condition: Condition) -> int:
    if isinstance(condition, AllOf | AnyOf | NoneOf):
        return sum(_cost(c) for c in condition.conditions)
    return _REGEX_COST if isinstance(condition, Regex) else 1


def _miss_note(leaf: Leaf, scan: StoryScan) -> str:
    """What the story had instead, for an explanation of a leaf that did not hold."""
    if isinstance(leaf, Countries):
        found = ", ".join(c.name for c in scan.extraction.countries)
        return f"story countries: {found}" if found else "no countries found"
    if isinstance(leaf, People):
        found = ", ".join(p.name for p in scan.extraction.people)
        return f"people named: {found}" if found else "no people found"
    if isinstance(leaf, FatalityCount):
        reason = scan.toll_reason(leaf.include_cumulative)
        return f"toll: {reason.label}" if reason is not None else "no deaths reported"
    if isinstance(leaf, Sources):
        return f"source is {scan.story.source}"
    if isinstance(leaf, Keywords) and leaf.headline_only:
        return "not in the headline"
    return "not found"


__all__ = ["RuleSet", "StoryScan", "compile_rules"]
