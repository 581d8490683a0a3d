"""One poll of one feed: dedup, backlog, updates, backoff, and nothing lost."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.core.backoff import Backoff
from bot.core.errors import FetchError
from bot.core.models import (
    AlertKind,
    Extraction,
    FeedState,
    FetchResult,
    Match,
    PollReport,
    Reason,
    Story,
)
from bot.core.pipeline import describe_update, poll_feed
from bot.store.sqlite import SQLiteStore
from tests.conftest import FakeClock, make_extraction, make_story


@dataclass
class ScriptedSource:
    """A feed at the port: returns the scripted stories, or raises the scripted error."""

    name: str = "wire"
    interval: float = 60.0
    stories: list[Story] = field(default_factory=list)
    error: FetchError | None = None
    calls: int = 0

    def fetch(self, state: FeedState) -> FetchResult:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return FetchResult(tuple(self.stories), replace(state, etag=f'"v{self.calls}"'))


class TollExtractor:
    """Reads the death toll from a `toll=N` marker; raises on `boom`."""

    def extract(self, story: Story) -> Extraction:
        if "boom" in story.body:
            raise ValueError("cannot read")
        total = int(story.body.split("toll=")[1].split()[0]) if "toll=" in story.body else None
        return make_extraction(story, total)


class MatchAll:
    rules = ()

    def match(self, story: Story, extraction: Extraction) -> list[Match]:
        return [Match("all", ("console", "slack:#news"), "high", (Reason("keywords", "x"),))]


def poll(
    source: ScriptedSource,
    store: SQLiteStore,
    clock: FakeClock,
    *,
    alert_backlog: bool = False,
    backoff: Backoff | None = None,
) -> PollReport:
    return poll_feed(
        source,
        store,
        TollExtractor(),
        MatchAll,
        clock,
        alert_backlog=alert_backlog,
        backoff=backoff or Backoff(),
    )


def test_new_stories_are_stored_once_and_alerted_once(store: SQLiteStore, clock: FakeClock) -> None:
    source = ScriptedSource(stories=[make_story("a"), make_story("b")])
    first = poll(source, store, clock, alert_backlog=True)
    assert (first.new, first.alerts) == (2, 4)
    second = poll(source, store, clock, alert_backlog=True)
    assert (second.new, second.updated, second.alerts) == (0, 0, 0)
    assert store.story_count() == 2
    assert store.delivery_counts() == {"pending": 4}
    assert store.feed_state("wire").etag == '"v2"'


def test_first_poll_stores_backlog_without_alerting(store: SQLiteStore, clock: FakeClock) -> None:
    source = ScriptedSource(stories=[make_story("old")])
    report = poll(source, store, clock)
    assert (report.new, report.alerts) == (1, 0)
    source.stories.append(make_story("fresh"))
    report = poll(source, store, clock)
    assert (report.new, report.alerts) == (1, 2)


def test_updated_toll_becomes_a_threaded_update(store: SQLiteStore, clock: FakeClock) -> None:
    source = ScriptedSource(stories=[make_story("a", body="Blast. toll=8 end")])
    poll(source, store, clock, alert_backlog=True)
    source.stories = [make_story("a", body="Blast. toll=12 end")]
    report = poll(source, store, clock, alert_backlog=True)
    assert (report.updated, report.alerts) == (1, 2)
    updates = [d.alert for d in store.deliveries("pending") if d.alert.kind is AlertKind.UPDATE]
    assert {u.update_note for u in updates} == {"Update: death toll rises from 8 to 12"}
    # A re-edit that changes nothing a reader needs posts nothing.
    source.stories = [make_story("a", body="Blast.  toll=12 end (typo fixed)")]
    assert poll(source, store, clock, alert_backlog=True).alerts == 0


def test_failure_backs_off_exponentially_and_honours_retry_after(
    store: SQLiteStore, clock: FakeClock
) -> None:
    source = ScriptedSource(error=FetchError("HTTP 500 from http://127.0.0.1/feed"))
    backoff = Backoff(base=10, maximum=300)
    assert (
        poll(source, store, clock, backoff=backoff).error == "HTTP 500 from http://127.0.0.1/feed"
    )
    state = store.feed_state("wire")
    assert state.failures == 1
    assert state.retry_at == clock.now() + timedelta(seconds=10)
    poll(source, store, clock, backoff=backoff)  # still backing off: not fetched
    assert source.calls == 1
    clock.advance(10)
    poll(source, store, clock, backoff=backoff)
    assert store.feed_state("wire").failures == 2
    source.error = FetchError("HTTP 429", retry_after=120)
    clock.advance(20)
    poll(source, store, clock, backoff=backoff)
    state = store.feed_state("wire")
    assert state.retry_at == clock.now() + timedelta(seconds=120)
    clock.advance(120)
    source.error = None
    source.stories = [make_story()]
    report = poll(source, store, clock, backoff=backoff)
    assert report.error is None
    assert report.new == 1
    assert store.feed_state("wire").failures == 0


def test_a_story_that_breaks_the_extractor_loses_nothing_else(
    store: SQLiteStore, clock: FakeClock
) -> None:
    source = ScriptedSource(stories=[make_story("bad", body="boom"), make_story("good")])
    report = poll(source, store, clock, alert_backlog=True)
    assert report.new == 1
    assert len(report.errors) == 1
    assert "bad" in report.errors[0]
    # The broken story was not marked seen: it is tried again on the next poll.
    assert store.get_story(make_story("bad").id) is None


def test_describe_update() -> None:
    story = make_story()
    assert describe_update(make_extraction(story, 8), make_extraction(story, 8)) is None
    assert describe_update(make_extraction(story, 8), make_extraction(story, 5)) == (
        "Update: death toll revised from 8 to 5"
    )
    assert describe_update(make_extraction(story), make_extraction(story, 3)) == "Update: 3 killed"
