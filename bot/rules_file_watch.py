"""Hot reload of the rules file: the last good rules keep working whatever is on disk.

`RulesWatcher.check` is meant to be called periodically (the scheduler calls it every
second). It notices a change by the file's mtime and size and confirms it by a hash of
the content, so touching the file or saving it unchanged reloads nothing. A valid
version replaces the rules at once; an invalid one is logged problem by problem and
reported to `on_error` once (not on every check), and the previous rules stay current.

Thread safety: `check` holds a lock; `current` is a single attribute read, so readers
in other threads always see a whole RuleSet, old or new.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.core.errors import RuleError
from bot.core.rules import Rule, RuleSet

log = logging.getLogger("bot.rules")

# A file modified this recently is re-hashed even when mtime and size look unchanged:
# on a coarse-mtime filesystem, two same-size saves in one tick would look identical.
_RECENT_NS = 2_000_000_000


def count_changed(old: tuple[Rule, ...], new: tuple[Rule, ...]) -> int:
    """Rules added, removed or modified (compared by name, then by value)."""
    before = {r.name: r for r in old}
    after = {r.name: r for r in new}
    changed = sum(1 for name, rule in after.items() if before.get(name) != rule)
    return changed + sum(1 for name in before if name not in after)


class RulesWatcher:
    """Holds the current rules and reloads them when the file changes.

    The constructor loads the file once and lets `RuleError` propagate: starting with
    broken rules is an error, reloading broken rules is not.
    """

    def __init__(
        self,
        path: Path,
        loader: Callable[[Path], RuleSet],
        on_error: Callable[[RuleError], None] | None = None,
    ) -> None:
        self._path = Path(path)
        self._loader = loader
        self._on_error = on_error
        self._lock = threading.Lock()
        signature = self._signature()
        self._current = loader(self._path)
        self._seen = signature
        self._good_hash = self._hash()
        self._bad_hash: str | None = None
        self._unreadable = False

    @property
    def current(self) -> RuleSet:
        """The last good rules."""
        return self._current

    @property
    def path(self) -> Path:
        return self._path

    def check(self) -> bool:
        """Reload the rules if the file changed; True when new rules were installed."""
        with self._lock:
            try:
                signature = self._signature()
                if signature == self._seen and not self._recent(signature):
                    return False
                content_hash = self._hash()
            except OSError as exc:
                if not self._unreadable:
                    log.warning(
                        "rules file %s unreadable (%s); keeping %d rules",
                        self._path,
                        exc.strerror or exc,
                        len(self._current),
                    )
                    self._unreadable = True
                return False
            self._unreadable = False
            self._seen = signature
            if content_hash in (self._good_hash, self._bad_hash):
                return False
            try:
                rules = self._loader(self._path)
            except RuleError as exc:
                self._rejected(exc, content_hash)
                return False
            changed = count_changed(self._current.rules, rules.rules)
            self._current = rules
            self._good_hash = content_hash
            self._bad_hash = None
            log.info("rules reloaded: %d rules, %d changed", len(rules), changed)
            return True

    def _rejected(self, error: RuleError, content_hash: str) -> None:
        self._bad_hash = content_hash
        for problem in error.problems:
            log.error("%s", problem)
        log.error(
            "rules file %s has %d problem(s); keeping the last good %d rules",
            self._path,
            len(error.problems),
            len(self._current),
        )
        if self._on_error is not None:
            try:
                self._on_error(error)
            except Exception:  # a failing reporter must not stop the watching
                log.exception("reporting the rules problems failed")

    def _signature(self) -> tuple[int, int]:
        stat = self._path.stat()
        return stat.st_mtime_ns, stat.st_size

    def _recent(self, signature: tuple[int, int]) -> bool:
        return time.time_ns() - signature[0] < _RECENT_NS

    def _hash(self) -> str:
        return hashlib.sha256(self._path.read_bytes()).hexdigest()
