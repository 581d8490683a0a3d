"""The token file: a password login's access token kept between runs.

Synapse scopes transaction ids to the device of the access token, so keeping the token
(and its device id) is what keeps `ww-<alert id>` retries exactly-once across restarts.
JSON, written atomically, mode 0600 (the token is as good as the password).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SavedLogin:
    """What the token file keeps between runs."""

    homeserver: str
    user_id: str
    device_id: str
    access_token: str


def read_login(path: Path | None, homeserver: str, user_id: str) -> SavedLogin | None:
    """The saved login for this homeserver and user, or None (missing, other user, corrupt)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        saved = SavedLogin(
            homeserver=str(data["homeserver"]),
            user_id=str(data["user_id"]),
            device_id=str(data["device_id"]),
            access_token=str(data["access_token"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("matrix: ignoring unreadable token file %s: %s", path, exc)
        return None
    if saved.homeserver != homeserver or saved.user_id != user_id:
        return None
    return saved


def write_login(path: Path, saved: SavedLogin) -> None:
    """Write atomically, readable by the owner only: it is a password-equivalent secret."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "homeserver": saved.homeserver,
                "user_id": saved.user_id,
                "device_id": saved.device_id,
                "access_token": saved.access_token,
            },
            handle,
        )
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
