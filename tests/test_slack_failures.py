"""How the Slack notifier fails: against a small Slack Web API of our own on 127.0.0.1.

The emulator never rate-limits or fails, so rate limits, server errors, rejected tokens,
timeouts and pagination are played here by `http.server` in a thread, answering each
method from a script. Every test also checks how many requests arrived: slack_sdk must
not retry behind the outbox's back.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.core.errors import CredentialError, DeliveryError
from bot.slack.notifier import SlackNotifier
from tests.test_slack_blocks import make_alert

CHANNEL_ID = "C0NEWS001"


@dataclass
class Reply:
    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # hold the answer until the test ends (a timeout)
    raw: bytes | None = None  # a body that is not JSON (a proxy's error page)


class FakeSlack:
    """Answers `/api/<method>` with the next scripted `Reply` ({"ok": true} when none)."""

    def __init__(self) -> None:
        self.script: dict[str, list[Reply]] = defaultdict(list)
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                method = self.path.removeprefix("/api/")
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "json" in (self.headers.get("Content-Type") or ""):
                    args = json.loads(raw or b"{}")
                else:
                    args = dict(parse_qsl(raw.decode()))
                fake.requests.append((method, args))
                queue = fake.script[method]
                reply = queue.pop(0) if queue else Reply({"ok": True})
                if reply.hang:
                    fake.release.wait(30)
                body = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up waiting (timeout test)
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def methods(self) -> list[str]:
        return [method for method, _ in self.requests]


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    thread = threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield fake
    fake.release.set()
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(5)


def notifier_for(fake: FakeSlack, *, timeout: float = 5.0) -> SlackNotifier:
    return SlackNotifier(token="xoxb-fake", base_url=fake.base_url, timeout=timeout)


def alert_to(channel: str = "slack:" + CHANNEL_ID) -> Any:
    return replace(make_alert(), channel=channel, created=datetime.now(UTC))


# -- sending ---------------------------------------------------------------------------


def test_rate_limit_gives_retry_after_to_the_outbox(fake_slack: FakeSlack) -> None:
    fake_slack.script["chat.postMessage"].append(
        Reply({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "7"})
    )
    with pytest.raises(DeliveryError) as caught:
        notifier_for(fake_slack).send(alert_to(), None)
    assert caught.value.retry_after == 7.0
    assert not caught.value.permanent
    assert fake_slack.methods() == ["chat.postMessage"]  # slack_sdk did not sleep and retry


def test_server_error_is_retryable(fake_slack: FakeSlack) -> None:
    fake_slack.script["chat.postMessage"].append(
        Reply({"ok": False, "error": "internal_error"}, status=500)
    )
    with pytest.raises(DeliveryError) as caught:
        notifier_for(fake_slack).send(alert_to(), None)
    assert not caught.value.permanent
    assert caught.value.retry_after is None
    assert "500" in str(caught.value)
    assert fake_slack.methods() == ["chat.postMessage"]


def test_server_error_that_is_not_json_is_retryable(fake_slack: FakeSlack) -> None:
    fake_slack.script["chat.postMessage"].append(
        Reply({}, status=503, raw=b"<h1>Service Unavailable</h1>")
    )
    with pytest.raises(DeliveryError) as caught:
        notifier_for(fake_slack).send(alert_to(), None)
    assert not caught.value.permanent


def test_timeout_is_retryable(fake_slack: FakeSlack) -> None:
    fake_slack.script["chat.postMessage"].append(Reply({"ok": True, "ts": "1.2"}, hang=True))
    with pytest.raises(DeliveryError) as caught:
        notifier_for(fake_slack, timeout=0.3).send(alert_to(), None)
    assert not caught.value.permanent
    assert "network error" in str(caught.value)
    # Not re-sent by slack_sdk: a timed-out post may have been accepted (no idempotency key).
    assert fake_slack.methods() == ["chat.postMessage"]


def test_connection_refused_is_retryable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the send: nobody listens
    slack = SlackNotifier(token="xoxb-fake", base_url=f"http://127.0.0.1:{port}/api/")
    with pytest.raises(DeliveryError) as caught:
        slack.send(alert_to(), None)
    assert not caught.value.permanent


@pytest.mark.parametrize("code", ["invalid_auth", "token_revoked", "account_inactive"])
def test_rejected_token_while_sending_names_the_variable(fake_slack: FakeSlack, code: str) -> None:
    fake_slack.script["chat.postMessage"].append(Reply({"ok": False, "error": code}))
    with pytest.raises(CredentialError, match="SLACK_BOT_TOKEN") as caught:
        notifier_for(fake_slack).send(alert_to(), None)
    assert caught.value.permanent
    assert code in str(caught.value)


@pytest.mark.parametrize(
    "code", ["channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long"]
)
def test_errors_retrying_cannot_fix_are_permanent(fake_slack: FakeSlack, code: str) -> None:
    fake_slack.script["chat.postMessage"].append(Reply({"ok": False, "error": code}))
    with pytest.raises(DeliveryError) as caught:
        notifier_for(fake_slack).send(alert_to(), None)
    assert caught.value.permanent
    assert not isinstance(caught.value, CredentialError)
    assert code in str(caught.value)


def test_what_is_sent_to_chat_post_message(fake_slack: FakeSlack) -> None:
    fake_slack.script["chat.postMessage"].append(Reply({"ok": True, "ts": "1700000000.000100"}))
    ts = notifier_for(fake_slack).send(alert_to(), "1699999999.000001")
    assert ts == "1700000000.000100"
    (_method, args), = fake_slack.requests  # fmt: skip
    assert args["channel"] == CHANNEL_ID
    assert args["thread_ts"] == "1699999999.000001"
    assert args["reply_broadcast"] is False
    assert args["unfurl_links"] is False
    assert args["unfurl_media"] is False
    assert args["link_names"] is False
    assert args["metadata"]["event_type"] == "wirewatch_alert"
    assert args["text"]
    assert args["blocks"][0]["type"] == "header"


# -- start -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["invalid_auth", "not_authed"])
def test_rejected_token_at_start_names_the_variable(fake_slack: FakeSlack, code: str) -> None:
    fake_slack.script["auth.test"].append(Reply({"ok": False, "error": code}))
    slack = notifier_for(fake_slack)
    slack.add_channel("slack:#news")
    with pytest.raises(CredentialError, match="SLACK_BOT_TOKEN"):
        slack.start()
    assert fake_slack.methods() == ["auth.test"]


def test_channel_names_are_resolved_once_across_pages(fake_slack: FakeSlack) -> None:
    fake_slack.script["auth.test"].append(Reply({"ok": True, "user_id": "UBOT"}))
    fake_slack.script["conversations.list"] += [
        Reply(
            {
                "ok": True,
                "channels": [{"id": "C0GEN0001", "name": "general"}],
                "response_metadata": {"next_cursor": "page-2"},
            }
        ),
        Reply(
            {
                "ok": True,
                "channels": [{"id": "C0NEWS001", "name": "news"}, {"id": "C0X", "name": "x"}],
                "response_metadata": {"next_cursor": "page-3"},
            }
        ),
    ]
    fake_slack.script["chat.postMessage"] += [Reply({"ok": True, "ts": "1.1"})] * 3
    slack = notifier_for(fake_slack)
    for channel in ("slack:#news", "slack:#General", "slack:C0OTHER01"):
        slack.add_channel(channel)
    slack.start()
    slack.send(alert_to("slack:#news"), None)
    slack.send(alert_to("slack:#news"), None)
    slack.send(alert_to("slack:#general"), None)

    lists = [args for method, args in fake_slack.requests if method == "conversations.list"]
    assert len(lists) == 2  # both names found on page 2: no third page, no later look-ups
    assert "cursor" not in lists[0]
    assert lists[1]["cursor"] == "page-2"
    posted = [
        args["channel"] for method, args in fake_slack.requests if method == "chat.postMessage"
    ]
    assert posted == ["C0NEWS001", "C0NEWS001", "C0GEN0001"]


def test_without_private_channel_scope_public_names_still_resolve(fake_slack: FakeSlack) -> None:
    fake_slack.script["conversations.list"] += [
        Reply({"ok": False, "error": "missing_scope", "needed": "groups:read"}),
        Reply({"ok": True, "channels": [{"id": "C0NEWS001", "name": "news"}]}),
    ]
    slack = notifier_for(fake_slack)
    slack.add_channel("slack:#news")
    slack.start()
    lists = [args for method, args in fake_slack.requests if method == "conversations.list"]
    assert [args["types"] for args in lists] == ["public_channel,private_channel", "public_channel"]


def test_malformed_channel_is_refused_when_declared(fake_slack: FakeSlack) -> None:
    slack = notifier_for(fake_slack)
    assert slack.handles("slack:news")
    assert not slack.handles("matrix:!abc")
    with pytest.raises(DeliveryError, match="slack:#name") as caught:
        slack.add_channel("slack:news")
    assert caught.value.permanent


def test_history_check_without_scope_says_unknown(fake_slack: FakeSlack) -> None:
    fake_slack.script["conversations.history"].append(
        Reply({"ok": False, "error": "missing_scope", "needed": "channels:history"})
    )
    assert notifier_for(fake_slack).already_posted(alert_to(), None) is None


def test_history_check_during_an_outage_raises_so_nothing_is_resent(fake_slack: FakeSlack) -> None:
    fake_slack.script["conversations.history"].append(Reply({"ok": False}, status=502))
    with pytest.raises(DeliveryError) as caught:
        notifier_for(fake_slack).already_posted(alert_to(), None)
    assert not caught.value.permanent
