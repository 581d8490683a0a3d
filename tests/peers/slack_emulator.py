"""The Slack Web API played by the npm `emulate` package, on 127.0.0.1, as a pytest plugin.

Load it with `pytest_plugins = ["tests.peers.slack_emulator"]`. Fixture:

- `slack_emulator` (session): one emulator seeded with `tests/slack_seed.yaml` (channels
  `news` and `general`, token `xoxb-test-bot`), yielding a `SlackEmulator` with
  `base_url` (`http://127.0.0.1:PORT/api/`, for `WebClient(base_url=…)`), `token`,
  `channels` (name -> id, looked up with `conversations.list`) and `call()` to read back
  what the bot posted (`conversations.history`, `conversations.replies`, …).

`emulate` is pinned at exactly 0.11.2: newer releases need Node 22, and the unpinned
name is an unrelated package. It is installed once into `.cache/slack-emulate` at the
repository root, under a file lock so parallel runs do not install twice. The emulator
has no option for its listen address and would listen on every interface, so it is
started with a small `--require` preload that makes a listen without a host listen on
127.0.0.1; the fixture then checks in /proc/net that the port is bound to loopback only.

The emulator keeps state (messages, threads), accepts any token and any blocks, never
rate-limits, and answers only POST (every Web API method accepts a form POST).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

EMULATE_VERSION = "0.11.2"
START_TIMEOUT = 30.0
INSTALL_TIMEOUT = 300.0
TOKEN = "xoxb-test-bot"
REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE = REPO_ROOT / ".cache" / "slack-emulate"
SEED = REPO_ROOT / "tests" / "slack_seed.yaml"
ENTRY = CACHE / "node_modules" / "emulate" / "dist" / "index.js"

# Node preload: a server.listen(port) without a host listens on 127.0.0.1, not on `::`.
LOOPBACK_PRELOAD = """\
"use strict";
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" || typeof args[0] === "string") {
    if (args[1] === undefined || args[1] === null) args[1] = "127.0.0.1";
    else if (typeof args[1] === "function") args.splice(1, 0, "127.0.0.1");
  } else if (args[0] && typeof args[0] === "object" && args[0].host === undefined) {
    args[0] = Object.assign({}, args[0], { host: "127.0.0.1" });
  }
  return listen.apply(this, args);
};
"""


@dataclass(frozen=True)
class SlackEmulator:
    """A running emulator: where it listens and what it was seeded with."""

    base_url: str
    token: str
    channels: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path

    def call(self, method: str, **args: Any) -> dict[str, Any]:
        """POST a Web API method as a form with the seeded token; the parsed JSON answer.

        Read-back goes through this, not through the code under test."""
        body = urllib.parse.urlencode({k: str(v) for k, v in args.items()}).encode()
        request = urllib.request.Request(
            self.base_url + method,
            data=body,
            headers={"Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            answer: dict[str, Any] = json.loads(response.read())
        return answer

    def stop(self) -> None:
        """Terminate by PID, then kill if it does not exit within 5 s."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError as exc:
            return f"(no log: {exc})"


def ensure_emulate() -> Path:
    """`node_modules/emulate` at exactly EMULATE_VERSION in CACHE; installs it once, locked."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        raise RuntimeError("the Slack emulator needs Node.js 20 (node and npm on PATH)")
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE.parent / "slack-emulate.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if _installed_version() != EMULATE_VERSION:
            package = CACHE / "package.json"
            if not package.exists():
                package.write_text('{"name": "wirewatch-slack-emulate", "private": true}\n')
            log = CACHE / "install.log"
            with open(log, "wb") as out:
                done = subprocess.run(
                    [npm, "install", "--no-audit", "--no-fund", f"emulate@{EMULATE_VERSION}"],
                    cwd=CACHE,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    timeout=INSTALL_TIMEOUT,
                    check=False,
                )
            if done.returncode or _installed_version() != EMULATE_VERSION:
                raise RuntimeError(
                    f"installing emulate@{EMULATE_VERSION} failed:\n{log.read_text()[-3000:]}"
                )
        (CACHE / "loopback.cjs").write_text(LOOPBACK_PRELOAD)
    return Path(node)


def start_emulator(work_dir: Path, seed: Path = SEED) -> SlackEmulator:
    """Start an emulator on a free 127.0.0.1 port and wait until it answers."""
    node = ensure_emulate()
    work_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = work_dir / "emulate.out"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(node), "--require", str(CACHE / "loopback.cjs"), str(ENTRY), "start",
             "--service", "slack", "--port", str(port), "--seed", str(seed)],
            cwd=CACHE,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "CI": "1"},  # no interactive prompts
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/api/"
    emulator = SlackEmulator(base_url, TOKEN, {}, process, log)
    try:
        _wait_until_up(emulator)
        _check_loopback_only(port)
        listed = emulator.call("conversations.list", limit=1000)
        if not listed.get("ok"):
            raise RuntimeError(f"conversations.list failed: {listed}")
        emulator.channels.update({ch["name"]: ch["id"] for ch in listed["channels"]})
    except BaseException:
        emulator.stop()
        raise
    return emulator


def _installed_version() -> str | None:
    try:
        meta = json.loads((CACHE / "node_modules" / "emulate" / "package.json").read_text())
    except (OSError, ValueError):
        return None
    version = meta.get("version")
    return version if isinstance(version, str) and ENTRY.exists() else None


def _wait_until_up(emulator: SlackEmulator) -> None:
    """Until `api.test` answers at all (0.11.2 answers it with a 404 JSON body)."""
    deadline = time.monotonic() + START_TIMEOUT
    request = urllib.request.Request(emulator.base_url + "api.test", data=b"", method="POST")
    while time.monotonic() < deadline:
        if emulator.process.poll() is not None:
            raise RuntimeError(
                f"emulate exited with {emulator.process.returncode}:\n{emulator.log_tail()}"
            )
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # an HTTP answer: the server is up
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"emulate did not answer in {START_TIMEOUT:g} s:\n{emulator.log_tail()}")


_LOOPBACK = {
    "0100007F",  # 127.0.0.1 (little-endian hex, /proc/net/tcp)
    "00000000000000000000000001000000",  # ::1
    "0000000000000000FFFF00000100007F",  # ::ffff:127.0.0.1
}


def _check_loopback_only(port: int) -> None:
    """Fail unless every socket listening on `port` is bound to a loopback address."""
    bound: list[str] = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue  # no /proc here: nothing to check against
        for row in rows:
            fields = row.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                bound.append(address)
    outside = [address for address in bound if address not in _LOOPBACK]
    if outside:
        raise RuntimeError(f"the Slack emulator listens beyond 127.0.0.1: {outside}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def slack_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlackEmulator]:
    """One Slack Web API emulator for the whole session, stopped by PID at the end."""
    emulator = start_emulator(tmp_path_factory.mktemp("slack-emulate"))
    try:
        yield emulator
    finally:
        emulator.stop()
