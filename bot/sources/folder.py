"""A drop folder of wire files (`Source` port): every file in it, new ones on each poll.

By extension: `*.txt` plain-text wire files, `*.json` ninjs, `*.xml` NewsML-G2 (or
bare NITF). Hidden files and the usual partial-download names (`.tmp`, `.part`, ...)
are not read. Only the folder itself is read, not sub-folders.

- A file modified within the last `settle` seconds may still be being written: it is
  left for a later poll (copy tools that write in one go and atomic renames both
  settle at once; a writer that stalls longer than `settle` mid-file produces a
  half story first and its complete version when it finishes, an update).
- The cursor (`FeedState.cursor`) remembers each file read as name -> mtime and size,
  so a poll reads only new and changed files; a changed file is read again (its guid,
  the file name or the document's own id, makes it an update of the same story).
- A file that cannot be read or parsed is named in `FetchResult.problems`; the other
  files are still read. A parse failure is reported once per version of the file; a
  read failure (permissions) is retried, and reported, on every poll.
- A missing or unreadable folder is a `FetchError`.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.errors import FetchError
from bot.core.models import FeedState, FetchResult, Story
from bot.sources import newsml, ninjs
from bot.sources.plaintext import parse_wire_text
from bot.sources.spec import FeedSpec

log = logging.getLogger(__name__)

KIND_BY_SUFFIX = {".txt": "text", ".json": "ninjs", ".xml": "newsml"}
_PARTIAL_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".swp", "~")


def decode_text(data: bytes) -> str:
    """Wire text as str: UTF-8 (BOM allowed), else Windows-1252, else Latin-1.

    Older wire systems still write 8-bit files; Latin-1 decodes any byte, so a
    plain-text file is never rejected for its encoding.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse_file(kind: str, data: bytes, *, source: str, guid: str) -> list[Story]:
    """The stories of one wire file of `kind` ("text", "ninjs" or "newsml").

    Raises `FetchError` when the file cannot be read as `kind`.
    """
    if kind == "text":
        try:
            return [parse_wire_text(decode_text(data), source=source, guid=guid)]
        except ValueError as exc:  # the plain-text parser's "nothing to read"
            raise FetchError(str(exc)) from exc
    if kind == "ninjs":
        return ninjs.parse(data, source=source, guid=guid)
    return newsml.parse(data, source=source, guid=guid)


def _load_cursor(cursor: str | None) -> dict[str, str]:
    if not cursor:
        return {}
    try:
        seen = json.loads(cursor)
    except json.JSONDecodeError:
        return {}  # an unreadable cursor costs one re-read of the folder, nothing more
    return {str(k): str(v) for k, v in seen.items()} if isinstance(seen, dict) else {}


def _wanted(name: str) -> bool:
    return not name.startswith(".") and not name.lower().endswith(_PARTIAL_SUFFIXES)


@dataclass(frozen=True, slots=True)
class FolderSource:
    """Reads `spec.location`; see `bot.core.ports.Source` for the contract."""

    spec: FeedSpec
    settle: float = 1.0
    clock: Callable[[], float] = field(default=time.time)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def interval(self) -> float:
        return self.spec.interval

    def _entries(self) -> list[os.DirEntry[str]]:
        folder = self.spec.location
        try:
            with os.scandir(folder) as scan:
                return [entry for entry in scan if _wanted(entry.name)]
        except FileNotFoundError as exc:
            raise FetchError(f"{folder}: drop folder does not exist") from exc
        except NotADirectoryError as exc:
            raise FetchError(f"{folder}: not a folder") from exc
        except OSError as exc:
            raise FetchError(f"{folder}: cannot list the drop folder ({exc.strerror})") from exc

    def fetch(self, state: FeedState) -> FetchResult:
        """The stories of the files new or changed since `state.cursor`, oldest first."""
        seen = _load_cursor(state.cursor)
        now = self.clock()
        stamps: dict[str, str] = {}
        stories: list[Story] = []
        problems: list[str] = []
        files: list[tuple[int, str, os.stat_result]] = []
        for entry in self._entries():
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError as exc:
                problems.append(f"{entry.path}: cannot read ({exc.strerror})")
                continue
            files.append((stat.st_mtime_ns, entry.name, stat))
        for _, name, stat in sorted(files):
            path = Path(self.spec.location, name)
            stamp = f"{stat.st_mtime_ns}:{stat.st_size}"
            if abs(now - stat.st_mtime) < self.settle:
                # May still be being written; not recorded, so read next poll.
                log.info(
                    "drop folder %s: %s changed just now, read next poll", self.spec.name, name
                )
                continue
            if seen.get(name) == stamp:
                stamps[name] = stamp
                continue
            problem = self._read(path, stat.st_size, stories)
            if problem is None or not problem.retry:
                stamps[name] = stamp
            if problem is not None:
                problems.append(problem.message)
        for message in problems:
            log.warning("drop folder %s: %s", self.spec.name, message)
        cursor = json.dumps(stamps, sort_keys=True, separators=(",", ":"))
        return FetchResult(
            stories=tuple(stories), state=replace(state, cursor=cursor), problems=tuple(problems)
        )

    def _read(self, path: Path, size: int, stories: list[Story]) -> _Problem | None:
        kind = KIND_BY_SUFFIX.get(path.suffix.lower())
        if kind is None:
            known = ", ".join(KIND_BY_SUFFIX)
            return _Problem(f"{path}: not a wire file (expected {known})", retry=False)
        if size > self.spec.max_bytes:
            return _Problem(f"{path}: {size} bytes, over the {self.spec.max_bytes}-byte limit")
        try:
            data = path.read_bytes()
        except OSError as exc:
            return _Problem(f"{path}: cannot read ({exc.strerror})", retry=True)
        try:
            stories.extend(parse_file(kind, data, source=self.spec.name, guid=path.name))
        except FetchError as exc:
            return _Problem(f"{path}: {exc}")
        return None


@dataclass(frozen=True, slots=True)
class _Problem:
    message: str
    retry: bool = False
