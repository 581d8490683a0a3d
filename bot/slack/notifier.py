"""The Slack notifier: posts alerts with `slack_sdk`'s `WebClient` (the `Notifier` port).

Lifecycle (what `bot/app.py` does)::

    notifier = SlackNotifier.from_env(os.environ)        # CredentialError if SLACK_BOT_TOKEN unset
    for channel in configured_channels:
        if notifier.handles(channel):
            notifier.add_channel(channel)                # DeliveryError(permanent) if malformed
    notifier.start()                                     # auth.test, then #names -> ids, once
    ...  core.delivery: notifier.send(alert, thread_ref) -> ts
    notifier.close()

Retries belong to the core's outbox, not to slack_sdk: the client is built with
`retry_handlers=[]`. slack_sdk's RateLimitErrorRetryHandler would sleep through a 429
inside `send`, blocking the drain and hiding `Retry-After` from the outbox's backoff; its
default ConnectionErrorRetryHandler re-sends `chat.postMessage` after a connection reset,
and a reset can come after Slack accepted the message, so a silent retry can post twice
(Slack has no idempotency key). Every failure surfaces as a `DeliveryError` instead.

Exactly once: Slack has no idempotency key, so the outbox records the returned `ts` right
after `send` returns. If the process dies in between, the alert is still pending after a
restart; before re-sending an alert that was attempted before, the outbox calls
`already_posted(alert, thread_ref)`, which looks for the alert's id in the message
metadata (and first block_id) of the channel's recent messages and returns the `ts` found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any, cast

from slack_sdk import WebClient
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.web import SlackResponse

from bot.core.errors import CredentialError, DeliveryError
from bot.core.models import Alert
from bot.slack import channels
from bot.slack.blocks import (
    BLOCK_ID_PREFIX,
    METADATA_EVENT_TYPE,
    alert_metadata,
    render,
)
from bot.slack.errors import TOKEN_VAR, TRANSLATED, translate
from bot.slack.limits import BlockKitLimitError

log = logging.getLogger(__name__)

PAGE_SIZE = 200  # conversations.list / history page size (Slack recommends at most 200)
MAX_LIST_PAGES = 50  # 10,000 channels: a workspace bigger than that should use ids
LOOKBACK_PAGES = 3  # already_posted reads at most 600 recent messages
CLOCK_SKEW = 300.0  # seconds: look for a message a little before the alert was created


class SlackNotifier:
    """Posts alerts to Slack channels named `slack:C0123ABCD` or `slack:#name`.

    `send` renders the alert with `bot.slack.blocks`, posts it with link unfurling off
    and the alert id in the message metadata, and returns the message `ts`. Errors come
    out as `DeliveryError` / `CredentialError` only (see `bot.slack.errors`).
    """

    def __init__(self, *, token: str, base_url: str | None = None, timeout: float = 10.0) -> None:
        if not token.strip():
            raise CredentialError(f"{TOKEN_VAR} is empty; set it to the Slack bot token")
        url = base_url or WebClient.BASE_URL
        self._client = WebClient(
            token=token.strip(),
            base_url=url if url.endswith("/") else url + "/",
            # urllib takes float seconds; slack_sdk merely annotates the parameter as int.
            timeout=cast(int, timeout),
            retry_handlers=[],  # the outbox retries; see the module docstring
        )
        self._declared: dict[str, None] = {}  # configured channels, in order
        self._ids: dict[str, str] = {}  # resolved "news" -> "C0123ABCD"
        self._me: set[str] = set()  # our user id and bot id, from auth.test

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, base_url: str | None = None) -> SlackNotifier:
        """A notifier with the token from `SLACK_BOT_TOKEN`; `CredentialError` naming the
        variable when it is missing or empty."""
        token = environ.get(TOKEN_VAR, "").strip()
        if not token:
            raise CredentialError(
                f"{TOKEN_VAR} is not set; set it to the Slack app's Bot User OAuth Token "
                "(xoxb-…), see docs/slack.md"
            )
        return cls(token=token, base_url=base_url)

    @property
    def min_interval(self) -> float:
        """Slack allows about one message per second per channel."""
        return 1.0

    def handles(self, channel: str) -> bool:
        return channels.handles(channel)

    def add_channel(self, channel: str) -> None:
        """Declare a configured channel before `start`, so its `#name` is resolved there.

        Raises `DeliveryError(permanent=True)` when `channel` is not a Slack channel name.
        """
        problem = channels.problem(channel)
        if problem:
            raise DeliveryError(problem, permanent=True)
        self._declared.setdefault(channel, None)

    def start(self) -> None:
        """Check the token (`auth.test`), then resolve every declared `#name` in one
        paginated pass over `conversations.list`.

        Raises `CredentialError` naming SLACK_BOT_TOKEN when Slack rejects the token,
        `DeliveryError(permanent=True)` naming a channel no channel is called, and a
        retryable `DeliveryError` when Slack cannot be reached.
        """
        response = self._call("auth.test", None, self._client.auth_test)
        self._me = {str(v) for k in ("user_id", "bot_id") if (v := response.get(k))}
        names = [ch for ch in self._declared if channels.is_name(ch)]
        missing = self._resolve(names)
        if missing:
            listed = ", ".join(missing)
            raise DeliveryError(
                f"Slack: no channel named {listed} (or the app cannot see it; archived "
                "channels are ignored); check the name or use the channel id",
                permanent=True,
            )

    def send(self, alert: Alert, thread_ref: str | None) -> str:
        """Post `alert` (an update in the thread of `thread_ref` when given); return its ts."""
        channel_id = self._channel_id(alert.channel)
        try:
            message = render(alert)
        except (BlockKitLimitError, SlackObjectFormationError) as exc:
            raise DeliveryError(f"cannot render alert {alert.id}: {exc}", permanent=True) from exc
        args: dict[str, Any] = {
            "channel": channel_id,
            "text": message.text,
            "blocks": list(message.blocks),
            "metadata": alert_metadata(alert),
            "unfurl_links": False,
            "unfurl_media": False,
            "link_names": False,  # never turn "@channel" in the text into a mention
        }
        if thread_ref:
            args["thread_ts"] = thread_ref
            args["reply_broadcast"] = False
        response = self._call(
            "chat.postMessage", alert.channel, lambda: self._client.chat_postMessage(**args)
        )
        ts = response.get("ts")
        if not isinstance(ts, str) or not ts:
            # Slack accepted the message: retrying would post it twice.
            raise DeliveryError("Slack chat.postMessage answered ok without a ts", permanent=True)
        return ts

    def already_posted(self, alert: Alert, thread_ref: str | None) -> str | None:
        """The ts of a message already posted for `alert`, or None when there is none.

        For the outbox to call before re-sending an alert that was attempted before (a
        crash may have come between Slack accepting it and the ts being recorded). Reads
        the channel's recent messages (`conversations.history`, or the thread with
        `conversations.replies` when `thread_ref` is given) since shortly before the
        alert was created. Needs the `channels:history` scope (`groups:history` for
        private channels); without it this returns None and logs a warning, so the alert
        is re-sent (a possible duplicate, never a loss). Other failures raise
        `DeliveryError`, so the outbox retries later rather than re-sending blindly.
        """
        channel_id = self._channel_id(alert.channel)
        query: dict[str, Any] = {
            "channel": channel_id,
            "oldest": f"{alert.created.timestamp() - CLOCK_SKEW:.6f}",
            "include_all_metadata": "true",
            "limit": PAGE_SIZE,
        }
        method = "conversations.history"
        if thread_ref:
            method = "conversations.replies"
            query["ts"] = thread_ref
        try:
            for page in self._pages(method, alert.channel, query, "messages", LOOKBACK_PAGES):
                for message in page:
                    if self._is_message_of(message, alert.id):
                        return str(message["ts"])
        except DeliveryError as exc:
            # missing_scope, not_in_channel…: we cannot tell, so the alert is re-sent.
            if exc.permanent and not isinstance(exc, CredentialError):
                log.warning("cannot check %s for alert %s: %s", alert.channel, alert.id, exc)
                return None
            raise
        return None

    def close(self) -> None:
        """Nothing to release: slack_sdk's urllib client holds no connection between calls."""

    # -- internals -------------------------------------------------------------------

    def _channel_id(self, channel: str) -> str:
        problem = channels.problem(channel)
        if problem:
            raise DeliveryError(problem, permanent=True)
        if not channels.is_name(channel):
            return channels.id_of(channel)
        name = channels.name_of(channel)
        if name not in self._ids:
            # A channel that appeared after start (rules reloaded): resolved on first use.
            missing = self._resolve([channel])
            if missing:
                raise DeliveryError(f"Slack: no channel named {channel}", permanent=True)
        return self._ids[name]

    def _resolve(self, names: Iterable[str]) -> list[str]:
        """Resolve `slack:#name` channels to ids; return those no channel matched."""
        wanted = {channels.name_of(ch): ch for ch in names if channels.name_of(ch) not in self._ids}
        if not wanted:
            return []
        query: dict[str, Any] = {
            "types": "public_channel,private_channel",
            "exclude_archived": "true",
            "limit": PAGE_SIZE,
        }
        try:
            self._scan(query, wanted)
        except DeliveryError as exc:
            if not exc.permanent or isinstance(exc, CredentialError):
                raise
            # Without groups:read Slack refuses private_channel; public ones still resolve.
            log.info("conversations.list with private channels refused (%s); public only", exc)
            query["types"] = "public_channel"
            self._scan(query, wanted)
        return [ch for name, ch in wanted.items() if name not in self._ids]

    def _scan(self, query: dict[str, Any], wanted: Mapping[str, str]) -> None:
        for page in self._pages("conversations.list", None, query, "channels", MAX_LIST_PAGES):
            for conversation in page:
                for key in ("name", "name_normalized"):
                    name = str(conversation.get(key) or "").casefold()
                    if name in wanted and conversation.get("id"):
                        self._ids[name] = str(conversation["id"])
            if all(name in self._ids for name in wanted):
                return

    def _pages(
        self, method: str, channel: str | None, query: dict[str, Any], key: str, max_pages: int
    ) -> Iterator[list[dict[str, Any]]]:
        """The `key` list of each page of a cursor-paginated method, at most `max_pages`.

        Sent as a form POST, which every Web API method accepts.
        """
        cursor = ""
        for _ in range(max_pages):
            data = dict(query, cursor=cursor) if cursor else dict(query)
            response = self._call(
                method, channel, partial(self._client.api_call, method, data=data)
            )
            items = response.get(key) or []
            yield [item for item in items if isinstance(item, dict)]
            metadata = response.get("response_metadata") or {}
            cursor = str(metadata.get("next_cursor") or "") if isinstance(metadata, dict) else ""
            if not cursor:
                return

    def _is_message_of(self, message: Mapping[str, Any], alert_id: str) -> bool:
        if self._me and not self._me & {str(message.get("user")), str(message.get("bot_id"))}:
            return False  # only our own messages count
        metadata = message.get("metadata")
        if isinstance(metadata, dict) and metadata.get("event_type") == METADATA_EVENT_TYPE:
            payload = metadata.get("event_payload")
            if isinstance(payload, dict) and payload.get("alert_id") == alert_id:
                return True
        blocks = message.get("blocks")
        if isinstance(blocks, list) and blocks and isinstance(blocks[0], dict):
            return blocks[0].get("block_id") == BLOCK_ID_PREFIX + alert_id
        return False

    def _call(
        self, method: str, channel: str | None, call: Callable[[], SlackResponse]
    ) -> SlackResponse:
        """Run one Web API call; every slack_sdk or network failure becomes a DeliveryError."""
        try:
            return call()
        except TRANSLATED as exc:
            raise translate(exc, method=method, channel=channel) from exc
