"""Necessary literals of a regex: words one of which every match must contain.

A `regex` leaf costs a full `re.search` over the story (about 50 µs on 3,500 characters
for `\\b[0-9]+ (?:killed|dead|wounded)\\b`), which is more than the shared scan of every
keyword of every rule. Most useful patterns contain fixed text, though: every match of
that one contains `killed`, `dead` or `wounded`. `necessary_literals` finds such a set;
the engine adds its words to the shared automaton, and runs the regex only on stories
where one of them occurs. The answer must be *necessary* (a story without any of the
words cannot match), never merely likely, so anything not understood gives None: no
filter, the regex always runs, exactly as before.

The pattern is read by the `re` module's own parser (`re._parser`, private but stable
since 3.11): it is the parser `re.compile` uses, so what it reads is what runs. Should
it be missing or change shape, every pattern simply goes unfiltered.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# Literals shorter than this are too common to filter anything, and every occurrence of a
# scanned word costs a step of the scan loop.
MIN_LENGTH = 4


def _parser() -> Any:
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # a Python without it: no filtering
        return None


def necessary_literals(pattern: str) -> frozenset[str] | None:
    """Words (ASCII, at least `MIN_LENGTH` long) one of which occurs, case for case, in
    any text the pattern matches; None when no such set is known.

    Only ASCII without backticks, because the engine finds these words in the *folded*
    story (lower-cased, whitespace as spaces, backticks straightened in non-ASCII text):
    an ASCII word occurring in the text occurs, lower-cased, in the folded text. Patterns
    that ignore case anywhere are not filtered (`(?i)k` also matches the Kelvin sign).
    """
    parser = _parser()
    if parser is None:
        return None
    try:
        parsed = parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return None
        return _sequence(list(parsed), parser)
    except Exception:  # an unexpected parse tree (a private module) means: no filter
        return None


def _sequence(items: list[tuple[Any, Any]], parser: Any) -> frozenset[str] | None:
    """Every item of a sequence must match, so any one item's set will do: the best."""
    c = parser  # re._parser re-exports the opcode constants of re._constants
    options: list[frozenset[str]] = []
    run: list[str] = []

    def end_run() -> None:
        if len(run) >= MIN_LENGTH:
            options.append(frozenset(["".join(run)]))
        run.clear()

    for op, av in items:
        if op is c.LITERAL and _safe(av):
            run.append(chr(av))
            continue
        end_run()
        found: frozenset[str] | None = None
        if op is c.SUBPATTERN:
            _group, add_flags, _del_flags, body = av
            if not add_flags & re.IGNORECASE:
                found = _sequence(list(body), parser)
        elif op is c.ATOMIC_GROUP:
            found = _sequence(list(av), parser)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, body = av
            if low >= 1:
                found = _sequence(list(body), parser)
        elif op is c.BRANCH:
            found = _branch(av[1], parser)
        if found is not None:
            options.append(found)
    end_run()
    if not options:
        return None
    # The most selective: longest shortest word, then fewest words.
    return max(options, key=lambda words: (min(map(len, words)), -len(words)))


def _branch(alternatives: list[Any], parser: Any) -> frozenset[str] | None:
    """One alternative matches, so the union of theirs; unknown if any one is unknown."""
    union: set[str] = set()
    for alternative in alternatives:
        found = _sequence(list(alternative), parser)
        if found is None:
            return None
        union |= found
    return frozenset(union)


def _safe(code: int) -> bool:
    return code < 128 and chr(code) != "`"
