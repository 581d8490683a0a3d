"""Countries a story refers to: names, variants, demonyms, capitals, regions and cities.

One pass of one Aho-Corasick automaton over the normalised folded text finds every
whole-word name (see places_data.py); then, in order:

1. Case: a name must be written capitalised ("turkey" the bird, "china" plates are not
   places); an acronym must be written in capitals ("US", not "us"), and a lone "US" inside
   an all-capitals run ("LET US KNOW") is not trusted.
2. Vetoes: listed words before/after ("Thanksgiving turkey", "Spanish-language", "guinea pig");
   a city naming a diplomatic process ("Astana talks", "Minsk agreements") is not a place.
   Names that are also common words ("Nice", "Reading") are ignored at a sentence start and
   in the headline.
3. Leftmost-longest: "South Sudan" beats "Sudan", "Papua New Guinea" beats "Guinea". Blockers
   ("Washington Post", "Indian Ocean", "Latin America") win here and are then dropped.
4. People: a one-word place after a given name or title is a surname ("Michael Jordan",
   "Mr Jordan", "de Lima"); a given-name-like place before a capitalised word that is not a
   place word is a first name ("Jordan Henderson", "Paris Hilton", "Chad Smith"; but
   "Jordan Valley", "Chad President", "Israel Antiquities Authority"). Once a name is a
   person in a story, its mentions there followed by "said", "'s", "who"... are that person.
5. "Perth, Scotland", "Sydney, Nova Scotia", "Paris, Texas": a city followed by ", <country or
   region of another country>" belongs to the latter, and only the latter counts.
6. Georgia is the US state when the story says so ("Atlanta, Georgia", "state of Georgia",
   another US state in the sentence) or when its US places outnumber its Georgian ones.
   "Korea"/"Korean" and "Congo"/"Congolese" go to KR and CD unless the story names only the
   other one (North Korea, Brazzaville) explicitly.
"""

from __future__ import annotations

import difflib
import re

from bot.core.extract.places_data import Entry, GazetteerData, edits, load_data, norm
from bot.core.extract.text import Document, fold, fold_key
from bot.core.models import CountryRef, Mention

_Hit = tuple[int, int, Entry]  # start, end (offsets into doc.text), what the name is
_LOCATED = frozenset({"city", "capital", "place"})  # what ", <country>" can relocate
_US_EVIDENCE = frozenset({"region", "city", "place"})
_CLOSERS = frozenset(",.;:)!?\n")
# After a name already seen as a person's: "Jordan said", "Jordan's", "Jordan, who".
_PERSON_NEXT = re.compile(r"(?:'s|’s|,? who| said| says| told| added| was| is| has| had)\b")


class Gazetteer:
    """Country finder and country-name resolver. Build once with `load()`; then read-only."""

    def __init__(self, data: GazetteerData) -> None:
        self._data = data
        self._lookup: dict[str, str] = {}  # fold_key(name or demonym or code) -> code
        self._display: dict[str, str] = {}  # fold_key(accepted name) -> name as written
        self._demonyms: dict[str, str] = {}
        for code, country in data.countries.items():
            for name in (country.name, *country.aliases):
                self._lookup.setdefault(fold_key(name), code)
                self._display.setdefault(fold_key(name), name)
            for demonym in country.demonyms:
                self._demonyms.setdefault(fold_key(demonym), code)
                self._display.setdefault(fold_key(demonym), demonym)
        for code in data.countries:
            self._lookup[code.casefold()] = code
        for entry in data.entries:
            if entry.kind == "ambiguous":
                self._lookup.setdefault(entry.key, entry.code)

    @classmethod
    def load(cls) -> Gazetteer:
        """Load the package data and build the automaton (do it once, at start-up)."""
        return cls(load_data())

    # -- resolving names (rules files, people.py) ------------------------------------------

    def resolve(self, name: str) -> str | None:
        """ISO alpha-2 code for a code, country name, variant or demonym; None if unknown."""
        key = fold_key(name)
        return self._lookup.get(key) or self._demonyms.get(key)

    def suggest(self, name: str) -> str | None:
        """The accepted country name or demonym nearest to a misspelt `name`, if any is close."""
        key = fold_key(name)
        close = difflib.get_close_matches(key, list(self._display), n=8, cutoff=0.5)
        # Rank the near ones by edits, so "Sirya" -> "Syria" (2 edits), not "Iraq" (3).
        ranked = sorted((edits(key, c), i, c) for i, c in enumerate(close))
        if not ranked or ranked[0][0] > max(1, min(3, len(key) // 2)):
            return None
        return self._display[ranked[0][2]]

    def name_of(self, code: str) -> str:
        """Canonical short English name ("TR" -> "Turkey"); an unknown code is returned as is."""
        country = self._data.countries.get(code.upper())
        return country.name if country else code

    def nationality(self, word: str) -> str | None:
        """Code for a demonym or adjective ("Russian" -> "RU"); None if `word` is not one."""
        return self._demonyms.get(fold_key(word))

    def country_names(self) -> list[str]:
        """Every accepted country name and variant, sorted."""
        names = {n for c in self._data.countries.values() for n in (c.name, *c.aliases)}
        return sorted(names, key=str.casefold)

    # -- finding countries in a story ------------------------------------------------------

    def find(self, doc: Document) -> tuple[CountryRef, ...]:
        """Countries `doc` refers to, by first mention, each with every mention."""
        hits = self._people(doc, self._longest(self._candidates(doc)))
        hits = _relocate(doc.text, self._disambiguate(doc, hits))
        by_code: dict[str, list[Mention]] = {}
        for start, end, entry in hits:
            by_code.setdefault(entry.code, []).append(Mention(doc.text[start:end], start, end))
        return tuple(
            CountryRef(code, self.name_of(code), tuple(mentions))
            for code, mentions in by_code.items()
        )

    def _candidates(self, doc: Document) -> list[_Hit]:
        """Every automaton hit that passes the case, context and veto checks."""
        text, data = doc.text, self._data
        found: list[_Hit] = []
        for last, (length, index) in data.automaton.iter(norm(doc.folded)):
            entry = data.entries[index]
            # The key is padded with a space each side and the padded text is shifted by one:
            # the name itself is text[last - length + 1 : last - 1].
            start, end = last - length + 1, _trim(text, last - length + 1, last - 1)
            if entry.kind != "block" and not self._plausible(doc, start, end, entry):
                continue
            found.append((start, end, entry))
        return found

    def _plausible(self, doc: Document, start: int, end: int, entry: Entry) -> bool:
        text = doc.text
        if entry.acronym:
            if any(c.islower() for c in text[start:end]):
                return False
            if entry.key == "us" and _caps_neighbour(text, start, end):
                return False
        elif not text[start].isupper():
            return False
        veto = self._data.vetoes.get(entry.key)
        if veto and (_word_before(text, start) in veto[0] or _word_after(text, end) in veto[1]):
            return False
        if entry.kind in _LOCATED and self._names_process(text, end):
            return False
        if entry.common_word:
            sentence = doc.sentence_at(start)
            at_start = sentence is None or not text[sentence.start : start].strip("\"'“‘([ ")
            if at_start or start < doc.headline_end:
                return False
        return True

    def _names_process(self, text: str, end: int) -> bool:
        """Is the place at `end` the name of a process ("Astana and Sochi peace talks")?"""
        after = _word_after(text, end)
        if after == "and":  # "Astana and Sochi talks": skip "and Sochi"
            second = _word_after(text, end + 4, raw=True)
            if not second[:1].isupper():
                return False
            end += 5 + len(second)
            after = _word_after(text, end)
        if after == "peace":
            after = _word_after(text, end + 6)
        return after in self._data.process_words

    @staticmethod
    def _longest(hits: list[_Hit]) -> list[_Hit]:
        """Leftmost-longest, non-overlapping; blockers take their span and are dropped."""
        hits.sort(key=lambda h: (h[0], -h[1]))
        kept: list[_Hit] = []
        reach = -1
        for hit in hits:
            if hit[0] >= reach:
                kept.append(hit)
                reach = hit[1]
        return [h for h in kept if h[2].kind != "block"]

    def _people(self, doc: Document, hits: list[_Hit]) -> list[_Hit]:
        """Drop one-word places that are part of a person's name (rule 4)."""
        data, text = self._data, doc.text
        starts, ends = {h[0] for h in hits}, {h[1] for h in hits}
        persons: set[str] = set()  # keys seen as a name: their other "X said" mentions too
        dropped: set[int] = set()
        for start, end, entry in hits:
            if " " in entry.key or entry.acronym or entry.kind == "demonym":
                continue
            if text[start:end].isupper():
                continue  # a dateline ("KARAK, JORDAN")
            before = _word_before(text, start, raw=True)
            if fold(before) in data.particles and entry.kind != "name":
                persons.add(entry.key)  # "de Lima", "van Holland"
                dropped.add(start)
            elif fold(before.rstrip(".")) in data.titles or (
                before.istitle()
                and before.isalpha()
                and fold(before) in data.given_names
                and start - 1 not in ends
            ):
                persons.add(entry.key)  # "Mr Jordan", "Michael Jordan"
                dropped.add(start)
            elif entry.person_like and start >= doc.headline_end:
                after = _word_after(text, end, raw=True)
                next_end = end + 1 + len(after)
                if (
                    after.istitle()
                    and fold(after) not in data.place_followers
                    and (entry.kind != "name" or fold(after) in data.surnames)
                    and end + 1 not in starts
                    and not _word_after(text, next_end, raw=True).istitle()
                    and _word_after(text, next_end) not in ("and", "of", "for")
                ):
                    # "Jordan Henderson"; not "Israel Antiquities Authority", "Israel Nature and
                    # Parks Authority" nor (a country needs a known surname) "Israel Hayom"
                    persons.add(entry.key)
                    dropped.add(start)
        return [
            h
            for h in hits
            if h[0] not in dropped and not (h[2].key in persons and _PERSON_NEXT.match(text, h[1]))
        ]

    def _disambiguate(self, doc: Document, hits: list[_Hit]) -> list[_Hit]:
        """Georgia (GE or the US state), Korea and Congo (rule 6)."""
        codes = {h[2].code for h in hits if h[2].kind != "ambiguous" and h[2].key != "georgia"}
        us_places = sum(1 for h in hits if h[2].code == "US" and h[2].kind in _US_EVIDENCE)
        ge_places = sum(1 for h in hits if h[2].code == "GE" and h[2].key != "georgia")
        out: list[_Hit] = []
        for start, end, entry in hits:
            resolved = entry
            if entry.kind == "ambiguous":
                if entry.alternative in codes and entry.code not in codes:
                    resolved = _recode(entry, entry.alternative)
            elif entry.key == "georgia" and self._is_us_georgia(
                doc, hits, start, end, us_places > ge_places
            ):
                resolved = _recode(entry, "US")
            out.append((start, end, resolved))
        return out

    @staticmethod
    def _is_us_georgia(
        doc: Document, hits: list[_Hit], start: int, end: int, us_story: bool
    ) -> bool:
        text = doc.text
        lead = fold(text[max(0, start - 20) : start])
        if lead.endswith(("state of ", "u.s. state of ", "us state of ")):
            return True
        if fold(text[end : end + 6]) == " state" or text[end : end + 7] in (", U.S.", " (U.S.)"):
            return True
        before = [h for h in hits if h[1] <= start]
        if before and text[before[-1][1] : start] == ", " and before[-1][2].code == "US":
            return True  # "Atlanta, Georgia"
        sentence = doc.sentence_at(start)
        if sentence and any(
            h[2].code == "US" and h[2].kind == "region" and sentence.start <= h[0] < sentence.end
            for h in hits
        ):
            return True  # "Alabama, Georgia and Florida"
        return us_story


def _recode(entry: Entry, code: str) -> Entry:
    return Entry(code, entry.kind, entry.key, entry.acronym, entry.person_like, False)


def _relocate(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Rule 5: "Perth, Scotland" counts only Scotland."""
    out: list[_Hit] = []
    for i, hit in enumerate(hits):
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if (
            nxt is not None
            and hit[2].kind in _LOCATED
            and nxt[2].kind in ("name", "region")
            and nxt[2].code != hit[2].code
            and text[hit[1] : nxt[0]] == ", "
            and (
                nxt[1] >= len(text) or text[nxt[1]] in _CLOSERS or text[nxt[1] : nxt[1] + 2] == " ("
            )
        ):
            continue
        out.append(hit)
    return out


def _trim(text: str, start: int, end: int) -> int:
    """End of the name as written: drop trailing spaces the normalisation padded."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _word_before(text: str, start: int, raw: bool = False) -> str:
    """The word just before `start` (one space apart), folded unless `raw`; "" if none."""
    if start < 2 or text[start - 1] != " ":
        return ""
    begin = start - 1
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    word = text[begin : start - 1]
    return word if raw else fold(word).strip("\"'“‘(")


def _word_after(text: str, end: int, raw: bool = False) -> str:
    """The word just after `end` (one space or hyphen apart), folded unless `raw`."""
    if end >= len(text) - 1 or text[end] not in " -":
        return ""
    stop = end + 1
    while stop < len(text) and (text[stop].isalnum() or text[stop] in "'’"):
        stop += 1
    word = text[end + 1 : stop]
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    return word if raw else fold(word)


def _caps_neighbour(text: str, start: int, end: int) -> bool:
    """Is the word before or after an all-capitals word (a shouted headline)?"""
    around = (text[max(0, start - 15) : start].split() or [""])[-1:] + (
        text[end : end + 15].split() or [""]
    )[:1]
    return any(len(w) > 1 and w.isalpha() and w.isupper() for w in around)
