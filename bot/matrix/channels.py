"""Matrix channel names in the config: `matrix:!roomid` or `matrix:#alias:server`.

Room ids of room version 12 and later have no `:server` part (`!Abc123`), older ones do
(`!abc:example.org`); aliases always do (`#news:example.org`). So the only split made
is the `matrix:` prefix: everything after it is the room id or alias, untouched.
"""

from __future__ import annotations

PREFIX = "matrix:"


def handles(channel: str) -> bool:
    """Whether `channel` is a Matrix channel (`matrix:…`); `problem` says if it is malformed."""
    return channel.startswith(PREFIX)


def problem(channel: str) -> str | None:
    """Why `channel` cannot name a room, or None when it can."""
    target = target_of(channel)
    if target is None or len(target) < 2 or target[0] not in "!#":
        return f"{channel!r}: expected matrix:!roomid or matrix:#alias:server"
    if target.startswith("#") and ":" not in target[2:]:
        return f"{channel!r}: a room alias needs its server, e.g. matrix:#news:example.org"
    return None


def target_of(channel: str) -> str | None:
    """The room id or alias after `matrix:`, or None for another platform's channel."""
    if not channel.startswith(PREFIX):
        return None
    return channel[len(PREFIX) :].strip() or None


def is_alias(target: str) -> bool:
    return target.startswith("#")
