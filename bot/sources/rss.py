"""RSS and Atom (any version feedparser knows) -> stories.

feedparser is handed the bytes we fetched ourselves, wrapped in a stream: given a
`str` or `bytes` it would try to open it as a URL or a file name. A feed feedparser
flags as malformed ("bozo") is still used when entries were recovered from it, as
readers expect; with no entries it is a `FetchError` naming the parse problem.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from typing import Any

import feedparser

from bot.core.errors import FetchError
from bot.core.models import Story
from bot.sources.htmltext import html_line, html_paragraphs, text_paragraphs
from bot.sources.story import build_story, from_struct_time

log = logging.getLogger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def _is_html(detail: Mapping[str, Any] | None) -> bool:
    # feedparser reports the content type it decided on; plain text stays plain so a
    # literal "<" in a text/plain summary is not eaten as a tag.
    return str((detail or {}).get("type", "text/html")).lower() in _HTML_TYPES


def _paragraphs(entry: Mapping[str, Any]) -> list[str]:
    # Full content (Atom <content>, RSS <content:encoded>) beats the summary.
    candidates: list[Mapping[str, Any]] = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    for detail in candidates:
        value = str(detail.get("value") or "")
        if value.strip():
            return html_paragraphs(value) if _is_html(detail) else text_paragraphs(value)
    return []


def _headline(entry: Mapping[str, Any]) -> str:
    title = str(entry.get("title") or "")
    return html_line(title) if _is_html(entry.get("title_detail")) else title


def _entry_story(entry: Mapping[str, Any], *, source: str, language: str | None) -> Story | None:
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        published = from_struct_time(entry.get(key))
        if published:
            break
    href = str(entry.get("link") or "")
    # feedparser falls back to the entry id for `link`; only a web address is a link.
    link = href if href.startswith(("http://", "https://")) else None
    entry_id = str(entry.get("id") or "") or link
    return build_story(
        source=source,
        guid=entry_id,
        headline=_headline(entry),
        paragraphs=_paragraphs(entry),
        published=published,
        url=link,
        language=str(entry.get("language") or "") or language,
    )


def parse(data: bytes, *, source: str, guid: str) -> list[Story]:
    """Every entry of an RSS or Atom document as a story, in feed order.

    `guid` is unused (entries carry their own identity: id, else link, else a hash of
    title and date); it keeps the signature of every format parser.
    """
    del guid
    parsed = feedparser.parse(io.BytesIO(data))
    entries: list[Mapping[str, Any]] = list(parsed.get("entries") or [])
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        reason = f"{type(problem).__name__}: {problem}" if problem else "unknown problem"
        if not entries:
            raise FetchError(f"feed could not be parsed: {reason}")
        log.warning(
            "feed %s is malformed (%s); using the %d entries read", source, reason, len(entries)
        )
    if not entries and not parsed.get("version"):
        # Well-formed XML that is no feed: typically an HTML error or login page.
        raise FetchError("not an RSS or Atom feed (no feed element found)")
    language = str(parsed.get("feed", {}).get("language") or "") or None
    stories = (_entry_story(entry, source=source, language=language) for entry in entries)
    return [story for story in stories if story is not None]
