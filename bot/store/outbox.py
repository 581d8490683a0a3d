"""The alert outbox in the SQLite store: queueing, held alerts, leases, deliveries.

`Outbox` runs every operation in the transaction helper it is given (the store's own,
so there is one lock and one way to begin, commit and translate errors); `queue`
inserts alerts inside a transaction the caller already holds (`ingest` queues a story's
alerts in the transaction that writes the story). An alert row keeps its rule names
each wrapped in U+001F, so `count_alerts` matches one whole rule name with `instr`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.models import Alert, Delivery, DeliveryState
from bot.store import codec
from bot.store.codec import iso

Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]


def queue(
    db: sqlite3.Connection,
    alerts: Sequence[Alert],
    *,
    state: str = "pending",
    next_attempt: datetime | None = None,
) -> int:
    """Insert alerts in the caller's transaction; an alert whose id exists is ignored.
    Returns how many were new."""
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
                iso(alert.created),
                state,
                iso(next_attempt or alert.created),
            ),
        )
        added += cur.rowcount
    return added


class Outbox:
    """The outbox operations of the `Store` port, each one transaction of `tx`."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add_alerts(self, alerts: Sequence[Alert]) -> int:
        with self._tx() as db:
            return queue(db, alerts)

    def count_alerts(self, channel: str, rule: str, since: datetime) -> int:
        with self._tx() as db:
            row = db.execute(
                "SELECT COUNT(*) FROM alerts WHERE channel = ? AND created >= ? "
                "AND state IN ('pending', 'sent', 'failed') AND instr(rules, ?) > 0",
                (channel, iso(since), f"\x1f{rule}\x1f"),
            ).fetchone()
        return int(row[0])

    def due_held(self, now: datetime) -> dict[str, list[Alert]]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT channel, payload FROM alerts WHERE state = 'held' AND channel IN "
                "(SELECT channel FROM alerts WHERE state = 'held' "
                " GROUP BY channel HAVING MIN(next_attempt) <= ?) ORDER BY seq",
                (iso(now),),
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
            queue(db, [digest])

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
        stamp = iso(now)
        until = iso(now + timedelta(seconds=lease))
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
                (iso(now), iso(now)),
            )
            return int(cur.rowcount)

    def mark_sent(self, alert_id: str, remote_ref: str, now: datetime) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE alerts SET state = 'sent', remote_ref = ?, sent_at = ?, "
                "attempts = attempts + 1, lease_until = NULL, last_error = NULL WHERE id = ?",
                (remote_ref, iso(now), alert_id),
            )

    def mark_retry(
        self, alert_id: str, error: str, next_attempt: datetime, *, count_attempt: bool = True
    ) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE alerts SET next_attempt = ?, lease_until = NULL, "
                "last_error = COALESCE(?, last_error), attempts = attempts + ? WHERE id = ?",
                (iso(next_attempt), error or None, 1 if count_attempt else 0, alert_id),
            )

    def mark_failed(self, alert_id: str, error: str, now: datetime) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE alerts SET state = 'failed', last_error = ?, lease_until = NULL, "
                "attempts = attempts + 1, next_attempt = ? WHERE id = ?",
                (error, iso(now), alert_id),
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
