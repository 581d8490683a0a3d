"""Text primitives shared by every extractor: folding, paragraphs, sentences, and
`Stretches` (is an offset inside one of many spans: a quote, a mention).

`fold` keeps offsets: it maps every character to exactly one character (case and
diacritics removed, curly apostrophes straightened), so a match found in the folded
text is at the same offsets in the original. Extractors scan `Document.folded` and
report positions into `Document.text` (= `Story.text`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

# Characters whose fold is not "strip the accent": keep one char per char.
_SPECIAL = {
    "ß": "s",
    "ı": "i",
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "þ": "t",
    "æ": "a",
    "œ": "o",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "\u00a0": " ",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    special = _SPECIAL.get(char) or _SPECIAL.get(char.lower())
    if special is not None:
        return special
    lowered = char.lower()
    if len(lowered) != 1:
        lowered = lowered[0]
    if lowered.isascii():
        return lowered
    base = unicodedata.normalize("NFKD", lowered)
    for part in base:
        if not unicodedata.combining(part):
            return part if len(part) == 1 else lowered
    return lowered


class _FoldTable(dict[int, str]):
    """`str.translate` table of `_fold_char`, filled as characters are met (translating
    through a table is several times faster than joining the characters one by one)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < _FOLD_TABLE_MAX:  # bounded: a text may hold any character
            self[code] = folded
        return folded


_FOLD_TABLE_MAX = 8192
_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip diacritics, straighten apostrophes; same length as `text`."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


def fold_key(text: str) -> str:
    """Fold and collapse whitespace: the key names are compared by ("Cavusoglu" = "Çavuşoğlu")."""
    return " ".join(fold(text).split())


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


# Abbreviations after which a full stop does not end a sentence (package data, read once).
_ABBREVIATIONS = frozenset(
    line.strip()
    for line in (files("bot.core.extract") / "data" / "text_abbreviations.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
)

_SENTENCE_END = re.compile(
    r"""
    [.!?]+            # the terminal punctuation
    [\"'”’»)\]]*      # closing quotes or brackets that belong to the sentence
    (?=\s+|$)         # followed by space or the end
    """,
    re.VERBOSE,
)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n")
# Initials and dotted acronyms without their last dot: "U.S" of "U.S.".
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _ends_sentence(text: str, dot_end: int, match_start: int) -> bool:
    """Decide whether the punctuation ending at `dot_end` closes a sentence."""
    if text[match_start] != ".":
        return True
    # The word before the dot.
    word_start = match_start
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:match_start].lstrip("\"'“‘(«[")
    folded = fold(word)
    if folded in _ABBREVIATIONS:
        return False
    # Initials and dotted acronyms: "J.", "U.S.", "U.N."
    if len(word) == 1 and word.isupper():
        return False
    if _DOTTED.fullmatch(word):
        # "U.S." ends a sentence only when the next word starts one (capitalised and
        # not a name); be conservative and keep going unless a new paragraph follows.
        rest = text[dot_end : dot_end + 3]
        return "\n" in rest
    # The next visible character must start a sentence.
    nxt = dot_end
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    if nxt >= len(text):
        return True
    return not text[nxt].islower() and not text[nxt].isdigit()


def split_paragraphs(text: str) -> list[Span]:
    """Paragraph spans (blank-line separated); single newlines stay inside a paragraph."""
    spans: list[Span] = []
    pos = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        if text[pos : brk.start()].strip():
            spans.append(_strip_span(text, pos, brk.start()))
        pos = brk.end()
    if text[pos:].strip():
        spans.append(_strip_span(text, pos, len(text)))
    return spans


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans inside text[start:end] (one paragraph)."""
    spans: list[Span] = []
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _ends_sentence(text, match.end(), match.start()):
            if text[pos : match.end()].strip():
                spans.append(_strip_span(text, pos, match.end()))
            pos = match.end()
    if text[pos:end].strip():
        spans.append(_strip_span(text, pos, end))
    return spans


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


@dataclass(frozen=True, slots=True)
class Document:
    """A story prepared once for every extractor.

    `text` is `Story.text`; `folded` is `fold(text)` (same offsets); `headline_end`
    is where the headline stops; `paragraphs` and `sentences` are spans into `text`
    (sentences never cross a paragraph break).
    """

    text: str
    folded: str
    headline_end: int
    dateline: str | None
    paragraphs: tuple[Span, ...]
    sentences: tuple[Span, ...]

    @classmethod
    def build(cls, text: str, headline: str, dateline: str | None = None) -> Document:
        paragraphs = split_paragraphs(text)
        sentences: list[Span] = []
        for para in paragraphs:
            sentences.extend(split_sentences(text, para.start, para.end))
        return cls(
            text=text,
            folded=fold(text),
            headline_end=len(headline),
            dateline=dateline,
            paragraphs=tuple(paragraphs),
            sentences=tuple(sentences),
        )

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence containing `offset` (binary search)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            span = self.sentences[mid]
            if span.end <= offset:
                lo = mid + 1
            elif span.start > offset:
                hi = mid
            else:
                return span
        return None

    def body_sentences(self) -> tuple[Span, ...]:
        """Sentences after the headline."""
        return tuple(s for s in self.sentences if s.start >= self.headline_end)


class Stretches:
    """Whether an offset lies in one of many [start, end) stretches (quotes, mentions), in
    O(log n): a story may hold thousands of quotes, and a scan over all of them for every
    offset asked about made a long, quote-heavy story quadratic."""

    def __init__(self, stretches: list[tuple[int, int]]) -> None:
        ordered = sorted(stretches)
        self._starts = [start for start, _ in ordered]
        # The furthest end among the stretches opening at or before each one: stretches
        # may overlap, so the nearest one before an offset is not the only candidate.
        self._reach: list[int] = []
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self._reach.append(furthest)

    def covers(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._reach[i]
