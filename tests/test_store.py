"""The SQLite store: story versions, the outbox's ordering and leases, search."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core.models import AlertKind, DeliveryState, FeedState, SearchQuery, StoryStatus
from bot.store.sqlite import SQLiteStore
from tests.conftest import FakeClock, make_alert, make_extraction, make_story


def test_story_versions_new_seen_updated(store: SQLiteStore, clock: FakeClock) -> None:
    story = make_story()
    assert store.ingest(story, 1, make_extraction(story), [], clock.now()) is StoryStatus.NEW
    assert store.ingest(story, 2, make_extraction(story), [], clock.now()) is StoryStatus.SEEN
    changed = make_story(body="Body, now with the toll.")
    assert store.ingest(changed, 2, make_extraction(changed, 3), [], clock.now()) is (
        StoryStatus.UPDATED
    )
    stored = store.get_story(story.id)
    assert stored is not None
    assert stored.version == 2
    assert stored.story.body == "Body, now with the toll."
    assert stored.extraction is not None
    assert stored.extraction.fatalities.total == 3


def test_alerts_are_queued_once_even_if_ingested_twice(
    store: SQLiteStore, clock: FakeClock
) -> None:
    story = make_story()
    alert = make_alert(story)
    store.ingest(story, 1, make_extraction(story), [alert], clock.now())
    assert store.add_alerts([alert]) == 0
    assert store.delivery_counts() == {"pending": 1}


def test_claim_hands_out_only_the_head_of_each_channel(
    store: SQLiteStore, clock: FakeClock
) -> None:
    a, b, c = make_story("a"), make_story("b"), make_story("c")
    store.add_alerts(
        [make_alert(a, "console"), make_alert(b, "console"), make_alert(c, "slack:#x")]
    )
    claimed = store.claim_deliveries(clock.now(), 10, lease=60)
    assert [(d.alert.story_id, d.alert.channel) for d in claimed] == [
        (a.id, "console"),
        (c.id, "slack:#x"),
    ]
    # Leased: not handed out again until settled or the lease runs out.
    assert store.claim_deliveries(clock.now(), 10, lease=60) == []
    store.mark_sent(claimed[0].alert.id, "ts-1", clock.now())
    nxt = store.claim_deliveries(clock.now(), 10, lease=60)
    assert [d.alert.story_id for d in nxt] == [b.id]
    clock.advance(61)
    again = store.claim_deliveries(clock.now(), 10, lease=60)
    assert {d.alert.story_id for d in again} == {b.id, c.id}


def test_retry_waits_and_failed_is_kept_with_error(store: SQLiteStore, clock: FakeClock) -> None:
    story = make_story()
    alert = make_alert(story)
    store.add_alerts([alert])
    store.claim_deliveries(clock.now(), 10, 60)
    store.mark_retry(alert.id, "HTTP 503", clock.now() + timedelta(seconds=30))
    assert store.claim_deliveries(clock.now(), 10, 60) == []
    clock.advance(31)
    (again,) = store.claim_deliveries(clock.now(), 10, 60)
    assert again.attempts == 1
    assert again.last_error == "HTTP 503"
    store.mark_failed(alert.id, "channel_not_found", clock.now())
    (failed,) = store.deliveries("failed")
    assert failed.state is DeliveryState.FAILED
    assert failed.last_error == "channel_not_found"
    assert failed.attempts == 2


def test_update_carries_the_parents_thread_ref(store: SQLiteStore, clock: FakeClock) -> None:
    story = make_story()
    parent = make_alert(story, "slack:#news")
    update = make_alert(story, "slack:#news", version=2, kind=AlertKind.UPDATE, note="Update")
    store.add_alerts([parent, update])
    (first,) = store.claim_deliveries(clock.now(), 10, 60)
    assert first.thread_ref is None
    store.mark_sent(parent.id, "1700000000.000100", clock.now())
    (second,) = store.claim_deliveries(clock.now(), 10, 60)
    assert second.alert.id == update.id
    assert second.thread_ref == "1700000000.000100"
    assert store.thread_ref(story.id, "slack:#news") == "1700000000.000100"


def test_feed_state_round_trip_and_known(store: SQLiteStore, clock: FakeClock) -> None:
    assert store.feed_state("f").etag is None
    assert not store.known_feed("f")
    store.save_feed_state(FeedState("f", etag='"abc"', failures=2, retry_at=clock.now()))
    assert not store.known_feed("f")
    store.save_feed_state(FeedState("f", etag='"abc"', last_success=clock.now()))
    assert store.known_feed("f")
    assert store.feed_state("f").etag == '"abc"'


def test_search_folds_diacritics_and_ignores_fts_syntax(
    store: SQLiteStore, clock: FakeClock
) -> None:
    s1 = make_story("1", "Çavuşoğlu meets Lavrov", "Talks in Moscow on Idlib.")
    s2 = make_story("2", "Floods in Italy", "Rain, rain, rain.")
    for s in (s1, s2):
        store.ingest(s, 1, make_extraction(s), [], clock.now())
    hits = store.search(SearchQuery("cavusoglu"))
    assert [h.headline for h in hits] == ["Çavuşoğlu meets Lavrov"]
    assert store.search(SearchQuery('idlib" OR "rain')) == []
    assert store.search(SearchQuery("NEAR(")) == []


def test_store_survives_reopen(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "db.sqlite"
    first = SQLiteStore(path)
    story = make_story()
    first.ingest(story, 1, make_extraction(story), [make_alert(story)], clock.now())
    first.close()
    second = SQLiteStore(path)
    assert second.ingest(story, 2, make_extraction(story), [], clock.now()) is StoryStatus.SEEN
    assert second.delivery_counts() == {"pending": 1}
    second.close()


def test_a_store_from_an_earlier_version_is_migrated(tmp_path: Path, clock: FakeClock) -> None:
    import sqlite3
    from contextlib import closing

    from bot.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as db:  # as the first release left it: unnumbered
        db.executescript(MIGRATIONS[0])
        db.execute(
            "INSERT INTO alerts(id, story_id, channel, kind, payload, next_attempt) "
            "VALUES('a1', 's1', 'console', 'new', '{}', '2026-11-29T12:00:00+00:00')"
        )
        db.commit()
    store = SQLiteStore(path)
    assert store.delivery_counts() == {"pending": 1}
    story = make_story()
    store.ingest(story, 1, make_extraction(story), [make_alert(story)], clock.now())
    assert store.count_alerts("console", "r1", clock.now()) == 1
    store.close()


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    import pytest

    from bot.core.errors import StoreError

    path = tmp_path / "new.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="written by a newer Wirewatch"):
        SQLiteStore(path)


def test_next_due_looks_only_at_the_head_of_each_channel(
    store: SQLiteStore, clock: FakeClock
) -> None:
    assert store.next_due() is None
    a, b = make_story("a"), make_story("b")
    store.add_alerts([make_alert(a), make_alert(b)])
    (head,) = store.claim_deliveries(clock.now(), 10, lease=60)
    store.mark_retry(head.alert.id, "Broken pipe", clock.now() + timedelta(seconds=30))
    # The second alert is due by its own time, but it waits behind the head.
    assert store.next_due() == clock.now() + timedelta(seconds=30)
