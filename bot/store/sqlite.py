"""The SQLite store: stories with an FTS5 index, feed state, the alert outbox.

This module holds the connection, the one transaction helper, feeds and stories; the
outbox's operations are in `bot.store.outbox`, and `SQLiteStore` hands them its helper.

One connection in WAL mode shared by the scheduler's threads behind a lock: SQLite
serialises writers anyway, and every operation here is a short transaction. Every
table is created on open. sqlite3 errors are translated into `StoreError` here.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.core.errors import StoreError
from bot.core.models import (
    Alert,
    Delivery,
    Extraction,
    FeedState,
    SearchHit,
    SearchQuery,
    StoredStory,
    Story,
    StoryStatus,
)
from bot.store import codec, outbox
from bot.store.codec import iso
from bot.store.schema import migrate


class SQLiteStore:
    """The `Store` port on one SQLite file (`:memory:` for tests)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            migrate(self._db)
        except (sqlite3.Error, StoreError) as exc:
            self._db.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        self._closed = False
        self._outbox = outbox.Outbox(self._tx)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction under the lock; sqlite3 errors -> StoreError."""
        with self._lock:
            if self._closed:
                raise StoreError("store is closed")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"store {self.path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    # -- feeds ---------------------------------------------------------------------

    def feed_state(self, feed: str) -> FeedState:
        with self._tx() as db:
            row = db.execute("SELECT state FROM feeds WHERE name = ?", (feed,)).fetchone()
        return codec.loads(FeedState, row[0]) if row else FeedState(feed=feed)

    def save_feed_state(self, state: FeedState) -> None:
        known = 1 if state.last_success is not None else 0
        with self._tx() as db:
            db.execute(
                "INSERT INTO feeds(name, state, known) VALUES(?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET state = excluded.state, "
                "known = MAX(known, excluded.known)",
                (state.feed, codec.dumps(state), known),
            )

    def known_feed(self, feed: str) -> bool:
        with self._tx() as db:
            row = db.execute("SELECT known FROM feeds WHERE name = ?", (feed,)).fetchone()
        return bool(row and row[0])

    def feed_states(self) -> list[FeedState]:
        with self._tx() as db:
            rows = db.execute("SELECT state FROM feeds ORDER BY name").fetchall()
        return [codec.loads(FeedState, r[0]) for r in rows]

    # -- stories -------------------------------------------------------------------

    def ingest(
        self,
        story: Story,
        version: int,
        extraction: Extraction,
        alerts: Sequence[Alert],
        now: datetime,
        held: Sequence[tuple[Alert, datetime]] = (),
    ) -> StoryStatus:
        sid, digest = story.id, story.content_hash
        published = iso(story.published) if story.published else None
        with self._tx() as db:
            row = db.execute("SELECT content_hash FROM stories WHERE id = ?", (sid,)).fetchone()
            if row and row[0] == digest:
                db.execute("UPDATE stories SET last_seen = ? WHERE id = ?", (iso(now), sid))
                return StoryStatus.SEEN
            if row:
                db.execute(
                    "UPDATE stories SET version = ?, content_hash = ?, story = ?, "
                    "extraction = ?, published = ?, last_seen = ? WHERE id = ?",
                    (
                        version,
                        digest,
                        codec.dumps(story),
                        codec.dumps(extraction),
                        published,
                        iso(now),
                        sid,
                    ),
                )
                db.execute("DELETE FROM stories_fts WHERE story_id = ?", (sid,))
            else:
                db.execute(
                    "INSERT INTO stories(id, source, guid, version, content_hash, story, "
                    "extraction, published, first_seen, last_seen) "
                    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        sid,
                        story.source,
                        story.guid,
                        version,
                        digest,
                        codec.dumps(story),
                        codec.dumps(extraction),
                        published,
                        iso(now),
                        iso(now),
                    ),
                )
            db.execute(
                "INSERT INTO stories_fts(headline, body, story_id) VALUES(?, ?, ?)",
                (story.headline, story.body, sid),
            )
            outbox.queue(db, alerts)
            for alert, release in held:
                outbox.queue(db, [alert], state="held", next_attempt=release)
            return StoryStatus.UPDATED if row else StoryStatus.NEW

    def _stored(self, row: Sequence[object]) -> StoredStory:
        story_json, extraction_json, version, first_seen, last_seen = row
        return StoredStory(
            story=codec.loads(Story, str(story_json)),
            version=int(str(version)),
            first_seen=datetime.fromisoformat(str(first_seen)),
            last_seen=datetime.fromisoformat(str(last_seen)),
            extraction=codec.loads(Extraction, str(extraction_json)) if extraction_json else None,
        )

    def content_hash(self, story_id: str) -> str | None:
        with self._tx() as db:
            row = db.execute(
                "SELECT content_hash FROM stories WHERE id = ?", (story_id,)
            ).fetchone()
        return str(row[0]) if row else None

    def get_story(self, story_id: str) -> StoredStory | None:
        with self._tx() as db:
            row = db.execute(
                "SELECT story, extraction, version, first_seen, last_seen FROM stories "
                "WHERE id = ?",
                (story_id,),
            ).fetchone()
        return self._stored(row) if row else None

    def stories_since(self, since: datetime) -> list[StoredStory]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT story, extraction, version, first_seen, last_seen FROM stories "
                "WHERE last_seen >= ? ORDER BY first_seen",
                (iso(since),),
            ).fetchall()
        return [self._stored(r) for r in rows]

    def story_count(self) -> int:
        with self._tx() as db:
            return int(db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Full-text search; the query is taken as words (quoted), never as FTS syntax."""
        words = [w.replace('"', "") for w in query.text.split() if w.replace('"', "")]
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        sql = (
            "SELECT s.id, s.story, snippet(stories_fts, 1, '[', ']', '…', 12) "
            "FROM stories_fts JOIN stories s ON s.id = stories_fts.story_id "
            "WHERE stories_fts MATCH ?"
        )
        params: list[object] = [match]
        if query.since is not None:
            sql += " AND s.last_seen >= ?"
            params.append(iso(query.since))
        sql += " ORDER BY bm25(stories_fts), s.published DESC LIMIT ?"
        params.append(query.limit)
        with self._tx() as db:
            rows = db.execute(sql, params).fetchall()
        hits = []
        for sid, story_json, snippet in rows:
            story = codec.loads(Story, story_json)
            hits.append(
                SearchHit(sid, story.headline, story.source, story.url, story.published, snippet)
            )
        return hits

    # -- outbox (bot.store.outbox) -------------------------------------------------

    def add_alerts(self, alerts: Sequence[Alert]) -> int:
        return self._outbox.add_alerts(alerts)

    def count_alerts(self, channel: str, rule: str, since: datetime) -> int:
        return self._outbox.count_alerts(channel, rule, since)

    def due_held(self, now: datetime) -> dict[str, list[Alert]]:
        return self._outbox.due_held(now)

    def replace_held(self, channel: str, alert_ids: Sequence[str], digest: Alert) -> None:
        self._outbox.replace_held(channel, alert_ids, digest)

    def alerted_channels(self, story_id: str) -> set[str]:
        return self._outbox.alerted_channels(story_id)

    def claim_deliveries(self, now: datetime, limit: int, lease: float) -> list[Delivery]:
        return self._outbox.claim_deliveries(now, limit, lease)

    def release_leases(self, now: datetime) -> int:
        """End every lease now; see `Outbox.release_leases`."""
        return self._outbox.release_leases(now)

    def mark_sent(self, alert_id: str, remote_ref: str, now: datetime) -> None:
        self._outbox.mark_sent(alert_id, remote_ref, now)

    def mark_retry(
        self, alert_id: str, error: str, next_attempt: datetime, *, count_attempt: bool = True
    ) -> None:
        self._outbox.mark_retry(alert_id, error, next_attempt, count_attempt=count_attempt)

    def mark_failed(self, alert_id: str, error: str, now: datetime) -> None:
        self._outbox.mark_failed(alert_id, error, now)

    def thread_ref(self, story_id: str, channel: str) -> str | None:
        return self._outbox.thread_ref(story_id, channel)

    def deliveries(self, state: str | None = None, limit: int = 100) -> list[Delivery]:
        return self._outbox.deliveries(state, limit)

    def next_due(self) -> datetime | None:
        """When the next delivery may be tried; see `Outbox.next_due`."""
        return self._outbox.next_due()

    def delivery_counts(self) -> dict[str, int]:
        return self._outbox.delivery_counts()
