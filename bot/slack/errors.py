"""slack_sdk failures translated into `DeliveryError` / `CredentialError`, once, here.

By type, HTTP status and Slack's `error` code, never by message text:

- HTTP 429 -> `DeliveryError(retry_after=<Retry-After seconds>)`;
- HTTP 5xx, Slack's own transient codes, network failures (refused, reset, timeout) and
  unknown codes -> retryable `DeliveryError` (the outbox gives up after its attempts);
- a rejected token (`invalid_auth`, `token_revoked`, …) -> `CredentialError` naming
  `SLACK_BOT_TOKEN`;
- a message or channel retrying cannot fix (`channel_not_found`, `not_in_channel`,
  `is_archived`, `invalid_blocks`, `msg_too_long`, `missing_scope`, …) -> permanent.
"""

from __future__ import annotations

from collections.abc import Mapping
from http.client import HTTPException
from urllib.error import URLError

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.errors import CredentialError, DeliveryError

TOKEN_VAR = "SLACK_BOT_TOKEN"

CREDENTIAL_CODES = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "ekm_access_denied",
    }
)
PERMANENT_CODES = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "msg_blocks_too_long",
        "no_text",
        "too_many_attachments",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "metadata_too_large",
        "metadata_must_be_sent_from_app",
        "missing_scope",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "cannot_reply_to_message",
        "invalid_arguments",
        "invalid_arg_name",
        "invalid_form_data",
        "invalid_charset",
        "invalid_post_type",
    }
)

# What can go wrong below slack_sdk: refused/reset connections, timeouts (TimeoutError
# is an OSError), a server that hung up mid-response.
NETWORK_ERRORS: tuple[type[Exception], ...] = (URLError, OSError, HTTPException)
TRANSLATED: tuple[type[Exception], ...] = (SlackClientError, *NETWORK_ERRORS)


def retry_after(headers: Mapping[str, object]) -> float | None:
    """Seconds from a `Retry-After` header (any letter case), or None."""
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                seconds = float(str(raw).strip())
            except ValueError:
                return None
            return seconds if seconds >= 0 else None
    return None


def translate(exc: Exception, *, method: str, channel: str | None = None) -> DeliveryError:
    """The `DeliveryError` for `exc` raised by slack_sdk calling `method` (for `channel`)."""
    where = f"Slack {method}" + (f" for {channel}" if channel else "")
    if isinstance(exc, SlackApiError):
        return _api_error(exc, where)
    if isinstance(exc, NETWORK_ERRORS):
        return DeliveryError(f"{where}: network error: {type(exc).__name__}: {exc}")
    # Any other SlackClientError is a local misconfiguration (bad URL, proxy, arguments).
    return DeliveryError(f"{where}: {type(exc).__name__}: {exc}", permanent=True)


def _api_error(exc: SlackApiError, where: str) -> DeliveryError:
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    data = response.data if isinstance(response.data, dict) else {}
    code = str(data.get("error") or "")
    if status == 429:
        wait = retry_after(response.headers or {})
        return DeliveryError(f"{where}: rate limited (429), retry after {wait} s", retry_after=wait)
    if code in CREDENTIAL_CODES:
        return CredentialError(
            f"Slack rejected the token in {TOKEN_VAR} ({code}); "
            f"set {TOKEN_VAR} to the app's Bot User OAuth Token (xoxb-…)"
        )
    if status >= 500:
        return DeliveryError(f"{where}: HTTP {status}" + (f" ({code})" if code else ""))
    if code == "missing_scope":
        needed = data.get("needed") or "?"
        return DeliveryError(
            f"{where}: the Slack app lacks the scope {needed} (missing_scope); "
            "add it under OAuth & Permissions and reinstall the app",
            permanent=True,
        )
    if code in PERMANENT_CODES:
        return DeliveryError(f"{where}: {code}", permanent=True)
    return DeliveryError(f"{where}: HTTP {status}: {code or 'unexpected response'}")
