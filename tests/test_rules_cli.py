"""`wirewatch rules check` and `wirewatch rules test`, as a user runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.extract import Extractor
from bot.core.models import Story
from bot.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples" / "wire"

RULES = """\
defaults:
  channels: [console]
rules:
  - name: lavrov
    when:
      people: [{name: "Sergey Lavrov", aliases: ["Sergei Lavrov"]}]
    channels: [slack:#news]
    priority: high
  - name: floods
    when:
      all:
        - keywords: [flood*]
        - fatalities: {min: 5}
  - name: turkey
    when: {countries: [Turkey]}
"""


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A folder with a config declaring three channels, and its rules file."""
    (tmp_path / "drop").mkdir()
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "config.yaml").write_text(
        "store: wirewatch.db\n"
        "rules: rules.yaml\n"
        'channels: [console, "slack:#news", "matrix:#news:localhost"]\n'
        "feeds:\n  - {name: drop, kind: folder, path: drop}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_check_a_valid_file(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "check", str(desk / "rules.yaml"), "--config", str(desk / "config.yaml")])
    assert code == 0
    assert capsys.readouterr().out == f"{desk / 'rules.yaml'}: 3 rules OK\n"


def test_check_uses_the_config_rules_file_by_default(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desk)
    assert main(["rules", "check"]) == 0
    assert capsys.readouterr().out == "rules.yaml: 3 rules OK\n"


def test_check_reports_every_problem_and_exits_1(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desk)
    bad = RULES.replace("[slack:#news]", "[slack:#newz]").replace("[Turkey]", "[Tukey]")
    (desk / "rules.yaml").write_text(bad, encoding="utf-8")
    assert main(["rules", "check"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "rules.yaml:7:16: channel 'slack:#newz' is not declared in the config "
        "(did you mean 'slack:#news'?)",
        "rules.yaml:15:24: unknown country 'Tukey' (did you mean 'Turkey'?)",
        "rules.yaml: 2 problems",
    ]


def test_check_reports_yaml_syntax_errors_with_their_place(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desk)
    (desk / "rules.yaml").write_text("rules:\n  - name: x\n   when: {}\n", encoding="utf-8")
    assert main(["rules", "check"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("rules.yaml:3:")
    assert "YAML syntax error" in first


def test_the_shipped_example_rules_are_valid_with_the_example_config(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    args = ["rules", "check", "rules.example.yaml", "--config", "config.example.yaml"]
    assert main(args) == 0
    assert capsys.readouterr().out.endswith("rules OK\n")


def test_test_explains_each_rule_on_a_wire_story(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desk)
    story = SAMPLES / "sample-001-lavrov-talks.txt"
    assert main(["rules", "test", str(story)]) == 0
    out = capsys.readouterr().out
    assert "1 of 3 rules fire" in out
    assert "  lavrov: FIRES -> slack:#news [high]" in out
    assert "+ people Sergey Lavrov: Sergey Lavrov" in out
    assert "  floods: no" in out
    assert "- fatalities >= 5 (no deaths reported)" in out
    assert "  turkey: no" in out
    assert "- countries Turkey (story countries: Russia" in out


def test_test_shows_why_an_all_failed_when_one_part_held(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desk)
    assert main(["rules", "test", str(SAMPLES / "sample-003-flood.txt"), "--rule", "floods"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  floods: FIRES -> console [normal]" in lines
    assert any(line.strip().startswith("+ keywords flood*: flood* (") for line in lines)
    assert "        + fatalities >= 5: at least 12 killed" in lines


def test_test_with_broken_rules_prints_the_problems(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desk)
    (desk / "rules.yaml").write_text(RULES.replace("min: 5", "min: lots"), encoding="utf-8")
    assert main(["rules", "test", str(SAMPLES / "sample-003-flood.txt")]) == 1
    assert "rules.yaml:13:29: 'min' must be a whole number, got 'lots'" in capsys.readouterr().out


def test_replay_runs_the_rules_over_the_stories_stored_since(
    desk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desk)
    now = datetime.now(UTC)
    store = SQLiteStore(desk / "wirewatch.db")
    extractor = Extractor()
    for name, seen in [
        ("sample-001-lavrov-talks.txt", now - timedelta(hours=2)),
        ("sample-003-flood.txt", now - timedelta(hours=3)),
        ("sample-002-port-cyberattack.txt", now - timedelta(hours=1)),
    ]:
        text = (SAMPLES / name).read_text(encoding="utf-8")
        headline, _, body = text.partition("\n")
        story = Story("drop", name, headline.strip(), body.strip())
        store.ingest(story, 1, extractor.extract(story), (), seen)
    old = Story("drop", "old", "Lavrov speaks", "Sergey Lavrov spoke in Moscow.")
    store.ingest(old, 1, extractor.extract(old), (), now - timedelta(days=3))
    store.close()

    assert main(["rules", "test", "--since", "24h"]) == 0
    out = capsys.readouterr().out
    assert "Lavrov and Wang hold talks on Korean peninsula" in out
    assert "  lavrov -> slack:#news: Sergey Lavrov" in out
    assert "Floods kill at least 12 in northern Italy" in out
    assert "  floods -> console: " in out
    assert "Lavrov speaks" not in out  # stored three days ago
    assert "3 stories since" in out
    assert ", 2 would alert" in out
    assert "  lavrov: 1\n  floods: 1\n  turkey: 0\n" in out


def test_test_needs_stories_or_since(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(desk)
    assert main(["rules", "test"]) == 2
    assert main(["rules", "test", "--since", "yesterday"]) == 2
