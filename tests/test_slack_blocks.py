"""Rendering an alert as a Slack message: what readers see, what Slack would accept.

Pure: no network. The Block Kit limits checked here are the ones Slack enforces and the
Slack emulator does not (it accepts anything).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.models import Alert, AlertKind, Match, Quote, Reason
from bot.slack.blocks import escape, render
from bot.slack.limits import BlockKitLimitError, check_message, message_problems
from tests.conftest import make_full_alert

EVIL = "<!channel> <!here> <@U123> <https://evil.example|click> AT&T"


def make_alert(**changes: Any) -> Alert:
    """The full alert as another wire's copy of the story reaches Slack, at normal priority."""
    alert = make_full_alert(
        "slack:#news",
        id="a" * 20,
        story_id="s" * 20,
        headline="Eight Turkish soldiers killed in attack near Syrian border",
        dateline="ANKARA",
        published=datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
        source="Wire One",
        url="https://news.example/story/1",
        summary="Eight Turkish soldiers were killed on Sunday, the ministry said.",
        priority="normal",
        created=datetime(2026, 11, 29, 12, 5, tzinfo=UTC),
    )
    return replace(alert, **changes)


def texts(blocks: tuple[dict[str, Any], ...]) -> list[str]:
    """Every string a reader can see in the blocks (text objects at any depth)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def block(blocks: tuple[dict[str, Any], ...], kind: str) -> list[dict[str, Any]]:
    return [b for b in blocks if b["type"] == kind]


# -- story text pings and links nobody ------------------------------------------------


def test_story_text_cannot_ping_or_link_anywhere_in_the_message() -> None:
    alert = make_alert(
        headline=f"Headline {EVIL}",
        summary=f"Summary {EVIL}",
        dateline=f"CITY {EVIL}",
        quote=Quote(text=f"Quote {EVIL}", speaker=f"Speaker {EVIL}", start=0, end=1),
        matches=(Match("r", ("slack:#news",), "normal", (Reason("keywords", EVIL),)),),
    )
    message = render(alert)
    everything = [message.text, *texts(message.blocks)]
    for text in everything:
        for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil.example|click>"):
            assert raw not in text
        # Every & is the start of one of the three entities Slack decodes.
        assert not re.search(r"&(?!amp;|lt;|gt;)", text), text
    joined = "\n".join(everything)
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt;" in joined
    assert "&lt;https://evil.example|click&gt;" in joined
    assert "AT&amp;T" in joined
    # The summary section shows it too, not only the header.
    summary = block(message.blocks, "section")[0]["text"]["text"]
    assert "Summary &lt;!channel&gt;" in summary


def test_fallback_text_is_escaped_the_same_way() -> None:
    message = render(make_alert(headline="Ceasefire <!channel> & talks"))
    assert message.text.startswith("Ceasefire &lt;!channel&gt; &amp; talks")
    assert "Turkey" in message.text  # why it matched, for the notification


def test_story_text_cannot_break_the_layout() -> None:
    summary = "First line.\n> not a quote\n```code block``` and ~200 dead ~300 hurt"
    message = render(make_alert(summary=summary))
    text = block(message.blocks, "section")[0]["text"]["text"]
    assert "\n&gt;" not in text
    assert "\n>" not in text
    assert "`" not in text  # no code block swallowing the rest
    assert "~" not in text  # no strike-through between two tildes
    assert "First line. &gt; not a quote" in text
    for section in block(message.blocks, "section"):
        assert section["text"]["verbatim"] is True  # no auto-linking of names


def test_escape_only_touches_the_three_characters() -> None:
    assert escape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d \"e\" 'f'"


# -- content ---------------------------------------------------------------------------


def test_new_alert_has_header_why_summary_quote_context_and_button() -> None:
    message = render(make_alert())
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "section", "section", "context", "actions"]
    header, why, quote, context, actions = message.blocks
    assert header["text"]["text"] == "Eight Turkish soldiers killed in attack near Syrian border"
    assert why["text"]["text"] == (
        '*Why:* Turkey ("Turkish") · 8 killed\n\n'
        "Eight Turkish soldiers were killed on Sunday, the ministry said."
    )
    assert quote["text"]["text"] == "> “We will respond”\n> — Mevlüt Çavuşoğlu"
    line = " ".join(e["text"] for e in context["elements"])
    assert "*Wire One* · ANKARA · <!date^1795953600^" in line
    assert "|2026-11-29 12:00 UTC>" in line
    assert "Rules: turkey-deaths" in line
    button = actions["elements"][0]
    assert button["text"]["text"] == "Open story"
    assert button["url"] == "https://news.example/story/1"


@pytest.mark.parametrize(
    ("priority", "marker"), [("urgent", "🔴 URGENT: "), ("high", "🟠 HIGH: "), ("normal", "")]
)
def test_priority_marker_in_header_and_notification(priority: str, marker: str) -> None:
    message = render(make_alert(priority=priority))
    assert (
        message.blocks[0]["text"]["text"]
        == marker + "Eight Turkish soldiers killed in attack near Syrian border"
    )
    assert message.text.startswith(marker + "Eight Turkish")


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "ftp://news.example/x",
        "javascript:alert(1)",
        "/story/1",
        "https://",
        "https://news.example/a b",
    ],
)
def test_no_button_without_an_http_url(url: str | None) -> None:
    message = render(make_alert(url=url))
    assert not block(message.blocks, "actions")


def test_alert_without_quote_or_reasons_still_renders() -> None:
    message = render(make_alert(quote=None, matches=(), summary=""))
    assert [b["type"] for b in message.blocks] == ["header", "context", "actions"]


# -- limits ----------------------------------------------------------------------------


def test_long_headline_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    headline = " ".join(f"word{i}" for i in range(100))
    header = render(make_alert(headline=headline, priority="urgent")).blocks[0]["text"]["text"]
    assert len(header) <= 150
    assert header.startswith("🔴 URGENT: word0 word1")
    assert header.endswith("…")
    kept = header.removeprefix("🔴 URGENT: ").removesuffix("…")
    assert headline.startswith(kept)
    assert headline[len(kept)] == " "  # cut between words, not inside one


def test_header_cut_never_splits_an_entity() -> None:
    header = render(make_alert(headline="&" * 400)).blocks[0]["text"]["text"]
    assert len(header) <= 150
    assert re.fullmatch(r"(&amp;)+…", header)


def test_long_summary_is_split_into_sections_under_3000_without_losing_words() -> None:
    words = [f"w{i}" for i in range(1500)]  # about 8,400 characters
    summary = " ".join(words)
    message = render(make_alert(summary=summary))
    sections = block(message.blocks, "section")[:-1]  # the last section is the quote
    assert len(sections) >= 3
    assert all(len(s["text"]["text"]) <= 3000 for s in sections)
    shown = " ".join(s["text"]["text"] for s in sections).split("\n\n", 1)[1]
    assert shown.split() == words
    assert message_problems(message.text, message.blocks) == []


def test_huge_summary_is_truncated_and_the_message_stays_within_every_limit() -> None:
    summary = "casualties & damage " * 60_000  # 1.2 million characters
    message = render(make_alert(summary=summary, headline="x" * 5000, url="https://n.example/"))
    assert len(message.blocks) <= 50
    assert all(len(t) <= 3000 for t in texts(message.blocks))
    sections = block(message.blocks, "section")
    assert sections[-2]["text"]["text"].endswith("…")  # the summary's last piece
    assert message_problems(message.text, message.blocks) == []


def test_more_than_50_blocks_is_refused() -> None:
    blocks = tuple({"type": "section", "text": {"type": "mrkdwn", "text": "x"}} for _ in range(51))
    with pytest.raises(BlockKitLimitError) as caught:
        check_message("fallback", blocks)
    assert "blocks: 51 blocks, limit 50" in caught.value.problems
    check_message("fallback", blocks[:50])  # exactly 50 is fine


def button(text: str, url: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "url": url}


@pytest.mark.parametrize(
    ("bad_block", "problem"),
    [
        ({"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}, "limit 150"),
        ({"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}, "limit 3000"),
        (
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11},
            "elements: 11, limit 10",
        ),
        (
            {"type": "actions", "elements": [button("b" * 76, "https://x.example")]},
            "limit 75",
        ),
        (
            {"type": "actions", "elements": [button("Open", "https://x.example/" + "u" * 3000)]},
            "url: 3018 characters, limit 3000",
        ),
        (
            {"type": "section", "block_id": "b" * 256, "text": {"type": "mrkdwn", "text": "x"}},
            "block_id: 256 characters",
        ),
    ],
)  # fmt: skip
def test_each_block_kit_limit_is_checked(bad_block: dict[str, Any], problem: str) -> None:
    with pytest.raises(BlockKitLimitError, match=re.escape(problem)):
        check_message("fallback", (bad_block,))


# -- updates ---------------------------------------------------------------------------


def test_update_is_a_compact_message_with_the_note() -> None:
    alert = make_alert(kind=AlertKind.UPDATE, update_note="Update: death toll rises from 8 to 12")
    message = render(alert)
    assert [b["type"] for b in message.blocks] == ["section", "context", "actions"]
    body = message.blocks[0]["text"]["text"]
    assert body.startswith("*Update:* death toll rises from 8 to 12\n")
    assert "Eight Turkish soldiers killed" in body
    assert message.text.startswith("Update: death toll rises from 8 to 12 — Eight Turkish")


def test_update_note_is_escaped_and_gets_its_label() -> None:
    alert = make_alert(kind=AlertKind.UPDATE, update_note="toll <!channel> rises to 12")
    message = render(alert)
    assert message.blocks[0]["text"]["text"].startswith("*Update:* toll &lt;!channel&gt; rises")
    assert "<!channel>" not in message.text


def test_the_alert_id_is_findable_in_the_first_block() -> None:
    for kind in AlertKind:
        message = render(make_alert(kind=kind, update_note="Update: more"))
        assert message.blocks[0]["block_id"] == "wirewatch-" + "a" * 20
