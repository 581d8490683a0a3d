"""nio results translated into the project's errors, once, by errcode and HTTP status.

Never by message text: `M_LIMIT_EXCEEDED` / HTTP 429 -> `DeliveryError(retry_after=…)` from
`retry_after_ms`; `M_UNKNOWN_TOKEN` / `M_MISSING_TOKEN` / HTTP 401 -> `CredentialError`
naming the variable that holds the credential; any other 4xx -> `DeliveryError(permanent=True)`;
5xx, unreadable answers and transport failures -> a retryable `DeliveryError`.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

import aiohttp
import nio  # type: ignore[import-untyped]  # matrix-nio ships no type information

from bot.core.errors import CredentialError, DeliveryError

_TOKEN_ERRCODES = frozenset({"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN"})
_T = TypeVar("_T")


async def call(request: Coroutine[Any, Any, _T]) -> _T:
    """Await a nio request, turning transport failures into a retryable DeliveryError."""
    try:
        return await request
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"Matrix homeserver unreachable: {type(exc).__name__}") from exc


def checked(response: Any, what: str, token_var: str) -> Any:
    """`response` if it is a success; otherwise the matching error, raised."""
    if not isinstance(response, nio.ErrorResponse):
        return response
    errcode = response.status_code
    status = http_status(response)
    detail = f"{what}: {errcode or 'HTTP ' + str(status)} {response.message}".rstrip()
    if errcode == "M_LIMIT_EXCEEDED" or status == 429:
        retry_ms = response.retry_after_ms
        retry_after = retry_ms / 1000 if isinstance(retry_ms, int | float) else None
        raise DeliveryError(f"rate limited: {detail}", retry_after=retry_after)
    if errcode in _TOKEN_ERRCODES or status == 401:
        raise CredentialError(f"{token_var} was rejected by the homeserver ({detail})")
    if status is not None and 400 <= status < 500:
        raise DeliveryError(detail, permanent=True)
    raise DeliveryError(detail)


def http_status(response: Any) -> int | None:
    transport = getattr(response, "transport_response", None)
    status = getattr(transport, "status", None)
    return status if isinstance(status, int) else None
