"""Surnames written one letter off: "Petrow says" is a mention of Ivan Petrov.

`misspelt_mentions` finds, for the speaker attribution, the words of a story that are a
known person's surname with one letter replaced, added or dropped ("Petrow" for Petrov,
"Bergmann" for Bergman). A word counts only when it is a lone capitalised word (not
"Ann Petrow" nor "Petrow Street": part of another name), outside the quotes and the known
mentions, one edit away from exactly one person's surname of six letters or more with the
same initial, and never written in lower case in the story (not a common word: "Bishop"
and "bishop"). Pure functions of the text; never raises.
"""

from __future__ import annotations

import re
from functools import cache

from bot.core.extract.speech import QuoteSpan
from bot.core.extract.text import Stretches
from bot.core.models import Person

# A capitalised word right before: "United " before "States", "Ann " before "Petrow".
CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’\-]*[ ]$")


@cache
def _lone_capitalised(initial: str, least: int, most: int) -> re.Pattern[str]:
    """A capitalised word with that initial and `least` to `most` more letters, not followed
    by another ("Petrow says", not "Petrow Street")."""
    # The initial first, so the scan looks for that one letter (a literal prefix).
    letter = re.escape(initial)
    return re.compile(rf"{letter}(?<!\w{letter})[a-z]{{{least},{most}}}\b(?![ ][A-Z])")


def _one_edit(a: str, b: str) -> bool:
    """`a` and `b` share their initial and differ by one letter replaced, added or dropped."""
    if a[:1] != b[:1] or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def misspelt_mentions(
    text: str,
    people: tuple[Person, ...],
    spans: list[QuoteSpan],
    mentions: list[tuple[int, int, int]],
) -> list[tuple[int, int, int]]:
    """The (start, end, person index) of every surname written one letter off in `text`,
    given the story's quotes (`spans`) and its known `mentions` (same form), in the order
    found (not sorted)."""
    surnames: dict[str, set[int]] = {}
    for index, person in enumerate(people):
        last = person.name.split()[-1] if person.name.split() else ""
        if len(last) >= 6 and last.isalpha():
            surnames.setdefault(last, set()).add(index)
    by_initial: dict[str, list[tuple[str, set[int]]]] = {}
    for last, owners in surnames.items():
        by_initial.setdefault(last[0], []).append((last, owners))
    if not by_initial:
        return []
    found: list[tuple[int, int, int]] = []
    # Already a mention of someone, or inside a quote.
    taken = Stretches([(m[0], m[1]) for m in mentions] + [(s.open_at, s.close_at) for s in spans])
    words = (
        word
        for initial, known in by_initial.items()
        for word in _lone_capitalised(
            initial, min(len(k) for k, _ in known) - 2, max(len(k) for k, _ in known)
        ).finditer(text)
    )
    for word in words:
        written = word.group()
        candidates = by_initial[written[0]]
        if written in surnames:
            continue
        owners = {i for last, ids in candidates if _one_edit(written, last) for i in ids}
        if len(owners) != 1:
            continue
        if taken.covers(word.start()):
            continue
        if CAPITALISED_BEFORE.search(text, max(0, word.start() - 30), word.start()):
            continue  # "Ann Petrow", "Petrow Street": part of another name
        if re.search(rf"\b{re.escape(written.lower())}\b", text):
            continue  # a common word ("Bishop" and "bishop"), not a name
        found.append((word.start(), word.end(), owners.pop()))
    return found
