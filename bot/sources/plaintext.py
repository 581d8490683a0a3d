"""Plain-text wire files: `parse_wire_text(text, source=..., guid=...) -> Story` (pure).

The layout wire desks use for plain copy:

    Russian delegation to visit Turkey          <- headline: the first non-empty line
    Russian delegation to visit Turkey          <- optional: the headline repeated
    ANKARA                                      <- optional: a dateline line
    A delegation from Russia is expected ...    <- paragraphs, blank-line separated

A dateline line is short and starts with a place in capitals: `ANKARA`,
`WASHINGTON, Feb 7 (Reuters) -`, `MOSCOW, February 6. /TASS/.`. When there is no
dateline line but the first paragraph opens with one (`WASHINGTON (Reuters) - ...`),
that opening is the story's dateline and stays in the body. Hard-wrapped lines inside a
paragraph are joined; a body without blank lines has one paragraph per line.
"""

from __future__ import annotations

import re

from bot.core.models import Story
from bot.sources.htmltext import clean_line, join_paragraphs, text_paragraphs

_DATELINE = re.compile(
    r"""
    ^(?P<place>[A-Z][A-Z.'’ -]{1,40}?)      # the place, in capitals
    (?:\s*,[^\n]{0,45}?                     # optional ", Feb 7" / ", February 6. /TASS/."
      | \s*\([^)\n]{1,30}\)                 # or "(Reuters)"
    )*
    \s*[-–—:]*$                             # optional closing dash
    """,
    re.VERBOSE,
)
_INLINE_DATELINE = re.compile(
    r"""
    ^(?P<dateline>[A-Z][A-Z.'’ -]{1,40}?    # WASHINGTON
      (?:,[^\n()]{0,30}?)?                  # , Feb 7
      (?:\s*\([^)\n]{1,30}\))?)             # (Reuters)
    \s+[-–—]+\s+\S                          # " - " then the story
    """,
    re.VERBOSE,
)


def is_dateline_line(line: str) -> bool:
    """True for a short line that is a dateline (`ANKARA`, `WASHINGTON, Feb 7 (Reuters) -`)."""
    line = line.strip()
    if not line or len(line) > 80:
        return False
    m = _DATELINE.match(line)
    return m is not None and sum(c.isalpha() for c in m.group("place")) >= 2


def parse_wire_text(text: str, *, source: str, guid: str) -> Story:
    """The story in one plain-text wire file. Raises ValueError when it has no text at all."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pos = 0
    while pos < len(lines) and not lines[pos].strip():
        pos += 1
    if pos == len(lines):
        raise ValueError("empty wire file: no headline")
    headline = clean_line(lines[pos])
    pos += 1

    def next_line() -> int:
        i = pos
        while i < len(lines) and not lines[i].strip():
            i += 1
        return i

    nxt = next_line()
    if nxt < len(lines) and clean_line(lines[nxt]).casefold() == headline.casefold():
        pos = nxt + 1  # the headline repeated
        nxt = next_line()
    dateline: str | None = None
    if nxt < len(lines) and is_dateline_line(lines[nxt]):
        dateline = clean_line(lines[nxt]).rstrip(" -–—:")
        pos = nxt + 1
    paragraphs = text_paragraphs("\n".join(lines[pos:]))
    if dateline is None and paragraphs:
        inline = _INLINE_DATELINE.match(paragraphs[0])
        if inline is not None:
            dateline = inline.group("dateline").strip()
    return Story(
        source=source,
        guid=guid,
        headline=headline,
        body=join_paragraphs(paragraphs),
        dateline=dateline,
    )
