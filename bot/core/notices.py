"""Messages the bot writes itself: admin notices and throttle digests.

They travel through the outbox like story alerts (so they survive restarts and are
posted once), but belong to no story: their ids come from what they report.
"""

from __future__ import annotations

from bot.core.models import Alert, AlertKind, Match, Priority, stable_id
from bot.core.ports import Clock

NOTICE_SOURCE = "wirewatch"  # the `source` of the bot's own notices
DIGEST_SOURCE = "wirewatch digest"


def bot_alert(
    channel: str,
    key: str,
    headline: str,
    summary: str,
    clock: Clock,
    *,
    source: str,
    priority: Priority = "normal",
    matches: tuple[Match, ...] = (),
) -> Alert:
    """An alert with no story behind it; the same `key` gives the same alert id, so
    queueing it twice posts it once."""
    return Alert(
        id=stable_id(source, key, channel),
        story_id=f"{source}:{stable_id(key)}",
        channel=channel,
        kind=AlertKind.NEW,
        headline=headline,
        dateline=None,
        published=clock.now(),
        source=source,
        url=None,
        summary=summary,
        quote=None,
        matches=matches,
        priority=priority,
        created=clock.now(),
    )


def notice(channel: str, title: str, body: str, clock: Clock, *, key: str) -> Alert:
    """An operational message for the admin channel (a broken rules file, a failed
    delivery)."""
    return bot_alert(channel, key, title, body, clock, source=NOTICE_SOURCE, priority="high")
