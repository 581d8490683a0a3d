"""HTML and plain text -> plain paragraphs, the body form every `Story` carries.

Feeds put HTML in summaries and content; a story body is plain text with paragraphs
separated by blank lines. `html_paragraphs` keeps the text of an HTML fragment and no
markup: block elements (p, div, li, h1, blockquote, br, ...) end a paragraph, inline
elements (a, b, span, ...) do not, and non-content elements (script, style, figure
captions, forms, the document head) are dropped with their text. Entities are decoded.
It never raises, whatever the input.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that end the current paragraph when they open or close.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    }
)

# Elements whose whole content is not story text. Only elements with an end tag: a void
# element here (embed) or one whose end tag HTML lets authors omit (head) would swallow
# the rest of the document.
SKIP_TAGS = frozenset(
    {
        "title",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "svg",
        "math",
        "figure",
        "figcaption",
        "form",
        "button",
        "select",
        "textarea",
        "audio",
        "video",
        "canvas",
    }
)

# Cells of one table row stay in one paragraph, separated by a space.
_CELL_TAGS = frozenset({"td", "th"})

# Runs of ASCII whitespace collapse to one space; a no-break space is kept (it binds
# "25 000" in Swedish wire copy).
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def clean_line(text: str) -> str:
    """Collapse whitespace runs and strip the ends."""
    return _SPACES.sub(" ", text).strip()


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self._skip: dict[str, int] = {}

    def _flush(self) -> None:
        text = clean_line("".join(self._buffer))
        self._buffer.clear()
        if text:
            self.paragraphs.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self._skip[tag] = self._skip.get(tag, 0) + 1
        elif tag in BLOCK_TAGS:
            self._flush()
        elif tag in _CELL_TAGS:
            self._buffer.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <hr/>, <img/>: a self-closed skip tag must not open a skipped region.
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            if self._skip.get(tag):
                self._skip[tag] -= 1
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not any(self._skip.values()):
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(html: str) -> list[str]:
    """The text of an HTML fragment or document as paragraphs, without markup."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.paragraphs


def html_line(html: str) -> str:
    """The text of a short HTML fragment (a title) as one line."""
    return " ".join(html_paragraphs(html))


def text_paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs.

    Text with blank lines is split at blank lines (lines inside a block are joined, as
    hard-wrapped wire copy needs); text without blank lines has one paragraph per line,
    the other common wire convention.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [line for line in (clean_line(block) for block in blocks) if line]


def join_paragraphs(paragraphs: list[str]) -> str:
    """The body form of `Story`: paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)
