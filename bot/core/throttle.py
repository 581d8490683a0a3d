"""Rule throttles and digests: past `max` alerts per `per`, one digest instead.

A rule with `throttle: {max: 10, per: 1h}` sends at most ten alerts an hour to a
channel. An alert whose every matching rule is over its limit in that channel is held
(stored, never lost); once the earliest held alert has waited `per`, every alert held
for the channel goes out as one digest message listing the stories. An alert that any
unthrottled (or still-under-limit) rule sent is never held, and updates of stories
already alerted are never held.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.core.models import Alert, AlertKind, Match
from bot.core.notices import DIGEST_SOURCE, bot_alert
from bot.core.ports import Clock, Store
from bot.core.rules import Throttle

DIGEST_SUMMARY_CHARS = 400


def release_time(
    alert: Alert, throttles: Mapping[str, Throttle | None], store: Store, now: datetime
) -> datetime | None:
    """None to send `alert` now; else when the digest that will carry it is due."""
    if alert.kind is AlertKind.UPDATE or not alert.matches:
        return None
    waits = []
    for match in alert.matches:
        throttle = throttles.get(match.rule)
        if throttle is None:
            return None
        if store.count_alerts(alert.channel, match.rule, now - throttle.per) < throttle.max:
            return None
        waits.append(throttle.per)
    return now + min(waits)


def make_digest(channel: str, held: Sequence[Alert], clock: Clock) -> Alert:
    """One message for the held alerts of a channel, oldest first."""
    rules = list(dict.fromkeys(rule for alert in held for rule in alert.rules))
    headlines: list[str] = []
    used = 0
    for alert in held:
        if used + len(alert.headline) + 3 > DIGEST_SUMMARY_CHARS:
            break
        headlines.append(alert.headline)
        used += len(alert.headline) + 3
    rest = len(held) - len(headlines)
    summary = " · ".join(headlines) + (f" · and {rest} more" if rest else "")
    count = len(held)
    return bot_alert(
        channel,
        "\x1f".join(a.id for a in held),
        f"Digest: {count} more stor{'y' if count == 1 else 'ies'} for {', '.join(rules)}",
        summary,
        clock,
        source=DIGEST_SOURCE,
        matches=tuple(Match(rule, (channel,), "normal", ()) for rule in rules),
    )


def flush_digests(store: Store, clock: Clock) -> int:
    """Queue a digest for every channel whose held alerts are due; returns how many."""
    count = 0
    for channel, held in store.due_held(clock.now()).items():
        store.replace_held(channel, [a.id for a in held], make_digest(channel, held, clock))
        count += 1
    return count
