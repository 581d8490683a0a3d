"""The outbox drain: send pending alerts through the notifiers, safely.

Contract:
- An alert is only ever sent from the outbox (the store), never directly, so a crash
  loses nothing: what was not marked sent is sent after the restart.
- Each channel's alerts go out in creation order (the store hands out only the head
  of each channel's queue) and no faster than the notifier's `min_interval`.
- A failure is retried with exponential backoff, or after the platform's
  `retry_after`; a permanent failure, or `max_attempts` failures, marks the alert
  failed with its last error (shown by `wirewatch status`), never silently dropped.
- An update waits for its parent: it is sent in the parent's thread once the parent
  has a remote reference.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.backoff import DEFAULT_BACKOFF, Backoff
from bot.core.errors import DeliveryError
from bot.core.models import Alert, AlertKind, Delivery
from bot.core.ports import Clock, Notifier, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DrainPolicy:
    max_attempts: int = 8
    backoff: Backoff = DEFAULT_BACKOFF
    lease: float = 60.0
    batch: int = 50


@dataclass(frozen=True, slots=True)
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0


@dataclass
class Pacer:
    """When each channel last got a message (process memory; a restart starts fresh)."""

    last: dict[str, datetime] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_needed(self, channel: str, interval: float, now: datetime) -> datetime | None:
        with self.lock:
            previous = self.last.get(channel)
        if previous is None or interval <= 0:
            return None
        ready = previous + timedelta(seconds=interval)
        return ready if ready > now else None

    def sent(self, channel: str, now: datetime) -> None:
        with self.lock:
            self.last[channel] = now


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What happened to one delivery: sent, retry, failed or deferred (and why)."""

    kind: str
    error: str | None = None


def _notifier_for(channel: str, notifiers: Sequence[Notifier]) -> Notifier | None:
    return next((n for n in notifiers if n.handles(channel)), None)


def drain(
    store: Store,
    notifiers: Sequence[Notifier],
    clock: Clock,
    pacer: Pacer,
    policy: DrainPolicy = DrainPolicy(),
    on_failed: Callable[[Alert, str], None] | None = None,
) -> DrainReport:
    """Send due pending alerts, at most `policy.batch`. Never raises for a send.

    Each claim round hands out the head of every channel's queue; rounds repeat while
    the last one sent something, so a burst to one channel drains in one call (as fast
    as its pacing allows) instead of one message per drain tick.
    """
    outcomes: list[str] = []
    while len(outcomes) < policy.batch:
        claimed = store.claim_deliveries(clock.now(), policy.batch - len(outcomes), policy.lease)
        if not claimed:
            break
        kinds = []
        for delivery in claimed:
            outcome = _deliver_one(store, notifiers, clock, pacer, policy, delivery)
            if outcome.kind == "failed" and on_failed is not None:
                on_failed(delivery.alert, outcome.error or "unknown error")
            kinds.append(outcome.kind)
        outcomes.extend(kinds)
        if "sent" not in kinds and "failed" not in kinds:
            break  # only deferrals and retries: nothing more is due now
    return DrainReport(
        sent=outcomes.count("sent"),
        retried=outcomes.count("retry"),
        failed=outcomes.count("failed"),
        deferred=outcomes.count("deferred"),
    )


def _deliver_one(
    store: Store,
    notifiers: Sequence[Notifier],
    clock: Clock,
    pacer: Pacer,
    policy: DrainPolicy,
    delivery: Delivery,
) -> _Outcome:
    alert = delivery.alert
    now = clock.now()
    notifier = _notifier_for(alert.channel, notifiers)
    if notifier is None:
        error = f"no notifier is configured for {alert.channel}"
        store.mark_failed(alert.id, error, now)
        log.error("alert %s: %s", alert.id, error)
        return _Outcome("failed", error)
    ready = pacer.wait_needed(alert.channel, notifier.min_interval, now)
    if ready is not None:
        store.mark_retry(alert.id, "", ready, count_attempt=False)
        return _Outcome("deferred")
    if alert.kind is AlertKind.UPDATE and delivery.thread_ref is None:
        # The parent is sent first (channel order), so this only happens when it
        # failed for good: post the update on its own rather than lose it.
        log.info("alert %s: parent message missing, posting update unthreaded", alert.id)
    try:
        remote = None
        if delivery.attempts or delivery.resumed:
            # The last try may have reached the platform before failing or crashing.
            remote = notifier.already_posted(alert, delivery.thread_ref)
            if remote is not None:
                log.info("alert %s was already posted to %s (%s)", alert.id, alert.channel, remote)
        if remote is None:
            remote = notifier.send(alert, delivery.thread_ref)
    except DeliveryError as exc:
        return _settle_failure(store, policy, delivery, exc, now)
    except Exception as exc:  # a notifier bug: log it, retry like a transient failure
        log.exception("alert %s: notifier for %s raised", alert.id, alert.channel)
        wrapped = DeliveryError(f"{type(exc).__name__}: {exc}")
        return _settle_failure(store, policy, delivery, wrapped, now)
    sent_at = clock.now()
    store.mark_sent(alert.id, remote, sent_at)
    pacer.sent(alert.channel, sent_at)
    log.debug("alert %s sent to %s (%s)", alert.id, alert.channel, remote)
    return _Outcome("sent")


def _settle_failure(
    store: Store, policy: DrainPolicy, delivery: Delivery, exc: DeliveryError, now: datetime
) -> _Outcome:
    alert = delivery.alert
    attempts = delivery.attempts + 1
    if exc.permanent or attempts >= policy.max_attempts:
        store.mark_failed(alert.id, str(exc), now)
        log.error(
            "alert %s to %s failed after %d attempts: %s", alert.id, alert.channel, attempts, exc
        )
        return _Outcome("failed", str(exc))
    wait = policy.backoff.delay(attempts, exc.retry_after)
    store.mark_retry(alert.id, str(exc), now + timedelta(seconds=wait))
    log.warning(
        "alert %s to %s: %s (attempt %d, retry in %.1fs)",
        alert.id,
        alert.channel,
        exc,
        attempts,
        wait,
    )
    return _Outcome("retry", str(exc))
