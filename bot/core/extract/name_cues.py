"""Cues in the raw text around or inside a capitalised phrase that bear on its being a name.

Plain functions of the story's text (as written, not folded), the word lists and, for
`country_before`, the gazetteer; none keeps state. Each reads a short, fixed window: the
word shape itself (`is_brand`), the words just before an offset (`after_kin`,
`introduced`, `surnamed`, `role_before`, `country_before`), a folded title (`is_title`)
or the whole text for a lower-case use of a word (`lower_in`). `name_evidence` and
`name_judge` weigh them.
"""

from __future__ import annotations

import re

from bot.core.extract.name_words import PlaceLookup
from bot.core.extract.names import Lexicon

# Before a role noun in an apposition that a name follows ("her aunt, Rubeena Banu").
_POSSESSIVE_DETERMINERS = frozenset(("the", "his", "her", "their", "its", "a", "an"))
# The beginnings of surnames written with an inner capital ("McLaren", "DeVos"); any other
# inner capital marks a brand or an outlet ("NewsHub", "YouTube").
_INNER_CAPITAL_PREFIXES = frozenset(
    ("mc", "mac", "o", "d", "de", "di", "da", "du", "la", "le", "van", "von", "fitz", "st", "al",
     "el", "ben", "bin", "abu")
)  # fmt: skip
# Kin nouns: a capitalised word right after one in an apposition is a given name even when
# no dictionary knows it ("his wife of 40 years, Zenobette", "His mother, Alix", "his twin
# brother, Roderick", "Owens' father, Bill", "his 3-year-old, Saeed").
_KIN_BEFORE = re.compile(
    r"""(?:\b(?i:his|her|their)|[A-Z][\w\-]*(?:'s|’s|'|’))[ ]
    (?:(?:twin|late|older|younger|elder|eldest|youngest|little|baby|infant|step)[ ])?
    (?:wife|husband|widow|widower|son|daughter|brother|sister|mother|father|partner|fiancee?
      |cousin|aunt|uncle|niece|nephew|grandson|granddaughter|grandmother|grandfather
      |\d{1,3}-year-old)
    (?:[ ]of[ ][\w ]{1,24})?,[ ]$""",
    re.VERBOSE,
)
# What may follow a word for `used_in` to count it (a set, so "" at the end of a text is not).
_WORD_ENDS = frozenset((" ", ",", ".", ";"))
# Words that introduce a person by name: "a girl named Alix", "her husband, surnamed
# Zhang", "6-year-old Ahmad".
_INTRODUCED = re.compile(r"(?:\b(?:named|surnamed)|(?<![\w-])\d{1,3}-year-old)[ ]$")


def lower_in(text: str, word: str) -> bool:
    """Whether `word` also occurs in lower case in `text` (then it is a common word)."""
    low = word.lower()
    if low == word:
        return False
    return used_in(text, low)


def used_in(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` after a space and before a space, comma, full stop or
    semicolon (" word," but not " words")."""
    # One scan for " word", checking what follows each hit, instead of a scan of the whole
    # text for each of the four endings (most words are not there at all).
    needle = " " + word
    at = text.find(needle)
    while at >= 0:
        after = at + len(needle)
        if text[after : after + 1] in _WORD_ENDS:
            return True
        at = text.find(needle, at + 1)
    return False


def after_kin(text: str, start: int) -> bool:
    """Whether a kin noun in an apposition ends right before `start`: "his wife, Zenobette"."""
    return (
        text[start - 2 : start] == ", "
        and _KIN_BEFORE.search(text, max(0, start - 60), start) is not None
    )


def introduced(text: str, start: int) -> bool:
    """Whether `start` follows a word that introduces a name: "a father named Firas",
    "surnamed Zhang", "6-year-old Ahmad"."""
    return _INTRODUCED.search(text, max(0, start - 20), start) is not None


def surnamed(text: str, start: int) -> bool:
    """Whether `start` follows "surnamed ": what follows is a family name ("a man surnamed
    Zhang"), in no dictionary of given names."""
    return text.endswith("surnamed ", 0, start)


def is_brand(word: str) -> bool:
    """Whether `word` has an inner capital no surname has: "NewsHub", not "McLaren"."""
    if word[1:].islower():
        return False
    for j in range(1, len(word)):
        if word[j].isupper() and word[j - 1].islower():
            return word[:j].lower() not in _INNER_CAPITAL_PREFIXES
    return False


def is_title(title: str, lexicon: Lexicon) -> bool:
    """Whether `title` (folded) ends with a known title: "security minister", not "supreme"."""
    words = title.split()
    return any(" ".join(words[k:]) in lexicon.titles for k in range(len(words)))


def role_before(text: str, start: int, lexicon: Lexicon) -> bool:
    """Whether a lower-case role noun stands right before `start` ("official Ouma Oluga",
    "chief of staff Reince Priebus"), or ends an apposition before it ("said her aunt,
    Rubeena Banu")."""
    before = text[max(0, start - 40) : start]
    if not before.endswith(" "):
        return False
    words = before.split()
    if not words:
        return False
    last = words[-1]
    if last.endswith(",") and len(words) >= 2 and words[-2] in _POSSESSIVE_DETERMINERS:
        last = last[:-1]  # "her aunt," / "the director," but not "Tuesday,"
    if last.islower() and last in lexicon.roles:
        return True
    # "chief of staff Reince Priebus", "head of security Ali Lazaar": a role of something.
    return (
        len(words) >= 3
        and words[-2] == "of"
        and last.isalpha()
        and last.islower()
        and words[-3] in lexicon.roles
    )


def country_before(text: str, start: int, lexicon: Lexicon, places: PlaceLookup) -> str | None:
    """The country of "his Russian counterpart Sergey Lavrov" / "Turkey's top diplomat X"."""
    words = text[max(0, start - 60) : start].split()[-4:]
    while words and words[-1].islower() and words[-1] in lexicon.roles:
        words.pop()
    if len(words) == 4 or not words:
        return None
    word = words[-1].strip(',;:()"“”')
    if word.endswith(("'s", "’s")):
        return places.resolve(word[:-2])
    return places.nationality(word)
