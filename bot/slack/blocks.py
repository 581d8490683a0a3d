"""An `Alert` as a Slack message: Block Kit blocks plus a plain `text` fallback. Pure.

`render(alert)` returns a `SlackMessage(text, blocks)` ready for `chat.postMessage`.
The blocks are built with `slack_sdk.models.blocks`, whose validation runs when each is
turned into a dict, and the result is checked once more against every Block Kit limit by
`bot.slack.limits.check_message` (the 50-block limit is checked by no package).

A new alert is a header (headline, with a marker for high/urgent priority), a section
with why it matched and the summary (continued in more sections when very long), the
key quote as a `>` quote with its speaker, a context line (source · dateline · time ·
rules) and an "Open story" button when the alert has an http(s) URL. An update is a
compact message meant for the original alert's thread: the update note and a context
line.

Story text can never ping or link (the contract the tests hold us to):

- `&`, `<`, `>` in every piece of story text are escaped as `&amp;`, `&lt;`, `&gt;`, so
  `<!channel>`, `<!here>`, `<@U123>` and `<https://evil|click>` arrive as inert text.
  Slack decodes exactly these three entities for display, so readers see the original.
- mrkdwn objects carrying story text are `verbatim`, so Slack does not auto-link names.
- Story text is put on one line (newlines collapsed), so it cannot start a quote or
  list; backticks become `ˋ` (U+02CB) and tildes `∼` (U+223C) so a story cannot open a
  code block that swallows the message or strike out a span ("~200 dead ~300 hurt").
  `*` and `_` are kept: at worst they embolden or italicise a few words.

Time is shown with Slack's `<!date^…>` token, so every reader sees their local time,
with a UTC fallback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core.models import Alert, AlertKind, priority_marker
from bot.slack.limits import MAX_HEADER, MAX_TEXT, MAX_URL, check_message

BLOCK_ID_PREFIX = "wirewatch-"  # first block's block_id: prefix + alert id
METADATA_EVENT_TYPE = "wirewatch_alert"  # message metadata carrying the alert id
MAX_SUMMARY_SECTIONS = 5  # a summary is a paragraph; 5 x 3,000 characters is plenty
MAX_WHY = 600  # the "why it matched" line, before the summary in the same section
MAX_FALLBACK_TEXT = 300  # the notification text: a headline and the reasons
ELLIPSIS = "…"

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPACE = re.compile(r"\s+")
# Characters that would let story text restyle the message (see module docstring).
_MRKDWN_NEUTRAL = str.maketrans({"`": "ˋ", "~": "∼"})


class SlackMessage(NamedTuple):
    """What `chat.postMessage` needs: the fallback `text` and the Block Kit `blocks`."""

    text: str
    blocks: tuple[dict[str, Any], ...]


def escape(text: str) -> str:
    """Escape `&`, `<` and `>` the way Slack expects; nothing else changes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(alert: Alert) -> SlackMessage:
    """Render `alert` (new or update) as a Slack message within every Block Kit limit.

    Raises `BlockKitLimitError` or `SlackObjectFormationError` only on a bug in this
    module: every length is fitted before the blocks are built.
    """
    if alert.kind is AlertKind.UPDATE:
        text, blocks = _render_update(alert)
    else:
        text, blocks = _render_new(alert)
    dicts = tuple(block.to_dict() for block in blocks)  # slack_sdk validates here
    check_message(text, dicts)
    return SlackMessage(text, dicts)


def alert_metadata(alert: Alert) -> dict[str, Any]:
    """Message metadata that lets us find the message of an alert again later."""
    return {
        "event_type": METADATA_EVENT_TYPE,
        "event_payload": {"alert_id": alert.id, "story_id": alert.story_id},
    }


def alert_block_id(alert: Alert) -> str:
    """The block_id of the first block of the alert's message (also findable later)."""
    return BLOCK_ID_PREFIX + alert.id


def story_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL Slack can use for a button, else None."""
    if not url or len(url) > MAX_URL or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def fit(text: str, limit: int) -> str:
    """`text` escaped, cut at a word boundary with "…" so it is at most `limit` long."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    head, _ = _cut(text, limit - len(ELLIPSIS))
    return escape(head) + ELLIPSIS


def split(text: str, limit: int, max_parts: int) -> list[str]:
    """`text` escaped, in at most `max_parts` pieces of at most `limit` characters each,
    cut at word boundaries; the last piece ends with "…" when text was left out."""
    parts: list[str] = []
    rest = text
    while rest and len(parts) < max_parts - 1:
        head, rest = _cut(rest, limit)
        parts.append(escape(head))
    if rest:
        parts.append(fit(rest, limit))
    return parts


def _cut(text: str, budget: int) -> tuple[str, str]:
    """Split `text` into the longest head whose escaped length fits `budget`, moved back
    to the last space when there is one in the second half (else a hard cut, e.g. for
    scripts written without spaces), and the rest."""
    used = 0
    end = len(text)
    for index, char in enumerate(text):
        used += len(_ESCAPES.get(char, char))
        if used > budget:
            end = index
            break
    else:
        return text, ""
    space = text.rfind(" ", 0, end + 1)
    if space > end // 2:
        end = space
    return text[:end].rstrip(), text[end:].lstrip()


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _story_mrkdwn(text: str) -> str:
    """Story text made safe for mrkdwn before escaping: one line, no code/strike marks."""
    return _one_line(text).translate(_MRKDWN_NEUTRAL)


def _mrkdwn(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text, verbatim=True)


def _time_token(moment: datetime) -> str:
    """Slack's date token: the reader's local time, or the UTC fallback."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _context_line(alert: Alert, *, with_rules: bool) -> list[MarkdownTextObject]:
    pieces = [f"*{fit(_story_mrkdwn(alert.source), 200)}*"]
    if alert.dateline:
        pieces.append(fit(_story_mrkdwn(alert.dateline), 200))
    pieces.append(_time_token(alert.published or alert.created))
    elements = [_mrkdwn(" · ".join(pieces))]
    if with_rules and alert.rules:
        rules = ", ".join(dict.fromkeys(alert.rules))
        elements.append(_mrkdwn(f"Rules: {fit(_story_mrkdwn(rules), MAX_TEXT - 7)}"))
    return elements


def _button(alert: Alert) -> list[Block]:
    url = story_url(alert.url)
    if url is None:
        return []
    button = ButtonElement(
        text=PlainTextObject(text="Open story"), url=url, action_id="wirewatch_open_story"
    )
    return [ActionsBlock(elements=[button])]


def _render_new(alert: Alert) -> tuple[str, Sequence[Block]]:
    mark = f"{priority_marker(alert.priority)}: " if priority_marker(alert.priority) else ""
    headline = _one_line(alert.headline) or "(no headline)"
    blocks: list[Block] = [
        HeaderBlock(
            block_id=alert_block_id(alert),
            text=PlainTextObject(text=mark + fit(headline, MAX_HEADER - len(mark))),
        )
    ]
    why = fit(_story_mrkdwn(alert.why()), MAX_WHY) if alert.why() else ""
    lead = f"*Why:* {why}" if why else ""
    summary = _story_mrkdwn(alert.summary)
    if summary:
        first_budget = MAX_TEXT - len(lead) - 2 if lead else MAX_TEXT
        head, rest = _cut(summary, first_budget)
        if rest and not head:  # one unbreakable word longer than the room left
            head, rest = "", summary
        first = "\n\n".join(p for p in (lead, escape(head)) if p)
        texts = [first] if first else []
        if rest:
            texts += split(rest, MAX_TEXT, MAX_SUMMARY_SECTIONS - len(texts))
        blocks += [SectionBlock(text=_mrkdwn(t)) for t in texts]
    elif lead:
        blocks.append(SectionBlock(text=_mrkdwn(lead)))
    if alert.quote and alert.quote.text.strip():
        quote = fit(_story_mrkdwn(alert.quote.text), MAX_TEXT - 500)
        lines = [f"> “{quote}”"]
        if alert.quote.speaker:
            lines.append(f"> — {fit(_story_mrkdwn(alert.quote.speaker), 400)}")
        blocks.append(SectionBlock(text=_mrkdwn("\n".join(lines))))
    blocks.append(ContextBlock(elements=_context_line(alert, with_rules=True)))
    blocks += _button(alert)
    fallback_plain = headline + (f" — {_one_line(alert.why())}" if alert.why() else "")
    text = mark + fit(_story_mrkdwn(fallback_plain), MAX_FALLBACK_TEXT)
    return text, blocks


def _render_update(alert: Alert) -> tuple[str, Sequence[Block]]:
    note = _story_mrkdwn(alert.update_note or "") or "the story was updated"
    label, colon, rest = note.partition(":")
    if colon and label.strip().casefold() == "update":
        note = rest.strip()
    headline = _one_line(alert.headline)
    body = f"*Update:* {fit(note, 1500)}"
    if headline:
        body += f"\n{fit(_story_mrkdwn(headline), 1400)}"
    blocks: list[Block] = [SectionBlock(block_id=alert_block_id(alert), text=_mrkdwn(body))]
    blocks.append(ContextBlock(elements=_context_line(alert, with_rules=False)))
    blocks += _button(alert)
    fallback_plain = f"Update: {note}" + (f" — {headline}" if headline else "")
    text = fit(_story_mrkdwn(fallback_plain), MAX_FALLBACK_TEXT)
    return text, blocks
