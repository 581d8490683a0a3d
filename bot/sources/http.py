"""HTTP for feeds: one conditional GET with limits, every failure a `FetchError`.

- conditional: `If-None-Match` / `If-Modified-Since` from the feed's last answer; a 304
  is `Fetched(not_modified=True)`;
- limits: connect and read timeouts (per socket wait, as requests applies them), a whole
  body that takes longer than `TOTAL_TIMEOUT_FACTOR` × the timeout is abandoned (a server
  trickling bytes would otherwise hold a worker forever), and a size cap checked against
  `Content-Length` and again while streaming (on decoded bytes, so a gzip bomb is cut too);
- errors: an HTTP error status is `FetchError(status=…, url=…)`; 429 and 503 carry
  `retry_after` (seconds) from `Retry-After`, as delay-seconds or an HTTP-date; requests
  exceptions are translated by type.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from bot import __version__
from bot.core.errors import FetchError

USER_AGENT = f"Wirewatch/{__version__} (news-wire alert bot; polls feeds with conditional GET)"
TOTAL_TIMEOUT_FACTOR = 6
_CHUNK = 64 * 1024
_RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class Fetched:
    """One answer: the body (empty on 304) and the validators for the next request."""

    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool = False
    content_type: str | None = None


def new_session() -> requests.Session:
    """A session with Wirewatch's User-Agent; share one per process (connection reuse)."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a `Retry-After` value (delay-seconds or HTTP-date).

    A date in the past means 0; an unreadable value means None (no advice).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; "-0000" parses as naive
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _request_headers(
    extra: Mapping[str, str], etag: str | None, last_modified: str | None
) -> dict[str, str]:
    headers = dict(extra)
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _status_error(response: requests.Response, url: str) -> FetchError:
    status = response.status_code
    retry_after = None
    if status in _RETRY_STATUSES:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
    message = f"{url}: HTTP {status} {response.reason or ''}".rstrip()
    if retry_after is not None:
        message += f" (retry after {retry_after:.0f} s)"
    return FetchError(message, status=status, url=url, retry_after=retry_after)


def _read_capped(response: requests.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{url}: response of {int(declared)} bytes is over the {max_bytes}-byte limit", url=url
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: response is over the {max_bytes}-byte limit", url=url)
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: response still arriving after the time limit", url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _translate(exc: requests.RequestException, url: str, timeout: float) -> FetchError:
    """A requests exception as a FetchError, chosen by the exception's type."""
    if isinstance(exc, requests.ConnectTimeout):
        return FetchError(f"{url}: could not connect within {timeout:g} s (timeout)", url=url)
    if isinstance(exc, requests.ReadTimeout) or (
        # requests reports a read timeout while streaming the body as a ConnectionError
        # wrapping urllib3's ReadTimeoutError.
        isinstance(exc, requests.ConnectionError)
        and exc.args
        and isinstance(exc.args[0], ReadTimeoutError)
    ):
        return FetchError(f"{url}: no answer within {timeout:g} s (read timeout)", url=url)
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(f"{url}: TLS error ({exc})", url=url)
    if isinstance(exc, requests.ConnectionError):
        return FetchError(f"{url}: connection failed ({exc})", url=url)
    if isinstance(exc, requests.TooManyRedirects):
        return FetchError(f"{url}: too many redirects", url=url)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return FetchError(f"{url}: invalid URL ({exc})", url=url)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return FetchError(f"{url}: response cut off ({exc})", url=url)
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return FetchError(f"{url}: response could not be decompressed ({exc})", url=url)
    return FetchError(f"{url}: request failed ({type(exc).__name__}: {exc})", url=url)


def conditional_get(
    session: requests.Session,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET `url` once, conditionally; raises `FetchError` for every failure.

    On 304 the validators sent are kept unless the server sent new ones.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched", url=url)
    deadline = time.monotonic() + timeout * TOTAL_TIMEOUT_FACTOR
    try:
        with session.get(
            url,
            headers=_request_headers(headers or {}, etag, last_modified),
            timeout=(timeout, timeout),
            stream=True,
        ) as response:
            if response.status_code == 304:
                return Fetched(
                    body=b"",
                    etag=response.headers.get("ETag") or etag,
                    last_modified=response.headers.get("Last-Modified") or last_modified,
                    not_modified=True,
                )
            if not 200 <= response.status_code < 300:
                raise _status_error(response, url)
            body = _read_capped(response, url, max_bytes, deadline)
            return Fetched(
                body=body,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type"),
            )
    except requests.RequestException as exc:
        raise _translate(exc, url, timeout) from exc
