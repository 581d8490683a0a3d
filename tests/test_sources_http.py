"""Feeds over HTTP against a real server on 127.0.0.1: conditional GET, errors, limits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.core.errors import FetchError
from bot.core.models import FeedState, FetchResult
from bot.sources import USER_AGENT, FeedKind, FeedSpec, new_session, open_source
from bot.sources.http import parse_retry_after
from tests.feedserver import FeedServer, Reply, feed_server, running_feed_server

__all__ = ["feed_server"]  # the fixture, imported for pytest

DATA = Path(__file__).parent / "data" / "formats"
RSS = (DATA / "feeds" / "wire.rss").read_bytes()
LAST_MODIFIED = "Sun, 29 Nov 2026 11:05:00 GMT"


def _spec(
    server: FeedServer,
    path: str,
    kind: FeedKind = "rss",
    *,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    headers: Mapping[str, str] | None = None,
) -> FeedSpec:
    return FeedSpec(
        name="wire",
        kind=kind,
        location=server.url(path),
        interval=60,
        timeout=timeout,
        max_bytes=max_bytes,
        headers=headers or {},
    )


def _fetch(
    server: FeedServer,
    path: str,
    state: FeedState | None = None,
    *,
    kind: FeedKind = "rss",
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
) -> FetchResult:
    source = open_source(_spec(server, path, kind, timeout=timeout, max_bytes=max_bytes))
    return source.fetch(state or FeedState(feed="wire"))


def test_feed_stories_and_validators_come_back(feed_server: FeedServer) -> None:
    feed_server.route("/wire.rss", Reply(body=RSS, etag='"v1"', last_modified=LAST_MODIFIED))
    result = _fetch(feed_server, "/wire.rss")
    assert [s.headline for s in result.stories] == [
        "Eight soldiers killed in attack near border",
        "Markets steady & calm",
        "Item with neither guid nor link",
    ]
    assert all(s.source == "wire" for s in result.stories)
    assert result.state.etag == '"v1"'
    assert result.state.last_modified == LAST_MODIFIED
    assert not result.not_modified


def test_unchanged_feed_answers_304_and_gives_no_stories(feed_server: FeedServer) -> None:
    feed_server.route("/wire.rss", Reply(body=RSS, etag='"v1"'))
    first = _fetch(feed_server, "/wire.rss")
    second = _fetch(feed_server, "/wire.rss", first.state)
    assert second.not_modified
    assert second.stories == ()
    assert second.state.etag == '"v1"'
    sent = feed_server.requests_for("/wire.rss")
    assert "If-None-Match" not in sent[0].headers
    assert sent[1].headers["If-None-Match"] == '"v1"'


def test_last_modified_is_sent_back_as_if_modified_since(feed_server: FeedServer) -> None:
    feed_server.route("/wire.rss", Reply(body=RSS, last_modified=LAST_MODIFIED))
    first = _fetch(feed_server, "/wire.rss")
    second = _fetch(feed_server, "/wire.rss", first.state)
    assert second.not_modified
    assert second.stories == ()
    assert feed_server.requests_for("/wire.rss")[1].headers["If-Modified-Since"] == LAST_MODIFIED
    assert second.state.last_modified == LAST_MODIFIED


def test_changed_feed_after_304_is_read_again(feed_server: FeedServer) -> None:
    feed_server.route(
        "/wire.rss",
        Reply(body=RSS, etag='"v1"'),
        Reply(body=RSS.replace(b"Markets steady", b"Markets slide"), etag='"v2"'),
    )
    first = _fetch(feed_server, "/wire.rss")
    second = _fetch(feed_server, "/wire.rss", first.state)
    assert not second.not_modified
    assert "Markets slide & calm" in [s.headline for s in second.stories]
    assert second.state.etag == '"v2"'


def test_server_error_is_a_fetch_error_with_status_and_url(feed_server: FeedServer) -> None:
    feed_server.route("/wire.rss", Reply(status=500, body=b"boom"))
    with pytest.raises(FetchError) as caught:
        _fetch(feed_server, "/wire.rss")
    assert caught.value.status == 500
    assert caught.value.url == feed_server.url("/wire.rss")
    assert "HTTP 500" in str(caught.value)
    assert caught.value.retry_after is None


def test_missing_feed_is_a_fetch_error_404(feed_server: FeedServer) -> None:
    with pytest.raises(FetchError) as caught:
        _fetch(feed_server, "/nowhere.rss")
    assert caught.value.status == 404


def test_429_retry_after_in_seconds(feed_server: FeedServer) -> None:
    feed_server.route("/wire.rss", Reply(status=429, headers={"Retry-After": "120"}))
    with pytest.raises(FetchError) as caught:
        _fetch(feed_server, "/wire.rss")
    assert caught.value.status == 429
    assert caught.value.retry_after == 120.0


def test_503_retry_after_as_http_date(feed_server: FeedServer) -> None:
    when = datetime.now(UTC) + timedelta(minutes=10)
    feed_server.route(
        "/wire.rss", Reply(status=503, headers={"Retry-After": format_datetime(when, usegmt=True)})
    )
    with pytest.raises(FetchError) as caught:
        _fetch(feed_server, "/wire.rss")
    assert caught.value.status == 503
    assert caught.value.retry_after is not None
    assert 500 < caught.value.retry_after <= 600


def test_retry_after_values() -> None:
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert parse_retry_after("0", now) == 0.0
    assert parse_retry_after("Sun, 29 Nov 2026 12:02:00 GMT", now) == 120.0
    assert parse_retry_after("Sun, 29 Nov 2026 11:00:00 GMT", now) == 0.0  # already past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_server_that_never_answers_times_out(feed_server: FeedServer) -> None:
    feed_server.route("/slow.rss", Reply(hang=True))
    with pytest.raises(FetchError, match="timeout"):
        _fetch(feed_server, "/slow.rss", timeout=0.3)


def test_declared_oversize_body_is_refused(feed_server: FeedServer) -> None:
    feed_server.route("/big.rss", Reply(body=RSS))
    with pytest.raises(FetchError, match="limit"):
        _fetch(feed_server, "/big.rss", max_bytes=1000)


def test_endless_body_is_cut_at_the_size_cap(feed_server: FeedServer) -> None:
    feed_server.route("/endless.rss", Reply(endless=True))
    with pytest.raises(FetchError, match="100000-byte limit"):
        _fetch(feed_server, "/endless.rss", max_bytes=100_000)


def test_malformed_xml_is_a_fetch_error_naming_the_problem(feed_server: FeedServer) -> None:
    feed_server.route("/bad.rss", Reply(body=b"<rss><channel><title>&broken;</titl"))
    feed_server.route("/bad.xml", Reply(body=b"<newsItem><headline>cut off"))
    with pytest.raises(FetchError, match="feed could not be parsed"):
        _fetch(feed_server, "/bad.rss")
    with pytest.raises(FetchError, match="malformed XML"):
        _fetch(feed_server, "/bad.xml", kind="newsml")


def test_closed_port_is_a_fetch_error() -> None:
    with running_feed_server() as server:
        url = server.url("/feed")  # the port is free again once the server stopped
    spec = FeedSpec(name="wire", kind="rss", location=url, interval=60)
    with pytest.raises(FetchError, match="connection failed"):
        open_source(spec).fetch(FeedState(feed="wire"))


def test_user_agent_accept_and_extra_headers_are_sent(feed_server: FeedServer) -> None:
    feed_server.route("/wire.json", Reply(body=(DATA / "feeds" / "wire.json").read_bytes()))
    source = open_source(
        _spec(feed_server, "/wire.json", kind="jsonfeed", headers={"X-Api-Key": "secret"}),
        new_session(),
    )
    source.fetch(FeedState(feed="wire"))
    headers = feed_server.requests_for("/wire.json")[0].headers
    assert headers["User-Agent"] == USER_AGENT
    assert headers["X-Api-Key"] == "secret"
    assert "application/feed+json" in headers["Accept"]


@pytest.mark.parametrize(
    ("kind", "path", "headline"),
    [
        ("atom", "feeds/wire.atom", "Séisme au large de la côte"),
        ("jsonfeed", "feeds/wire.json", "Inundaciones en el norte"),
        ("ninjs", "ninjs/2.1-ntb_text.json", "Google har kjøpt giganttomt i Skien"),
        (
            "newsml",
            "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml",
            'Fed to halt QE to avert "bubble"',
        ),
    ],
)
def test_every_kind_is_read_over_http(
    feed_server: FeedServer, kind: FeedKind, path: str, headline: str
) -> None:
    feed_server.route("/doc", Reply(body=(DATA / path).read_bytes()))
    result = _fetch(feed_server, "/doc", kind=kind)
    assert result.stories[0].headline == headline
    assert result.stories[0].body
