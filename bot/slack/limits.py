"""What Slack would reject in a message, checked by our own code before we send.

`slack_sdk.models.blocks` validates most Block Kit limits when a block is turned into a
dict, but not all (nothing checks the 50-blocks-per-message limit), and the Slack
emulator the tests use accepts anything. `check_message` is the one place that states
every limit the renderer must respect; `blocks.render` calls it on its own output, so a
rendering bug is found here rather than as `invalid_blocks` from Slack at 3 a.m.

Lengths are counted in characters of the string sent (after `&`, `<`, `>` escaping),
which is how Slack and slack_sdk count them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MAX_BLOCKS = 50  # blocks per message
MAX_TEXT = 3000  # a section's text, a context element's text, a mrkdwn/plain_text object
MAX_HEADER = 150  # a header block's plain_text
MAX_CONTEXT_ELEMENTS = 10  # elements of one context block
MAX_BUTTON_TEXT = 75  # a button's label
MAX_URL = 3000  # a button's url
MAX_BLOCK_ID = 255  # block_id and action_id
MAX_ACTIONS_ELEMENTS = 25  # elements of one actions block
MAX_FALLBACK = 4000  # the top-level `text`; Slack truncates at 40,000, notifications far sooner


class BlockKitLimitError(ValueError):
    """A message breaks a Block Kit limit; `problems` lists every one, e.g.
    `blocks[3].text.text: 3012 characters, limit 3000`."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


def message_problems(text: str, blocks: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every limit `text` and `blocks` (Block Kit dicts) break; empty when Slack would
    accept them."""
    problems: list[str] = []
    if not text:
        problems.append("text: empty (notifications need a fallback)")
    if len(text) > MAX_FALLBACK:
        problems.append(f"text: {len(text)} characters, limit {MAX_FALLBACK}")
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"blocks: {len(blocks)} blocks, limit {MAX_BLOCKS}")
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"blocks[{index}]"
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if len(block_id) > MAX_BLOCK_ID:
                problems.append(f"{where}.block_id: {len(block_id)} characters, limit 255")
            if block_id in block_ids:
                problems.append(f"{where}.block_id: {block_id!r} used twice")
            block_ids.add(block_id)
        problems.extend(_block_problems(where, block))
    return problems


def check_message(text: str, blocks: Sequence[Mapping[str, Any]]) -> None:
    """Raise `BlockKitLimitError` naming every limit broken; return quietly otherwise."""
    problems = message_problems(text, blocks)
    if problems:
        raise BlockKitLimitError(problems)


def _block_problems(where: str, block: Mapping[str, Any]) -> list[str]:
    kind = block.get("type")
    problems: list[str] = []
    if kind == "header":
        problems += _text_problems(f"{where}.text", block.get("text"), MAX_HEADER)
    elif kind == "section":
        problems += _text_problems(f"{where}.text", block.get("text"), MAX_TEXT)
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements:
            problems.append(f"{where}.elements: empty")
        if len(elements) > MAX_CONTEXT_ELEMENTS:
            problems.append(f"{where}.elements: {len(elements)}, limit {MAX_CONTEXT_ELEMENTS}")
        for i, element in enumerate(elements):
            if element.get("type") in ("mrkdwn", "plain_text"):
                problems += _text_problems(f"{where}.elements[{i}]", element, MAX_TEXT)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements:
            problems.append(f"{where}.elements: empty")
        if len(elements) > MAX_ACTIONS_ELEMENTS:
            problems.append(f"{where}.elements: {len(elements)}, limit {MAX_ACTIONS_ELEMENTS}")
        for i, element in enumerate(elements):
            problems += _button_problems(f"{where}.elements[{i}]", element)
    return problems


def _button_problems(where: str, element: Mapping[str, Any]) -> list[str]:
    problems = _text_problems(f"{where}.text", element.get("text"), MAX_BUTTON_TEXT)
    url = element.get("url")
    if isinstance(url, str) and len(url) > MAX_URL:
        problems.append(f"{where}.url: {len(url)} characters, limit {MAX_URL}")
    action_id = element.get("action_id")
    if isinstance(action_id, str) and len(action_id) > MAX_BLOCK_ID:
        problems.append(f"{where}.action_id: {len(action_id)} characters, limit 255")
    return problems


def _text_problems(where: str, obj: object, limit: int) -> list[str]:
    if not isinstance(obj, Mapping):
        return [f"{where}: missing text object"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"{where}.text: empty"]
    if len(text) > limit:
        return [f"{where}.text: {len(text)} characters, limit {limit}"]
    return []
