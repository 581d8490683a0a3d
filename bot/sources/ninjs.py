"""IPTC ninjs ("news in JSON") 1.x, 2.x and 3.x -> stories.

One reader for every version: keys are compared case-insensitively (3.x renamed
`versioncreated` to `versionCreated`, `contenttype` to `contentType`).

- headline: `headline` (1.x), else the `headlines` entry with role "main" (else the
  first), else `title` (3.x);
- body, best first: a NITF body (`bodies` with an NITF content type, 3.x), then plain
  text (`body_text`, `bodies` text/plain), then HTML (`body_html`, `body_xhtml`, `bodies`
  text/html) — except that plain text that is one paragraph yields to HTML that keeps
  several; with no body at all, the `descriptions` (NTB sends teasers this way);
- dateline: `located`; published: `versioncreated`, else `firstcreated`;
- guid: `uri` (versions of one item share it), else the guid given; url: `uri` when it
  is an http(s) address; language: `language`.

A document is one item (a JSON object) or a list of items. Pictures, video, audio and
graphics are not stories and are skipped.
"""

from __future__ import annotations

import json
from typing import Any

from bot.core.errors import FetchError
from bot.core.models import Story
from bot.sources.htmltext import html_paragraphs, text_paragraphs
from bot.sources.nitf import local_name, parse_xml, read_article
from bot.sources.story import build_story, parse_datetime

_NOT_TEXT = frozenset({"picture", "video", "audio", "graphic"})


def _lower_keys(value: Any) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}


def _str(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _headline(item: dict[str, Any]) -> str:
    if _str(item, "headline").strip():
        return _str(item, "headline")
    headlines = [_lower_keys(h) for h in item.get("headlines") or [] if isinstance(h, dict)]
    headlines.sort(key=lambda h: h.get("role") != "main")  # stable: "main" first
    for entry in headlines:
        if _str(entry, "value").strip():
            return _str(entry, "value")
    return _str(item, "title")


def _nitf_paragraphs(value: str) -> tuple[str, list[str]]:
    try:
        root = parse_xml(value.encode("utf-8"), what="ninjs NITF body")
    except FetchError:
        return "", []  # a broken NITF rendition: the plain or HTML one is read instead
    if local_name(root) != "nitf":
        return "", []
    article = read_article(root)
    return article.headline, list(article.paragraphs)


def _bodies(item: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The item's bodies by kind: (NITF, plain text, HTML) values."""
    nitf: list[str] = []
    plain = [_str(item, "body_text")]
    html = [_str(item, "body_html"), _str(item, "body_xhtml")]
    for body in (_lower_keys(b) for b in item.get("bodies") or []):
        kind = (_str(body, "contenttype") + " " + _str(body, "role")).lower()
        value = _str(body, "value")
        if "nitf" in kind:
            nitf.append(value)
        elif "html" in kind:
            html.append(value)
        elif "text/plain" in kind or kind.strip() in ("", "text"):
            plain.append(value)
    return (
        [v for v in nitf if v.strip()],
        [v for v in plain if v.strip()],
        [v for v in html if v.strip()],
    )


def _paragraphs(item: dict[str, Any]) -> tuple[str, list[str]]:
    """(headline found in the body markup, body paragraphs)."""
    nitf, plain, html = _bodies(item)
    for value in nitf:
        headline, paragraphs = _nitf_paragraphs(value)
        if paragraphs:
            return headline, paragraphs
    text = text_paragraphs(plain[0]) if plain else []
    marked = html_paragraphs(html[0]) if html else []
    if text and not (len(text) == 1 and len(marked) > 1):
        return "", text
    if marked:
        return "", marked
    descriptions = [_lower_keys(d) for d in item.get("descriptions") or []]
    values = [_str(d, "value") for d in descriptions] + [_str(item, "description_text")]
    return "", [p for value in values for p in text_paragraphs(value)]


def _item_story(raw: Any, *, source: str, guid: str) -> Story | None:
    item = _lower_keys(raw)
    uri = _str(item, "uri").strip()
    body_headline, paragraphs = _paragraphs(item)
    located = item.get("located")
    if isinstance(located, dict):
        located = _lower_keys(located).get("name")
    return build_story(
        source=source,
        guid=uri or guid,
        headline=_headline(item) or body_headline,
        paragraphs=paragraphs,
        dateline=located if isinstance(located, str) else None,
        published=parse_datetime(item.get("versioncreated"))
        or parse_datetime(item.get("firstcreated")),
        url=uri if uri.startswith(("http://", "https://")) else None,
        language=_str(item, "language"),
    )


def parse(data: bytes, *, source: str, guid: str) -> list[Story]:
    """The text items of a ninjs document as stories.

    `guid` identifies an item without `uri` (a list item gets `guid#N`). Raises
    `FetchError` for invalid JSON, a document that is not ninjs, or text items with
    neither headline nor body.
    """
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"not ninjs: invalid JSON ({exc})") from exc
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        # ninjs has no `items`; a JSON Feed must not be misread as one item.
        raise FetchError("not ninjs: a feed of items (JSON Feed?)")
    items = document if isinstance(document, list) else [document]
    if not all(isinstance(item, dict) for item in items):
        raise FetchError("not ninjs: expected a JSON object or a list of objects")
    stories: list[Story] = []
    empty: list[str] = []
    for index, item in enumerate(items):
        if str(_lower_keys(item).get("type", "text")).lower() in _NOT_TEXT:
            continue
        item_guid = guid if len(items) == 1 else f"{guid}#{index + 1}"
        story = _item_story(item, source=source, guid=item_guid)
        if story is None:
            empty.append(_str(_lower_keys(item), "uri") or item_guid)
        else:
            stories.append(story)
    if empty and not stories:
        raise FetchError(f"ninjs item without headline or body: {', '.join(empty)}")
    return stories
