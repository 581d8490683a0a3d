"""Shared fixtures: a controllable clock, a fresh SQLite store, story and alert makers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import (
    Alert,
    AlertKind,
    Extraction,
    Fatalities,
    Fatality,
    Match,
    Quote,
    Reason,
    Story,
    stable_id,
)
from bot.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parent.parent

# Real peers, started on demand by session fixtures (see tests/peers/).
pytest_plugins = ["tests.peers.synapse", "tests.peers.slack_emulator"]


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 29, 12, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    db = SQLiteStore(tmp_path / "wirewatch.db")
    yield db
    db.close()


def make_story(
    guid: str = "s1", headline: str = "Quake hits coast", body: str = "Body.", source: str = "wire"
) -> Story:
    return Story(
        source=source, guid=guid, headline=headline, body=body, url=f"https://news.example/{guid}"
    )


def make_alert(
    story: Story,
    channel: str = "console",
    *,
    version: int = 1,
    kind: AlertKind = AlertKind.NEW,
    created: datetime | None = None,
    note: str | None = None,
) -> Alert:
    return Alert(
        id=stable_id(story.id, str(version), channel),
        story_id=story.id,
        channel=channel,
        kind=kind,
        headline=story.headline,
        dateline="ANKARA",
        published=None,
        source=story.source,
        url=story.url,
        summary="A summary.",
        quote=Quote(text="We will do what it takes.", speaker="A Person", start=0, end=10),
        matches=(Match("r1", (channel,), "normal", (Reason("countries", "Turkey", "Turkish"),)),),
        priority="normal",
        created=created or datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
        update_note=note,
    )


def make_full_alert(channel: str, **changes: Any) -> Alert:
    """An alert with every field a reader sees filled in, as the renderers get it: eight
    Turkish soldiers killed, a quote, and rule 'turkey-deaths' (high) sending it to
    `channel` for a country and a death toll. `changes` replace fields."""
    alert = Alert(
        id="a1b2c3d4e5f6a7b8c9d0",
        story_id="s1",
        channel=channel,
        kind=AlertKind.NEW,
        headline="Eight Turkish soldiers killed in Syria",
        dateline="ISTANBUL",
        published=datetime(2026, 11, 29, 21, 34, tzinfo=UTC),
        source="wire-a",
        url="https://news.example/story?id=1&lang=en",
        summary="Eight Turkish soldiers were killed in an attack in northern Syria.",
        quote=Quote("We will respond", "Mevlüt Çavuşoğlu", 0, 10),
        matches=(
            Match(
                rule="turkey-deaths",
                channels=(channel,),
                priority="high",
                reasons=(
                    Reason("countries", "Turkey", "Turkish"),
                    Reason("fatalities", "8 killed"),
                ),
            ),
        ),
        priority="high",
        created=datetime(2026, 11, 29, 21, 35, tzinfo=UTC),
    )
    return replace(alert, **changes)


NO_DEATHS = Fatalities(total=None, qualifier="exact", mentions=())


def make_extraction(story: Story, total: int | None = None) -> Extraction:
    fatalities = NO_DEATHS
    if total is not None:
        fatalities = Fatalities(
            total=total,
            qualifier="exact",
            mentions=(Fatality(total, "people", f"{total} people were killed", 0, 5),),
        )
    return Extraction(
        headline=story.headline,
        dateline=story.dateline,
        published=story.published,
        countries=(),
        people=(),
        fatalities=fatalities,
        quotes=(),
        summary="A summary.",
        key_quote=None,
    )
