"""One poll of one feed: fetch -> store -> extract -> match -> outbox.

`poll_feed` is what the scheduler runs for each feed. It never raises for a feed's
own failure: a `FetchError` becomes backoff state and an error in the report, so one
broken feed never stops the others. Alerts are written to the store (the outbox)
before anything is sent; `bot.core.delivery` sends them.

Backoff: after a failure the feed is not fetched again before
`Backoff.delay(failures)` seconds (exponential, capped), or the server's
`Retry-After` when it gave one (whichever is longer).

Backlog: on a feed's first successful poll its stories are stored (searchable) but
not alerted, unless the feed says `alert_backlog` (a drop folder does): subscribing to
a feed must not flood a channel with yesterday's news.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.backoff import DEFAULT_BACKOFF, Backoff
from bot.core.errors import FetchError
from bot.core.models import (
    Alert,
    AlertKind,
    Extraction,
    Match,
    PollReport,
    Priority,
    StoredStory,
    Story,
    StoryStatus,
    stable_id,
)
from bot.core.ports import Clock, Source, Store
from bot.core.rules import Rule
from bot.core.throttle import release_time

log = logging.getLogger(__name__)

PRIORITY_ORDER: tuple[Priority, ...] = ("low", "normal", "high", "urgent")


class Extracting(Protocol):
    def extract(self, story: Story) -> Extraction: ...


class Matching(Protocol):
    @property
    def rules(self) -> tuple[Rule, ...]: ...

    def match(self, story: Story, extraction: Extraction) -> list[Match]: ...


def describe_update(old: Extraction | None, new: Extraction) -> str | None:
    """What changed that a reader must know, or None if nothing notable did."""
    notes = []
    before = old.fatalities.total if old else None
    after = new.fatalities.total
    if after is not None and before != after:
        if before is None:
            notes.append(f"{after} killed")
        else:
            verb = "rises" if after > before else "revised"
            notes.append(f"death toll {verb} from {before} to {after}")
    if old is not None and old.headline != new.headline:
        notes.append(f"new headline: {new.headline}")
    if not notes:
        return None
    return "Update: " + "; ".join(notes)


def _priority(matches: Sequence[Match]) -> Priority:
    return max((m.priority for m in matches), key=PRIORITY_ORDER.index)


def build_alerts(
    story: Story,
    version: int,
    extraction: Extraction,
    matches: Sequence[Match],
    clock: Clock,
    *,
    update_note: str | None = None,
    update_channels: frozenset[str] = frozenset(),
) -> list[Alert]:
    """One alert per channel named by any matching rule.

    Channels in `update_channels` already had an alert for this story: they get an
    UPDATE alert (threaded under the first) when `update_note` says what changed,
    and nothing otherwise.
    """
    by_channel: dict[str, list[Match]] = {}
    for match in matches:
        for channel in match.channels:
            by_channel.setdefault(channel, []).append(match)
    alerts = []
    for channel, channel_matches in by_channel.items():
        is_update = channel in update_channels
        if is_update and update_note is None:
            continue
        alerts.append(
            Alert(
                id=stable_id(story.id, str(version), channel),
                story_id=story.id,
                channel=channel,
                kind=AlertKind.UPDATE if is_update else AlertKind.NEW,
                headline=story.headline,
                dateline=story.dateline,
                published=story.published,
                source=story.source,
                url=story.url,
                summary=extraction.summary,
                quote=extraction.key_quote,
                matches=tuple(channel_matches),
                priority=_priority(channel_matches),
                created=clock.now(),
                update_note=update_note if is_update else None,
            )
        )
    return alerts


def _alerts_for(
    story: Story,
    previous: StoredStory | None,
    extraction: Extraction,
    matcher: Matching,
    store: Store,
    clock: Clock,
) -> list[Alert]:
    matches = matcher.match(story, extraction)
    if not matches:
        return []
    version = previous.version + 1 if previous else 1
    already = frozenset(store.alerted_channels(story.id)) if previous else frozenset()
    note = describe_update(previous.extraction if previous else None, extraction)
    return build_alerts(
        story, version, extraction, matches, clock, update_note=note, update_channels=already
    )


def poll_feed(
    source: Source,
    store: Store,
    extractor: Extracting,
    rules: Callable[[], Matching],
    clock: Clock,
    *,
    alert_backlog: bool = False,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> PollReport:
    """Poll `source` once (unless it is backing off) and queue alerts for what matched."""
    name = source.name
    state = store.feed_state(name)
    now = clock.now()
    if state.retry_at is not None and now < state.retry_at:
        return PollReport(feed=name, error=f"backing off until {state.retry_at:%H:%M:%S}Z")
    try:
        result = source.fetch(state)
    except FetchError as exc:
        failures = state.failures + 1
        wait = backoff.delay(failures, exc.retry_after)
        store.save_feed_state(
            replace(
                state,
                failures=failures,
                retry_at=now + timedelta(seconds=wait),
                last_error=str(exc),
            )
        )
        log.warning(
            "feed %s failed (%d in a row, next try in %.0fs): %s", name, failures, wait, exc
        )
        return PollReport(feed=name, error=str(exc))

    first_poll = not store.known_feed(name)
    matcher = rules()  # one rule set for the whole poll, even if a reload lands meanwhile
    throttles = {rule.name: rule.throttle for rule in matcher.rules}
    new = updated = queued = 0
    errors: list[str] = list(result.problems)
    for story in result.stories:
        # Most stories of a poll were seen before: compare hashes before decoding anything.
        if store.content_hash(story.id) == story.content_hash:
            continue
        previous = store.get_story(story.id)
        try:
            extraction = extractor.extract(story)
            alerts: list[Alert] = []
            held: list[tuple[Alert, datetime]] = []
            if alert_backlog or not first_poll:
                for alert in _alerts_for(story, previous, extraction, matcher, store, clock):
                    release = release_time(alert, throttles, store, now)
                    if release is None:
                        alerts.append(alert)
                    else:
                        held.append((alert, release))
        except Exception as exc:  # one story's bug must not lose the rest of the poll
            log.exception("feed %s: story %r could not be processed", name, story.guid)
            errors.append(f"{story.guid}: {type(exc).__name__}: {exc}")
            continue
        version = previous.version + 1 if previous else 1
        # Story, extraction and alerts in one transaction: a crash cannot keep the
        # story (so it is "seen") while losing its alerts.
        status = store.ingest(story, version, extraction, alerts, now, held)
        new += status is StoryStatus.NEW
        updated += status is StoryStatus.UPDATED
        queued += len(alerts) if status is not StoryStatus.SEEN else 0
    store.save_feed_state(
        replace(
            result.state,
            feed=name,
            failures=0,
            retry_at=None,
            last_error=None,
            last_success=now,
        )
    )
    return PollReport(
        feed=name,
        fetched=len(result.stories),
        new=new,
        updated=updated,
        alerts=queued,
        not_modified=result.not_modified,
        errors=tuple(errors),
    )
