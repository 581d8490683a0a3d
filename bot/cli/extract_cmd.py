"""`wirewatch extract PATH... | -`: read wire files, print what the extractor found.

One JSON object per story, one per line, in the order given (DESIGN.md's contract), or
with `--format text` a readable block per story. A file that cannot be read is named on
stderr with the problem; the other stories are still printed and the exit code is 1.
Files are routed by extension (`kind_for_path`): `.txt` plain-text wire copy, `.json`
ninjs (else JSON Feed), `.xml` NewsML-G2/NITF, `.rss`/`.atom` feeds; `-` reads plain text
from stdin.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.core.errors import WirewatchError
from bot.core.models import Extraction, Story

log = logging.getLogger(__name__)

# Extension -> the document kinds tried in order (bot.sources.DOCUMENT_KINDS).
KINDS_BY_SUFFIX: dict[str, tuple[str, ...]] = {
    ".txt": ("text",),
    ".json": ("ninjs", "jsonfeed"),
    ".xml": ("newsml", "rss"),
    ".rss": ("rss",),
    ".atom": ("atom",),
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("extract", help="print what the extractor reads in wire files")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="wire files, or - for stdin")
    parser.add_argument(
        "--format", choices=("json", "text"), default="json", help="JSON lines or text"
    )
    parser.set_defaults(func=run)


def kind_for_path(path: str) -> tuple[str, ...]:
    """The document kinds to try for `path`, by extension (plain text when unknown)."""
    return KINDS_BY_SUFFIX.get(Path(path).suffix.lower(), ("text",))


def read_stories(path: str, data: bytes) -> list[Story]:
    """The stories in one file's bytes. Raises WirewatchError or ValueError on bad input."""
    from bot.sources import parse_document

    kinds = kind_for_path(path)
    guid = Path(path).name if path != "-" else "stdin"
    for i, kind in enumerate(kinds):
        try:
            return parse_document(kind, data, source="file", guid=guid)
        except (WirewatchError, ValueError):
            if i == len(kinds) - 1:
                raise
    return []


def _read(path: str) -> Iterator[tuple[list[Story] | None, str | None]]:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        yield None, exc.strerror or str(exc)
        return
    try:
        yield read_stories(path, data), None
    except (WirewatchError, ValueError) as exc:
        yield None, str(exc)


def format_text(x: Extraction) -> str:
    """A readable block for one story."""
    f = x.fatalities
    lines = [x.headline]
    if x.dateline or x.published:
        when = x.published.isoformat() if x.published else ""
        lines.append(f"  dateline: {x.dateline or '-'}  {when}".rstrip())
    countries = ", ".join(f"{c.name} ({c.code}) x{len(c.mentions)}" for c in x.countries)
    lines.append(f"  countries: {countries or '-'}")
    people = []
    for p in x.people:
        extra = ", ".join(v for v in (p.title, p.country) if v)
        people.append(f"{p.name}{f' ({extra})' if extra else ''}")
    lines.append(f"  people: {', '.join(people) or '-'}")
    if f.total is None:
        lines.append("  deaths: none reported")
    else:
        qual = {"exact": "", "at_least": "at least ", "approx": "about ", "at_most": "up to "}
        lines.append(f"  deaths: {qual[f.qualifier]}{f.total}")
    for m in f.mentions:
        tag = " (cumulative, not counted)" if m.cumulative else ""
        lines.append(f"    {m.count} {m.who}{tag}: {m.text}")
    if x.key_quote is not None:
        lines.append(f"  key quote: “{x.key_quote.text}” - {x.key_quote.speaker or 'unnamed'}")
    lines.append(f"  quotes: {len(x.quotes)}")
    lines.append(f"  summary: {x.summary}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from bot.core.extract import Extractor
    from bot.core.extract.report import extraction_json

    extractor = Extractor()
    code = 0
    for path in args.paths:
        for stories, problem in _read(path):
            if stories is None:
                print(f"wirewatch extract: {path}: {problem}", file=sys.stderr)
                code = 1
                continue
            for story in stories:
                try:
                    extraction = extractor.extract(story)
                except Exception:  # a loop edge: one story's failure must not stop the rest
                    log.exception("extraction failed for %s", path)
                    print(f"wirewatch extract: {path}: extraction failed", file=sys.stderr)
                    code = 1
                    continue
                if args.format == "text":
                    print(format_text(extraction), end="\n\n")
                else:
                    print(json.dumps(extraction_json(extraction), ensure_ascii=False))
    sys.stdout.flush()
    return code
