"""IPTC NewsML-G2 (`newsItem`, `newsMessage`) -> stories, parsed with defusedxml.

Per text item:
- guid: the item's `guid` attribute (its `version` numbers versions of that one story,
  which the store tells apart by content); else the guid given;
- headline: `contentMeta/headline` (the "main" one when several), else the NITF `hl1`
  or XHTML `title` of the content;
- dateline: `contentMeta/dateline`, else the `located` place with its country
  ("Berlin, Germany"), else the NITF dateline;
- published: `itemMeta/versionCreated`, else `contentModified`, `contentCreated`,
  `firstCreated`; language: `xml:lang`, else `contentMeta/language/@tag`;
- body: `contentSet/inlineXML` (NITF or XHTML, see `nitf.py`), else `inlineData`
  (plain text or HTML).

Items of another class (picture, video, audio, graphic) are skipped. A text item with
neither headline nor body is a `FetchError` when no other item of the document could be
read. A bare NITF document (root `nitf`) is read as one story too, and so are the
fragments the IPTC specification shows (a `contentSet` or `contentMeta` on its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from bot.core.errors import FetchError
from bot.core.models import Story
from bot.sources.htmltext import html_paragraphs, text_paragraphs
from bot.sources.nitf import Article, element_text, find_first, local_name, parse_xml
from bot.sources.nitf import read_article as read_markup
from bot.sources.story import build_story, parse_datetime

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_TEXT = frozenset({"picture", "video", "audio", "graphic", "animation"})


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if local_name(child) == name)


def _meta(item: Element, name: str) -> Element | None:
    """First element named `name` in the item's metadata (anything but `contentSet`)."""
    if local_name(item) == name:
        return item
    for child in item:
        if local_name(child) != "contentSet":
            found = find_first(child, name)
            if found is not None:
                return found
    return None


def _headline(item: Element) -> str:
    meta = _meta(item, "contentMeta")
    scope = meta if meta is not None else item
    headlines = [h for h in scope.iter() if local_name(h) == "headline"]
    headlines.sort(key=lambda h: "main" not in (h.get("role") or "main"))
    return element_text(headlines[0]) if headlines else ""


def _located(item: Element) -> str:
    located = _meta(item, "located")
    if located is None:
        return ""
    names = [element_text(n) for n in _children(located, "name")]
    for broader in _children(located, "broader"):
        kind = (broader.get("type") or "") + " " + (broader.get("qcode") or "")
        if "country" in kind or "iso3166" in kind:
            names += [element_text(n) for n in _children(broader, "name")][:1]
    parts: list[str] = []
    for name in names:
        if name and name not in parts:
            parts.append(name)
    return ", ".join(parts)


def _content(item: Element) -> Article:
    content_set = find_first(item, "contentSet")
    if content_set is None:
        return Article("", None, ())
    for inline in _children(content_set, "inlineXML"):
        markup = next(iter(inline), None)  # comments are dropped by the parser
        if markup is not None:
            article = read_markup(markup)
            if article.paragraphs or article.headline:
                return article
    for inline in _children(content_set, "inlineData"):
        text = inline.text or ""
        if "html" in (inline.get("contenttype") or ""):
            return Article("", None, tuple(html_paragraphs(text)))
        if text.strip():
            return Article("", None, tuple(text_paragraphs(text)))
    return Article("", None, ())


def _published(item: Element) -> str:
    for name in ("versionCreated", "contentModified", "contentCreated", "firstCreated"):
        element = _meta(item, name)
        if element is not None and element_text(element):
            return element_text(element)
    return ""


def _language(item: Element) -> str:
    language = _meta(item, "language")
    return item.get(_XML_LANG) or (language.get("tag") or "" if language is not None else "")


def _item_class(item: Element) -> str:
    item_class = _meta(item, "itemClass")
    qcode = item_class.get("qcode") or "" if item_class is not None else ""
    return qcode.rsplit(":", 1)[-1].lower()


def _item_story(item: Element, *, source: str, guid: str) -> Story | None:
    if local_name(item) == "nitf":
        article = read_markup(item)
        return build_story(
            source=source,
            guid=guid,
            headline=article.headline,
            paragraphs=list(article.paragraphs),
            dateline=article.dateline,
        )
    content = _content(item)
    return build_story(
        source=source,
        guid=(item.get("guid") or "").strip() or guid,
        headline=_headline(item) or content.headline,
        paragraphs=list(content.paragraphs),
        dateline=element_text(_meta(item, "dateline")) or _located(item) or content.dateline,
        published=parse_datetime(_published(item)),
        language=_language(item),
    )


def parse(data: bytes, *, source: str, guid: str) -> list[Story]:
    """The text items of a NewsML-G2 document (or bare NITF) as stories.

    `guid` identifies an item without a `guid` attribute (`guid#N` in a message).
    Raises `FetchError` for malformed XML and for documents whose text items are empty.
    """
    root = parse_xml(data, what="NewsML-G2")
    name = local_name(root)
    if name == "newsMessage":
        items = [e for e in root.iter() if local_name(e) == "newsItem"]
    else:
        items = [root]
    stories: list[Story] = []
    empty: list[str] = []
    for index, item in enumerate(items):
        if _item_class(item) in _NOT_TEXT:
            continue
        item_guid = guid if len(items) == 1 else f"{guid}#{index + 1}"
        story = _item_story(item, source=source, guid=item_guid)
        if story is None:
            empty.append(item.get("guid") or item_guid)
        else:
            stories.append(story)
    if empty and not stories:
        raise FetchError(
            f"NewsML-G2 {name}: no headline or body in text item(s) {', '.join(empty)}"
        )
    return stories
