"""Building a `Story` from what a format parser read: one set of rules for every format.

- the headline is one clean line; a body that repeats the headline as its first
  paragraph loses that copy (wire bodies often do);
- an entry without a headline takes its first paragraph as the headline (microblog
  items, headline-less JSON Feed items), so nothing is written twice in `Story.text`;
- an entry with neither headline nor body is not a story (`None`);
- every datetime is timezone-aware UTC; a time without an offset is taken as UTC.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bot.core.models import Story, stable_id
from bot.sources.htmltext import clean_line, join_paragraphs


def parse_datetime(value: object) -> datetime | None:
    """An ISO 8601 / RFC 3339 date-time as aware UTC; None when absent or unreadable.

    Feeds get dates wrong often enough that a bad date must not cost the story.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def from_struct_time(value: object) -> datetime | None:
    """A UTC `time.struct_time` (feedparser's `*_parsed`) as aware UTC, or None."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except ValueError:
        return None


def fallback_guid(headline: str, published: datetime | None) -> str:
    """An identity for an entry that has no id and no link: its headline and date."""
    stamp = published.isoformat() if published else ""
    return "hash:" + stable_id(headline, stamp)


def _same(a: str, b: str) -> bool:
    return clean_line(a).casefold() == clean_line(b).casefold()


def build_story(
    *,
    source: str,
    guid: str | None,
    headline: str,
    paragraphs: list[str],
    dateline: str | None = None,
    published: datetime | None = None,
    url: str | None = None,
    language: str | None = None,
) -> Story | None:
    """A story from its parts (see the module rules); None when there is nothing to read.

    `guid` None means "no identity in the document": a hash of headline and date is used.
    """
    title = clean_line(headline)
    body = [p for p in (clean_line(p) for p in paragraphs) if p]
    while title and body and _same(body[0], title):
        body.pop(0)
    if not title:
        if not body:
            return None
        title, body = body[0], body[1:]
    dateline = clean_line(dateline) if dateline else None
    return Story(
        source=source,
        guid=guid or fallback_guid(title, published),
        headline=title,
        body=join_paragraphs(body),
        dateline=dateline or None,
        published=published,
        url=url or None,
        language=clean_line(language) if language and language.strip() else None,
    )
