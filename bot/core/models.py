"""The data that flows through Wirewatch: plain, frozen, slotted dataclasses.

Every arrow of the pipeline (DESIGN.md) passes one of these: a source yields `Story`
values, the extractor turns a story into an `Extraction`, the rule engine turns both
into `Match` values, the pipeline turns matches into `Alert` values for the outbox, and
a notifier renders an alert for its platform. None of them knows about Slack, Matrix,
HTTP, SQL or YAML.

Text positions (`start`, `end`) are character offsets into `Story.text`, the headline
and body joined by a blank line, so a reason or a mention can be shown in context.
All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Literal

Qualifier = Literal["exact", "at_least", "approx", "at_most"]
Priority = Literal["low", "normal", "high", "urgent"]


PRIORITY_MARKERS: dict[str, str] = {"urgent": "🔴 URGENT", "high": "🟠 HIGH"}


def priority_marker(priority: Priority) -> str:
    """How every channel flags an alert's priority ("" for normal and low)."""
    return PRIORITY_MARKERS.get(priority, "")


def stable_id(*parts: str) -> str:
    """A short, stable identifier derived from `parts` (same parts, same id, forever)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:20]


@dataclass(frozen=True, slots=True)
class Story:
    """One wire story as a source delivered it.

    `source` is the configured feed name, `guid` the story's identity within that
    feed (entry id, link or file name). A later story with the same source and guid but
    different content is a new *version* of the same story (an update).
    """

    source: str
    guid: str
    headline: str
    body: str
    dateline: str | None = None
    published: datetime | None = None
    url: str | None = None
    language: str | None = None

    @property
    def id(self) -> str:
        """Identity of the story across versions: source + guid."""
        return stable_id(self.source, self.guid)

    @property
    def text(self) -> str:
        """Headline and body as one text; every offset in an Extraction points into it."""
        return f"{self.headline}\n\n{self.body}" if self.body else self.headline

    @property
    def content_hash(self) -> str:
        """Changes whenever headline, dateline or body change: a new version."""
        return stable_id(self.headline, self.dateline or "", self.body)


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in `Story.text` where something was named, as written there."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CountryRef:
    """A country the story refers to (ISO 3166-1 alpha-2), with every mention."""

    code: str
    name: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Person:
    """A named person; `name` is the fullest form the story gives."""

    name: str
    title: str | None
    country: str | None
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Fatality:
    """One statement that people were killed: `count` victims described as `who`."""

    count: int
    who: str
    text: str
    start: int
    end: int
    qualifier: Qualifier = "exact"
    cumulative: bool = False


@dataclass(frozen=True, slots=True)
class Fatalities:
    """The death toll of the events the story reports.

    `total` is the best count of people killed (restatements not added up,
    cumulative background tolls excluded); None when nobody died.
    """

    total: int | None
    qualifier: Qualifier
    mentions: tuple[Fatality, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation; `fragment` marks a partial quote under four words."""

    text: str
    speaker: str | None
    start: int
    end: int
    fragment: bool = False


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extractor read in one story."""

    headline: str
    dateline: str | None
    published: datetime | None
    countries: tuple[CountryRef, ...]
    people: tuple[Person, ...]
    fatalities: Fatalities
    quotes: tuple[Quote, ...]
    summary: str
    key_quote: Quote | None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a leaf condition of a rule held: what matched, where.

    `kind` is the leaf kind ("countries", "people", "fatalities", "keywords", "regex",
    "sources", "headline"); `label` the canonical thing matched ("Turkey", "Sergey
    Lavrov", "8 killed"); `text` the words in the story that matched, with their
    offsets into `Story.text` when there is one place to point at.
    """

    kind: str
    label: str
    text: str = ""
    start: int | None = None
    end: int | None = None

    def describe(self) -> str:
        """Short human form: `Turkey ("Turkish soldiers")` or `8 killed`."""
        if self.text and self.text.casefold() != self.label.casefold():
            return f'{self.label} ("{self.text}")'
        return self.label


@dataclass(frozen=True, slots=True)
class Match:
    """A rule that fired on a story, with its reasons."""

    rule: str
    channels: tuple[str, ...]
    priority: Priority
    reasons: tuple[Reason, ...]


class AlertKind(Enum):
    NEW = "new"
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class Alert:
    """One message to post in one channel about one story (version).

    An alert is self-contained: everything a notifier renders is here, so the
    outbox can deliver it after a restart without re-reading the story.
    `id` is deterministic (story, version, channel), which makes creating alerts
    idempotent and gives Matrix a stable transaction id.
    """

    id: str
    story_id: str
    channel: str
    kind: AlertKind
    headline: str
    dateline: str | None
    published: datetime | None
    source: str
    url: str | None
    summary: str
    quote: Quote | None
    matches: tuple[Match, ...]
    priority: Priority
    created: datetime
    update_note: str | None = None

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(m.rule for m in self.matches)

    def why(self) -> str:
        """`Turkey, Syria · 8 killed · Çavuşoğlu`: every distinct reason, in order."""
        seen: dict[str, None] = {}
        for match in self.matches:
            for reason in match.reasons:
                seen.setdefault(reason.describe(), None)
        return " · ".join(seen)


class DeliveryState(Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Delivery:
    """An alert in the outbox, with its delivery bookkeeping.

    `thread_ref` is the platform reference of the message an update should thread
    under (Slack ts, Matrix event id), filled in by the store when the parent was sent.
    """

    alert: Alert
    state: DeliveryState
    attempts: int
    next_attempt: datetime
    last_error: str | None = None
    remote_ref: str | None = None
    thread_ref: str | None = None
    resumed: bool = False  # claimed before and never settled: a send may have gone out


@dataclass(frozen=True, slots=True)
class FeedState:
    """What a source remembers between polls (conditional GET, backoff)."""

    feed: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    retry_at: datetime | None = None
    last_error: str | None = None
    last_success: datetime | None = None
    cursor: str | None = None  # source-specific progress marker (e.g. drop-folder files seen)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One poll of one source: the stories it returned and its new state.

    `problems` names what the source skipped but could not read (e.g. an unreadable
    file in a drop folder) while the rest of the poll succeeded; one line each.
    """

    stories: tuple[Story, ...]
    state: FeedState
    not_modified: bool = False
    problems: tuple[str, ...] = ()


class StoryStatus(Enum):
    NEW = "new"
    UPDATED = "updated"
    SEEN = "seen"


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story as the store keeps it: the latest version, its number and when it came."""

    story: Story
    version: int
    first_seen: datetime
    last_seen: datetime
    extraction: Extraction | None = None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str
    since: datetime | None = None
    limit: int = 10


@dataclass(frozen=True, slots=True)
class SearchHit:
    story_id: str
    headline: str
    source: str
    url: str | None
    published: datetime | None
    snippet: str


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll of one feed did, for logs and `wirewatch status`."""

    feed: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    alerts: int = 0
    not_modified: bool = False
    error: str | None = None
    errors: tuple[str, ...] = field(default_factory=tuple)
