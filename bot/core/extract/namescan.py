"""Scanning a story for capitalised phrases that may be people's names.

`scan_names` finds every run of capitalised words (with name particles and initials
inside: "Leila de Lima", "George W. Bush"; a nickname in quotation marks joins the runs on
either side: Walter "Rusty" Hale), splits it at possessives, acronyms and function words
("Russia's | Vladimir Putin", "UN | Secretary-General Antonio Guterres", "John Smith | And
| Jane Doe") and hands each piece to `name_judge.judge_piece`, which strips the title,
nationality and sentence words in front and decides whether what is left is a person's
name. A one-word run that is no given name is only a reference ("Lavrov said"). Last, two
document-level vetoes drop names written as a town with its region ("in Glen Ellyn,
Illinois") and names in a title-case headline. Every capitalised word not in an accepted
name is returned as a `Token`, in text order, for `people.py` to match later references.

The pieces live in: `name_words` (run words, `Token`, `Segment`), `name_cues` (text
predicates), `name_evidence` (is it a name?) and `name_judge` (strip, then judge).
"""

from __future__ import annotations

import re

from bot.core.extract.name_cues import after_kin, surnamed
from bot.core.extract.name_evidence import NameEvidence
from bot.core.extract.name_judge import judge_piece
from bot.core.extract.name_words import PlaceLookup, RunWord, Segment, Token, run_words
from bot.core.extract.namepatterns import NICKNAME, PINYIN, NamePatterns
from bot.core.extract.names import Lexicon
from bot.core.extract.text import Document

__all__ = ["Segment", "Token", "scan_names"]

# Particles that may open a name written without its given name ("said de Lima"), and
# the two characters that end one (with the space or hyphen), to skip the check fast.
_LEADING_PARTICLES = ("al", "el", "bin", "ibn", "de", "del", "della", "di", "da", "du", "dos",
                      "das", "van", "von", "der", "ter")  # fmt: skip
_BEFORE_PARTICLE_ENDS = frozenset({p[-1] + " " for p in _LEADING_PARTICLES} | {"l-"})
# What a nickname in quotation marks after a given name starts with.
_NICKNAME_OPENERS = ('"', "“", ' "', " “")
# "in Glen Ellyn, Illinois": a town then its state or country, so a place, not a person.
_PLACE_PREPOSITIONS = (" in ", " near ", " outside ", " from ")
_REGION_AFTER = re.compile(r",[ ]([^\W\d_][\w.]*(?:[ ][^\W\d_][\w.]*)?)(?=[,.;:])")
# Function words that no person's name contains, so a capitalised one splits a run.
_RUN_BREAKERS = frozenset(
    ("and", "or", "nor", "but", "to", "with", "without", "for", "from", "into", "against",
     "than", "versus", "of")
)  # fmt: skip


def _extend_left(text: str, start: int) -> int:
    """Move `start` back over a glued article or particles: "al-Assad", "said de Lima"."""
    if start >= 3 and text[start - 1] == "-" and text[start - 3 : start - 1] in ("al", "el"):
        if start == 3 or not text[start - 4].isalnum():
            return start - 3
        return start
    while start > 1 and text[start - 1] == " ":
        space = text.rfind(" ", 0, start - 1)
        word = text[space + 1 : start - 1]
        if word not in _LEADING_PARTICLES:
            break
        start = space + 1
    return start


def _headline_in_title_case(doc: Document) -> bool:
    """Whether most words of a headline of four or more are capitalised (then capitals in
    it prove nothing)."""
    words = doc.text[: doc.headline_end].split()
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 and caps >= 0.7 * len(words)


class _Memo:
    """Per-document memo of gazetteer look-ups (the same words recur in a story)."""

    __slots__ = ("_nationality", "_places", "_resolve")

    def __init__(self, places: PlaceLookup) -> None:
        self._places = places
        self._resolve: dict[str, str | None] = {}
        self._nationality: dict[str, str | None] = {}

    def resolve(self, name: str) -> str | None:
        if name not in self._resolve:
            self._resolve[name] = self._places.resolve(name)
        return self._resolve[name]

    def nationality(self, word: str) -> str | None:
        if word not in self._nationality:
            self._nationality[word] = self._places.nationality(word)
        return self._nationality[word]


def scan_names(
    doc: Document, lexicon: Lexicon, patterns: NamePatterns, places: PlaceLookup
) -> tuple[list[Segment], list[Token]]:
    """The names in `doc` and every other capitalised word (a possible later reference)."""
    memo = _Memo(places)
    evidence = NameEvidence(doc, lexicon, patterns, memo)
    text, folded = doc.text, doc.folded
    names: list[Segment] = []
    refs: list[Token] = []
    spans = [run.span() for run in patterns.run.finditer(text)]
    done = 0  # runs before this one were read as part of a name with a nickname
    for k, span in enumerate(spans, 1):
        if k <= done:
            continue
        start, end = span
        if start > 1 and text[start - 2 : start] in _BEFORE_PARTICLE_ENDS:
            start = _extend_left(text, start)
        # Walter "Rusty" Hale: the nickname in quotation marks sits inside one name.
        surname = (
            _surname_after_nickname(text, spans, k, end)
            if text.startswith(_NICKNAME_OPENERS, end)
            else -1
        )
        if surname >= 0:
            words = run_words(text, folded, start, end, lexicon)
            start2, end = spans[surname]
            done = surname + 1
            words += run_words(text, folded, start2, end, lexicon)
        elif " " not in text[start:end]:
            # Fast path: one word is a name only if it is a given name ("her sister
            # Charlotte"); anything else is at most a reference ("Lavrov said").
            key = folded[start:end]
            if key.endswith("'s"):
                end, key = end - 2, key[:-2]
            if (
                key not in lexicon.first_names
                and (text[start - 2 : start] != ", " or not after_kin(text, start))
                and not surnamed(text, start)
            ):
                if key[:3] in ("al-", "el-"):
                    key = key[3:]
                refs.append(Token(text[start:end], key, start, end))
                continue
            words = run_words(text, folded, start, end, lexicon)
        else:
            words = run_words(text, folded, start, end, lexicon)
        context: str | None = None  # a country named just before: "Russia's", "US"
        piece: list[RunWord] = []
        for index, word in enumerate(words):
            if word.acronym or word.key in _RUN_BREAKERS:
                # An English function word capitalised inside a run ("Doctors Without
                # Borders", "Too New York To Hate", "John Smith And Jane Doe") belongs to
                # no person's name: what stands on either side is judged apart.
                if piece:
                    judge_piece(evidence, piece, context, (start, end), names, refs)
                    piece = []
                context = memo.resolve(word.text) if word.acronym else None
                continue
            piece.append(word)
            if word.possessive or index == len(words) - 1:
                seg = judge_piece(evidence, piece, context, (start, end), names, refs)
                context = memo.resolve(seg) if word.possessive and seg else None
                piece = []
    placed = {seg.key for seg in names if _is_town(text, seg)}
    if placed:
        for found in [n for n in names if n.key in placed]:
            names.remove(found)
            refs.extend(found.tokens)
        refs.sort(key=lambda t: t.start)
    # "the Tao Tie in the film": a Chinese-looking pair the story writes with "the" is a
    # thing (a creature, "the Tai Chi class"), not a person.
    things = {seg.key for seg in names if _pinyin_thing(folded, seg, lexicon)}
    if things:
        for found in [n for n in names if n.key in things]:
            names.remove(found)
            refs.extend(found.tokens)
        refs.sort(key=lambda t: t.start)
    if names and names[0].start < doc.headline_end and _headline_in_title_case(doc):
        # "Trump Announces Acosta As Labor Pick": capitals prove nothing there.
        for found in [n for n in names if n.start < doc.headline_end]:
            names.remove(found)
            refs.extend(found.tokens)
        refs.sort(key=lambda t: t.start)
    return names, refs


def _surname_after_nickname(text: str, spans: list[tuple[int, int]], k: int, end: int) -> int:
    """Index in `spans` of the run a nickname in quotation marks leads to from `end` (the
    end of the run before `spans[k]`): Walter "Rusty" Hale; -1 when there is none."""
    nick = NICKNAME.match(text, end)
    if nick is None or k >= len(spans) or text[end - 2 : end] in ("'s", "’s"):
        return -1
    if spans[k][1] < nick.end():
        k += 1  # "Rusty" is a run of its own
    return k if k < len(spans) and spans[k][0] == nick.end() else -1


def _is_town(text: str, seg: Segment) -> bool:
    """Whether `seg` is written as a town with its region: "in Glen Ellyn, Illinois"."""
    if not text.endswith(_PLACE_PREPOSITIONS, 0, seg.start):
        return False
    region = _REGION_AFTER.match(text, seg.end)
    return region is not None and all(w[:1].isupper() for w in region.group(1).split())


def _pinyin_thing(folded: str, seg: Segment, lexicon: Lexicon) -> bool:
    """Whether `seg`, a family name and a pinyin syllable with no title ("Tao Tie"), is
    written elsewhere after "the" and before a lower-case word ("the Tao Tie in")."""
    key = seg.key
    if seg.title is not None or len(key) != 2 or key[0] not in lexicon.cn_surnames:
        return False
    if not PINYIN.fullmatch(key[1]):
        return False
    # The plain substring test first: it is fast, and the phrase is seldom there at all (a
    # regex opening with \b has no literal prefix to skip ahead by, so it steps through the
    # whole story).
    phrase = f"the {' '.join(key)} "
    return phrase in folded and re.search(rf"\b{re.escape(phrase)}[a-z]", folded) is not None
