"""A real Synapse homeserver for the tests, on 127.0.0.1, as a pytest plugin.

Load it with `pytest_plugins = ["tests.peers.synapse"]` (in tests/conftest.py). Fixtures:

- `synapse` (session): one Synapse with high rate limits, shared by every test;
- `synapse_default_limits` (session): a second Synapse with Synapse's default
  `rc_message` limits, started only when a test asks for it.

Both yield a `Synapse`: `base_url`, `register()` (a new user with an access token, through
the shared-secret admin API), `create_room()`, `messages()` and `api()` to read back what
the bot posted through the client-server API with another user's token, `stop()`.

Synapse itself lives in its own virtualenv (`.cache/synapse-venv` at the repository root,
or `$WIREWATCH_SYNAPSE_VENV`), created on first use under a file lock so that parallel
runs do not install twice; `make synapse-venv` does the same ahead of time.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests

SYNAPSE_VERSION = "1.163.2"
START_TIMEOUT = 90.0
SERVER_NAME = "localhost"
REPO_ROOT = Path(__file__).resolve().parents[2]


def synapse_venv() -> Path:
    """Where the Synapse virtualenv lives (`$WIREWATCH_SYNAPSE_VENV` overrides)."""
    override = os.environ.get("WIREWATCH_SYNAPSE_VENV")
    return Path(override) if override else REPO_ROOT / ".cache" / "synapse-venv"


def ensure_synapse(venv: Path | None = None) -> Path:
    """The venv's python, with matrix-synapse installed; installs it once, under a lock."""
    venv = venv or synapse_venv()
    python = venv / "bin" / "python"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if _installed_version(python) == SYNAPSE_VERSION:
            return python
        log = venv.parent / f"{venv.name}.install.log"
        shutil.rmtree(venv, ignore_errors=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            # Byte-compiled on purpose (no --no-compile): Synapse starts in ~3.5 s instead
            # of ~6.5 s when its modules need not be compiled at every start.
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             f"matrix-synapse=={SYNAPSE_VERSION}"],
        ]  # fmt: skip
        with open(log, "w") as out:
            for step in steps:
                if subprocess.run(
                    step, check=False, stdout=out, stderr=subprocess.STDOUT
                ).returncode:
                    shutil.rmtree(venv, ignore_errors=True)
                    raise RuntimeError(f"installing Synapse failed:\n{_tail(log)}")
        if _installed_version(python) != SYNAPSE_VERSION:
            raise RuntimeError(f"matrix-synapse missing from {venv} after install:\n{_tail(log)}")
    return python


def _installed_version(python: Path) -> str | None:
    if not python.exists():
        return None
    probe = "import importlib.metadata as m; print(m.version('matrix-synapse'))"
    done = subprocess.run([str(python), "-c", probe], check=False, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


@dataclass(frozen=True)
class MatrixUser:
    user_id: str
    access_token: str
    device_id: str
    password: str


@dataclass
class Synapse:
    """A running Synapse; every request goes to 127.0.0.1."""

    base_url: str
    server_name: str
    data_dir: Path
    shared_secret: str
    process: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def log_path(self) -> Path:
        return self.data_dir / "synapse.out"

    def register(self, localpart: str | None = None, password: str | None = None) -> MatrixUser:
        """A new (non-admin) user, through the shared-secret registration API."""
        localpart = localpart or f"user{secrets.token_hex(4)}"
        password = password or secrets.token_urlsafe(12)
        url = f"{self.base_url}/_synapse/admin/v1/register"
        nonce = requests.get(url, timeout=10).json()["nonce"]
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode()]))
        mac.update(b"\x00notadmin")
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": False,
            "mac": mac.hexdigest(),
        }
        reply = requests.post(url, json=body, timeout=10)
        reply.raise_for_status()
        data = reply.json()
        return MatrixUser(data["user_id"], data["access_token"], data["device_id"], password)

    def api(
        self,
        user: MatrixUser,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One client-server API call as `user`; raises on an HTTP error."""
        reply = requests.request(
            method,
            f"{self.base_url}/_matrix/client/v3{path}",
            json=body,
            params=params,
            headers={"Authorization": f"Bearer {user.access_token}"},
            timeout=30,
        )
        if reply.status_code >= 400:
            raise AssertionError(f"{method} {path}: {reply.status_code} {reply.text}")
        result: dict[str, Any] = reply.json()
        return result

    def create_room(
        self,
        owner: MatrixUser,
        *,
        invite: tuple[str, ...] = (),
        alias: str | None = None,
        public: bool = False,
    ) -> str:
        """A new room created by `owner`; `alias` is the local part (`news` -> `#news:…`)."""
        body: dict[str, Any] = {"preset": "public_chat" if public else "private_chat"}
        if invite:
            body["invite"] = list(invite)
        if alias:
            body["room_alias_name"] = alias
        room_id: str = self.api(owner, "POST", "/createRoom", body)["room_id"]
        return room_id

    def messages(self, reader: MatrixUser, room_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """The room's `m.room.message` events as `reader` sees them, oldest first."""
        chunk = self.api(
            reader,
            "GET",
            f"/rooms/{quote(room_id, safe='')}/messages",
            params={"dir": "b", "limit": str(limit)},
        )["chunk"]
        events = [e for e in chunk if e.get("type") == "m.room.message"]
        return list(reversed(events))

    def event(self, reader: MatrixUser, room_id: str, event_id: str) -> dict[str, Any]:
        path = f"/rooms/{quote(room_id, safe='')}/event/{quote(event_id, safe='')}"
        return self.api(reader, "GET", path)

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log_path, lines)

    def stop(self) -> None:
        """Terminate by PID, then kill if it does not exit within 10 s."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_synapse(data_dir: Path, *, default_message_limits: bool = False) -> Synapse:
    """Write a minimal config into `data_dir`, start Synapse, wait until it answers."""
    python = ensure_synapse()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    secret = secrets.token_hex(16)
    config = data_dir / "homeserver.yaml"
    config.write_text(_config(data_dir, port, secret, default_message_limits), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    log = open(data_dir / "synapse.out", "wb")  # noqa: SIM115 - the child keeps writing it
    try:
        process = subprocess.Popen(
            [str(python), "-m", "synapse.app.homeserver", "-c", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=data_dir,
            env=env,
        )
    finally:
        log.close()
    server = Synapse(f"http://127.0.0.1:{port}", SERVER_NAME, data_dir, secret, process)
    try:
        _wait_until_up(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_up(server: Synapse) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"Synapse exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            if requests.get(f"{server.base_url}/_matrix/client/versions", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"Synapse did not answer in {START_TIMEOUT:g} s:\n{server.log_tail()}")


def _config(data_dir: Path, port: int, secret: str, default_message_limits: bool) -> str:
    high = "{per_second: 1000, burst_count: 1000}"
    # rc_message left out = Synapse's defaults (0.2/s, burst 10), for the rate-limit test.
    message_limit = "" if default_message_limits else f"rc_message: {high}\n"
    return f"""\
server_name: {SERVER_NAME}
pid_file: {data_dir}/homeserver.pid
listeners:
  - port: {port}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: {data_dir}/homeserver.db
media_store_path: {data_dir}/media_store
signing_key_path: {data_dir}/signing.key
registration_shared_secret: {secret}
enable_registration: false
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
url_preview_enabled: false
presence:
  enabled: false
bcrypt_rounds: 4
{message_limit}rc_registration: {high}
rc_room_creation: {high}
rc_joins_per_room: {high}
rc_login:
  address: {high}
  account: {high}
  failed_attempts: {high}
rc_joins:
  local: {high}
  remote: {high}
rc_invites:
  per_room: {high}
  per_user: {high}
  per_issuer: {high}
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """One Synapse with high rate limits for the whole session."""
    server = start_synapse(tmp_path_factory.mktemp("synapse"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def synapse_default_limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """A separate Synapse with the default `rc_message` limits (started on first use)."""
    server = start_synapse(
        tmp_path_factory.mktemp("synapse-default-limits"), default_message_limits=True
    )
    try:
        yield server
    finally:
        server.stop()
