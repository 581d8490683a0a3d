"""Slack channel names in the config: `slack:C0123ABCD` (an id) or `slack:#name`.

Ids are what the Web API wants; a `#name` is resolved to its id with
`conversations.list` (see `SlackNotifier.start`). Slack channel names are lowercase, so
names are compared casefolded.
"""

from __future__ import annotations

import re

PREFIX = "slack:"
# C… public channel, G… private channel or group, D… direct message; uppercase alnum.
_ID = re.compile(r"[CGD][A-Z0-9]{2,}")
# Slack names: up to 80 characters, no spaces; we only refuse what can never be a name.
_NAME = re.compile(r"#[^\s#,<>@]{1,80}")


def handles(channel: str) -> bool:
    """Whether `channel` is meant for Slack (`slack:…`); `problem` says if it is malformed."""
    return channel.startswith(PREFIX)


def problem(channel: str) -> str | None:
    """Why `channel` cannot name a Slack channel, or None when it can."""
    target = channel[len(PREFIX) :] if channel.startswith(PREFIX) else ""
    if _ID.fullmatch(target) or _NAME.fullmatch(target):
        return None
    return f"{channel!r}: expected slack:C0123ABCD (a channel id) or slack:#name"


def is_name(channel: str) -> bool:
    """Whether `channel` (already valid) names a channel by `#name` rather than by id."""
    return channel.startswith(PREFIX + "#")


def name_of(channel: str) -> str:
    """`news` for `slack:#News`: the name to compare with conversations.list."""
    return channel[len(PREFIX) + 1 :].casefold()


def id_of(channel: str) -> str:
    """`C0123ABCD` for `slack:C0123ABCD`."""
    return channel[len(PREFIX) :]
