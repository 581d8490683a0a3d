"""Hot reload under a running scheduler: good edits take effect, bad ones change nothing."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.errors import RuleError
from bot.core.rules import RuleSet
from bot.rules_file import RulesWatcher, rules_loader
from tests.rules_helpers import DECLARED, extraction, gazetteer, story

QUAKE = story("Earthquake hits coast", "A strong earthquake hit the coast.")
FLOOD = story("Floods spread", "Floods spread across the valley.")

ONE_RULE = """\
rules:
  - name: quakes
    when: {keywords: [earthquake]}
    channels: [console]
"""
TWO_RULES = (
    ONE_RULE
    + """\
  - name: floods
    when: {keywords: [flood*]}
    channels: [console]
"""
)
BROKEN = TWO_RULES + "    priority: hihg\n"


def loader(path: Path) -> RuleSet:
    return rules_loader(gazetteer(), DECLARED)(path)


def fired(rules: RuleSet) -> set[str]:
    names = set()
    for item in (QUAKE, FLOOD):
        names |= {m.rule for m in rules.match(item, extraction(item))}
    return names


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    """Poll `condition` until it holds or a generous deadline passes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Counted:
    """Calls `watcher.check` and counts the calls, so a test can wait for N more checks."""

    def __init__(self, watcher: RulesWatcher) -> None:
        self.watcher = watcher
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self) -> None:
        self.watcher.check()
        with self.lock:
            self.calls += 1


@pytest.fixture
def scheduler() -> Iterator[BackgroundScheduler]:
    sched = BackgroundScheduler(timezone=UTC)
    sched.start()
    yield sched
    sched.shutdown(wait=True)


def test_edits_take_effect_and_a_broken_edit_keeps_the_last_good_rules(
    tmp_path: Path, scheduler: BackgroundScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.rules")
    path = tmp_path / "rules.yaml"
    path.write_text(ONE_RULE, encoding="utf-8")
    reported: list[RuleError] = []
    watcher = RulesWatcher(path, loader, on_error=reported.append)
    checks = Counted(watcher)
    scheduler.add_job(checks, "interval", seconds=1)
    assert fired(watcher.current) == {"quakes"}

    path.write_text(TWO_RULES, encoding="utf-8")
    assert wait_for(lambda: fired(watcher.current) == {"quakes", "floods"})
    # The new rules are swapped in before the line is logged: wait for it too.
    assert wait_for(lambda: "rules reloaded: 2 rules, 1 changed" in caplog.text)

    path.write_text(BROKEN, encoding="utf-8")
    assert wait_for(lambda: len(reported) == 1)
    assert [str(p) for p in reported[0].problems] == [
        f"{path}:8:15: unknown priority 'hihg' (did you mean 'high'?): "
        "use low, normal, high, urgent"
    ]
    assert "unknown priority 'hihg'" in caplog.text
    # Later checks see the same broken file: the rules keep working, no new report.
    seen = checks.calls
    assert wait_for(lambda: checks.calls >= seen + 3)
    assert len(reported) == 1
    assert fired(watcher.current) == {"quakes", "floods"}

    # Fixing the file (back to one rule) is picked up again.
    path.write_text(ONE_RULE, encoding="utf-8")
    assert wait_for(lambda: fired(watcher.current) == {"quakes"})
    assert wait_for(lambda: "rules reloaded: 1 rules, 1 changed" in caplog.text)


def test_saving_the_same_content_reloads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(ONE_RULE, encoding="utf-8")
    watcher = RulesWatcher(path, loader)
    before = watcher.current
    path.write_text(ONE_RULE, encoding="utf-8")
    assert watcher.check() is False
    assert watcher.current is before


def test_a_deleted_file_keeps_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(ONE_RULE, encoding="utf-8")
    watcher = RulesWatcher(path, loader)
    path.unlink()
    assert watcher.check() is False
    assert fired(watcher.current) == {"quakes"}


def test_starting_with_a_broken_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(RuleError):
        RulesWatcher(path, loader)
