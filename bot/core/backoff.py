"""Exponential backoff, shared by feeds that fail and deliveries that fail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """Wait `base * 2**(n-1)` seconds after the n-th failure in a row, at most `maximum`,
    and never less than what the other side asked for (`Retry-After`, `retry_after_ms`)."""

    base: float = 2.0
    maximum: float = 600.0

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the `failures`-th failure in a row."""
        computed = min(self.maximum, self.base * 2.0 ** max(0, failures - 1))
        return max(computed, retry_after or 0.0)


DEFAULT_BACKOFF = Backoff()
