"""`wirewatch run`: poll the feeds and deliver alerts (once, or until stopped)."""

from __future__ import annotations

import argparse
import logging
import time
from datetime import timedelta
from pathlib import Path

from bot.app import Wirewatch, build
from bot.config import load_config

log = logging.getLogger(__name__)

# How long `--once` waits for alerts that are paced or retried before it gives up
# and leaves them in the outbox for the next run.
ONCE_DRAIN_WAIT = 15.0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("run", help="poll feeds and post alerts")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file")
    parser.add_argument("--once", action="store_true", help="poll every feed once, deliver, exit")
    parser.set_defaults(func=run)


def run_once(bot: Wirewatch) -> int:
    """Poll every feed once, deliver what is due, print a one-line summary."""
    new = updated = alerts = failed_feeds = 0
    for source, feed in bot.sources:
        report = bot.poll(source, feed)
        if report.error:
            failed_feeds += 1
            print(f"{feed.name}: error: {report.error}")
            continue
        new += report.new
        updated += report.updated
        alerts += report.alerts
    sent = failed = 0
    deadline = bot.clock.now() + timedelta(seconds=ONCE_DRAIN_WAIT)
    while True:
        result = bot.drain()
        sent += result.sent
        failed += result.failed
        due = bot.store.next_due()
        if due is None or due > deadline:
            break  # nothing left, or only retries too far off: the next run sends them
        time.sleep(min(max((due - bot.clock.now()).total_seconds(), 0.05), 1.0))
    pending = bot.store.delivery_counts().get("pending", 0)
    stories = f"{new} new stor{'y' if new == 1 else 'ies'}"
    if updated:
        stories += f", {updated} updated"
    line = f"{stories}, {alerts} alert{'s' if alerts != 1 else ''} queued, {sent} sent"
    if failed:
        line += f", {failed} failed (see `wirewatch status`)"
    if pending:
        line += f", {pending} pending for the next run"
    print(line)
    return 1 if failed_feeds == len(bot.sources) and bot.sources else 0


def run(args: argparse.Namespace) -> int:
    settings = load_config(args.config)
    bot = build(settings)
    if args.once:
        try:
            return run_once(bot)
        finally:
            bot.close()
    from bot.scheduling import run_forever

    run_forever(bot)
    return 0
