"""The SQLite schema, as numbered migrations (`PRAGMA user_version`).

A store file made by any earlier version is brought up to date on open, in one
transaction per step; a file from a newer version is refused rather than damaged.
Add a step at the end; never edit a step that has shipped.
"""

from __future__ import annotations

import sqlite3

from bot.core.errors import StoreError

MIGRATIONS: tuple[str, ...] = (
    # 1: stories with a full-text index, feed state, the alert outbox.
    """
    CREATE TABLE IF NOT EXISTS stories (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        guid TEXT NOT NULL,
        version INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        story TEXT NOT NULL,            -- JSON of the latest Story version
        extraction TEXT,                -- JSON of its Extraction
        published TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS stories_last_seen ON stories(last_seen);
    CREATE VIRTUAL TABLE IF NOT EXISTS stories_fts USING fts5(
        headline, body, story_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE IF NOT EXISTS feeds (
        name TEXT PRIMARY KEY,
        state TEXT NOT NULL,            -- JSON of FeedState
        known INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS alerts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- creation order: delivery order per channel
        id TEXT NOT NULL UNIQUE,
        story_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,          -- JSON of Alert
        state TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed | held | digested
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT NOT NULL,
        lease_until TEXT,
        last_error TEXT,
        remote_ref TEXT,
        sent_at TEXT
    );
    CREATE INDEX IF NOT EXISTS alerts_pending ON alerts(state, channel, seq);
    CREATE INDEX IF NOT EXISTS alerts_story ON alerts(story_id, channel);
    """,
    # 2: rule throttles count alerts per rule and channel over time.
    """
    ALTER TABLE alerts ADD COLUMN rules TEXT NOT NULL DEFAULT '';  -- each rule between \\x1f
    ALTER TABLE alerts ADD COLUMN created TEXT NOT NULL DEFAULT '';
    UPDATE alerts SET created = next_attempt WHERE created = '';
    CREATE INDEX IF NOT EXISTS alerts_recent ON alerts(channel, created);
    """,
)


def _version(db: sqlite3.Connection) -> int:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if (
        version == 0
        and db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alerts'"
        ).fetchone()
    ):
        return 1  # made before the schema was numbered: it has step 1 already
    return version


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema up to date; returns the version now in force."""
    current = _version(db)
    if current > len(MIGRATIONS):
        raise StoreError(
            f"the store was written by a newer Wirewatch (schema {current}, "
            f"this one knows {len(MIGRATIONS)}); upgrade Wirewatch"
        )
    for number in range(current + 1, len(MIGRATIONS) + 1):
        # executescript commits first; the step and its version number go together.
        db.executescript(
            f"BEGIN IMMEDIATE;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    return len(MIGRATIONS)
