"""The terminal as a channel: alerts printed as readable text blocks.

Story text is stripped of control characters before printing, so a story cannot move
the cursor, recolour the terminal or hide text with escape sequences.
"""

from __future__ import annotations

import re
import sys
import textwrap
import threading
from typing import TextIO

from bot.core.errors import DeliveryError
from bot.core.models import Alert, AlertKind, priority_marker, stable_id

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
WIDTH = 88


def clean(text: str) -> str:
    """Story text made safe for a terminal: no control or bidi-override characters."""
    return _CONTROL.sub("", text)


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        clean(text), width=WIDTH, initial_indent=indent, subsequent_indent=indent
    ) or [indent.rstrip()]


def render(alert: Alert) -> str:
    """The alert as the lines a person reads in a terminal."""
    marker = f"{priority_marker(alert.priority)} · " if priority_marker(alert.priority) else ""
    lines = [f"━━ {marker}{clean(alert.headline)}"]
    if alert.kind is AlertKind.UPDATE and alert.update_note:
        lines.append(f"  ↳ {clean(alert.update_note)}")
    place = " · ".join(
        part
        for part in (
            clean(alert.dateline or ""),
            f"{alert.published:%Y-%m-%d %H:%M} UTC" if alert.published else "",
            clean(alert.source),
        )
        if part
    )
    lines.append(f"  {place}")
    if alert.matches:
        lines.extend(_wrap(f"Matched {', '.join(alert.rules)}: {alert.why()}"))
    if alert.summary:
        lines.extend(_wrap(alert.summary))
    if alert.quote is not None:
        lines.extend(_wrap(f"“{alert.quote.text}”", indent="  │ "))
        if alert.quote.speaker:
            lines.append(f"  │   — {clean(alert.quote.speaker)}")
    if alert.url:
        lines.append(f"  {clean(alert.url)}")
    return "\n".join(lines)


class ConsoleNotifier:
    """The `console` channel: prints each alert to a stream (stdout by default)."""

    min_interval = 0.0

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def handles(self, channel: str) -> bool:
        return channel == "console"

    def start(self) -> None:
        return None

    def send(self, alert: Alert, thread_ref: str | None) -> str:
        stream = self._stream or sys.stdout
        with self._lock:
            try:
                print(render(alert) + "\n", file=stream, flush=True)
            except OSError as exc:  # a closed pipe or a full disk: retried, never lost
                raise DeliveryError(f"terminal: {exc.strerror or exc}") from exc
        return f"console-{stable_id(alert.id)[:12]}"

    def already_posted(self, alert: Alert, thread_ref: str | None) -> None:
        return None

    def close(self) -> None:
        return None
