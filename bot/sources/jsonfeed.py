"""JSON Feed (1.0 and 1.1) -> stories.

Per item: `id` (a string in 1.1; 1.0 feeds sometimes send a number), `url`, `title`,
`content_text` (preferred: it is what the publisher wrote as plain text) else
`content_html` else `summary`, `date_published` else `date_modified` (RFC 3339), and
`language` (item, else feed). An item without a title takes its first paragraph as the
headline; an item without text is skipped.
"""

from __future__ import annotations

import json
from typing import Any

from bot.core.errors import FetchError
from bot.core.models import Story
from bot.sources.htmltext import html_paragraphs, text_paragraphs
from bot.sources.story import build_story, parse_datetime


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _paragraphs(item: dict[str, Any]) -> list[str]:
    if _text(item, "content_text").strip():
        return text_paragraphs(_text(item, "content_text"))
    if _text(item, "content_html").strip():
        return html_paragraphs(_text(item, "content_html"))
    return text_paragraphs(_text(item, "summary"))


def _item_story(item: dict[str, Any], *, source: str, language: str | None) -> Story | None:
    raw_id = item.get("id")
    item_id = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id).strip() else None
    url = _text(item, "url") or None
    return build_story(
        source=source,
        guid=item_id or url,
        headline=_text(item, "title"),
        paragraphs=_paragraphs(item),
        published=parse_datetime(item.get("date_published"))
        or parse_datetime(item.get("date_modified")),
        url=url,
        language=_text(item, "language") or language,
    )


def parse(data: bytes, *, source: str, guid: str) -> list[Story]:
    """Every item of a JSON Feed document as a story, in feed order.

    Raises `FetchError` when the bytes are not JSON or not a JSON Feed (no `items`
    list). `guid` is unused: items carry their identity (id, else url, else a hash).
    """
    del guid
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"not a JSON Feed: invalid JSON ({exc})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise FetchError("not a JSON Feed: no `items` list")
    language = document.get("language") if isinstance(document.get("language"), str) else None
    stories = (
        _item_story(item, source=source, language=language)
        for item in document["items"]
        if isinstance(item, dict)
    )
    return [story for story in stories if story is not None]
