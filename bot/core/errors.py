"""One error tree for Wirewatch.

    WirewatchError
     ├── ConfigError         the config file is wrong (carries every Problem found)
     ├── RuleError           the rules file is wrong (carries every Problem found)
     ├── FetchError          a feed could not be fetched or parsed; `retry_after` in seconds
     ├── StoreError          the store failed
     └── DeliveryError       a platform refused or failed a send; `retry_after`, `permanent`
          └── CredentialError  a missing or rejected credential (names the variable)

Library exceptions are translated into these once, at the edge that calls the library,
by type or status code. Errors are values a user can act on: a `Problem` prints as
`FILE:LINE:COL: message`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a user's file, at a place (1-based line and column)."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class WirewatchError(Exception):
    """Base of every error Wirewatch raises on purpose."""


class _ProblemsError(WirewatchError):
    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(_ProblemsError):
    """The config file is invalid; `problems` lists every problem found."""


class RuleError(_ProblemsError):
    """The rules file is invalid; `problems` lists every problem found."""


class FetchError(WirewatchError):
    """A feed could not be fetched or parsed.

    `retry_after` (seconds) is set when the server said when to come back
    (HTTP 429/503 `Retry-After`); `status` is the HTTP status when the server answered
    with an error, `url` the address fetched (None for folders and parse-only calls).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status
        self.url = url


class StoreError(WirewatchError):
    """The store could not read or write."""


class DeliveryError(WirewatchError):
    """A send failed.

    `retry_after` (seconds) when the platform asked to wait (Slack 429, Matrix
    M_LIMIT_EXCEEDED); `permanent` when retrying cannot help (unknown channel,
    invalid message), so the alert is marked failed at once.
    """

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class CredentialError(DeliveryError):
    """A credential is missing or was rejected; the message names the variable."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)
