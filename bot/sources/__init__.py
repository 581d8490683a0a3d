"""Edge: feed sources. Each turns one wire format or transport into `Story` values.

    spec.py      FeedSpec: one configured feed
    http.py      conditional GET with timeouts, size cap, Retry-After (requests)
    feed.py      a feed over HTTP: fetch, then the kind's parser
    folder.py    a drop folder of wire files (.txt, .json ninjs, .xml NewsML-G2)
    rss.py       RSS and Atom (feedparser, fed bytes)
    jsonfeed.py  JSON Feed 1.0/1.1
    ninjs.py     IPTC ninjs 1.x-3.x
    newsml.py    IPTC NewsML-G2 (defusedxml), bare NITF
    plaintext.py plain-text wire files
    nitf.py, htmltext.py, story.py   markup -> paragraphs; building a Story

`open_source` is what the composition root calls; `parse_document` reads one document
of a known kind (the `wirewatch extract` command). Every failure is a `FetchError`.
"""

from __future__ import annotations

import requests

from bot.core.models import Story
from bot.core.ports import Source
from bot.sources import jsonfeed, rss
from bot.sources.feed import HttpSource, Parser
from bot.sources.folder import KIND_BY_SUFFIX, FolderSource, parse_file
from bot.sources.http import USER_AGENT, new_session
from bot.sources.spec import FEED_KINDS, FeedKind, FeedSpec

__all__ = [
    "DOCUMENT_KINDS",
    "FEED_KINDS",
    "KIND_BY_SUFFIX",
    "USER_AGENT",
    "FeedKind",
    "FeedSpec",
    "new_session",
    "open_source",
    "parse_document",
]

_PARSERS: dict[str, Parser] = {
    "rss": rss.parse,
    "atom": rss.parse,
    "jsonfeed": jsonfeed.parse,
    "ninjs": lambda data, *, source, guid: parse_file("ninjs", data, source=source, guid=guid),
    "newsml": lambda data, *, source, guid: parse_file("newsml", data, source=source, guid=guid),
    "text": lambda data, *, source, guid: parse_file("text", data, source=source, guid=guid),
}

DOCUMENT_KINDS: tuple[str, ...] = tuple(_PARSERS)


def open_source(spec: FeedSpec, session: requests.Session | None = None) -> Source:
    """The `Source` for `spec`. HTTP kinds share `session` (one per process is best:
    connection reuse); without one they get their own. Raises ValueError for an
    unknown kind (the config validates kinds before this is called)."""
    if spec.kind == "folder":
        return FolderSource(spec)
    parser = _PARSERS.get(spec.kind)
    if parser is None:
        raise ValueError(f"unknown feed kind {spec.kind!r}; expected one of {FEED_KINDS}")
    return HttpSource(spec, session or new_session(), parser)


def parse_document(kind: str, data: bytes, *, source: str, guid: str) -> list[Story]:
    """The stories in one document of `kind` (a `DOCUMENT_KINDS` name: a feed kind, or
    "text" for a plain-text wire file). `guid` identifies a story whose document
    carries no id (use the file name). Raises `FetchError` when the document cannot be
    read as `kind`, ValueError for an unknown kind."""
    parser = _PARSERS.get(kind)
    if parser is None:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {DOCUMENT_KINDS}")
    return parser(data, source=source, guid=guid)
