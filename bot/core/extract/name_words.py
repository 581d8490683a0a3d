"""The words of a capitalised run, and the records the name scan hands on.

`run_words` cuts one run found by `NamePatterns.run` (`text[start:end]`, words separated by
single spaces) into `RunWord`s: each keeps its text as written, minus a possessive "'s",
and a folded `key` for look-ups, minus a trailing full stop and a glued Arabic article
("al-Assad" -> "assad"). It reads nothing outside the run and never drops a word.

`Token` (any capitalised word) and `Segment` (a person's name with its title and country)
are what `namescan.scan_names` returns; `PlaceLookup` is what it needs from the gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.extract.names import Lexicon


class PlaceLookup(Protocol):
    """What the name scan and the people finder need from the gazetteer
    (places.Gazetteer has it)."""

    def resolve(self, name: str) -> str | None:
        """ISO code of the place or country `name`, or None."""

    def nationality(self, word: str) -> str | None:
        """ISO code of the country a demonym/adjective ("Russian") names, or None."""


@dataclass(slots=True)
class Token:
    """A capitalised word: `key` is folded, without possessive and Arabic article."""

    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A person's name as written (title stripped), with its title and country if given."""

    text: str
    key: tuple[str, ...]
    start: int
    end: int
    title: str | None
    country: str | None
    tokens: tuple[Token, ...]


@dataclass(slots=True)
class RunWord:
    """One word of a capitalised run, as written and folded.

    `acronym`: all capitals and not a name suffix ("UN", not "III"); `particle`: written in
    lower case inside the run ("de" in "Leila de Lima").
    """

    text: str
    key: str
    start: int
    end: int
    possessive: bool
    acronym: bool
    particle: bool


def run_words(text: str, folded: str, start: int, end: int, lexicon: Lexicon) -> list[RunWord]:
    """The words of the run `text[start:end]` (`folded` is `text` folded, offsets shared)."""
    words: list[RunWord] = []
    pos = start
    for raw in text[start:end].split(" "):
        w_start, w_end = pos, pos + len(raw)
        pos = w_end + 1
        possessive = raw.endswith(("'s", "’s")) and len(raw) > 2
        if possessive:
            w_end -= 2
        base = text[w_start:w_end]
        key = folded[w_start:w_end].rstrip(".")
        if key[:3] in ("al-", "el-"):
            key = key[3:]
        words.append(
            RunWord(
                text=base,
                key=key,
                start=w_start,
                end=w_end,
                possessive=possessive,
                acronym=len(key) >= 2 and base.isupper() and key not in lexicon.suffixes,
                particle=base[:1].islower(),
            )
        )
    return words
