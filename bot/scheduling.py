"""APScheduler jobs that call the core; no logic of their own.

Concurrency model (one for the whole bot): threads. A BackgroundScheduler runs one
poll job per feed at the feed's interval (with jitter, so feeds with the same
interval do not fire together), a drain job for the outbox and a rules-file check;
polls run in a bounded thread pool (`max_parallel_polls`). Each job catches and logs
its own failure: one broken feed never stops the others.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import Wirewatch
from bot.config import FeedConfig
from bot.core.ports import Source

log = logging.getLogger(__name__)

RULES_CHECK_SECONDS = 1.0


def _guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:  # the loop edge: log what failed, keep the scheduler going
            log.exception("job %s failed", name)

    return run


def build_scheduler(bot: Wirewatch) -> BackgroundScheduler:
    """A scheduler with every job of `bot`, not yet started."""
    pool = bot.settings.max_parallel_polls + 2  # + drain and rules check
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(pool)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        timezone=UTC,
    )
    now = datetime.now(UTC)

    def wake_drain() -> None:
        job = scheduler.get_job("drain")
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC))

    for source, feed in bot.sources:
        scheduler.add_job(
            _guarded(f"poll {feed.name}", _poll_job(bot, source, feed, wake_drain)),
            IntervalTrigger(seconds=feed.interval, jitter=min(feed.interval * 0.1, 30.0)),
            id=f"poll:{feed.name}",
            name=f"poll {feed.name}",
            next_run_time=now,
        )
    scheduler.add_job(
        _guarded("drain", bot.drain),
        IntervalTrigger(seconds=bot.settings.delivery.drain_interval),
        id="drain",
        name="deliver pending alerts",
        next_run_time=now,
    )
    scheduler.add_job(
        _guarded("rules", bot.rules.check),
        IntervalTrigger(seconds=RULES_CHECK_SECONDS),
        id="rules",
        name="reload rules file",
    )
    return scheduler


def _poll_job(
    bot: Wirewatch, source: Source, feed: FeedConfig, wake_drain: Callable[[], None]
) -> Callable[[], None]:
    def poll() -> None:
        report = bot.poll(source, feed)
        if report.error:
            return
        if report.new or report.updated:
            log.info(
                "%s: %d new, %d updated stories, %d alerts queued",
                feed.name,
                report.new,
                report.updated,
                report.alerts,
            )
        if report.alerts:
            wake_drain()  # alerts go out seconds after the story lands, not at the next tick

    return poll


def run_forever(bot: Wirewatch, stop: threading.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or `stop` is set), then shut down cleanly."""
    stop = stop or threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
    scheduler = build_scheduler(bot)
    scheduler.start()
    log.info(
        "wirewatch running: %d feeds, %d rules, channels %s",
        len(bot.sources),
        len(bot.rules.current.rules),
        ", ".join(bot.settings.channel_names),
    )
    try:
        stop.wait()
    finally:
        scheduler.shutdown(wait=True)
        bot.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("wirewatch stopped")
