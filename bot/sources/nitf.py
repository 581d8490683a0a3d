"""XML article markup (NITF, XHTML) -> headline, dateline and plain paragraphs.

NewsML-G2 carries its text as NITF or XHTML in `inlineXML`, and ninjs 3 bodies may be
NITF documents; both come here. XML is parsed with defusedxml only (no entity
expansion, no external resources). Element names are compared without their
namespace, so NITF 3.x with or without the IPTC namespace reads the same.

NITF: headline from `body.head/hedline/hl1`, dateline from `body.head/dateline`
(its `location` when given), paragraphs from `body.content` only (not the abstract,
byline or `body.end` tagline). XHTML: paragraphs from `body`. Anything else: the text
of the element, split at block elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from bot.core.errors import FetchError
from bot.sources.htmltext import BLOCK_TAGS, SKIP_TAGS, clean_line

# NITF block-level elements, besides the HTML ones NITF shares (p, ul, li, table...).
_NITF_BLOCKS = frozenset({"hl1", "hl2", "block", "bq", "fn", "note", "dateline", "nitf-table"})
_BLOCKS = BLOCK_TAGS | _NITF_BLOCKS
# NITF media (pictures and their captions) and XHTML non-content are not story text.
_SKIPPED = SKIP_TAGS | {"media", "media-caption", "media-reference", "head"}


def local_name(element: Element) -> str:
    """The element's tag without namespace ("" for comments and processing instructions)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(data: bytes | str, *, what: str) -> Element:
    """Parse XML safely; a `FetchError` naming `what` and the problem when it is not."""
    try:
        root: Element = SafeET.fromstring(data)
    except ParseError as exc:
        raise FetchError(f"{what}: malformed XML ({exc})") from exc
    except DefusedXmlException as exc:
        raise FetchError(f"{what}: forbidden XML construct ({exc})") from exc
    return root


def find_first(root: Element, name: str) -> Element | None:
    """The first descendant-or-self element with local name `name`, in document order."""
    for element in root.iter():
        if local_name(element) == name:
            return element
    return None


def element_text(element: Element | None) -> str:
    """All text inside `element` as one clean line ("" for None)."""
    return clean_line("".join(element.itertext())) if element is not None else ""


def paragraphs(root: Element) -> list[str]:
    """The text under `root` as paragraphs, split at block elements, markup dropped."""
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = clean_line("".join(buffer))
        buffer.clear()
        if text:
            out.append(text)

    def walk(element: Element) -> None:
        name = local_name(element)
        if name and name not in _SKIPPED:
            block = name in _BLOCKS
            if block:
                flush()
            if element.text:
                buffer.append(element.text)
            for child in element:
                walk(child)
                if child.tail:
                    buffer.append(child.tail)
            if block:
                flush()

    walk(root)
    flush()
    return out


@dataclass(frozen=True, slots=True)
class Article:
    """What an article markup said: headline and dateline ("" / None when absent)."""

    headline: str
    dateline: str | None
    paragraphs: tuple[str, ...]


def read_article(root: Element) -> Article:
    """Read NITF, XHTML or any other XML article markup rooted at `root`."""
    name = local_name(root)
    if name == "nitf" or find_first(root, "body.content") is not None:
        head = find_first(root, "body.head")
        dateline = find_first(head, "dateline") if head is not None else None
        location = find_first(dateline, "location") if dateline is not None else None
        content = find_first(root, "body.content")
        return Article(
            headline=element_text(find_first(head, "hl1") if head is not None else None),
            dateline=element_text(location if location is not None else dateline) or None,
            paragraphs=tuple(paragraphs(content)) if content is not None else (),
        )
    if name == "html":
        body = find_first(root, "body")
        title = find_first(root, "title")
        return Article(
            headline=element_text(title),
            dateline=None,
            paragraphs=tuple(paragraphs(body)) if body is not None else (),
        )
    return Article(headline="", dateline=None, paragraphs=tuple(paragraphs(root)))
