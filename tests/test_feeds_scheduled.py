"""Feeds over real HTTP under the real scheduler: 304s, a 500 and a hung server.

One broken feed must never stop the others, and a story served again (or answered with
304 Not Modified) must never be stored or alerted twice.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from bot.app import build
from bot.cli.run_cmd import run_once
from bot.config import load_config
from bot.scheduling import run_forever
from tests.feedserver import FeedServer, Reply, running_feed_server

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test wire</title><link>http://127.0.0.1/</link>
<description>t</description>
{items}
</channel></rss>"""

ITEM = """<item><title>{title}</title><link>http://127.0.0.1/{guid}</link><guid>{guid}</guid>
<pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>
<description>{body}</description></item>"""

BLAST = ITEM.format(
    title="Blast at refinery in Turkey",
    guid="blast-1",
    body="An explosion at a refinery in Izmit killed seven workers on Sunday, officials said.",
)
OTHER = ITEM.format(
    title="Turkey and Syria talks resume",
    guid="talks-1",
    body="Turkish and Syrian officials met in Ankara on Sunday to resume talks.",
)

RULES = """\
rules:
  - name: turkey
    when:
      countries: [Turkey]
    channels: [console]
"""


def rss(*items: str) -> bytes:
    return RSS.format(items="\n".join(items)).encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with running_feed_server() as srv:
        yield srv


def deployment(tmp_path: Path, server: FeedServer, interval: str = "1s") -> Path:
    (tmp_path / "rules.yaml").write_text(RULES)
    feeds = "".join(
        f"  - name: {name}\n    kind: rss\n    url: {server.url(path)}\n"
        f"    interval: {interval}\n    timeout: 1s\n"
        for name, path in (("good", "/good.xml"), ("broken", "/broken.xml"), ("hung", "/hung.xml"))
    )
    config = tmp_path / "config.yaml"
    config.write_text(
        f"store: var/test.db\nrules: rules.yaml\nchannels: [console]\nfeeds:\n{feeds}"
        "delivery:\n  drain_interval: 0.2s\n"
    )
    return config


def test_not_modified_and_repeats_are_never_stored_twice(
    tmp_path: Path, server: FeedServer
) -> None:
    server.route("/good.xml", Reply(body=rss(OTHER), etag='"v1"'))
    server.route("/broken.xml", Reply(status=500, body=b"oops"))
    server.route("/hung.xml", Reply(hang=True))
    bot = build(load_config(deployment(tmp_path, server)))
    try:
        out = io.StringIO()
        with redirect_stdout(out):
            run_once(bot)  # first poll: backlog stored, not alerted
            assert bot.store.story_count() == 1
            run_once(bot)  # 304: nothing new
            server.route("/good.xml", Reply(body=rss(BLAST, OTHER), etag='"v2"'))
            run_once(bot)  # the new story only
            run_once(bot)  # 304 again
        assert bot.store.story_count() == 2
        good = server.requests_for("/good.xml")
        assert [r.headers.get("If-None-Match") for r in good] == [None, '"v1"', '"v1"', '"v2"']
        printed = out.getvalue()
        assert printed.count("Blast at refinery in Turkey") == 1
        assert "Turkey and Syria talks resume" not in printed.split("━━", 1)[-1]
        assert bot.store.delivery_counts() == {"sent": 1}
        states = {s.feed: s for s in bot.store.feed_states()}
        assert "HTTP 500" in (states["broken"].last_error or "")
        assert "no answer within 1 s (read timeout)" in (states["hung"].last_error or "")
    finally:
        bot.close()


def test_scheduler_keeps_delivering_while_other_feeds_fail(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/good.xml", Reply(body=rss(OTHER), etag='"v1"'))
    server.route("/broken.xml", Reply(status=500, body=b"oops"))
    server.route("/hung.xml", Reply(hang=True))
    bot = build(load_config(deployment(tmp_path, server)))
    stop = threading.Event()
    runner = threading.Thread(target=run_forever, args=(bot, stop))
    runner.start()
    try:
        _wait(lambda: bot.store.story_count() == 1)
        server.route("/good.xml", Reply(body=rss(BLAST, OTHER), etag='"v2"'))
        _wait(lambda: "Blast at refinery in Turkey" in capsys.readouterr().out)
        _wait(lambda: len(server.requests_for("/broken.xml")) >= 2)
    finally:
        stop.set()
        runner.join(timeout=30)
    assert not runner.is_alive()


def _wait(condition: object, seconds: float = 20.0) -> None:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")
