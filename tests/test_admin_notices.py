"""The admin channel hears about what a user must fix: a rejected rules edit, an
alert that could not be delivered. Nothing is lost meanwhile."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stdout
from pathlib import Path

from bot.app import build
from bot.cli.run_cmd import run_once
from bot.config import load_config
from tests.conftest import REPO


def deployment(tmp_path: Path, channels: str) -> Path:
    shutil.copy(REPO / "rules.example.yaml", tmp_path / "rules.yaml")
    (tmp_path / "wire").mkdir()
    config = tmp_path / "config.yaml"
    config.write_text(
        "store: var/test.db\nrules: rules.yaml\n"
        f"channels: {channels}\nadmin_channel: console\n"
        "feeds:\n  - name: desk\n    kind: folder\n    path: wire\n    interval: 1m\n"
    )
    return config


def drop(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / "wire" / name
    path.write_text(text)
    import os

    os.utime(path, (1_700_000_000, 1_700_000_000))  # long settled


def test_a_broken_rules_edit_is_reported_once_and_old_rules_keep_working(tmp_path: Path) -> None:
    bot = build(load_config(deployment(tmp_path, "[console]")))
    try:
        rules = tmp_path / "rules.yaml"
        rules.write_text(rules.read_text().replace("[Turkey, Syria]", "[Tukey, Syria]"))
        assert bot.rules.check() is False
        assert bot.rules.check() is False  # the same bad version: not reported again
        drop(
            tmp_path,
            "blast.txt",
            "Blast kills 11 in Ankara\n\nANKARA\n\n"
            "An explosion killed 11 people in the Turkish capital on Monday, police said.\n",
        )
        out = io.StringIO()
        with redirect_stdout(out):
            run_once(bot)
        printed = " ".join(out.getvalue().split())  # the terminal wraps long lines
    finally:
        bot.close()
    assert printed.count("Rules file not reloaded: 1 problem(s)") == 1
    assert "unknown country 'Tukey' (did you mean 'Turkey'?)" in printed
    assert "The last good rules are still in force." in printed
    assert "Blast kills 11 in Ankara" in printed  # matched by the last good rules


def test_an_undeliverable_alert_is_reported_to_the_admin_channel(tmp_path: Path) -> None:
    config = deployment(tmp_path, '[console, "matrix:!news"]')
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - name: quakes\n    when:\n      keywords: [earthquake]\n"
        '    channels: ["matrix:!news"]\n'
    )
    # No MATRIX_* variables: the Matrix channels are disabled, the console is not.
    bot = build(load_config(config), environ={})
    try:
        drop(tmp_path, "quake.txt", "Earthquake shakes Lima\n\nA strong earthquake hit Lima.\n")
        out = io.StringIO()
        with redirect_stdout(out):
            run_once(bot)
    finally:
        bot.close()
    printed = out.getvalue()
    assert "Alert not delivered to matrix:!news" in printed
    assert "“Earthquake shakes Lima” could not be posted: MATRIX_HOMESERVER" in printed
