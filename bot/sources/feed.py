"""A feed over HTTP: one conditional GET, then the kind's parser (`Source` port)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import requests

from bot.core.errors import FetchError
from bot.core.models import FeedState, FetchResult, Story
from bot.sources.http import USER_AGENT, conditional_get
from bot.sources.spec import FeedSpec


class Parser(Protocol):
    """A format parser: the stories in `data`; raises `FetchError` on bad input."""

    def __call__(self, data: bytes, *, source: str, guid: str) -> list[Story]: ...


_XML = "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_ACCEPT = {
    "rss": "application/rss+xml, application/atom+xml, " + _XML,
    "atom": "application/atom+xml, application/rss+xml, " + _XML,
    "jsonfeed": "application/feed+json, application/json;q=0.9, */*;q=0.5",
    "ninjs": "application/ninjs+json, application/json;q=0.9, */*;q=0.5",
    "newsml": "application/vnd.iptc.g2.newsmessage+xml, application/vnd.iptc.g2.newsitem+xml, "
    + _XML,
}


@dataclass(frozen=True, slots=True)
class HttpSource:
    """Polls `spec.location`; see `bot.core.ports.Source` for the contract."""

    spec: FeedSpec
    session: requests.Session
    parse: Parser

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def interval(self) -> float:
        return self.spec.interval

    def fetch(self, state: FeedState) -> FetchResult:
        """Every story the feed offers now; `not_modified` and none on 304.

        The validators (ETag, Last-Modified) of the answer become the new state; a
        body that does not parse raises `FetchError` and leaves the state unchanged.
        """
        headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT.get(self.spec.kind, "*/*")}
        headers.update(self.spec.headers)
        fetched = conditional_get(
            self.session,
            self.spec.location,
            etag=state.etag,
            last_modified=state.last_modified,
            timeout=self.spec.timeout,
            max_bytes=self.spec.max_bytes,
            headers=headers,
        )
        new_state = replace(state, etag=fetched.etag, last_modified=fetched.last_modified)
        if fetched.not_modified:
            return FetchResult(stories=(), state=new_state, not_modified=True)
        url = self.spec.location
        try:
            stories = self.parse(fetched.body, source=self.spec.name, guid=url)
        except FetchError as exc:
            raise FetchError(f"{url}: {exc}", url=url) from exc
        return FetchResult(stories=tuple(stories), state=new_state)
