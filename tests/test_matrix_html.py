"""Matrix rendering and channel names, without a homeserver: what a room member would see."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.core.errors import CredentialError, DeliveryError
from bot.core.models import Alert, AlertKind, Quote
from bot.matrix import channels
from bot.matrix.html import HEADLINE_MAX, render
from bot.matrix.notifier import MatrixNotifier, transaction_id
from tests.conftest import make_full_alert

HOSTILE = 'Mayor says <script>alert("x")</script> & <b>calm</b> to @room and @ROOM'


def make_alert(**changes: object) -> Alert:
    return make_full_alert("matrix:!room", **changes)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html_text: str) -> _Tags:
    parser = _Tags()
    parser.feed(html_text)
    parser.close()
    return parser


def test_alert_shows_every_part_in_body_and_html() -> None:
    content = render(make_alert())
    body = content["body"]
    assert content["msgtype"] == "m.notice"
    assert content["format"] == "org.matrix.custom.html"
    assert content["m.mentions"] == {}
    lines = body.splitlines()
    assert lines[0] == "🟠 HIGH"
    assert lines[1] == "Eight Turkish soldiers killed in Syria"
    assert lines[2] == "ISTANBUL · 29 Nov 2026 21:34 UTC"
    assert lines[3] == 'Why: Turkey ("Turkish") · 8 killed'
    assert "> “We will respond” — Mevlüt Çavuşoğlu" in lines
    assert "Source: wire-a · Rules: turkey-deaths" in lines
    assert lines[-1] == "https://news.example/story?id=1&lang=en"

    html_body = content["formatted_body"]
    assert '<a href="https://news.example/story?id=1&amp;lang=en">' in html_body
    assert "<blockquote>“We will respond”<br>— Mevlüt Çavuşoğlu</blockquote>" in html_body
    assert "<b>Eight Turkish soldiers killed in Syria</b>" not in html_body  # it is a link
    assert "Why:</b> Turkey (&quot;Turkish&quot;) · 8 killed" in html_body


def test_story_text_cannot_inject_markup_or_ping_the_room() -> None:
    alert = make_alert(
        headline=HOSTILE,
        summary=HOSTILE,
        dateline="<i>GAZA</i>",
        source="<img src=x>",
        quote=Quote('"<a href=evil>@room</a>"', "<u>Spokes@room</u>", 0, 1),
        url='https://news.example/"><script>',
    )
    content = render(alert)
    parsed = parse(content["formatted_body"])
    assert {tag for tag, _ in parsed.tags} <= {"p", "b", "i", "a", "br", "blockquote"}
    assert "script" not in {tag for tag, _ in parsed.tags}
    hrefs = [dict(attrs)["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs == ['https://news.example/"><script>']  # one attribute value, escaped
    visible = "".join(parsed.text)
    assert '<script>alert("x")</script> & <b>calm</b>' in visible
    for text in (content["body"], content["formatted_body"], visible):
        assert "@room" not in text.casefold()
    assert "@\u2060room" in content["body"]
    assert content["m.mentions"] == {}


def test_only_web_links_become_links() -> None:
    for url in ("javascript:alert(1)", "data:text/html,x", "ftp://x", None):
        content = render(make_alert(url=url))
        assert "<a " not in content["formatted_body"]
        assert "javascript" not in content["body"]


def test_priority_marker_only_for_high_and_urgent() -> None:
    assert render(make_alert(priority="urgent"))["body"].startswith("🔴 URGENT\n")
    normal = render(make_alert(priority="normal"))["body"]
    assert normal.startswith("Eight Turkish soldiers")
    assert "URGENT" not in normal
    assert "HIGH" not in normal


def test_update_joins_the_thread_of_the_first_alert() -> None:
    update = make_alert(
        kind=AlertKind.UPDATE,
        update_note="Update: death toll rises from 8 to 12",
        priority="normal",
    )
    content = render(update, thread_root="$root")
    assert content["body"].splitlines()[0] == "Update: death toll rises from 8 to 12"
    assert content["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": "$root"},
    }
    later = render(update, thread_root="$root", reply_to="$latest")
    assert later["m.relates_to"]["m.in_reply_to"] == {"event_id": "$latest"}
    assert "m.relates_to" not in render(make_alert())


def test_msgtype_text_and_long_headline_clipped() -> None:
    content = render(make_alert(headline="word " * 200), msgtype="m.text")
    assert content["msgtype"] == "m.text"
    headline = content["body"].splitlines()[1]
    assert len(headline) <= HEADLINE_MAX
    assert headline.endswith("word…")


def test_missing_optional_parts_leave_no_empty_lines() -> None:
    alert = make_alert(dateline=None, published=None, quote=None, url=None, matches=())
    body = render(alert)["body"]
    assert "" not in body.splitlines()
    assert body.splitlines()[-1] == "Source: wire-a"


@pytest.mark.parametrize(
    ("channel", "target"),
    [
        ("matrix:!AbCdEf123", "!AbCdEf123"),  # room version 12: no server part
        ("matrix:!abc:example.org", "!abc:example.org"),
        ("matrix:#news:example.org", "#news:example.org"),
    ],
)
def test_matrix_channels_are_kept_whole(channel: str, target: str) -> None:
    assert channels.handles(channel)
    assert channels.problem(channel) is None
    assert channels.target_of(channel) == target


def test_other_and_malformed_channels() -> None:
    assert not channels.handles("slack:#news")
    assert not channels.handles("console")
    assert "server" in (channels.problem("matrix:#news") or "")
    assert channels.problem("matrix:news") is not None
    notifier = MatrixNotifier(homeserver="http://127.0.0.1:9", user_id="@b:x", access_token="t")
    with pytest.raises(DeliveryError) as caught:
        notifier.add_channel("matrix:#news")
    assert caught.value.permanent


def test_transaction_id_is_stable_per_alert() -> None:
    assert transaction_id(make_alert()) == transaction_id(make_alert(summary="changed"))
    assert transaction_id(make_alert()) != transaction_id(make_alert(id="other"))


ENV = {
    "MATRIX_HOMESERVER": "http://127.0.0.1:8008",
    "MATRIX_USER_ID": "@wirewatch:localhost",
    "MATRIX_ACCESS_TOKEN": "syt_token",
}


@pytest.mark.parametrize("missing", ["MATRIX_HOMESERVER", "MATRIX_USER_ID"])
def test_missing_variable_is_named(missing: str) -> None:
    environ = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(CredentialError, match=missing):
        MatrixNotifier.from_env(environ, token_file=None)


def test_token_or_password_is_required() -> None:
    environ = {k: v for k, v in ENV.items() if k != "MATRIX_ACCESS_TOKEN"}
    with pytest.raises(CredentialError, match="MATRIX_ACCESS_TOKEN") as caught:
        MatrixNotifier.from_env(environ, token_file=None)
    assert caught.value.permanent
    assert MatrixNotifier.from_env({**environ, "MATRIX_PASSWORD": "pw"}, token_file=None)


def test_bad_homeserver_url_is_named() -> None:
    with pytest.raises(CredentialError, match="MATRIX_HOMESERVER"):
        MatrixNotifier.from_env({**ENV, "MATRIX_HOMESERVER": "matrix.example.org"}, token_file=None)
