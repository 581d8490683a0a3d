"""The lead summary of a story: `summarize(doc, max_chars=400) -> str`.

Wire stories put the news first, so the summary is the lead: whole body sentences, in
order, as many as fit in `max_chars`. The headline, a repeated headline and a dateline
line are skipped, and a dateline prefix ("WASHINGTON, Feb 7 (Reuters) -") is cut from the
first sentence. A first sentence longer than `max_chars` is cut at a word boundary and
ends with "…"; a sentence is never cut otherwise.

`choose_key_quote` (the quote an alert shows) lives in quotes.py and is re-exported here.
"""

from __future__ import annotations

import re

from bot.core.extract.quotes import choose_key_quote
from bot.core.extract.text import Document, fold_key

__all__ = ["choose_key_quote", "summarize"]

_DATELINE_PREFIX = re.compile(
    r"""
    ^[A-Z][A-Z.'’ -]{1,40}                  # the place in capitals: WASHINGTON, NEW YORK
    (?:,[^()\n]{0,40}?)?                    # optional date or country: ", Feb 7"
    (?:\s*[(/][^)/\n]{1,30}[)/]\.?)?        # optional agency: (Reuters), /TASS/.
    \s*(?:[-–—]+|:)\s+                      # the dash or colon before the story
    """,
    re.VERBOSE,
)
_DATELINE_LINE = re.compile(
    r"""
    ^[A-Z][A-Z.'’ -]{1,40}                  # ANKARA, NEW DELHI
    (?:,[^\n]{0,40})?                       # optional date: ", Feb 7 (Reuters) -"
    $""",
    re.VERBOSE,
)


def _is_dateline(sentence: str, dateline: str | None) -> bool:
    if dateline and fold_key(sentence) == fold_key(dateline):
        return True
    return len(sentence) <= 60 and _DATELINE_LINE.match(sentence.rstrip(" -–—")) is not None


def _cut(text: str, max_chars: int) -> str:
    """`text` shortened at a word boundary to at most `max_chars`, ending with "…"."""
    room = max_chars - 1
    cut = text[:room]
    space = cut.rfind(" ")
    if space > 0 and not text[room].isspace():
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def summarize(doc: Document, max_chars: int = 400) -> str:
    """The lead of the story in at most `max_chars` characters, whole sentences only."""
    headline = fold_key(doc.text[: doc.headline_end])
    parts: list[str] = []
    used = 0
    for span in doc.body_sentences():
        sentence = " ".join(doc.text[span.start : span.end].split())
        if not parts:
            if fold_key(sentence) == headline or _is_dateline(sentence, doc.dateline):
                continue
            prefix = _DATELINE_PREFIX.match(sentence)
            if prefix is not None and prefix.end() < len(sentence):
                sentence = sentence[prefix.end() :]
        if not sentence:
            continue
        extra = len(sentence) + (1 if parts else 0)
        if used + extra > max_chars:
            if not parts:
                return _cut(sentence, max_chars)
            break
        parts.append(sentence)
        used += extra
    return " ".join(parts)
