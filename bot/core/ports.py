"""The interfaces the core calls; edges implement them, `bot/app.py` wires them.

Contracts are in the docstrings. Implementations translate their library's errors into
`bot.core.errors` once, at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.core.models import (
    Alert,
    Delivery,
    Extraction,
    FeedState,
    FetchResult,
    SearchHit,
    SearchQuery,
    StoredStory,
    Story,
    StoryStatus,
)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class Source(Protocol):
    """One configured feed.

    `fetch` polls once and returns the stories currently offered (the pipeline and
    the store decide which are new) with the source's new state. It raises
    `FetchError` for anything that went wrong (network, HTTP status, parse), with
    `retry_after` when the server said when to come back. It never raises anything
    else on bad input.
    """

    @property
    def name(self) -> str: ...

    @property
    def interval(self) -> float:
        """Seconds between polls."""
        ...

    def fetch(self, state: FeedState) -> FetchResult: ...


class Store(Protocol):
    """Durable state: stories (with a full-text index), feed state, outbox, mutes.

    Every method is atomic. Claiming work is an operation of the store (so several
    workers can share one database later): `claim_deliveries` hands out due pending
    deliveries with a lease, and the same delivery is not handed out again until the
    lease expires or it is settled with `mark_sent` / `mark_retry` / `mark_failed`.
    """

    def feed_state(self, feed: str) -> FeedState: ...

    def save_feed_state(self, state: FeedState) -> None: ...

    def known_feed(self, feed: str) -> bool:
        """Whether the feed has ever been polled successfully (first poll skips backlog)."""
        ...

    def ingest(
        self,
        story: Story,
        version: int,
        extraction: Extraction,
        alerts: Sequence[Alert],
        now: datetime,
        held: Sequence[tuple[Alert, datetime]] = (),
    ) -> StoryStatus:
        """Record a story version with its extraction and queue its alerts, atomically.

        SEEN (nothing written) when the stored version has the same content; alerts
        whose id already exists are ignored, so ingesting twice never queues twice.
        `held` alerts (throttled) are kept with the time their digest is due.
        """
        ...

    def count_alerts(self, channel: str, rule: str, since: datetime) -> int:
        """Alerts (not held) that `rule` sent to `channel` created at or after `since`."""
        ...

    def due_held(self, now: datetime) -> dict[str, list[Alert]]:
        """Per channel whose earliest held alert is due: all its held alerts, oldest first."""
        ...

    def replace_held(self, channel: str, alert_ids: Sequence[str], digest: Alert) -> None:
        """Atomically mark the held alerts digested and queue the digest."""
        ...

    def content_hash(self, story_id: str) -> str | None:
        """The stored version's `Story.content_hash`, or None for an unknown story."""
        ...

    def get_story(self, story_id: str) -> StoredStory | None: ...

    def stories_since(self, since: datetime) -> list[StoredStory]: ...

    def alerted_channels(self, story_id: str) -> set[str]:
        """Channels that already have an alert (any state) for this story."""
        ...

    def add_alerts(self, alerts: Sequence[Alert]) -> int:
        """Queue alerts for delivery; an alert whose id exists is ignored. Returns how
        many were new."""
        ...

    def claim_deliveries(self, now: datetime, limit: int, lease: float) -> list[Delivery]:
        """Pending deliveries due at `now`, oldest first, leased for `lease` seconds.

        Only the oldest due delivery of each channel is returned, so a channel's
        messages go out in order.
        """
        ...

    def mark_sent(self, alert_id: str, remote_ref: str, now: datetime) -> None: ...

    def mark_retry(
        self, alert_id: str, error: str, next_attempt: datetime, *, count_attempt: bool = True
    ) -> None:
        """Release the lease; try again at `next_attempt`. `count_attempt=False` for a
        deferral that was not a failure (pacing)."""
        ...

    def mark_failed(self, alert_id: str, error: str, now: datetime) -> None: ...

    def thread_ref(self, story_id: str, channel: str) -> str | None:
        """Remote reference of the first sent alert for this story in this channel."""
        ...

    def deliveries(self, state: str | None = None, limit: int = 100) -> list[Delivery]: ...

    def search(self, query: SearchQuery) -> list[SearchHit]: ...

    def close(self) -> None: ...


class Notifier(Protocol):
    """Posts alerts to one platform.

    `send` posts `alert` to `alert.channel` (threaded under `thread_ref` when given)
    and returns the platform's reference of the new message (Slack ts, Matrix event
    id). It raises `DeliveryError` (with `retry_after` or `permanent`) and nothing else.
    Sending the same alert id twice must not post twice where the platform allows it
    (Matrix transaction ids).
    """

    @property
    def min_interval(self) -> float:
        """Seconds to leave between two messages to one channel (Slack: 1.0)."""
        ...

    def handles(self, channel: str) -> bool:
        """Whether `channel` (e.g. `slack:#news`, `matrix:!abc`) belongs to this notifier."""
        ...

    def start(self) -> None:
        """Check credentials and resolve channel names once; raises `CredentialError`
        naming the environment variable, or `DeliveryError` for an unknown channel."""
        ...

    def send(self, alert: Alert, thread_ref: str | None) -> str: ...

    def already_posted(self, alert: Alert, thread_ref: str | None) -> str | None:
        """For a retry after a send whose outcome is unknown (a crash, a timeout):
        the remote reference of a message already posted for this alert, or None.

        Platforms with idempotent sends (Matrix transaction ids) return None and
        rely on `send`; Slack looks for the alert id in recent history.
        """
        ...

    def close(self) -> None: ...
