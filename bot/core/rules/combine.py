"""`all` / `any` / `none` as closures over their children's closures.

Two kinds: yes/no tests (`Test`), run for every candidate rule, and reason collectors
(`Collect`), run only for rules that fired. The engine orders children cheap first
(regex leaves last) before building them, so a regex runs only when the rule can still
fire; these closures only short-circuit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.models import Reason
from bot.core.rules.leaves import StoryScan

Test = Callable[[StoryScan], bool]
Collect = Callable[[StoryScan], Sequence[Reason] | None]


def unique(found: Sequence[Reason]) -> tuple[Reason, ...]:
    """`found` without repeats, in order (a frozen dataclass hashes all its fields on
    every call, so the common cases of one or two reasons avoid hashing)."""
    if len(found) < 2:
        return tuple(found)
    if len(found) == 2:
        first, second = found
        return (first,) if first is second or first == second else (first, second)
    return tuple(dict.fromkeys(found))


def all_test(tests: tuple[Test, ...]) -> Test:
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


def any_test(tests: tuple[Test, ...]) -> Test:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda scan: first(scan) or second(scan)

    def test_any(scan: StoryScan) -> bool:
        for test in tests:  # noqa: SIM110 (faster than any()/all())
            if test(scan):
                return True
        return False

    return test_any


def none_test(tests: tuple[Test, ...]) -> Test:
    either = any_test(tests)
    return lambda scan: not either(scan)


def no_reasons(scan: StoryScan) -> Sequence[Reason] | None:
    return ()


def all_collect(fns: tuple[tuple[Collect, bool], ...]) -> Collect:
    """Every child's reasons, in order; None when a child has none."""

    def collect_all(scan: StoryScan) -> Sequence[Reason] | None:
        reasons: list[Reason] = []
        for fn, _ in fns:
            found = fn(scan)
            if found is None:
                return None
            reasons.extend(found)
        return reasons

    return collect_all


def any_collect(fns: tuple[tuple[Collect, bool], ...]) -> Collect:
    """The reasons of every child that held, except that the expensive children (those
    flagged True: with a regex) are skipped once a cheap one held."""

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
