"""`wirewatch status`: feeds, outbox and failed alerts, read from the store."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import load_config
from bot.store.sqlite import SQLiteStore


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("status", help="show feed health and the delivery outbox")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file")
    parser.set_defaults(func=status)


def status(args: argparse.Namespace) -> int:
    settings = load_config(args.config)
    store = SQLiteStore(settings.store_path)
    try:
        print(f"store {settings.store_path}: {store.story_count()} stories")
        states = {s.feed: s for s in store.feed_states()}
        for feed in settings.feeds:
            state = states.get(feed.name)
            if state is None:
                print(f"  feed {feed.name}: never polled")
                continue
            ok = f"{state.last_success:%Y-%m-%d %H:%M:%S}Z" if state.last_success else "never"
            line = f"  feed {feed.name}: last success {ok}"
            if state.failures:
                line += f", {state.failures} failures in a row: {state.last_error}"
            print(line)
        counts = store.delivery_counts()
        line = "outbox: " + ", ".join(
            f"{counts.get(k, 0)} {k}" for k in ("pending", "sent", "failed")
        )
        if counts.get("held"):
            line += f", {counts['held']} held for a digest (rule throttles)"
        print(line)
        for delivery in store.deliveries("failed", limit=20):
            alert = delivery.alert
            print(
                f"  FAILED {alert.channel} “{alert.headline}” after {delivery.attempts} "
                f"attempts: {delivery.last_error}"
            )
        for delivery in store.deliveries("pending", limit=20):
            if delivery.attempts:
                print(
                    f"  retrying {delivery.alert.channel} “{delivery.alert.headline}” "
                    f"({delivery.attempts} attempts): {delivery.last_error}"
                )
    finally:
        store.close()
    return 1 if counts.get("failed") else 0
