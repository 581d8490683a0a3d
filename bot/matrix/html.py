"""An `Alert` as Matrix `m.room.message` content: a plain `body` and an HTML `formatted_body`.

Pure: no I/O, no nio. The contract:

- every piece of story text (headline, dateline, summary, quote, speaker, source, rule
  names, the reasons of `Alert.why()`, the update note) is HTML-escaped with
  `quote=True` before it enters `formatted_body`, so a story cannot inject markup;
- `"m.mentions": {}` says "this event mentions nobody", so nothing in a story pings a
  user or the room on servers and clients that implement intentional mentions;
- the literal `@room` is broken with an invisible WORD JOINER in both bodies (see
  `_defuse`), for clients that still apply the legacy body-matching push rules;
- links are made only from `http`/`https` URLs;
- an update (`thread_root` given) carries an `m.thread` relation to the first alert's
  event, with the `m.in_reply_to` fallback that the client-server spec asks for.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any, Literal

from bot.core.models import Alert, AlertKind, priority_marker

MsgType = Literal["m.text", "m.notice"]

# Length caps, in characters of story text (before escaping). The summary is already at
# most 400 characters; these keep a pathological feed from posting a wall of text.
HEADLINE_MAX = 300
QUOTE_MAX = 500
SUMMARY_MAX = 600
LINE_MAX = 300

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ROOM_MENTION = re.compile(r"@(room)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_QUOTE_MARKS = "\"'“”„«»‘’"
_WORD_JOINER = "\u2060"


def render(
    alert: Alert,
    *,
    msgtype: MsgType = "m.notice",
    thread_root: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """The `m.room.message` content for `alert`.

    `thread_root` is the event id of the story's first alert in this room: when given,
    the message joins that thread. `reply_to` is the latest event of the thread (for
    clients without thread support, which show the message as a reply to it); it
    defaults to `thread_root`.
    """
    plain: list[str] = []
    rich: list[str] = []

    flag = _flag_line(alert)
    if flag:
        plain.append(flag)
        rich.append(f"<p><b>{_esc(flag)}</b></p>")

    headline = _clip(alert.headline, HEADLINE_MAX)
    url = _safe_url(alert.url)
    title = f"<b>{_esc(headline)}</b>"
    if url is not None:
        title = f'<b><a href="{_esc(url)}">{_esc(headline)}</a></b>'
    plain.append(headline)
    dateline = _dateline(alert)
    if dateline:
        plain.append(dateline)
        rich.append(f"<p>{title}<br><i>{_esc(dateline)}</i></p>")
    else:
        rich.append(f"<p>{title}</p>")

    why = _clip(alert.why(), LINE_MAX)
    if why:
        plain.append(f"Why: {why}")
        rich.append(f"<p><b>Why:</b> {_esc(why)}</p>")

    summary = _clip(alert.summary, SUMMARY_MAX)
    if summary:
        plain.append(summary)
        rich.append(f"<p>{_esc(summary)}</p>")

    if alert.quote is not None and alert.quote.text.strip():
        said = f"“{_clip(alert.quote.text.strip(_QUOTE_MARKS + ' '), QUOTE_MAX)}”"
        speaker = _clip(alert.quote.speaker or "", LINE_MAX)
        plain.append(f"> {said}" + (f" — {speaker}" if speaker else ""))
        attribution = f"<br>— {_esc(speaker)}" if speaker else ""
        rich.append(f"<blockquote>{_esc(said)}{attribution}</blockquote>")

    footer = _footer(alert)
    plain.append(footer)
    rich.append(f"<p>{_esc(footer)}</p>")
    if url is not None:
        plain.append(url)

    content: dict[str, Any] = {
        "msgtype": msgtype,
        "body": "\n".join(plain),
        "format": "org.matrix.custom.html",
        "formatted_body": "".join(rich),
        # Intentional mentions: an empty object means "no one", which also switches off
        # the legacy push rules that look for display names or "@room" in `body`.
        "m.mentions": {},
    }
    if thread_root is not None:
        content["m.relates_to"] = {
            "rel_type": "m.thread",
            "event_id": thread_root,
            # Not a real reply: the reply points at the thread's latest event only so
            # that clients without thread support still show the update in context.
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": reply_to or thread_root},
        }
    return content


def _flag_line(alert: Alert) -> str:
    """`🔴 URGENT · Update: death toll rises from 8 to 12`, or "" when neither applies."""
    parts: list[str] = []
    marker = priority_marker(alert.priority)
    if marker:
        parts.append(marker)
    if alert.kind is AlertKind.UPDATE:
        parts.append(_clip(alert.update_note or "Update", LINE_MAX))
    return " · ".join(parts)


def _dateline(alert: Alert) -> str:
    """`ISTANBUL · 29 Nov 2026 21:34 UTC` from what the alert has."""
    parts: list[str] = []
    if alert.dateline:
        parts.append(_clip(alert.dateline, LINE_MAX))
    if alert.published is not None:
        parts.append(_timestamp(alert.published))
    return " · ".join(parts)


def _footer(alert: Alert) -> str:
    line = f"Source: {_clip(alert.source, LINE_MAX)}"
    if alert.rules:
        line += f" · Rules: {_clip(', '.join(dict.fromkeys(alert.rules)), LINE_MAX)}"
    return line


def _timestamp(moment: datetime) -> str:
    """UTC, with English month names whatever the process locale."""
    utc = moment.astimezone(UTC)
    return f"{utc.day} {_MONTHS[utc.month - 1]} {utc.year} {utc:%H:%M} UTC"


def _clip(text: str, limit: int) -> str:
    """Whitespace collapsed, `@room` defused, cut at a word boundary with an ellipsis."""
    text = _defuse(_SPACES.sub(" ", text).strip())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def _defuse(text: str) -> str:
    """Break the literal `@room` with an invisible WORD JOINER (U+2060).

    `"m.mentions": {}` is what really stops the ping, but clients and servers that
    predate intentional mentions still run the legacy `.m.rule.roomnotif` push rule,
    which highlights any event whose plain `body` contains the word `@room` (and some
    clients render `@room` as a room pill). Wire copy never means our room, so the
    word is made unmatched while it still reads the same on screen.
    """
    return _ROOM_MENTION.sub(lambda m: f"@{_WORD_JOINER}{m.group(1)}", text)


def _safe_url(url: str | None) -> str | None:
    """The story link if it is a plain web link; never a `javascript:` or `data:` URL."""
    if not url:
        return None
    url = url.strip()
    if url.lower().startswith(("https://", "http://")) and not _SPACES.search(url):
        return url
    return None


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
