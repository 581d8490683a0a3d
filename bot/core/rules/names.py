"""Matching the people a rule names against the people a story names.

Names are compared folded (`fold_key`: "Mevlut Cavusoglu" = "Mevlüt Çavuşoğlu"). A
watched name matches an extracted person when

- the whole names are equal (the name or one of its aliases), or
- the surnames are equal and the extracted person has no first name ("Lavrov"), or
  one of its first names is close to one of the watched first names: equal after
  folding common transliteration variants (Sergey = Sergei = Sergej), one edit apart
  in names of five letters or more, or an initial ("S. Lavrov").

A different first name with the same surname ("Ivan Lavrov") does not match. Name
particles (al-, von, van der, bin...) are ignored in the comparison, so "Assad" matches
"Bashar al-Assad". A one-word alias matches anyone with that surname.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.extract.text import fold_key
from bot.core.models import Person

_PARTICLES = frozenset(
    (
        *("al", "el", "ad", "ash", "as", "at", "ibn", "bin", "ben", "bint", "abu"),
        *("von", "van", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das"),
        *("la", "le"),
    )
)
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ash|as|at|ibn|bin|abu)-")
# Spelling variants of transliterated names, folded to one spelling (applied in order).
_TRANSLIT = (
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("y", "i"),
    ("j", "i"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
)
_DOUBLED = re.compile(r"(.)\1+")
_SEEN_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name split for comparison: folded first names (particles dropped), the same
    with transliteration variants folded (`spelled`), the surname key, the whole key."""

    given: tuple[str, ...]
    spelled: tuple[str, ...]
    surname: str
    key: str


def name_form(name: str) -> NameForm | None:
    """Split `name` for comparison; None when it has no letters."""
    key = fold_key(name.replace(".", ". "))
    tokens = [t.strip(".,") for t in key.split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return None
    surname = _PARTICLE_PREFIX.sub("", tokens[-1])
    given = tuple(t for t in tokens[:-1] if t not in _PARTICLES)
    spelled = tuple(_translit(t) for t in given)
    return NameForm(given=given, spelled=spelled, surname=surname, key=" ".join(tokens))


def _translit(token: str) -> str:
    for old, new in _TRANSLIT:
        token = token.replace(old, new)
    return _DOUBLED.sub(r"\1", token)


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def first_names_close(watched: str, seen: str) -> bool:
    """Whether first name `seen` (from a story) may be a spelling of `watched`."""
    return _close(watched, _translit(watched), seen, _translit(seen))


def _close(watched: str, watched_spelled: str, seen: str, seen_spelled: str) -> bool:
    if len(seen) == 1 or len(watched) == 1:  # an initial
        return seen[0] == watched[0]
    if seen == watched or watched_spelled == seen_spelled:
        return True
    shortest = min(len(watched_spelled), len(seen_spelled))
    return shortest >= 5 and _within_one_edit(watched_spelled, seen_spelled)


def forms_match(watched: NameForm, seen: NameForm) -> bool:
    """Whether a story's name form `seen` refers to the watched name form."""
    if watched.key == seen.key:
        return True
    if watched.surname != seen.surname:
        return False
    if not watched.given or not seen.given:
        return True
    return any(
        _close(w, ws, s, ss)
        for w, ws in zip(watched.given, watched.spelled, strict=True)
        for s, ss in zip(seen.given, seen.spelled, strict=True)
    )


class PeopleIndex:
    """Every watched person of every rule, indexed by surname for a quick lookup.

    `add` returns the person's id (equal `PersonName`s share one); `find` returns the ids
    of the watched people an extracted person may be.
    """

    def __init__(self) -> None:
        self._ids: dict[tuple[str, tuple[str, ...]], int] = {}
        self._by_surname: dict[str, list[tuple[int, NameForm]]] = {}
        self.names: list[str] = []
        # The same people are in the news day after day: remember who a name matched.
        self._seen: dict[str, frozenset[int]] = {}

    def __len__(self) -> int:
        return len(self.names)

    def add(self, name: str, aliases: Iterable[str]) -> int:
        spellings = (name, *aliases)
        key = (fold_key(name), tuple(sorted(fold_key(a) for a in aliases)))
        found = self._ids.get(key)
        if found is not None:
            return found
        person_id = len(self.names)
        self._ids[key] = person_id
        self.names.append(name)
        for spelling in spellings:
            form = name_form(spelling)
            if form is not None:
                self._by_surname.setdefault(form.surname, []).append((person_id, form))
        return person_id

    def find(self, person: Person) -> frozenset[int]:
        """Ids of the watched people `person` may be."""
        known = self._seen.get(person.name)
        if known is not None:
            return known
        seen = name_form(person.name)
        found: frozenset[int] = frozenset()
        if seen is not None:
            candidates = self._by_surname.get(seen.surname, ())
            found = frozenset(pid for pid, form in candidates if forms_match(form, seen))
        if len(self._seen) >= _SEEN_LIMIT:
            self._seen.clear()
        self._seen[person.name] = found
        return found
