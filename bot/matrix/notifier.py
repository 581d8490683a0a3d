"""Matrix delivery: the `Notifier` port on matrix-nio.

Concurrency: the project runs on threads (APScheduler workers call `send`). matrix-nio is
asyncio, so the notifier owns ONE event-loop thread; `start`, `send` and `close` submit
coroutines to it with `asyncio.run_coroutine_threadsafe` and wait for the result with a
timeout. All nio state (the client, its aiohttp session, resolved rooms, thread heads)
lives on that loop thread and is touched only there.

Exactly once: every send uses the transaction id `ww-<alert id>`. Synapse scopes
transaction ids to the access token's device and answers a repeated id with the event it
already created, so a send retried after a crash returns the same event id instead of
posting twice, as long as the same token (device) is used and the retry comes within
Synapse's transaction memory (about a day). That is why a password login stores its token
in `token_file` and reuses it on the next start; a re-login after a rejected token asks
for the same device id so the scope survives even that.

Errors: nio returns `ErrorResponse` values; `bot.matrix.errors` translates them, once, by
errcode and HTTP status (never by message text) into `DeliveryError` (`retry_after` from
`retry_after_ms`, `permanent` for 4xx) or `CredentialError` naming the variable. nio's own
retry loops are switched off (`max_limit_exceeded=0`, `max_timeouts=0`) so the outbox, not
the library, decides when to try again.

Not supported: end-to-end encrypted rooms (alerts would go out unencrypted or fail).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import nio  # type: ignore[import-untyped]  # matrix-nio ships no type information

from bot.core.errors import CredentialError, DeliveryError
from bot.core.models import Alert
from bot.matrix import channels
from bot.matrix.errors import call, checked, http_status
from bot.matrix.html import MsgType, render
from bot.matrix.token_file import SavedLogin, read_login, write_login

logger = logging.getLogger(__name__)

ENV_HOMESERVER = "MATRIX_HOMESERVER"
ENV_USER_ID = "MATRIX_USER_ID"
ENV_ACCESS_TOKEN = "MATRIX_ACCESS_TOKEN"
ENV_PASSWORD = "MATRIX_PASSWORD"

_THREAD_HEADS_MAX = 2000
_T = TypeVar("_T")


def transaction_id(alert: Alert) -> str:
    """The Matrix transaction id of `alert`: stable across retries and restarts."""
    return f"ww-{alert.id}"


class MatrixNotifier:
    """Posts alerts to Matrix rooms named `matrix:!roomid` or `matrix:#alias:server`.

    Construct it, register the configured channels (`channels=` or `add_channel`), call
    `start()` once, then `send()` from any thread, and `close()` at shutdown.
    """

    min_interval: float = 0.0  # Synapse paces with M_LIMIT_EXCEEDED, which we pass on.

    def __init__(
        self,
        *,
        homeserver: str,
        user_id: str,
        access_token: str | None = None,
        password: str | None = None,
        token_file: Path | None = None,
        msgtype: MsgType = "m.notice",
        device_name: str = "wirewatch",
        channels: Iterable[str] = (),
        timeout: float = 30.0,
    ) -> None:
        if not access_token and not password:
            raise CredentialError(f"{ENV_ACCESS_TOKEN} (or {ENV_PASSWORD}) is not set")
        self._homeserver = homeserver.rstrip("/")
        self._user_id = user_id
        self._access_token = access_token or None
        self._password = password or None
        self._token_file = token_file
        self._msgtype: MsgType = msgtype
        self._device_name = device_name
        self._timeout = timeout
        self._channels: dict[str, None] = {}
        for channel in channels:
            self.add_channel(channel)
        self._runner: _LoopThread | None = None
        # Loop-thread state, touched only by coroutines running on the notifier's loop.
        self._client: Any = None
        self._rooms: dict[str, str] = {}  # channel -> room id
        self._joined: set[str] = set()
        self._thread_heads: dict[tuple[str, str], str] = {}  # (room, root) -> latest event,
        # so an update's reply fallback points at the thread's latest message (memory only:
        # after a restart it points at the root, which clients also accept).

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        *,
        token_file: Path | None,
        msgtype: Literal["m.text", "m.notice"] = "m.notice",
        channels: Iterable[str] = (),
    ) -> MatrixNotifier:
        """Credentials from the environment; a missing one is a `CredentialError` naming it.

        `MATRIX_ACCESS_TOKEN` wins over `MATRIX_PASSWORD` when both are set.
        """
        homeserver = environ.get(ENV_HOMESERVER, "").strip()
        if not homeserver:
            raise CredentialError(f"{ENV_HOMESERVER} is not set (e.g. https://matrix.example.org)")
        if not homeserver.startswith(("https://", "http://")):
            raise CredentialError(f"{ENV_HOMESERVER} must be an http(s) URL, got {homeserver!r}")
        user_id = environ.get(ENV_USER_ID, "").strip()
        if not user_id:
            raise CredentialError(f"{ENV_USER_ID} is not set (e.g. @wirewatch:example.org)")
        if not user_id.startswith("@") or ":" not in user_id:
            raise CredentialError(f"{ENV_USER_ID} must look like @name:server, got {user_id!r}")
        token = environ.get(ENV_ACCESS_TOKEN, "").strip() or None
        password = environ.get(ENV_PASSWORD) or None
        if token is None and password is None:
            raise CredentialError(f"{ENV_ACCESS_TOKEN} (or {ENV_PASSWORD}) is not set")
        return cls(
            homeserver=homeserver,
            user_id=user_id,
            access_token=token,
            password=None if token else password,
            token_file=token_file,
            msgtype=msgtype,
            channels=channels,
        )

    # -- the Notifier port ------------------------------------------------------------

    def handles(self, channel: str) -> bool:
        return channels.handles(channel)

    def add_channel(self, channel: str) -> None:
        """Register a configured channel, to be resolved (and joined) by `start`."""
        problem = channels.problem(channel)
        if problem is not None:
            raise DeliveryError(problem, permanent=True)
        self._channels.setdefault(channel, None)

    def start(self) -> None:
        """Check the credentials, resolve every registered alias once, join the rooms.

        Raises `CredentialError` naming `MATRIX_ACCESS_TOKEN` / `MATRIX_PASSWORD` when the
        homeserver rejects them, `DeliveryError(permanent=True)` for an alias that does
        not exist, `DeliveryError` when the homeserver cannot be reached. A room the bot
        may not join yet (no invite) is only logged: `send` tries to join it again.
        """
        if self._runner is not None:
            return
        runner = _LoopThread()
        self._runner = runner
        try:
            runner.run(self._a_start(), self._timeout * 3)
        except BaseException:
            self.close()
            raise

    def send(self, alert: Alert, thread_ref: str | None) -> str:
        """Post `alert` (in the thread of `thread_ref` when given); returns the event id."""
        if self._runner is None:
            raise DeliveryError("Matrix notifier used before start()")
        return self._runner.run(self._a_send(alert, thread_ref), self._timeout)

    def already_posted(self, alert: Alert, thread_ref: str | None) -> None:
        """Always None: a resend with the same transaction id cannot create a second
        event, so `send` itself is the recovery."""
        return

    def close(self) -> None:
        """Close the HTTP session and stop the loop thread; safe to call twice."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        try:
            runner.run(self._a_close(), self._timeout)
        except DeliveryError as exc:
            logger.warning("matrix: closing the client failed: %s", exc)
        finally:
            runner.stop()

    # -- on the loop thread -------------------------------------------------------------

    async def _a_start(self) -> None:
        config = nio.AsyncClientConfig(
            max_limit_exceeded=0,
            max_timeouts=0,
            request_timeout=self._timeout,
            encryption_enabled=False,
            store_sync_tokens=False,
        )
        self._client = nio.AsyncClient(self._homeserver, self._user_id, config=config)
        await self._authenticate()
        for channel in self._channels:
            await self._room_for(channel)
        joined = checked(
            await call(self._client.joined_rooms()), "list joined rooms", self._token_var
        )
        self._joined = set(joined.rooms)
        for channel, room_id in self._rooms.items():
            if room_id not in self._joined:
                try:
                    await self._join(room_id)
                except CredentialError:
                    raise
                except DeliveryError as exc:
                    logger.warning("matrix: cannot join %s yet (%s); invite the bot", channel, exc)
        logger.info(
            "matrix: signed in as %s (device %s), %d room(s)",
            self._client.user_id,
            self._client.device_id,
            len(self._rooms),
        )

    async def _a_send(self, alert: Alert, thread_ref: str | None) -> str:
        room_id = await self._room_for(alert.channel)
        head = self._thread_heads.get((room_id, thread_ref)) if thread_ref else None
        content = render(alert, msgtype=self._msgtype, thread_root=thread_ref, reply_to=head)
        txn = transaction_id(alert)
        response = await call(self._client.room_send(room_id, "m.room.message", content, tx_id=txn))
        if isinstance(response, nio.ErrorResponse) and response.status_code == "M_FORBIDDEN":
            # Not in the room (never joined, or kicked): join, which works once invited or
            # for a public room, and send again under the same transaction id.
            self._joined.discard(room_id)
            await self._join(room_id)
            response = await call(
                self._client.room_send(room_id, "m.room.message", content, tx_id=txn)
            )
        sent = checked(response, f"send to {alert.channel}", self._token_var)
        event_id = str(sent.event_id)
        if thread_ref:
            self._thread_heads.pop((room_id, thread_ref), None)
            self._thread_heads[(room_id, thread_ref)] = event_id
            if len(self._thread_heads) > _THREAD_HEADS_MAX:  # forget the stalest thread
                del self._thread_heads[next(iter(self._thread_heads))]
        return event_id

    async def _a_close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def _authenticate(self) -> None:
        client = self._client
        if self._access_token is not None:
            client.access_token = self._access_token
            whoami = checked(await call(client.whoami()), "check the token", ENV_ACCESS_TOKEN)
            self._check_user(str(whoami.user_id), ENV_ACCESS_TOKEN)
            return
        saved = read_login(self._token_file, self._homeserver, self._user_id)
        if saved is not None:
            client.access_token = saved.access_token
            client.device_id = saved.device_id
            try:
                checked(await call(client.whoami()), "check the saved token", ENV_PASSWORD)
                return
            except CredentialError:
                # Log in again on the same device: Synapse keeps transaction ids per
                # device, so exactly-once survives the new token.
                logger.warning("matrix: saved token was rejected; logging in again")
                client.access_token = ""
        login = await call(client.login(self._password, device_name=self._device_name))
        if isinstance(login, nio.ErrorResponse):
            status = http_status(login)
            if login.status_code in {"M_FORBIDDEN", "M_USER_DEACTIVATED"} or status in {401, 403}:
                raise CredentialError(
                    f"{ENV_PASSWORD} was rejected for {self._user_id} by {self._homeserver}"
                    f" ({login.status_code})"
                )
        login = checked(login, "log in", ENV_PASSWORD)
        self._check_user(str(login.user_id), ENV_PASSWORD)
        if self._token_file is None:
            logger.warning("matrix: no token file; a restart logs in as a new device")
        else:
            write_login(
                self._token_file,
                SavedLogin(
                    self._homeserver, str(login.user_id), str(login.device_id), login.access_token
                ),
            )

    @property
    def _token_var(self) -> str:
        return ENV_ACCESS_TOKEN if self._access_token is not None else ENV_PASSWORD

    def _check_user(self, actual: str, variable: str) -> None:
        if actual != self._user_id:
            raise CredentialError(
                f"{variable} signs in as {actual}, but {ENV_USER_ID} is {self._user_id}"
            )

    async def _room_for(self, channel: str) -> str:
        """The room id of `channel`, resolving an alias the first time it is seen."""
        known = self._rooms.get(channel)
        if known is not None:
            return known
        problem = channels.problem(channel)
        if problem is not None:
            raise DeliveryError(problem, permanent=True)
        target = channels.target_of(channel) or ""
        if channels.is_alias(target):
            response = await call(self._client.room_resolve_alias(target))
            if isinstance(response, nio.ErrorResponse) and response.status_code == "M_NOT_FOUND":
                raise DeliveryError(f"{channel}: no such room alias", permanent=True)
            room_id = str(checked(response, f"resolve {target}", self._token_var).room_id)
        else:
            room_id = target
        self._rooms[channel] = room_id
        return room_id

    async def _join(self, room_id: str) -> None:
        checked(await call(self._client.join(room_id)), f"join {room_id}", self._token_var)
        self._joined.add(room_id)


# -- the loop thread ------------------------------------------------------------------


class _LoopThread:
    """One asyncio loop in one daemon thread; `run` executes a coroutine there."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="wirewatch-matrix", daemon=True
        )
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, _T], timeout: float) -> _T:
        """The coroutine's result; DeliveryError when it takes longer than `timeout`.

        A timed-out send may still have reached the homeserver: the retry carries the
        same transaction id, so it cannot post twice.
        """
        try:
            future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        except RuntimeError as exc:  # the loop was closed under us (close() raced a send)
            coro.close()
            raise DeliveryError("Matrix notifier is closed") from exc
        try:
            return future.result(timeout)
        except TimeoutError as exc:
            future.cancel()
            raise DeliveryError(f"Matrix request took longer than {timeout:g} s") from exc

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()
