"""`wirewatch extract`: wire files in, one JSON object (or text block) per story out."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.sources.plaintext import parse_wire_text

SEED = Path(__file__).parent / "corpus" / "stories" / "000_7420e590c950528f.txt"
CONTRACT_KEYS = [
    "headline", "dateline", "published", "countries", "people", "fatalities", "quotes", "summary",
]  # fmt: skip

# ---- the plain-text wire format -----------------------------------------------------


def test_seed_file_headline_repeated_headline_and_dateline() -> None:
    story = parse_wire_text(SEED.read_text(encoding="utf-8"), source="s", guid="g")
    assert story.headline == "Russian delegation to visit Turkey"
    assert story.dateline == "ANKARA"
    assert story.body.startswith("A delegation from Russia is expected to visit Turkey")
    assert "Russian delegation to visit Turkey" not in story.body
    assert "ANKARA" not in story.body


@pytest.mark.parametrize(
    ("text", "headline", "dateline", "body"),
    [
        ("Quake hits city\n\nA quake hit.\n\nTen died.", "Quake hits city", None,
         "A quake hit.\n\nTen died."),
        ("\ufeff\r\nQuake hits city\r\nWASHINGTON, Feb 7 (Reuters) -\r\n\r\nA quake\r\nhit."
         "\r\n\r\nTen died.",
         "Quake hits city", "WASHINGTON, Feb 7 (Reuters)", "A quake hit.\n\nTen died."),
        ("Senate votes\n\nWASHINGTON (Reuters) - The Senate voted.", "Senate votes",
         "WASHINGTON (Reuters)", "WASHINGTON (Reuters) - The Senate voted."),
        ("Senate votes\n\nOn Friday the Senate voted.", "Senate votes", None,
         "On Friday the Senate voted."),
        ("Just a headline\n", "Just a headline", None, ""),
    ],
)  # fmt: skip
def test_plain_text_layouts(text: str, headline: str, dateline: str | None, body: str) -> None:
    story = parse_wire_text(text, source="s", guid="g")
    assert (story.headline, story.dateline, story.body) == (headline, dateline, body)


def test_empty_file_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_wire_text(" \n\n", source="s", guid="g")


# ---- the command ---------------------------------------------------------------------


@pytest.fixture
def wire(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(
        "Quake kills 12 in Chile\n\nSANTIAGO\n\nAt least 12 people were killed when a quake "
        "hit northern Chile on Monday, officials said.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_one_json_object_per_story_in_the_order_given(
    wire: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["extract", str(wire / "b.txt"), str(wire / "a.txt")])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == 2
    seed, quake = (json.loads(line) for line in lines)
    assert list(seed) == CONTRACT_KEYS
    assert seed["headline"] == "Russian delegation to visit Turkey"
    assert seed["dateline"] == "ANKARA"
    assert seed["fatalities"]["total"] == 8
    assert "Çavuşoğlu" in lines[0]  # not \u-escaped
    assert quake["fatalities"] == {
        "total": 12,
        "qualifier": "at_least",
        "mentions": [
            {"count": 12, "who": "people", "text": "kills 12"},
            {"count": 12, "who": "people", "text": "At least 12 people were killed"},
        ],
    }
    assert quake["summary"].startswith("At least 12 people were killed")


def test_unreadable_file_is_named_and_the_others_still_printed(
    wire: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (wire / "empty.txt").write_text("\n", encoding="utf-8")
    code = main(
        ["extract", str(wire / "missing.txt"), str(wire / "a.txt"), str(wire / "empty.txt")]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert [json.loads(x)["headline"] for x in captured.out.splitlines()] == [
        "Quake kills 12 in Chile"
    ]
    errors = captured.err.splitlines()
    assert any("missing.txt" in e and "No such file" in e for e in errors)
    assert any("empty.txt" in e and "empty" in e for e in errors)


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = b"Flood kills two\n\nTwo people died in floods in Kenya on Sunday.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert main(["extract", "-"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["headline"] == "Flood kills two"
    assert record["fatalities"]["total"] == 2


def test_text_format_is_for_people(wire: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "text", str(wire / "b.txt")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Russian delegation to visit Turkey\n")
    assert "deaths: 8" in out
    assert "Turkey (TR)" in out
    assert "summary: A delegation from Russia" in out
