"""`wirewatch run` as a user runs it: a real process, the bundled sample wire, the terminal."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO


def wirewatch(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.fixture
def deployment(tmp_path: Path) -> Path:
    """A copy of the example deployment: config, rules, sample wire."""
    shutil.copy(REPO / "config.example.yaml", tmp_path / "config.yaml")
    shutil.copy(REPO / "rules.example.yaml", tmp_path / "rules.example.yaml")
    shutil.copytree(REPO / "samples", tmp_path / "samples")
    return tmp_path


def test_run_once_prints_the_seed_alert_then_remembers(deployment: Path) -> None:
    first = wirewatch("run", "--once", "--config", "config.yaml", cwd=deployment)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Russian delegation to visit Turkey" in out
    assert "ANKARA" in out
    assert "8 killed" in out
    assert "Çavuşoğlu" in out
    assert "— Mevlüt Çavuşoğlu" in out
    assert (deployment / "var" / "wirewatch.db").exists()
    second = wirewatch("run", "--once", "--config", "config.yaml", cwd=deployment)
    assert second.returncode == 0, second.stderr
    assert "0 new stories" in second.stdout
    assert "━━" not in second.stdout  # no alert printed twice


def test_config_typo_is_one_line_naming_key_and_line(deployment: Path) -> None:
    config = deployment / "config.yaml"
    text = config.read_text().replace("    interval: 30s", "    intervall: 5m")
    config.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "intervall" in row)
    result = wirewatch("run", "--once", "--config", "config.yaml", cwd=deployment)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [row for row in result.stderr.splitlines() if "config.yaml" in row]
    assert lines == [
        f"wirewatch: config.yaml:{line}:5: unknown key 'intervall' (did you mean 'interval'?)"
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("path: samples/wire", "path: samples/nowhere"), "folder not found: samples/nowhere"),
        (("interval: 30s", "interval: soon"), "'soon' is not a duration"),
        (("rules: rules.example.yaml", "rules: missing.yaml"), "rules file not found"),
        (("  - console\n", "  - console\n  - irc:#news\n"), "unknown channel 'irc:#news'"),
    ],
)
def test_config_errors_are_specific(deployment: Path, edit: tuple[str, str], message: str) -> None:
    config = deployment / "config.yaml"
    config.write_text(config.read_text().replace(*edit, 1))
    result = wirewatch("run", "--once", "--config", "config.yaml", cwd=deployment)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_config_file(tmp_path: Path) -> None:
    result = wirewatch("run", "--config", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "wirewatch: nope.yaml: config file not found"


def test_run_forever_stops_cleanly_on_sigterm(deployment: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", "config.yaml"],
        cwd=deployment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 60
        db = deployment / "var" / "wirewatch.db"
        # Wait until the first poll has stored the sample stories.
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists() and _stories(db) >= 4:
                break
            time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "wirewatch stopped" in err
    assert "Russian delegation to visit Turkey" in out
    # Closed cleanly: SQLite removes the write-ahead log when the last connection closes.
    assert not (deployment / "var" / "wirewatch.db-wal").exists()


def _stories(db: Path) -> int:
    import sqlite3
    from contextlib import closing

    try:
        with closing(sqlite3.connect(db, timeout=1)) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_rules_edits_take_effect_in_a_running_bot(deployment: Path) -> None:
    """Edit the rules file under a running `wirewatch run`: a valid edit applies within
    seconds, a broken one is reported and the last good rules keep working."""
    config = deployment / "config.yaml"
    config.write_text(config.read_text().replace("interval: 30s", "interval: 1s"))
    rules = deployment / "rules.example.yaml"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", "config.yaml"],
        cwd=deployment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")))  # type: ignore[union-attr]
    reader.start()
    db = deployment / "var" / "wirewatch.db"
    try:
        _wait_for(lambda: db.exists() and _stories(db) >= 4, proc)
        rules.write_text(
            rules.read_text()
            + "\n  - name: volcanoes\n    when:\n      keywords: [volcano, eruption]\n"
        )
        _wait_for(lambda: any("rules reloaded" in line for line in log), proc)
        _drop(deployment, "volcano-1.txt", "Volcano erupts on Iceland's Reykjanes peninsula")
        _wait_for(lambda: _alerted(db, "Volcano erupts"), proc)

        rules.write_text(rules.read_text().replace("[volcano, eruption]", "[volcano, eruption"))
        _wait_for(lambda: any("keeping the last good" in line for line in log), proc)
        _drop(deployment, "volcano-2.txt", "Second eruption closes Reykjavik airport")
        _wait_for(lambda: _alerted(db, "Second eruption"), proc)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        reader.join(timeout=10)
    assert proc.returncode == 0
    assert "Volcano erupts on Iceland's Reykjanes peninsula" in out
    assert "Second eruption closes Reykjavik airport" in out
    assert any("rules reloaded: 6 rules, 1 changed" in line for line in log), log


def _drop(deployment: Path, name: str, headline: str) -> None:
    path = deployment / "samples" / "wire" / name
    path.write_text(f"{headline}\n\nREYKJAVIK\n\n{headline}, officials said on Monday.\n")
    os.utime(path, (time.time() - 60, time.time() - 60))  # settled, not being written


def _alerted(db: Path, headline: str) -> bool:
    import sqlite3
    from contextlib import closing

    try:
        with closing(sqlite3.connect(db, timeout=1)) as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM alerts WHERE state = 'sent' AND payload LIKE ?",
                (f"%{headline}%",),
            ).fetchone()
            return bool(row[0])
    except sqlite3.Error:
        return False


def _wait_for(
    condition: Callable[[], bool], proc: subprocess.Popen[str], seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"wirewatch exited with {proc.returncode}")
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")
