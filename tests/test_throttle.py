"""Rule throttles: past `max` alerts per `per` in a channel, one digest instead."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.extract import Extractor
from bot.core.models import FeedState, FetchResult, Story
from bot.core.pipeline import poll_feed
from bot.core.rules import RuleSet
from bot.core.throttle import flush_digests
from bot.rules_file import rules_loader
from bot.store.sqlite import SQLiteStore
from tests.conftest import FakeClock, make_story

RULES = """\
rules:
  - name: quakes
    when: {keywords: [earthquake]}
    channels: [console]
    throttle: {max: 2, per: 1h}
  - name: lima
    when: {keywords: [Lima]}
    channels: [console]
"""


@dataclass
class Wire:
    name: str = "wire"
    interval: float = 60.0
    stories: list[Story] = field(default_factory=list)

    def fetch(self, state: FeedState) -> FetchResult:
        return FetchResult(tuple(self.stories), replace(state, etag="x"))


def rules(tmp_path: Path, extractor: Extractor) -> RuleSet:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    return rules_loader(extractor.gazetteer, ("console",))(path)


def test_excess_alerts_become_one_digest(
    tmp_path: Path, store: SQLiteStore, clock: FakeClock
) -> None:
    extractor = Extractor()
    ruleset = rules(tmp_path, extractor)
    wire = Wire()
    for i in range(5):
        wire.stories.append(
            make_story(f"q{i}", f"Earthquake number {i} hits coast", "An earthquake.")
        )
        poll_feed(wire, store, extractor, lambda: ruleset, clock, alert_backlog=True)
        clock.advance(60)
    counts = store.delivery_counts()
    assert counts == {"pending": 2, "held": 3}
    # Not due yet: nothing is flushed before the hour is over.
    assert flush_digests(store, clock) == 0
    clock.advance(3600)
    assert flush_digests(store, clock) == 1
    assert store.delivery_counts() == {"pending": 3, "digested": 3}
    digest = store.deliveries("pending")[0].alert
    assert digest.headline == "Digest: 3 more stories for quakes"
    assert digest.summary == (
        "Earthquake number 2 hits coast · Earthquake number 3 hits coast · "
        "Earthquake number 4 hits coast"
    )


def test_an_unthrottled_rule_still_sends_at_once(
    tmp_path: Path, store: SQLiteStore, clock: FakeClock
) -> None:
    extractor = Extractor()
    ruleset = rules(tmp_path, extractor)
    wire = Wire(
        stories=[
            make_story(f"q{i}", f"Earthquake {i}", "An earthquake near Lima.") for i in range(4)
        ]
    )
    poll_feed(wire, store, extractor, lambda: ruleset, clock, alert_backlog=True)
    assert store.delivery_counts() == {"pending": 4}
