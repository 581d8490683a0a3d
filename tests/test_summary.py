"""The lead summary an alert shows: whole lead sentences, never more than 400 characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.extract.summary import summarize
from bot.core.extract.text import Document
from bot.sources.plaintext import parse_wire_text

SEED = Path(__file__).parent / "corpus" / "stories" / "000_7420e590c950528f.txt"


def doc(body: str, headline: str = "Quake hits city", dateline: str | None = None) -> Document:
    return Document.build(f"{headline}\n\n{body}", headline, dateline)


def test_seed_story_summary_is_its_first_two_body_sentences() -> None:
    story = parse_wire_text(SEED.read_text(encoding="utf-8"), source="t", guid="seed")
    summary = summarize(Document.build(story.text, story.headline, story.dateline))
    assert summary == (
        "A delegation from Russia is expected to visit Turkey on Feb. 8, amid heightened "
        "tensions between Ankara and Damascus, Turkey’s top diplomat has said. Foreign "
        "Minister Mevlüt Çavuşoğlu on Feb. 7 said that a Russian delegation will visit "
        "Turkey on Feb. 8 to discuss the recent developments in Idlib."
    )


CASES = [
    # (body, summary)
    ("A quake hit the city. Ten people died. Rescuers are searching.",
     "A quake hit the city. Ten people died. Rescuers are searching."),
    ("Quake hits city\n\nANKARA\n\nA quake hit the city. Ten people died.",
     "A quake hit the city. Ten people died."),
    ("WASHINGTON, Feb 7 (Reuters) - The Senate voted on Friday. It was close.",
     "The Senate voted on Friday. It was close."),
    ("", ""),
]  # fmt: skip


@pytest.mark.parametrize(("body", "summary"), CASES)
def test_lead_sentences(body: str, summary: str) -> None:
    assert summarize(doc(body)) == summary


def test_stops_before_the_sentence_that_does_not_fit() -> None:
    first = "The first sentence is short."
    second = "The second sentence " + "goes on " * 60 + "and ends."
    assert summarize(doc(f"{first} {second} Third one.")) == first


def test_a_long_first_sentence_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    words = [f"word{i}" for i in range(200)]
    summary = summarize(doc(" ".join(words) + "."))
    assert len(summary) <= 400
    assert summary.endswith("…")
    assert summary[:-1].split() == words[: len(summary[:-1].split())]


def test_max_chars_is_respected() -> None:
    body = "One two three. Four five six. Seven eight nine."
    assert summarize(doc(body), max_chars=30) == "One two three. Four five six."
    assert len(summarize(doc(body), max_chars=10)) <= 10
