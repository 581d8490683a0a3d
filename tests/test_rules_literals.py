"""Necessary words of a regex: a story without any of them cannot match it."""

from __future__ import annotations

import random
import re

import pytest

from bot.core.rules.literals import necessary_literals


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\b[0-9]+ (?:killed|dead|wounded)\b", {"killed", "dead", "wounded"}),
        (r"[0-9]+ killed", {" killed"}),
        (r"killed|kills", {"kill"}),  # the common start of both
        (r"(?:truce|ceasefire) (?:talks|deal)", {"truce", "ceasefire"}),
        (r"(?P<n>\d+) (?:soldiers|troops)+", {"soldiers", "troops"}),
        (r"Border (?:crossing|post)s?", {"Border "}),
        (r"(?>atomic)x", {"atomic"}),
        # Nothing necessary and long enough, or case ignored: no filter.
        (r"\bst\w+", None),
        (r"(?i)summit", None),
        (r"a(?i:summit)b", None),
        (r"(?:summit)?", None),
        (r"summit|go", None),
        (r"Çavuşoğlu", None),  # non-ASCII letters break the words up, too short
        (r"sum`mit", None),
        (r"(", None),  # not a regex at all
    ],
)
def test_necessary_literals(pattern: str, words: set[str] | None) -> None:
    found = necessary_literals(pattern)
    assert (set(found) if found is not None else None) == words


PATTERNS = [
    r"\b[0-9]+ (?:killed|dead|wounded)\b",
    r"(?:abcd|bcde)+ef",
    r"x(?:abcd|bcde)*yzzy",
    r"(?:abcde|xyzzy)f[gh]?",
    r"a{2,3}bbbb",
    r"(?=ab)abcdx?",
    r"[ab]+cdef|ghij",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_match_contains_one_of_the_words(pattern: str) -> None:
    words = necessary_literals(pattern)
    assert words is not None
    rng = random.Random(pattern)
    pieces = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "x", "y", "z", "z", " ", "1"]
    pieces += ["killed", "dead", "abcd", "bcde", "bbbb", "cdef", "ghij", "ef", "yzzy"]
    pieces += ["12 killed", "3 dead", "xyzzy", "abcde", "aabbbb"]
    matched = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if re.search(pattern, text):
            matched += 1
            assert any(word in text for word in words), (pattern, text)
    assert matched > 20
