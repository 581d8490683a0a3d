"""A crash in the middle of a Matrix batch: every alert arrives, none arrives twice.

`wirewatch run` is a real process posting a drop folder of wire stories to a room on
the session's Synapse. A small reverse proxy on 127.0.0.1 sits between the bot and
Synapse so the crash lands at the worst moment, every time: Synapse has stored one
message but the bot has not yet heard back, so the store still has that alert pending.
The bot is killed there with SIGKILL and started again with the same command and the
same access token; a second user then reads the room back.

The restart resumes the interrupted alert once its lease (60 s, `DrainPolicy.lease`)
has run out, so the test takes a little over a minute.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from bot.matrix.notifier import transaction_id
from bot.store.sqlite import SQLiteStore
from tests.conftest import REPO

if TYPE_CHECKING:  # the fixture comes from the tests.peers.synapse plugin (conftest)
    from tests.peers.synapse import MatrixUser, Synapse

pytestmark = pytest.mark.synapse

STORIES = 30
SENT_BEFORE_CRASH = 5  # the next send after these is the one interrupted by the crash
WAIT = 90.0  # bound of every wait; the restart alone needs the 60 s lease to run out
SEND_PATH = re.compile(r"^/_matrix/client/v3/rooms/[^/]+/send/m\.room\.message/(?P<txn>[^/?]+)")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class CrashProxy:
    """Forwards every request to Synapse; the send after `pass_sends` is forwarded (so
    Synapse stores the message) but its answer is held back until `release()`.

    `held_txn` / `held_event` name the interrupted send once `held` is set; `sends`
    lists the transaction id of every send seen, in order.
    """

    def __init__(self, upstream: str, pass_sends: int) -> None:
        self.upstream = upstream.rstrip("/")
        self.pass_sends = pass_sends
        self.sends: list[str] = []
        self.held = threading.Event()
        self.held_txn: str | None = None
        self.held_event: str | None = None
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        self._thread.start()

    def release(self) -> None:
        self._release.set()

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> requests.Response:
        return requests.request(
            method, self.upstream + path, headers=headers, data=body or None, timeout=30
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return None  # quiet: the bot's own log says what it sent

            def _proxy(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                send = SEND_PATH.match(self.path) if self.command == "PUT" else None
                hold = False
                if send is not None:
                    with proxy._lock:
                        proxy.sends.append(send["txn"])
                        hold = len(proxy.sends) == proxy.pass_sends + 1
                reply = proxy._forward(self.command, self.path, headers, body)
                if hold:
                    proxy.held_txn = send["txn"] if send else None
                    proxy.held_event = reply.json().get("event_id")
                    proxy.held.set()
                    proxy._release.wait(WAIT)
                    self.close_connection = True
                    return  # no answer at all: the bot is killed while it waits for one
                self.send_response(reply.status_code)
                for key, value in reply.headers.items():
                    if key.lower() not in HOP_BY_HOP | {"content-encoding"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.content)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.content)
                self.close_connection = True

            do_GET = do_PUT = do_POST = do_DELETE = _proxy

        return Handler


@pytest.fixture
def crash_proxy(synapse: Synapse) -> Iterator[CrashProxy]:
    proxy = CrashProxy(synapse.base_url, pass_sends=SENT_BEFORE_CRASH)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


def headline(i: int) -> str:
    # Zero-padded and closed by a word, so no headline is a substring of another.
    return f"Zeppelin sighting {i:02d} reported over the harbour"


def write_deployment(root: Path, channel: str) -> Path:
    """Config, rules and a drop folder of STORIES plain-text wire files under `root`."""
    wire = root / "wire"
    wire.mkdir()
    settled = time.time() - 60  # older than the folder source's settle time
    for i in range(STORIES):
        story = wire / f"story-{i:02d}.txt"
        story.write_text(
            f"{headline(i)}\n\nHAMBURG\n\n"
            f"Harbour pilots reported a zeppelin over the container terminal, sighting "
            f"number {i} of the day, the port authority said on Sunday.\n\n"
            "Ships were asked to keep clear of the quays until the airship had passed.\n",
            encoding="utf-8",
        )
        os.utime(story, (settled, settled))
    (root / "rules.yaml").write_text(
        "rules:\n"
        "  - name: airships\n"
        "    when:\n"
        "      keywords: [zeppelin]\n"
        f'    channels: ["{channel}"]\n',
        encoding="utf-8",
    )
    config = root / "config.yaml"
    config.write_text(
        "store: var/wirewatch.db\n"
        "rules: rules.yaml\n"
        f'channels:\n  - "{channel}"\n'
        "feeds:\n"
        "  - name: crash-wire\n"
        "    kind: folder\n"
        "    path: wire\n"
        "    interval: 1h\n"
        "delivery:\n"
        "  drain_interval: 100ms\n",
        encoding="utf-8",
    )
    return config


def bot_env(homeserver: str, bot: MatrixUser) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MATRIX_", "SLACK_")) and k != "PYTHONPATH"
    }
    env.update(
        PYTHONPATH=str(REPO),
        MATRIX_HOMESERVER=homeserver,
        MATRIX_USER_ID=bot.user_id,
        MATRIX_ACCESS_TOKEN=bot.access_token,
    )
    return env


def start_bot(root: Path, env: dict[str, str], log_name: str) -> subprocess.Popen[bytes]:
    with open(root / log_name, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", "config.yaml"],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_for(what: str, done: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path) -> None:
    """Poll `done` until it holds; fail (with the bot's log) if the bot dies or WAIT passes."""
    deadline = time.monotonic() + WAIT
    while not done():
        assert proc.poll() is None, (
            f"the bot exited ({proc.returncode}) before {what}:\n{tail(log)}"
        )
        assert time.monotonic() < deadline, f"no {what} after {WAIT:g} s:\n{tail(log)}"
        time.sleep(0.25)


def test_sigkill_mid_batch_loses_nothing_and_posts_nothing_twice(
    synapse: Synapse, crash_proxy: CrashProxy, tmp_path: Path
) -> None:
    bot = synapse.register()
    reader = synapse.register()
    room = synapse.create_room(reader, invite=(bot.user_id,))  # the bot joins on start
    channel = f"matrix:{room}"  # a room id has no ':server' part: used whole
    write_deployment(tmp_path, channel)
    env = bot_env(crash_proxy.url, bot)
    first_log, second_log = tmp_path / "first-run.log", tmp_path / "second-run.log"
    headlines = [headline(i) for i in range(STORIES)]

    def all_arrived() -> bool:
        text = "\n".join(str(e["content"].get("body", "")) for e in synapse.messages(reader, room))
        return all(h in text for h in headlines)

    procs: list[subprocess.Popen[bytes]] = []
    try:
        first = start_bot(tmp_path, env, first_log.name)
        procs.append(first)
        wait_for("interrupted send", crash_proxy.held.is_set, first, first_log)
        # Synapse stored the interrupted message; the bot has not heard back yet.
        events = synapse.messages(reader, room)
        assert 3 <= len(events) == SENT_BEFORE_CRASH + 1 < STORIES
        assert crash_proxy.held_event in {e["event_id"] for e in events}
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        crash_proxy.release()

        # The store never heard of that send: the alert is still pending.
        store = SQLiteStore(tmp_path / "var" / "wirewatch.db")
        try:
            counts = store.delivery_counts()
            pending = {transaction_id(d.alert) for d in store.deliveries("pending", limit=STORIES)}
        finally:
            store.close()
        assert counts == {"sent": SENT_BEFORE_CRASH, "pending": STORIES - SENT_BEFORE_CRASH}
        assert crash_proxy.held_txn in pending

        second = start_bot(tmp_path, env, second_log.name)
        procs.append(second)
        wait_for(
            f"delivery of all {STORIES} alerts",
            all_arrived,
            second,
            second_log,
        )
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, tail(second_log)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)

    events = synapse.messages(reader, room)
    texts = [str(e["content"].get("body", "")) for e in events]
    counts_by_headline = {h: sum(h in t for t in texts) for h in headlines}
    assert {h: n for h, n in counts_by_headline.items() if n != 1} == {}
    assert len(events) == STORIES  # nothing else, nothing twice
    assert len({e["event_id"] for e in events}) == STORIES
    assert {e["sender"] for e in events} == {bot.user_id}

    status = subprocess.run(
        [sys.executable, "-m", "bot", "status", "--config", "config.yaml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert status.returncode == 0, status.stderr
    assert f"outbox: 0 pending, {STORIES} sent, 0 failed" in status.stdout

    # The interrupted alert is recorded as the very message Synapse stored before the crash.
    store = SQLiteStore(tmp_path / "var" / "wirewatch.db")
    try:
        refs = {
            transaction_id(d.alert): d.remote_ref for d in store.deliveries("sent", limit=STORIES)
        }
    finally:
        store.close()
    assert refs[str(crash_proxy.held_txn)] == crash_proxy.held_event
