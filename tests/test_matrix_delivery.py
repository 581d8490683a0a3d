"""Matrix delivery against a real Synapse: the bot posts, a second user reads it back.

Synapse is started once per session by `tests.peers.synapse` (about 1.5-4 s); the rate-limit
test starts a second one with Synapse's default message limits.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
import requests

from bot.core.errors import CredentialError, DeliveryError
from bot.core.models import Alert, AlertKind, Match, Reason
from bot.matrix.notifier import MatrixNotifier
from tests.conftest import make_full_alert

if TYPE_CHECKING:  # imported for real by pytest_plugins (assertion rewriting needs that)
    from tests.peers.synapse import MatrixUser, Synapse

pytest_plugins = ["tests.peers.synapse"]
pytestmark = pytest.mark.synapse

HOSTILE = 'Mayor says <script>alert("x")</script> & <b>calm</b> to @room'

NotifierFactory = Callable[..., MatrixNotifier]


def make_alert(channel: str, ident: str, **changes: Any) -> Alert:
    """The full alert, one per `ident` (its id: the Matrix transaction id), one reason."""
    alert = make_full_alert(
        channel,
        id=ident,
        story_id=f"story-{ident}",
        headline=f"Eight soldiers killed ({ident})",
        url="https://news.example/story/1",
        matches=(Match("turkey-deaths", (channel,), "high", (Reason("countries", "Turkey"),)),),
    )
    return replace(alert, **changes)


@pytest.fixture(scope="module")
def bot(synapse: Synapse) -> MatrixUser:
    return synapse.register("wirewatch")


@pytest.fixture(scope="module")
def reader(synapse: Synapse) -> MatrixUser:
    return synapse.register("reader")


@pytest.fixture
def room(synapse: Synapse, bot: MatrixUser, reader: MatrixUser) -> str:
    """A private room created by the reader, who invites the bot."""
    return synapse.create_room(reader, invite=(bot.user_id,))


@pytest.fixture
def notifiers(synapse: Synapse, bot: MatrixUser) -> Iterator[NotifierFactory]:
    """Build notifiers for the bot (token login unless told otherwise); all closed after."""
    made: list[MatrixNotifier] = []

    def build(*channels: str, **options: Any) -> MatrixNotifier:
        if "password" not in options:
            options.setdefault("access_token", bot.access_token)
        options.setdefault("homeserver", synapse.base_url)
        options.setdefault("user_id", bot.user_id)
        notifier = MatrixNotifier(channels=channels, **options)
        made.append(notifier)
        return notifier

    yield build
    for notifier in made:
        notifier.close()


def test_alert_is_read_back_escaped_and_mentioning_nobody(
    synapse: Synapse, bot: MatrixUser, reader: MatrixUser, room: str, notifiers: NotifierFactory
) -> None:
    assert ":" not in room  # room version 12: the id has no server part
    channel = f"matrix:{room}"
    notifier = notifiers(channel)
    notifier.start()  # joins the room it was invited to
    alert = make_alert(channel, "esc1", headline=HOSTILE, summary=HOSTILE)

    event_id = notifier.send(alert, None)

    [event] = synapse.messages(reader, room)
    assert event["event_id"] == event_id
    assert event["sender"] == bot.user_id
    content = event["content"]
    assert content["msgtype"] == "m.notice"
    assert content["m.mentions"] == {}
    assert content["format"] == "org.matrix.custom.html"
    assert content["body"].splitlines()[1] == HOSTILE.replace("@room", "@\u2060room")
    html_body = content["formatted_body"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;calm&lt;/b&gt;" in (
        html_body
    )
    assert "<script" not in html_body
    assert "@room" not in content["body"] + html_body
    assert '<a href="https://news.example/story/1">' in html_body


def test_update_is_posted_in_the_thread_of_the_alert(
    synapse: Synapse, reader: MatrixUser, room: str, notifiers: NotifierFactory
) -> None:
    channel = f"matrix:{room}"
    notifier = notifiers(channel)
    notifier.start()
    parent = notifier.send(make_alert(channel, "thr0"), None)
    note = "Update: death toll rises from 8 to 12"
    first = notifier.send(
        make_alert(channel, "thr1", kind=AlertKind.UPDATE, update_note=note), parent
    )
    second = notifier.send(
        make_alert(channel, "thr2", kind=AlertKind.UPDATE, update_note="Update: 14 dead"), parent
    )

    update = synapse.event(reader, room, first)["content"]
    assert update["body"].splitlines()[0].endswith(note)
    assert update["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": parent,
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": parent},
    }
    later = synapse.event(reader, room, second)["content"]["m.relates_to"]
    assert later["m.in_reply_to"] == {"event_id": first}  # fallback points at the latest
    # The server itself files both updates under the parent's thread.
    reply = requests.get(
        f"{synapse.base_url}/_matrix/client/v1/rooms/{quote(room)}/relations/"
        f"{quote(parent)}/m.thread",
        headers={"Authorization": f"Bearer {reader.access_token}"},
        timeout=10,
    )
    reply.raise_for_status()
    assert {e["event_id"] for e in reply.json()["chunk"]} == {first, second}


def test_msgtype_text_is_configurable(
    synapse: Synapse, reader: MatrixUser, room: str, notifiers: NotifierFactory
) -> None:
    channel = f"matrix:{room}"
    notifier = notifiers(channel, msgtype="m.text")
    notifier.start()
    event_id = notifier.send(make_alert(channel, "txt1"), None)
    assert synapse.event(reader, room, event_id)["content"]["msgtype"] == "m.text"


def test_retried_send_returns_the_same_event_and_posts_once(
    synapse: Synapse, reader: MatrixUser, room: str, notifiers: NotifierFactory
) -> None:
    channel = f"matrix:{room}"
    first_run = notifiers(channel)
    first_run.start()
    alert = make_alert(channel, "once1")
    event_id = first_run.send(alert, None)
    assert first_run.send(alert, None) == event_id
    first_run.close()

    restarted = notifiers(channel)  # a new process with the same token
    restarted.start()
    assert restarted.send(alert, None) == event_id
    assert [e["event_id"] for e in synapse.messages(reader, room)] == [event_id]


@dataclass(frozen=True)
class PasswordRun:
    """A bot that logged in with a password, posted `alert` as `event_id` and stopped."""

    room: str
    channel: str
    login: dict[str, Any]
    alert: Alert
    event_id: str


def run_with_password(
    synapse: Synapse,
    reader: MatrixUser,
    notifiers: NotifierFactory,
    token_file: Path,
    *,
    user_name: str,
    ident: str,
) -> PasswordRun:
    """Register `user_name`, invite it to a new room of the reader's, and run it once."""
    user = synapse.register(user_name)
    room = synapse.create_room(reader, invite=(user.user_id,))
    channel = f"matrix:{room}"
    login = {"user_id": user.user_id, "password": user.password, "token_file": token_file}
    first_run = notifiers(channel, **login)
    first_run.start()
    alert = make_alert(channel, ident)
    event_id = first_run.send(alert, None)
    first_run.close()
    return PasswordRun(room, channel, login, alert, event_id)


def test_password_login_keeps_its_token_so_retries_stay_exactly_once(
    synapse: Synapse, reader: MatrixUser, notifiers: NotifierFactory, tmp_path: Path
) -> None:
    token_file = tmp_path / "state" / "matrix-token.json"
    first = run_with_password(
        synapse, reader, notifiers, token_file, user_name="pwbot", ident="pw1"
    )
    saved = token_file.read_text()
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600

    restarted = notifiers(first.channel, **first.login)
    restarted.start()
    assert token_file.read_text() == saved  # reused, not a new login
    assert restarted.send(first.alert, None) == first.event_id
    assert [e["event_id"] for e in synapse.messages(reader, first.room)] == [first.event_id]


def test_rejected_saved_token_logs_in_again_on_the_same_device(
    synapse: Synapse, reader: MatrixUser, notifiers: NotifierFactory, tmp_path: Path
) -> None:
    token_file = tmp_path / "matrix-token.json"
    first = run_with_password(
        synapse, reader, notifiers, token_file, user_name="pwbot2", ident="pw2"
    )
    saved = json.loads(token_file.read_text())
    token_file.write_text(json.dumps({**saved, "access_token": "syt_revoked"}))

    restarted = notifiers(first.channel, **first.login)
    restarted.start()
    renewed = json.loads(token_file.read_text())
    assert renewed["access_token"] not in {"syt_revoked", saved["access_token"]}
    assert renewed["device_id"] == saved["device_id"]
    assert restarted.send(first.alert, None) == first.event_id
    assert [e["event_id"] for e in synapse.messages(reader, first.room)] == [first.event_id]


def test_rejected_credentials_are_named(synapse: Synapse, notifiers: NotifierFactory) -> None:
    with pytest.raises(CredentialError, match="MATRIX_ACCESS_TOKEN") as caught:
        notifiers(access_token="syt_not_a_token").start()
    assert caught.value.permanent
    user = synapse.register("pwbad")
    with pytest.raises(CredentialError, match="MATRIX_PASSWORD"):
        notifiers(user_id=user.user_id, password="wrong password").start()


def test_token_of_another_user_is_refused(
    synapse: Synapse, reader: MatrixUser, notifiers: NotifierFactory
) -> None:
    with pytest.raises(CredentialError, match="MATRIX_USER_ID"):
        notifiers(access_token=reader.access_token).start()


def test_alias_is_resolved_and_public_room_joined(
    synapse: Synapse, reader: MatrixUser, notifiers: NotifierFactory
) -> None:
    room = synapse.create_room(reader, alias="news", public=True)
    notifier = notifiers("matrix:#news:localhost")
    notifier.start()  # resolves the alias, joins without an invite
    event_id = notifier.send(make_alert("matrix:#news:localhost", "alias1"), None)
    assert [e["event_id"] for e in synapse.messages(reader, room)] == [event_id]


def test_unknown_alias_fails_start_permanently(notifiers: NotifierFactory) -> None:
    with pytest.raises(DeliveryError, match="#nowhere:localhost") as caught:
        notifiers("matrix:#nowhere:localhost").start()
    assert caught.value.permanent
    assert not isinstance(caught.value, CredentialError)


def test_room_the_bot_may_not_join_fails_that_alert_only(
    synapse: Synapse,
    bot: MatrixUser,
    reader: MatrixUser,
    room: str,
    notifiers: NotifierFactory,
) -> None:
    closed = synapse.create_room(reader)  # private, no invite
    notifier = notifiers(f"matrix:{closed}", f"matrix:{room}")
    notifier.start()
    with pytest.raises(DeliveryError) as caught:
        notifier.send(make_alert(f"matrix:{closed}", "closed1"), None)
    assert caught.value.permanent
    assert notifier.send(make_alert(f"matrix:{room}", "open1"), None).startswith("$")
    # Once someone invites the bot, the next attempt joins and posts.
    synapse.api(reader, "POST", f"/rooms/{quote(closed)}/invite", {"user_id": bot.user_id})
    event_id = notifier.send(make_alert(f"matrix:{closed}", "closed1"), None)
    assert [e["event_id"] for e in synapse.messages(reader, closed)] == [event_id]


def test_concurrent_sends_from_worker_threads(
    synapse: Synapse, reader: MatrixUser, room: str, notifiers: NotifierFactory
) -> None:
    channel = f"matrix:{room}"
    notifier = notifiers(channel)
    notifier.start()
    alerts = [make_alert(channel, f"par{i}") for i in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        event_ids = list(pool.map(lambda a: notifier.send(a, None), alerts))
    assert len(set(event_ids)) == 12
    assert {e["event_id"] for e in synapse.messages(reader, room)} == set(event_ids)


def test_unreachable_homeserver_is_a_retryable_error(notifiers: NotifierFactory) -> None:
    with pytest.raises(DeliveryError) as caught:
        notifiers(homeserver="http://127.0.0.1:9").start()
    assert not caught.value.permanent
    assert not isinstance(caught.value, CredentialError)


def test_send_after_close_is_a_delivery_error(room: str, notifiers: NotifierFactory) -> None:
    notifier = notifiers(f"matrix:{room}")
    notifier.start()
    notifier.close()
    with pytest.raises(DeliveryError):
        notifier.send(make_alert(f"matrix:{room}", "late1"), None)


def test_rate_limit_becomes_delivery_error_with_retry_after(
    synapse_default_limits: Synapse,
) -> None:
    server = synapse_default_limits
    bot = server.register("ratebot")
    reader = server.register("ratereader")
    room = server.create_room(reader, invite=(bot.user_id,))
    channel = f"matrix:{room}"
    notifier = MatrixNotifier(
        homeserver=server.base_url,
        user_id=bot.user_id,
        access_token=bot.access_token,
        channels=[channel],
    )
    notifier.start()
    sent: list[str] = []
    limited: list[DeliveryError] = []
    try:
        # Synapse allows a burst of 10, then answers 429 after a 0.5 s pause each: stop
        # after a few refusals instead of sending all 30.
        for i in range(30):
            try:
                sent.append(notifier.send(make_alert(channel, f"burst{i}"), None))
            except DeliveryError as exc:
                limited.append(exc)
                if len(limited) == 3:
                    break
    finally:
        notifier.close()
    assert sent  # the burst allowance went through
    assert limited  # and then Synapse said M_LIMIT_EXCEEDED
    for error in limited:
        assert not error.permanent
        assert not isinstance(error, CredentialError)
        assert error.retry_after is not None
        assert error.retry_after > 0
    assert {e["event_id"] for e in server.messages(reader, room)} == set(sent)
