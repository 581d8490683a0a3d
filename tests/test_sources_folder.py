"""The drop folder: every wire file read once, new files on the next poll, bad files
reported without stopping the others, files still being written left alone."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from bot.core.errors import FetchError
from bot.core.models import FeedState, FetchResult
from bot.sources import FeedSpec, open_source
from bot.sources.folder import FolderSource

DATA = Path(__file__).parent / "data" / "formats"
WIRE_TEXT = """Russian delegation to visit Turkey
Russian delegation to visit Turkey
ANKARA

A delegation from Russia is expected in Ankara on Monday, officials said.

Talks will focus on Syria.
"""


def _drop(folder: Path, name: str, data: bytes | str, *, age: float = 60.0) -> Path:
    """Write a file as if it had arrived `age` seconds ago (settled)."""
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def _spec(folder: Path, max_bytes: int = 5_000_000) -> FeedSpec:
    return FeedSpec(
        name="desk", kind="folder", location=str(folder), interval=5, max_bytes=max_bytes
    )


def _poll(folder: Path, state: FeedState | None = None) -> FetchResult:
    return open_source(_spec(folder)).fetch(state or FeedState(feed="desk"))


def test_every_kind_of_wire_file_is_read(tmp_path: Path) -> None:
    _drop(tmp_path, "ankara.txt", WIRE_TEXT, age=300)
    shutil.copy(DATA / "ninjs" / "2.1-dpa_text.json", tmp_path / "dpa.json")
    os.utime(tmp_path / "dpa.json", (time.time() - 200,) * 2)
    shutil.copy(DATA / "wirewatch" / "newsmessage.xml", tmp_path / "message.xml")
    os.utime(tmp_path / "message.xml", (time.time() - 100,) * 2)

    result = _poll(tmp_path)

    assert result.problems == ()
    assert [(s.guid, s.headline) for s in result.stories] == [  # oldest file first
        ("ankara.txt", "Russian delegation to visit Turkey"),
        (
            "urn:newsml:dpa.com:20090101:190510-99-167362",
            "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        ),
        ("urn:wire:1", "First item in plain text"),
        ("urn:wire:3", "Second item in XHTML"),
    ]
    text = result.stories[0]
    assert text.source == "desk"
    assert text.dateline == "ANKARA"
    assert text.body.startswith("A delegation from Russia")


def test_new_files_are_picked_up_and_read_files_are_not_read_again(tmp_path: Path) -> None:
    _drop(tmp_path, "one.txt", "First story\n\nBody one.")
    first = _poll(tmp_path)
    assert [s.headline for s in first.stories] == ["First story"]

    _drop(tmp_path, "two.txt", "Second story\n\nBody two.")
    second = _poll(tmp_path, first.state)
    assert [s.headline for s in second.stories] == ["Second story"]

    third = _poll(tmp_path, second.state)
    assert third.stories == ()


def test_a_rewritten_file_is_read_again_under_the_same_guid(tmp_path: Path) -> None:
    _drop(tmp_path, "quake.txt", "Quake kills 3\n\nThree people died.", age=120)
    first = _poll(tmp_path)
    _drop(tmp_path, "quake.txt", "Quake kills 5\n\nFive people died, officials said.", age=60)
    second = _poll(tmp_path, first.state)
    [update] = second.stories
    assert update.guid == first.stories[0].guid == "quake.txt"
    assert update.headline == "Quake kills 5"


def test_a_file_still_being_written_is_left_for_a_later_poll(tmp_path: Path) -> None:
    _drop(tmp_path, "done.txt", "Finished story\n\nAll here.")
    growing = tmp_path / "growing.txt"
    growing.write_text("Half a headl", encoding="utf-8")  # modified just now

    first = _poll(tmp_path)
    assert [s.headline for s in first.stories] == ["Finished story"]
    assert first.problems == ()

    growing.write_text("Half a headline no more\n\nThe whole story.", encoding="utf-8")
    os.utime(growing, (time.time() - 5,) * 2)  # the writer finished a while ago
    second = _poll(tmp_path, first.state)
    assert [s.headline for s in second.stories] == ["Half a headline no more"]


def test_bad_files_are_reported_and_the_others_still_read(tmp_path: Path) -> None:
    _drop(tmp_path, "good.txt", "Good story\n\nReadable.")
    _drop(tmp_path, "broken.xml", b"<newsItem><headline>cut")
    _drop(tmp_path, "empty.txt", "")
    _drop(tmp_path, "notes.doc", b"\xd0\xcf\x11\xe0")
    # A file whose read fails even for root: /proc/self/mem is a regular file that
    # gives EIO when read from offset 0.
    (tmp_path / "locked.txt").symlink_to("/proc/self/mem")
    # Injected clock: /proc files carry the current time as their mtime.
    source = FolderSource(_spec(tmp_path), clock=lambda: time.time() + 30)

    first = source.fetch(FeedState(feed="desk"))

    assert [s.headline for s in first.stories] == ["Good story"]
    problems = "\n".join(first.problems)
    assert len(first.problems) == 4
    assert f"{tmp_path / 'broken.xml'}: NewsML-G2: malformed XML" in problems
    assert f"{tmp_path / 'empty.txt'}: empty wire file" in problems
    assert f"{tmp_path / 'notes.doc'}: not a wire file" in problems
    assert f"{tmp_path / 'locked.txt'}: cannot read" in problems

    # A read failure is retried (and reported) every poll; a bad file only once.
    second = source.fetch(first.state)
    assert second.stories == ()
    assert [p.split(":")[0] for p in second.problems] == [str(tmp_path / "locked.txt")]


def test_hidden_and_partial_files_are_not_read(tmp_path: Path) -> None:
    _drop(tmp_path, ".story.txt", "Hidden\n\nNo.")
    _drop(tmp_path, "story.txt.part", "Partial\n\nNo.")
    _drop(tmp_path, "story.tmp", "Temporary\n\nNo.")
    (tmp_path / "sub").mkdir()
    _drop(tmp_path / "sub", "nested.txt", "Nested\n\nNo.")
    result = _poll(tmp_path)
    assert result.stories == ()
    assert result.problems == ()


def test_a_file_over_the_size_limit_is_reported(tmp_path: Path) -> None:
    _drop(tmp_path, "huge.txt", "Huge story\n\n" + "word " * 1000)
    result = open_source(_spec(tmp_path, max_bytes=1000)).fetch(FeedState(feed="desk"))
    assert result.stories == ()
    assert "over the 1000-byte limit" in result.problems[0]


def test_a_missing_folder_is_a_fetch_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="does not exist"):
        _poll(tmp_path / "nowhere")
