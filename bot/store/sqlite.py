"""The SQLite store: stories with an FTS5 index, feed state, the alert outbox.

One connection in WAL mode shared by the scheduler's threads behind a lock: SQLite
serialises writers anyway, and every operation here is a short transaction. Every
table is created on open. sqlite3 errors are translated into `StoreError` here.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.errors import StoreError
from bot.core.models import (
    Alert,
    Delivery,
    DeliveryState,
    Extraction,
    FeedState,
    SearchHit,
    SearchQuery,
    StoredStory,
    Story,
    StoryStatus,
)
from bot.store import codec
from bot.store.schema import migrate


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


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
        published = _iso(story.published) if story.published else None
        with self._tx() as db:
            row = db.execute("SELECT content_hash FROM stories WHERE id = ?", (sid,)).fetchone()
            if row and row[0] == digest:
                db.execute("UPDATE stories SET last_seen = ? WHERE id = ?", (_iso(now), sid))
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
                        _iso(now),
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
                        _iso(now),
                        _iso(now),
                    ),
                )
            db.execute(
                "INSERT INTO stories_fts(headline, body, story_id) VALUES(?, ?, ?)",
                (story.headline, story.body, sid),
            )
            self._queue(db, alerts)
            for alert, release in held:
                self._queue(db, [alert], state="held", next_attempt=release)
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
                (_iso(since),),
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
            params.append(_iso(query.since))
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

    # -- outbox --------------------------------------------------------------------

    def add_alerts(self, alerts: Sequence[Alert]) -> int:
        with self._tx() as db:
            return self._queue(db, alerts)

    @staticmethod
    def _queue(
        db: sqlite3.Connection,
        alerts: Sequence[Alert],
        *,
        state: str = "pending",
        next_attempt: datetime | None = None,
    ) -> int:
        added = 0
        for alert in alerts:
            cur = db.execute(
                "INSERT OR IGNORE INTO alerts(id, story_id, channel, kind, payload, rules, "
                "created, state, next_attempt) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    alert.id,
                    alert.story_id,
                    alert.channel,
                    alert.kind.value,
                    codec.dumps(alert),
                    "".join(f"\x1f{rule}\x1f" for rule in alert.rules),
                    _iso(alert.created),
                    state,
                    _iso(next_attempt or alert.created),
                ),
            )
            added += cur.rowcount
        return added

    def count_alerts(self, channel: str, rule: str, since: datetime) -> int:
        with self._tx() as db:
            row = db.execute(
                "SELECT COUNT(*) FROM alerts WHERE channel = ? AND created >= ? "
                "AND state IN ('pending', 'sent', 'failed') AND instr(rules, ?) > 0",
                (channel, _iso(since), f"\x1f{rule}\x1f"),
            ).fetchone()
        return int(row[0])

    def due_held(self, now: datetime) -> dict[str, list[Alert]]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT channel, payload FROM alerts WHERE state = 'held' AND channel IN "
                "(SELECT channel FROM alerts WHERE state = 'held' "
                " GROUP BY channel HAVING MIN(next_attempt) <= ?) ORDER BY seq",
                (_iso(now),),
            ).fetchall()
        due: dict[str, list[Alert]] = {}
        for channel, payload in rows:
            due.setdefault(channel, []).append(codec.loads(Alert, payload))
        return due

    def replace_held(self, channel: str, alert_ids: Sequence[str], digest: Alert) -> None:
        with self._tx() as db:
            db.executemany(
                "UPDATE alerts SET state = 'digested', remote_ref = ? "
                "WHERE id = ? AND channel = ? AND state = 'held'",
                [(digest.id, alert_id, channel) for alert_id in alert_ids],
            )
            self._queue(db, [digest])

    def alerted_channels(self, story_id: str) -> set[str]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT DISTINCT channel FROM alerts WHERE story_id = ?", (story_id,)
            ).fetchall()
        return {r[0] for r in rows}

    _DELIVERY_COLUMNS = (
        "a.payload, a.state, a.attempts, a.next_attempt, a.last_error, a.remote_ref, "
        "(SELECT p.remote_ref FROM alerts p WHERE p.story_id = a.story_id "
        " AND p.channel = a.channel AND p.kind = 'new' AND p.state = 'sent' "
        " ORDER BY p.seq LIMIT 1)"
    )

    @staticmethod
    def _delivery(row: Sequence[object]) -> Delivery:
        payload, state, attempts, next_attempt, last_error, remote_ref, thread = row
        return Delivery(
            alert=codec.loads(Alert, str(payload)),
            state=DeliveryState(state),
            attempts=int(str(attempts)),
            next_attempt=datetime.fromisoformat(str(next_attempt)),
            last_error=str(last_error) if last_error is not None else None,
            remote_ref=str(remote_ref) if remote_ref is not None else None,
            thread_ref=str(thread) if thread is not None else None,
        )

    def claim_deliveries(self, now: datetime, limit: int, lease: float) -> list[Delivery]:
        stamp = _iso(now)
        until = _iso(now + timedelta(seconds=lease))
        with self._tx() as db:
            # The head of each channel's queue only: a channel's alerts go out in order.
            rows = db.execute(
                f"SELECT a.id, a.lease_until IS NOT NULL, {self._DELIVERY_COLUMNS} FROM alerts a "
                "WHERE a.state = 'pending' AND a.next_attempt <= ? "
                "AND (a.lease_until IS NULL OR a.lease_until <= ?) "
                "AND a.seq = (SELECT MIN(b.seq) FROM alerts b "
                "             WHERE b.channel = a.channel AND b.state = 'pending') "
                "ORDER BY a.seq LIMIT ?",
                (stamp, stamp, limit),
            ).fetchall()
            db.executemany(
                "UPDATE alerts SET lease_until = ? WHERE id = ?", [(until, r[0]) for r in rows]
            )
        # A row still holding an (expired) lease was claimed and never settled: the
        # process died mid-send, so the message may have been posted.
        return [replace(self._delivery(r[2:]), resumed=bool(r[1])) for r in rows]

    def release_leases(self, now: datetime) -> int:
        """End every lease now (keeping the mark that the delivery was claimed).

        For a store used by one process only: at start-up, leases left by a process
        that died are released at once instead of blocking their channels until they
        expire; the deliveries still come back as `resumed`, so a send that may have
        gone out is checked before it is repeated.
        """
        with self._tx() as db:
            cur = db.execute(
                "UPDATE alerts SET lease_until = ? WHERE state = 'pending' "
                "AND lease_until IS NOT NULL AND lease_until > ?",
                (_iso(now), _iso(now)),
            )
            return int(cur.rowcount)

    def mark_sent(self, alert_id: str, remote_ref: str, now: datetime) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE alerts SET state = 'sent', remote_ref = ?, sent_at = ?, "
                "attempts = attempts + 1, lease_until = NULL, last_error = NULL WHERE id = ?",
                (remote_ref, _iso(now), alert_id),
            )

    def mark_retry(
        self, alert_id: str, error: str, next_attempt: datetime, *, count_attempt: bool = True
    ) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE alerts SET next_attempt = ?, lease_until = NULL, "
                "last_error = COALESCE(?, last_error), attempts = attempts + ? WHERE id = ?",
                (_iso(next_attempt), error or None, 1 if count_attempt else 0, alert_id),
            )

    def mark_failed(self, alert_id: str, error: str, now: datetime) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE alerts SET state = 'failed', last_error = ?, lease_until = NULL, "
                "attempts = attempts + 1, next_attempt = ? WHERE id = ?",
                (error, _iso(now), alert_id),
            )

    def thread_ref(self, story_id: str, channel: str) -> str | None:
        with self._tx() as db:
            row = db.execute(
                "SELECT remote_ref FROM alerts WHERE story_id = ? AND channel = ? "
                "AND kind = 'new' AND state = 'sent' ORDER BY seq LIMIT 1",
                (story_id, channel),
            ).fetchone()
        return str(row[0]) if row else None

    def deliveries(self, state: str | None = None, limit: int = 100) -> list[Delivery]:
        sql = f"SELECT {self._DELIVERY_COLUMNS} FROM alerts a"
        params: list[object] = []
        if state is not None:
            sql += " WHERE a.state = ?"
            params.append(state)
        sql += " ORDER BY a.seq DESC LIMIT ?"
        params.append(limit)
        with self._tx() as db:
            rows = db.execute(sql, params).fetchall()
        return [self._delivery(r) for r in rows]

    def next_due(self) -> datetime | None:
        """When the next delivery may be tried: the earliest `next_attempt` among the
        heads of the channels' queues (an alert behind its channel's head waits for it)."""
        with self._tx() as db:
            row = db.execute(
                "SELECT MIN(a.next_attempt) FROM alerts a WHERE a.state = 'pending' "
                "AND a.seq = (SELECT MIN(b.seq) FROM alerts b "
                "             WHERE b.channel = a.channel AND b.state = 'pending')"
            ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def delivery_counts(self) -> dict[str, int]:
        with self._tx() as db:
            rows = db.execute("SELECT state, COUNT(*) FROM alerts GROUP BY state").fetchall()
        return {str(k): int(v) for k, v in rows}
