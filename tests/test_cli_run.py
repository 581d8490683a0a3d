"""`wirewatch run` as a user runs it: a real process, the bundled sample wire, the terminal."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
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
