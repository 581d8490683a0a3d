"""Name evidence: the word lists that tell a person's name from other capitalised words.

`Lexicon.load()` reads the package data files once (titles, role nouns, particles,
stop words, organisation words, Chinese family names) and the first-name dictionary
shipped by the `gender-guesser` package (about 45,000 given names from many countries,
with the gender each is usually given to). Every word is stored folded (`text.fold`),
so "Mevlüt" and "Mevlut" are the same name.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from bot.core.extract.text import fold

_DATA = "bot.core.extract.data"

# gender-guesser's first-name dictionary: "M  Aad   <country columns>"; the code in
# the first column says how the name is given (M, 1M/?M mostly male, F, 1F/?F, ?).
_FIRST_NAMES_PACKAGE = "gender_guesser"
_FIRST_NAMES_FILE = "data/nam_dict.txt"
_GENDER_CODES = {"M": "m", "1M": "m", "?M": "m", "F": "f", "1F": "f", "?F": "f", "?": "?"}

# Words that open the names of towns ("San Francisco", "Abu Dhabi", "Fort Worth"); a name
# the gazetteer has that opens with one is a place even when its first word is a given name.
PLACE_PREFIXES = frozenset(
    ("san", "santa", "santo", "sao", "abu", "los", "las", "el", "new", "port", "porto", "puerto",
     "saint", "st", "fort", "rio", "ciudad")
)  # fmt: skip
_PLACE_FILES = ("places_curated.tsv", "places_generated.tsv")


def _read_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a package data file, stripped of the newline."""
    text = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and line[0] != "#"]


def _read_words(name: str) -> frozenset[str]:
    return frozenset(fold(line.strip()) for line in _read_lines(name))


def _read_titles() -> tuple[dict[str, str | None], frozenset[str]]:
    """Titles (folded, full) with their gender when they tell it, and every title word."""
    titles: dict[str, str | None] = {}
    words: set[str] = set()
    for line in _read_lines("titles_en.txt"):
        title, _, gender = line.partition("\t")
        key = fold(title.strip())
        titles[key] = gender.strip() or None
        for word in key.split():
            words.add(word)
            words.add(word.rstrip("."))
    return titles, frozenset(words)


def _read_prefixed_places() -> frozenset[tuple[str, ...]]:
    """The gazetteer's names of two or more words that open with a place prefix, as tuples
    of folded words without full stops: ("san", "francisco"), ("st", "louis")."""
    found: set[tuple[str, ...]] = set()
    for name in _PLACE_FILES:
        for line in _read_lines(name):
            for variant in line.partition("\t")[0].split("|"):
                words = tuple(w.rstrip(".") for w in fold(variant).split())
                if len(words) >= 2 and words[0] in PLACE_PREFIXES:
                    found.add(words)
    return frozenset(found)


def _popularity(columns: str) -> int:
    """Sum of the frequency digits (1-9, A-D) over the country columns of one entry."""
    return sum(int(c, 16) for c in columns if c in "123456789ABCD")


def _read_first_names() -> dict[str, tuple[str, int]]:
    """Folded given name -> (gender "m"/"f"/"?", popularity), from gender-guesser's data."""
    source = resources.files(_FIRST_NAMES_PACKAGE).joinpath(_FIRST_NAMES_FILE)
    names: dict[str, tuple[str, int]] = {}
    with source.open("r", encoding="utf-8") as stream:
        for line in stream:
            if not line or line[0] in "#=":
                continue
            parts = line.split(None, 2)
            if len(parts) < 2:
                continue
            gender = _GENDER_CODES.get(parts[0], "?")
            points = _popularity(line[30:-1])
            # "+" joins the parts of a compound name written with a space or a hyphen.
            for name in {parts[1].replace("+", sep) for sep in ("", "-", " ")}:
                key = fold(name)
                old = names.get(key)
                if old is None:
                    names[key] = (gender, points)
                else:
                    names[key] = (old[0] if old[0] == gender else "?", old[1] + points)
    return names


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Folded word lists for recognising names; build with `Lexicon.load()`.

    `first_names` maps a given name to its gender ("m", "f" or "?" for both) and its
    popularity (frequency points summed over the countries it is given in); `titles`
    maps a full title ("foreign minister") to its gender or None; `title_words` holds every word of
    every title; `roles` are lower-case role nouns ("spokesman"); `stopwords` are
    capitalised words that never start a name; `org_words` mark organisations and
    places; `particles` join names ("al", "de"); `suffixes` end them ("jr", "ii");
    `cn_surnames` are Chinese family names; `calendar` months and weekdays;
    `prefixed_places` the gazetteer's towns that open with a place prefix ("san francisco"),
    as tuples of folded words.
    """

    first_names: dict[str, tuple[str, int]]
    titles: dict[str, str | None]
    title_words: frozenset[str]
    roles: frozenset[str]
    stopwords: frozenset[str]
    org_words: frozenset[str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    cn_surnames: frozenset[str]
    calendar: frozenset[str]
    prefixed_places: frozenset[tuple[str, ...]] = frozenset()

    @classmethod
    def load(cls) -> Lexicon:
        """Read every word list (a few hundred milliseconds; do it once)."""
        titles, title_words = _read_titles()
        stopwords = _read_words("names_stopwords.txt")
        # "The", "In", "He" are given names somewhere; never in English text.
        first_names = {k: v for k, v in _read_first_names().items() if k not in stopwords}
        return cls(
            first_names=first_names,
            titles=titles,
            title_words=title_words,
            roles=_read_words("titles_roles.txt"),
            stopwords=stopwords,
            org_words=_read_words("names_org_words.txt"),
            particles=_read_words("names_particles.txt"),
            suffixes=_read_words("names_suffixes.txt"),
            cn_surnames=_read_words("names_cn_surnames.txt"),
            calendar=_read_words("names_calendar.txt"),
            prefixed_places=_read_prefixed_places(),
        )

    def gender_of_first_name(self, word: str) -> str | None:
        """ "m" or "f" when the folded given name is usually given to one sex, else None."""
        entry = self.first_names.get(word)
        return entry[0] if entry is not None and entry[0] in ("m", "f") else None
