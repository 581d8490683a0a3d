"""The composition root: the only place that builds and wires the parts.

`build(settings)` turns validated settings into a running set of parts (store,
extractor, rules watcher, sources, notifiers); `run_once` and `scheduling.run_forever`
drive them. Nothing else in the package constructs a store, a notifier or a source.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, partial

from bot.config import FeedConfig, Settings
from bot.console import ConsoleNotifier
from bot.core.backoff import Backoff
from bot.core.delivery import DrainPolicy, DrainReport, Pacer, drain
from bot.core.errors import DeliveryError, RuleError, WirewatchError
from bot.core.extract import Extractor
from bot.core.models import Alert, PollReport
from bot.core.notices import NOTICE_SOURCE, notice
from bot.core.pipeline import poll_feed
from bot.core.ports import Notifier, Source
from bot.core.throttle import flush_digests
from bot.rules_file import RulesWatcher, rules_loader
from bot.sources import FeedSpec, open_source
from bot.store.sqlite import SQLiteStore

log = logging.getLogger(__name__)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class DisabledNotifier:
    """Stands in for a platform whose credentials are missing or rejected.

    Its alerts fail with the start-up error (naming the variable), visible in
    `wirewatch status`, while every other channel keeps working.
    """

    min_interval = 0.0

    def __init__(self, prefix: str, reason: str) -> None:
        self.prefix = prefix
        self.reason = reason

    def handles(self, channel: str) -> bool:
        return channel.startswith(self.prefix)

    def start(self) -> None:
        return None

    def send(self, alert: Alert, thread_ref: str | None) -> str:
        raise DeliveryError(self.reason, permanent=True)

    def already_posted(self, alert: Alert, thread_ref: str | None) -> None:
        return None

    def close(self) -> None:
        return None


@dataclass
class Wirewatch:
    """Every part of a running bot, built once by `build`."""

    settings: Settings
    store: SQLiteStore
    extractor: Extractor
    rules: RulesWatcher
    sources: list[tuple[Source, FeedConfig]]
    notifiers: list[Notifier]
    clock: SystemClock = field(default_factory=SystemClock)
    pacer: Pacer = field(default_factory=Pacer)

    @cached_property
    def backoff(self) -> Backoff:
        d = self.settings.delivery
        return Backoff(base=d.backoff_base, maximum=d.backoff_max)

    @cached_property
    def policy(self) -> DrainPolicy:
        return DrainPolicy(max_attempts=self.settings.delivery.max_attempts, backoff=self.backoff)

    def poll(self, source: Source, feed: FeedConfig) -> PollReport:
        backlog = feed.alert_backlog if feed.alert_backlog is not None else feed.kind == "folder"
        return poll_feed(
            source,
            self.store,
            self.extractor,
            lambda: self.rules.current,
            self.clock,
            alert_backlog=backlog,
            backoff=self.backoff,
        )

    def drain(self) -> DrainReport:
        flush_digests(self.store, self.clock)
        return drain(self.store, self.notifiers, self.clock, self.pacer, self.policy, self._failed)

    def _failed(self, alert: Alert, error: str) -> None:
        if alert.source == NOTICE_SOURCE:
            return  # never report a failed report: no loops
        tell_admin(
            self.store,
            self.settings.admin_channel,
            self.clock,
            f"Alert not delivered to {alert.channel}",
            f"“{alert.headline}” could not be posted: {error}",
            key=f"failed:{alert.id}",
        )

    def close(self) -> None:
        for notifier in self.notifiers:
            try:
                notifier.close()
            except Exception:  # closing one platform must not keep the others open
                log.exception("closing a notifier failed")
        self.store.close()


def tell_admin(
    store: SQLiteStore, channel: str | None, clock: SystemClock, title: str, body: str, *, key: str
) -> None:
    """Queue a notice for the admin channel, if one is configured."""
    if channel is not None:
        store.add_alerts([notice(channel, title, body, clock, key=key)])


def rules_rejected(
    store: SQLiteStore, channel: str | None, clock: SystemClock, error: RuleError
) -> None:
    """A rules edit was invalid (the watcher has logged it): tell the admin channel once."""
    tell_admin(
        store,
        channel,
        clock,
        f"Rules file not reloaded: {len(error.problems)} problem(s)",
        "The last good rules are still in force.\n" + "\n".join(str(p) for p in error.problems),
        key=f"rules:{error}",
    )


def feed_spec(feed: FeedConfig, settings: Settings, environ: Mapping[str, str]) -> FeedSpec:
    location = feed.url if feed.kind != "folder" else str(settings.resolve(feed.path or "."))
    headers = {}
    for header, variable in feed.headers_from_env.items():
        if variable not in environ:
            raise WirewatchError(f"feed {feed.name}: environment variable {variable} is not set")
        headers[header] = environ[variable]
    return FeedSpec(
        name=feed.name,
        kind=feed.kind,
        location=location or "",
        interval=feed.interval,
        timeout=feed.timeout,
        max_bytes=feed.max_bytes,
        headers=headers,
    )


def _notifiers(settings: Settings, environ: Mapping[str, str]) -> list[Notifier]:
    channels = settings.channel_names
    notifiers: list[Notifier] = []
    if "console" in channels:
        notifiers.append(ConsoleNotifier())
    slack = [c for c in channels if c.startswith("slack:")]
    if slack:
        notifiers.append(_start_platform("slack:", partial(_slack, settings, environ, slack)))
    matrix = [c for c in channels if c.startswith("matrix:")]
    if matrix:
        notifiers.append(_start_platform("matrix:", partial(_matrix, settings, environ, matrix)))
    return notifiers


class StartLater:
    """A notifier whose platform was unreachable at start-up (not refused).

    Its alerts stay pending: each send first retries `start()`, and a failure there
    is a retryable DeliveryError, so the outbox backs off and nothing is lost.
    """

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier
        self._started = False
        self._lock = threading.Lock()

    @property
    def min_interval(self) -> float:
        return self._notifier.min_interval

    def handles(self, channel: str) -> bool:
        return self._notifier.handles(channel)

    def start(self) -> None:
        with self._lock:
            if not self._started:
                self._notifier.start()
                self._started = True

    def send(self, alert: Alert, thread_ref: str | None) -> str:
        self.start()
        return self._notifier.send(alert, thread_ref)

    def already_posted(self, alert: Alert, thread_ref: str | None) -> str | None:
        self.start()
        return self._notifier.already_posted(alert, thread_ref)

    def close(self) -> None:
        self._notifier.close()


def _start_platform(prefix: str, make: partial[Notifier]) -> Notifier:
    """Build and start one platform's notifier.

    A refused or missing credential, or a config the platform rejects, disables only
    that platform (its alerts fail, naming the problem); a platform that is merely
    unreachable is started again on the next send.
    """
    try:
        notifier = make()
    except WirewatchError as exc:
        log.error("%s channels disabled: %s", prefix.rstrip(":"), exc)
        return DisabledNotifier(prefix, str(exc))
    try:
        notifier.start()
    except DeliveryError as exc:
        if exc.permanent:
            log.error("%s channels disabled: %s", prefix.rstrip(":"), exc)
            notifier.close()
            return DisabledNotifier(prefix, str(exc))
        log.warning("%s unreachable at start, will retry: %s", prefix.rstrip(":"), exc)
        return StartLater(notifier)
    return notifier


def _slack(settings: Settings, environ: Mapping[str, str], channels: list[str]) -> Notifier:
    from bot.slack.notifier import SlackNotifier

    notifier = SlackNotifier.from_env(environ, base_url=settings.slack.base_url)
    for channel in channels:
        notifier.add_channel(channel)
    return notifier


def _matrix(settings: Settings, environ: Mapping[str, str], channels: list[str]) -> Notifier:
    from bot.matrix.notifier import MatrixNotifier

    notifier = MatrixNotifier.from_env(
        environ,
        token_file=settings.resolve(settings.matrix.token_file),
        msgtype=settings.matrix.msgtype,
    )
    for channel in channels:
        notifier.add_channel(channel)
    return notifier


def build(settings: Settings, environ: Mapping[str, str] | None = None) -> Wirewatch:
    """Build every part. Raises RuleError when the rules file is invalid at start
    (there are no last good rules yet), ConfigError-like WirewatchError for feeds."""
    env = os.environ if environ is None else environ
    extractor = Extractor()
    loader = rules_loader(extractor.gazetteer, settings.channel_names)
    sources = [(open_source(feed_spec(f, settings, env)), f) for f in settings.feeds]
    store = SQLiteStore(settings.store_path)
    clock = SystemClock()
    try:
        rules = RulesWatcher(
            settings.rules_path,
            loader=loader,
            on_error=partial(rules_rejected, store, settings.admin_channel, clock),
        )
    except BaseException:
        store.close()
        raise
    released = store.release_leases(clock.now())  # SQLite: this is the only process
    if released:
        log.warning(
            "%d deliveries were interrupted by a crash; checking before resending", released
        )
    notifiers = _notifiers(settings, env)
    return Wirewatch(settings, store, extractor, rules, sources, notifiers, clock)
