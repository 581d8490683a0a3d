"""What the config says about one feed: `FeedSpec`, the input of `open_source`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

FeedKind = Literal["rss", "atom", "jsonfeed", "ninjs", "newsml", "folder"]
FEED_KINDS: tuple[FeedKind, ...] = ("rss", "atom", "jsonfeed", "ninjs", "newsml", "folder")


def _no_headers() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One configured feed.

    `kind` "rss" and "atom" are read alike (feedparser); "folder" is a drop folder of
    wire files (`location` a path), every other kind an http(s) URL. `timeout` is the
    connect and the read timeout in seconds, `max_bytes` the largest body (or file)
    read, `headers` extra request headers (an API key taken from the environment).
    """

    name: str
    kind: FeedKind
    location: str
    interval: float
    timeout: float = 10.0
    max_bytes: int = 5_000_000
    headers: Mapping[str, str] = field(default_factory=_no_headers)
