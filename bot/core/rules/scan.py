"""One pass over a story for every keyword, phrase and name of every rule.

All words of all rules go into one Aho-Corasick automaton over folded text (case and
diacritics removed by `fold`, which keeps offsets) and, only when some rule asks for
`case: sensitive`, a second one over the raw text. A story is scanned once per
automaton, whatever the number of rules; the hits are filtered to whole words and the
first occurrence of each pattern (and its first occurrence in the headline) is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ahocorasick

from bot.core.extract.text import fold, fold_key

# Whitespace of any kind scans as a space, so "friendly\nmatch" is the phrase
# "friendly match"; one character for one keeps the offsets.
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

Span = tuple[int, int]


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def pattern_key(word: str, *, case_sensitive: bool) -> tuple[str, bool]:
    """The key a keyword is scanned by, and whether it is a prefix (`ceasefire*`)."""
    text = word.strip()
    prefix = text.endswith("*")
    text = text.rstrip("*")
    key = " ".join(text.split()) if case_sensitive else fold_key(text)
    return key, prefix


class Folder:
    """`fold` for whole stories, fast: the few non-ASCII characters are folded one by one
    (each once, by `fold`, then remembered), the rest by `str.lower`; same offsets."""

    def __init__(self) -> None:
        self._folded: dict[str, str] = {}

    def _one(self, found: re.Match[str]) -> str:
        char = found.group()
        folded = self._folded.get(char)
        if folded is None:
            folded = self._folded[char] = fold(char)
        return folded

    def __call__(self, text: str) -> str:
        if text.isascii():
            return text.lower()
        # As `fold` does for non-ASCII text: a backtick is an apostrophe.
        return _NON_ASCII.sub(self._one, text).lower().replace("`", "'")


def spaced(text: str) -> str:
    """Every whitespace character as a plain space (same length)."""
    for char in "\n\r\t\v\f":
        if char in text:
            text = text.replace(char, " ")
    return text


@dataclass(frozen=True, slots=True)
class _Entry:
    pattern_id: int
    check_left: bool
    check_right: bool


class PatternSet:
    """Registry of scanned patterns; `add` returns a pattern id (equal patterns share one)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, bool, bool], int] = {}
        self._literals: dict[str, int] = {}
        self._entries: dict[bool, dict[str, list[_Entry]]] = {False: {}, True: {}}
        self._automata: dict[bool, Any] = {}
        self._fold = Folder()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, word: str, *, case_sensitive: bool) -> int | None:
        """Register a keyword; None when it has nothing to scan for (only spaces or `*`)."""
        key, prefix = pattern_key(word, case_sensitive=case_sensitive)
        if not key:
            return None
        ident = (key, case_sensitive, prefix)
        found = self._ids.get(ident)
        if found is not None:
            return found
        pattern_id = len(self._ids) + len(self._literals)
        self._ids[ident] = pattern_id
        entry = _Entry(
            pattern_id,
            check_left=is_word_char(key[0]),
            check_right=not prefix and is_word_char(key[-1]),
        )
        self._entries[case_sensitive].setdefault(key, []).append(entry)
        return pattern_id

    def add_literal(self, word: str) -> int:
        """Register fixed text to be found anywhere, not only as a whole word: a
        necessary word of a regex (`literals.py`), in ASCII without backticks.

        Scanned in the folded text, so a hit means only that the word *may* be in the
        story (in some case); no hit proves that it is not there.
        """
        key = spaced(word.lower())
        found = self._literals.get(key)
        if found is not None:
            return found
        pattern_id = self._literals[key] = len(self._ids) + len(self._literals)
        entry = _Entry(pattern_id, check_left=False, check_right=False)
        self._entries[False].setdefault(key, []).append(entry)
        return pattern_id

    def build(self) -> None:
        """Build the automata; call once, after the last `add`."""
        for case_sensitive, entries in self._entries.items():
            if not entries:
                continue
            automaton = ahocorasick.Automaton()
            for key, found in entries.items():
                automaton.add_word(
                    key,
                    (len(key), tuple((e.pattern_id, e.check_left, e.check_right) for e in found)),
                )
            automaton.make_automaton()
            self._automata[case_sensitive] = automaton

    def scan(self, text: str, headline_end: int) -> tuple[dict[int, Span], dict[int, Span]]:
        """First whole-word hit of each pattern in `text`, and first hit in the headline."""
        hits: dict[int, Span] = {}
        head: dict[int, Span] = {}
        for case_sensitive, automaton in self._automata.items():
            scanned = spaced(text if case_sensitive else self._fold(text))
            size = len(scanned)
            for last, (length, entries) in automaton.iter(scanned):
                end = last + 1
                start = end - length
                before = scanned[start - 1] if start else " "
                after = scanned[end] if end < size else " "
                left_ok = not (before.isalnum() or before == "_")
                right_ok = not (after.isalnum() or after == "_")
                for pattern_id, check_left, check_right in entries:
                    if (check_left and not left_ok) or (check_right and not right_ok):
                        continue
                    if pattern_id not in hits:
                        hits[pattern_id] = (start, end)
                    if end <= headline_end and pattern_id not in head:
                        head[pattern_id] = (start, end)
        return hits, head
