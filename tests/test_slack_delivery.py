"""The Slack notifier against a stateful Slack Web API emulator on 127.0.0.1.

The bot posts with slack_sdk's WebClient; the test reads back with
`conversations.history` / `conversations.replies` through the emulator directly, so it
sees what a Slack client would be given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from bot.core.errors import CredentialError, DeliveryError
from bot.core.models import Alert, AlertKind, Quote, stable_id
from bot.slack.blocks import render
from bot.slack.notifier import SlackNotifier
from tests.test_slack_blocks import EVIL, make_alert

if TYPE_CHECKING:  # imported by pytest_plugins below; importing it first breaks rewriting
    from tests.peers.slack_emulator import SlackEmulator

pytest_plugins = ["tests.peers.slack_emulator"]
pytestmark = pytest.mark.slack_emulator

_counter = iter(range(1_000_000))


def new_alert(channel: str = "slack:#news", **changes: Any) -> Alert:
    """A fresh alert (unique id), created now, so history look-ups find it."""
    n = str(next(_counter))
    fresh: dict[str, Any] = {
        "id": stable_id("delivery-test", n, channel),
        "story_id": stable_id("story", n),
        "channel": channel,
        "created": datetime.now(UTC),
    }
    return replace(make_alert(), **{**fresh, **changes})


@pytest.fixture
def notifier(slack_emulator: SlackEmulator) -> Iterator[SlackNotifier]:
    slack = SlackNotifier.from_env(
        {"SLACK_BOT_TOKEN": slack_emulator.token}, base_url=slack_emulator.base_url
    )
    slack.add_channel("slack:#news")
    slack.add_channel("slack:#general")
    slack.start()
    yield slack
    slack.close()


def history(emulator: SlackEmulator, channel: str) -> list[dict[str, Any]]:
    answer = emulator.call(
        "conversations.history", channel=emulator.channels[channel], include_all_metadata="true"
    )
    assert answer["ok"], answer
    messages: list[dict[str, Any]] = answer["messages"]
    return messages


def test_alert_posted_and_read_back_with_blocks_and_escaping(
    slack_emulator: SlackEmulator, notifier: SlackNotifier
) -> None:
    alert = new_alert(headline=f"Blast {EVIL}", summary=f"Witnesses said {EVIL}")
    ts = notifier.send(alert, None)

    posted = next(m for m in history(slack_emulator, "news") if m["ts"] == ts)
    expected = render(alert)
    assert posted["text"] == expected.text
    assert posted["blocks"] == list(expected.blocks)
    assert posted["unfurl_links"] is False
    assert posted["unfurl_media"] is False
    assert posted["metadata"]["event_payload"]["alert_id"] == alert.id
    # The escaping survived the trip: Slack shows the text, nobody is pinged.
    header = posted["blocks"][0]["text"]["text"]
    assert "Blast &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt;" in header
    summary = posted["blocks"][1]["text"]["text"]
    assert "&lt;https://evil.example|click&gt; AT&amp;T" in summary
    assert "<!channel>" not in posted["text"]


def test_channel_name_is_resolved_to_its_id(
    slack_emulator: SlackEmulator, notifier: SlackNotifier
) -> None:
    ts = notifier.send(new_alert("slack:#general"), None)
    assert ts in {m["ts"] for m in history(slack_emulator, "general")}
    assert ts not in {m["ts"] for m in history(slack_emulator, "news")}


def test_channel_id_is_used_as_is(slack_emulator: SlackEmulator, notifier: SlackNotifier) -> None:
    channel = "slack:" + slack_emulator.channels["news"]
    ts = notifier.send(new_alert(channel), None)
    assert ts in {m["ts"] for m in history(slack_emulator, "news")}


def test_update_goes_into_the_alert_thread(
    slack_emulator: SlackEmulator, notifier: SlackNotifier
) -> None:
    first = new_alert()
    parent = notifier.send(first, None)
    update = new_alert(
        kind=AlertKind.UPDATE,
        story_id=first.story_id,
        update_note="Update: death toll rises from 8 to 12",
    )
    reply = notifier.send(update, parent)

    answer = slack_emulator.call(
        "conversations.replies", channel=slack_emulator.channels["news"], ts=parent
    )
    assert [m["ts"] for m in answer["messages"]] == [parent, reply]
    posted = answer["messages"][1]
    assert posted["thread_ts"] == parent
    assert posted["text"].startswith("Update: death toll rises from 8 to 12")
    assert posted["blocks"][0]["text"]["text"].startswith("*Update:* death toll rises")
    assert posted.get("reply_broadcast") is False
    # Not a new top-level alert.
    assert reply not in {m["ts"] for m in history(slack_emulator, "news")}


def test_unknown_channel_name_fails_at_start_naming_it(slack_emulator: SlackEmulator) -> None:
    slack = SlackNotifier(token=slack_emulator.token, base_url=slack_emulator.base_url)
    slack.add_channel("slack:#news")
    slack.add_channel("slack:#no-such-desk")
    with pytest.raises(DeliveryError) as caught:
        slack.start()
    assert caught.value.permanent
    assert "slack:#no-such-desk" in str(caught.value)
    assert "slack:#news" not in str(caught.value)


def test_unknown_channel_id_is_a_permanent_failure(notifier: SlackNotifier) -> None:
    with pytest.raises(DeliveryError) as caught:
        notifier.send(new_alert("slack:C0NOSUCH1"), None)
    assert caught.value.permanent
    assert "channel_not_found" in str(caught.value)


def test_channel_named_after_start_is_resolved_on_first_use(
    slack_emulator: SlackEmulator, notifier: SlackNotifier
) -> None:
    answer = slack_emulator.call("conversations.create", name="late-desk")
    assert answer["ok"], answer
    ts = notifier.send(new_alert("slack:#late-desk"), None)
    posted = slack_emulator.call("conversations.history", channel=answer["channel"]["id"])
    assert [m["ts"] for m in posted["messages"]] == [ts]


def test_archived_channel_is_a_permanent_failure(
    slack_emulator: SlackEmulator, notifier: SlackNotifier
) -> None:
    created = slack_emulator.call("conversations.create", name="old-desk")
    assert created["ok"], created
    channel_id = created["channel"]["id"]
    assert slack_emulator.call("conversations.archive", channel=channel_id)["ok"]
    with pytest.raises(DeliveryError) as caught:
        notifier.send(new_alert("slack:" + channel_id), None)
    assert caught.value.permanent
    assert "is_archived" in str(caught.value)


def test_after_a_restart_an_alert_already_posted_is_found_not_resent(
    slack_emulator: SlackEmulator, notifier: SlackNotifier
) -> None:
    alert = new_alert()
    ts = notifier.send(alert, None)
    update = new_alert(kind=AlertKind.UPDATE, update_note="Update: 12 dead")
    reply = notifier.send(update, ts)

    restarted = SlackNotifier(token=slack_emulator.token, base_url=slack_emulator.base_url)
    restarted.add_channel("slack:#news")
    restarted.start()
    assert restarted.already_posted(alert, None) == ts
    assert restarted.already_posted(update, ts) == reply
    assert restarted.already_posted(new_alert(), None) is None


def test_missing_token_is_one_clear_error_naming_the_variable() -> None:
    with pytest.raises(CredentialError, match="SLACK_BOT_TOKEN"):
        SlackNotifier.from_env({"SLACK_BOT_TOKEN": "  "})
    with pytest.raises(CredentialError, match="SLACK_BOT_TOKEN"):
        SlackNotifier.from_env({})


def test_quote_and_context_arrive_as_rendered(
    slack_emulator: SlackEmulator, notifier: SlackNotifier
) -> None:
    alert = new_alert(
        quote=Quote(text="Nobody <@U999> is safe", speaker="A Minister", start=0, end=1)
    )
    ts = notifier.send(alert, None)
    posted = next(m for m in history(slack_emulator, "news") if m["ts"] == ts)
    quote = posted["blocks"][2]["text"]["text"]
    assert quote == "> “Nobody &lt;@U999&gt; is safe”\n> — A Minister"
