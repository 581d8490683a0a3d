"""The compiled matcher: every rule compiled once, each story scanned once.

`compile_rules` turns rules into a `RuleSet`:

1. Every keyword, phrase and multi-word name of every rule goes into one shared
   automaton (`PatternSet`); every watched person into one surname index
   (`PeopleIndex`); every distinct regex is compiled once.
2. Each rule gets *trigger atoms*: things at least one of which a story must have for
   the rule to possibly fire (a pattern hit, a country, a person, a source, a death
   toll). `any` needs a trigger of any branch; `all` needs the triggers of its most
   selective branch; `none` and `regex` have none, so such rules are always evaluated.
3. Each rule's condition tree becomes a closure; inside `all`/`any`/`none` the cheap
   leaves run first and the regex leaves last, so a regex runs only when the rule
   can still fire: in `all` after every cheap sibling held, in `any` and `none` only
   when no cheap sibling held. The rule's `unless` runs only when `when` held.

Matching a story: scan once (automata + people + countries + toll), collect the rules
triggered by what was found, evaluate only those. The cost grows with what a story
contains, not with the number of rules. `explain` evaluates every rule fully instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.models import Extraction, Match, Mention, Reason, Story
from bot.core.rules.leaves import (
    LeafCode,
    StoryScan,
    countries_leaf,
    fatalities_leaf,
    keywords_leaf,
    people_leaf,
    regex_leaf,
    sources_leaf,
)
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

Test = Callable[[StoryScan], bool]
Collect = Callable[[StoryScan], Sequence[Reason] | None]

# Trigger atoms: ("p", pattern id), ("c", country code), ("n", person id), ("s", feed),
# ("f", 0) for "somebody died"; "p+", "c+", "n+", "s+" mean that atom *and* a death, for
# an `all` with a `fatalities` leaf beside it ("Syria" + deaths is only a candidate on
# stories with deaths).
Atom = tuple[str, int | str]
_FATAL: Atom = ("f", 0)
# How common an atom is in stories, to pick the most selective branch of an `all`: most
# stories name a few countries and a feed; a given word or person is rarer.
_ATOM_COST = {"p": 1.0, "n": 2.0, "c": 10.0, "s": 100.0, "f": 1000.0}
_ATOM_COST |= {f"{kind}+": cost / 5 for kind, cost in _ATOM_COST.items()}
_REGEX_COST = 100


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A rule as closures: the yes/no tests, and the reasons (run only once it fired)."""

    when: Test | None  # None: being a candidate proves `when` holds
    unless: Test | None
    reasons: Collect


class RuleSet:
    """Rules compiled for matching. Build with `compile_rules`; immutable afterwards."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.patterns = PatternSet()
        self.people = PeopleIndex()
        self._name_patterns: dict[int, list[int]] = {}
        self._regexes: dict[str, re.Pattern[str]] = {}
        self._leaves: dict[Leaf, LeafCode] = {}
        self._atoms: dict[Atom, list[int]] = {}
        self._always: list[int] = []
        compiled = []
        for index, rule in enumerate(self.rules):
            when = None if _proved_by_trigger(rule.when) else self._test(rule.when)
            unless = self._test(rule.unless) if rule.unless is not None else None
            compiled.append(_Compiled(when, unless, self._collect(rule.when)))
            atoms = self._triggers(rule.when)
            if atoms is None:
                self._always.append(index)
            else:
                for atom in atoms:
                    self._atoms.setdefault(atom, []).append(index)
        self._compiled = tuple(compiled)
        self.patterns.build()

    def __len__(self) -> int:
        return len(self.rules)

    # -- matching -------------------------------------------------------------------

    def match(self, story: Story, extraction: Extraction) -> list[Match]:
        """The rules that fire on the story, in file order, each with its reasons."""
        if not self.rules:
            return []
        scan = self.scan(story, extraction)
        matches = []
        compiled = self._compiled
        for index in self._candidates(scan):
            code = compiled[index]
            if code.when is not None and not code.when(scan):
                continue
            if code.unless is not None and code.unless(scan):
                continue
            rule = self.rules[index]
            found = code.reasons(scan) or ()
            reasons = tuple(found) if len(found) < 2 else tuple(dict.fromkeys(found))
            matches.append(Match(rule.name, rule.channels, rule.priority, reasons))
        return matches

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

    def _candidates(self, scan: StoryScan) -> list[int]:
        found = set(self._always)
        atoms = self._atoms
        present: list[Atom] = [("p", pattern_id) for pattern_id in scan.hits]
        present.extend(("c", code) for code in scan.countries)
        present.extend(("n", person_id) for person_id in scan.people)
        present.append(("s", scan.story.source))
        if scan.any_deaths():
            present.extend([(kind + "+", value) for kind, value in present])
            present.append(_FATAL)
        for atom in present:
            rules = atoms.get(atom)
            if rules is not None:
                found.update(rules)
        return sorted(found)

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
        for pattern_id, (start, end) in scan.hits.items():
            for person_id in self._name_patterns.get(pattern_id, ()):
                text = scan.text[start:end]
                found.setdefault(person_id, Reason("people", names[person_id], text, start, end))
        return found

    # -- compiling --------------------------------------------------------------------

    def _test(self, condition: Condition) -> Test:
        """The yes/no closure; cheap conditions first, so regexes run last (see above)."""
        if isinstance(condition, AllOf | AnyOf | NoneOf):
            tests = tuple(self._test(c) for c in sorted(condition.conditions, key=_cost))
            if isinstance(condition, AllOf):
                return _all_test(tests)
            if isinstance(condition, AnyOf):
                return _any_test(tests)
            return _none_test(tests)
        return self._leaf(condition).test

    def _collect(self, condition: Condition) -> Collect:
        """The reasons closure for a rule that fired: every held leaf's reasons, except
        that an `any` already held on cheap evidence does not run its regexes."""
        if isinstance(condition, NoneOf):
            return _no_reasons
        if isinstance(condition, AllOf | AnyOf):
            parts = sorted(condition.conditions, key=_cost)
            fns = tuple((self._collect(c), _cost(c) >= _REGEX_COST) for c in parts)
            return _all_collect(fns) if isinstance(condition, AllOf) else _any_collect(fns)
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
                    entries.append((pattern, word.strip(), word.strip().endswith("*")))
            return keywords_leaf(tuple(entries), leaf.headline_only)
        if isinstance(leaf, Regex):
            for source in leaf.patterns:
                if source not in self._regexes:
                    self._regexes[source] = re.compile(source)
            return regex_leaf(tuple((p, self._regexes[p]) for p in leaf.patterns))
        return sources_leaf(frozenset(leaf.names))

    def _triggers(self, condition: Condition) -> set[Atom] | None:
        """Atoms of which a story needs one for `condition` to hold; None: no such set."""
        if isinstance(condition, AnyOf):
            union: set[Atom] = set()
            for child in condition.conditions:
                atoms = self._triggers(child)
                if atoms is None:
                    return None
                union |= atoms
            return union
        if isinstance(condition, AllOf):
            options = [a for a in map(self._triggers, condition.conditions) if a is not None]
            if not options:
                return None
            others = [a for a in options if a != {_FATAL}]
            best = min(others or options, key=_atoms_cost)
            gated = others and len(others) < len(options)
            if gated and all(len(kind) == 1 for kind, _ in best):
                return {(kind + "+", value) for kind, value in best}  # and a death
            return best
        if isinstance(condition, Countries):
            return {("c", code) for code in condition.codes}
        if isinstance(condition, People):
            ids = (self.people.add(p.name, p.aliases) for p in condition.people)
            return {("n", person_id) for person_id in ids}
        if isinstance(condition, Keywords):
            patterns = (
                self.patterns.add(w, case_sensitive=condition.case_sensitive)
                for w in condition.words
            )
            return {("p", p) for p in patterns if p is not None}
        if isinstance(condition, Sources):
            return {("s", name) for name in condition.names}
        if isinstance(condition, FatalityCount):
            return {_FATAL} if (condition.min is None or condition.min > 0) else None
        return None  # NoneOf, Regex


def compile_rules(rules: Sequence[Rule]) -> RuleSet:
    """Compile rules (already validated) into a `RuleSet`. Pure; raises `re.error` only
    for a regex the caller did not validate."""
    return RuleSet(rules)


def _start(mention: Mention) -> int:
    return mention.start


def _atoms_cost(atoms: set[Atom]) -> float:
    return sum(_ATOM_COST[kind] for kind, _ in atoms)


def _proved_by_trigger(condition: Condition) -> bool:
    """Whether having one of its trigger atoms already proves `condition` holds."""
    if isinstance(condition, AnyOf):
        return all(map(_proved_by_trigger, condition.conditions))
    if isinstance(condition, Keywords):
        return not condition.headline_only
    return isinstance(condition, Countries | People | Sources)


def _cost(condition: Condition) -> int:
    if isinstance(condition, AllOf | AnyOf | NoneOf):
        return sum(_cost(c) for c in condition.conditions)
    return _REGEX_COST if isinstance(condition, Regex) else 1


def _all_test(tests: tuple[Test, ...]) -> Test:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda scan: first(scan) and second(scan)

    def test_all(scan: StoryScan) -> bool:
        for test in tests:  # noqa: SIM110 (faster than any()/all())
            if not test(scan):
                return False
        return True

    return test_all


def _any_test(tests: tuple[Test, ...]) -> Test:
    if len(tests) == 1:
        return tests[0]

    def test_any(scan: StoryScan) -> bool:
        for test in tests:  # noqa: SIM110 (faster than any()/all())
            if test(scan):
                return True
        return False

    return test_any


def _none_test(tests: tuple[Test, ...]) -> Test:
    either = _any_test(tests)
    return lambda scan: not either(scan)


def _no_reasons(scan: StoryScan) -> Sequence[Reason] | None:
    return ()


def _all_collect(fns: tuple[tuple[Collect, bool], ...]) -> Collect:
    def collect_all(scan: StoryScan) -> Sequence[Reason] | None:
        reasons: list[Reason] = []
        for fn, _ in fns:
            found = fn(scan)
            if found is None:
                return None
            reasons.extend(found)
        return reasons

    return collect_all


def _any_collect(fns: tuple[tuple[Collect, bool], ...]) -> Collect:
    def collect_any(scan: StoryScan) -> Sequence[Reason] | None:
        reasons: list[Reason] | None = None
        for fn, expensive in fns:
            if expensive and reasons is not None:
                break  # already held on cheap evidence: skip the regexes
            found = fn(scan)
            if found is not None:
                reasons = list(found) if reasons is None else reasons + list(found)
        return reasons

    return collect_any


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
