"""`wirewatch rules check|test`: validate the rules file, see why rules fire or not.

    wirewatch rules check [FILE] [--config FILE]
        exit 0 and `FILE: N rules OK`, or every problem as FILE:LINE:COL: message, exit 1
    wirewatch rules test STORY... [--rules FILE] [--config FILE] [--rule NAME] [--source FEED]
        every rule's verdict on each plain-text wire story, with the reasons
    wirewatch rules test --since 24h [--rules FILE] [--config FILE] [--rule NAME]
        the rules over the stories stored in the last 24 hours: what would have fired

Without FILE/--rules, the rules file is the one the config names; without --config,
the config is ./config.yaml, else ./config.example.yaml. Channels are checked against
the channels the config declares.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import RuleError
from bot.core.models import Extraction, Story
from bot.core.ports import Store
from bot.core.rules import RuleSet, parse_duration
from bot.core.rules.explain import verdict_lines

if TYPE_CHECKING:
    from bot.config import Settings

DEFAULT_CONFIGS = (Path("config.yaml"), Path("config.example.yaml"))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("rules", help="check the rules file; see why rules fire")
    actions = parser.add_subparsers(dest="rules_action", required=True, metavar="ACTION")

    check = actions.add_parser("check", help="validate a rules file")
    check.add_argument("file", nargs="?", type=Path, help="rules file (default: the config's)")
    check.add_argument("--config", type=Path, help="config file (declares the channels)")
    check.set_defaults(func=check_command)

    test = actions.add_parser("test", help="show every rule's verdict on stories")
    test.add_argument("stories", nargs="*", type=Path, help="plain-text wire story files")
    test.add_argument("--rules", type=Path, help="rules file (default: the config's)")
    test.add_argument("--config", type=Path, help="config file")
    test.add_argument("--since", help="replay the stories stored in this period (24h, 7d)")
    test.add_argument("--rule", action="append", default=[], help="show only this rule")
    test.add_argument("--source", default="file", help="feed name given to story files")
    test.set_defaults(func=test_command)


def _settings(path: Path | None) -> Settings | None:
    from bot.config import load_config

    if path is not None:
        return load_config(path)
    for candidate in DEFAULT_CONFIGS:
        if candidate.is_file():
            return load_config(candidate)
    return None


def _shown(path: Path) -> str:
    """`path` relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _load(path: Path, channels: Sequence[str] | None) -> RuleSet:
    from bot.core.extract.places import Gazetteer
    from bot.rules_file import rules_loader

    return rules_loader(Gazetteer.load(), channels)(path)


def _rules_for(file: Path | None, config: Path | None) -> tuple[Path, RuleSet | RuleError] | None:
    settings = _settings(config)
    path = file or (settings.rules_path if settings else None)
    if path is None:
        return None
    shown = Path(_shown(path))
    try:
        return shown, _load(shown, settings.channel_names if settings else None)
    except RuleError as exc:
        return shown, exc


def _no_rules_file(command: str) -> int:
    print(
        f"wirewatch rules {command}: give the rules file, or a config naming it "
        f"(--config, or {' / '.join(map(str, DEFAULT_CONFIGS))} here)",
        file=sys.stderr,
    )
    return 2


def _print_problems(path: Path, error: RuleError) -> int:
    for problem in error.problems:
        print(problem)
    count = len(error.problems)
    print(f"{path}: {count} problem{'s' if count != 1 else ''}")
    return 1


def check_command(args: argparse.Namespace) -> int:
    found = _rules_for(args.file, args.config)
    if found is None:
        return _no_rules_file("check")
    path, rules = found
    if isinstance(rules, RuleError):
        return _print_problems(path, rules)
    print(f"{path}: {len(rules)} rule{'s' if len(rules) != 1 else ''} OK")
    return 0


def test_command(args: argparse.Namespace) -> int:
    if bool(args.stories) == bool(args.since):
        print("wirewatch rules test: give STORY files or --since, not both", file=sys.stderr)
        return 2
    found = _rules_for(args.rules, args.config)
    if found is None:
        return _no_rules_file("test")
    path, rules = found
    if isinstance(rules, RuleError):
        return _print_problems(path, rules)
    unknown = [n for n in args.rule if n not in {r.name for r in rules.rules}]
    if unknown:
        print(f"wirewatch rules test: no rule named {', '.join(unknown)}", file=sys.stderr)
        return 2
    from bot.core.extract import Extractor

    extract = Extractor().extract
    if args.since:
        period = parse_duration(args.since)
        if period is None:
            print(
                f"wirewatch rules test: --since {args.since}: use e.g. 24h or 7d", file=sys.stderr
            )
            return 2
        settings = _settings(args.config)
        if settings is None:
            return _no_rules_file("test --since")
        from bot.store.sqlite import SQLiteStore

        store = SQLiteStore(settings.store_path)
        try:
            since = datetime.now(UTC) - period
            return replay(
                store,
                rules=rules,
                since=since,
                extract=extract,
                only=set(args.rule),
                write=sys.stdout.write,
            )
        finally:
            store.close()
    return explain_files(args.stories, rules, extract, set(args.rule), args.source)


def explain_files(
    paths: Sequence[Path],
    rules: RuleSet,
    extract: Callable[[Story], Extraction],
    only: set[str],
    source: str,
) -> int:
    """Print every rule's verdict on each story file; 1 when a file cannot be read."""
    from bot.sources.plaintext import parse_wire_text

    status = 0
    for path in paths:
        try:
            story = parse_wire_text(path.read_text(encoding="utf-8"), source=source, guid=path.name)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"{path}: cannot read story: {exc}", file=sys.stderr)
            status = 1
            continue
        verdicts = [
            v for v in rules.explain(story, extract(story)) if not only or v.rule.name in only
        ]
        fired = sum(v.fired for v in verdicts)
        print(f"{path}: {story.headline}")
        print(f"  {fired} of {len(verdicts)} rule{'s' if len(verdicts) != 1 else ''} fire")
        for verdict in verdicts:
            print("\n".join(verdict_lines(verdict, "  ")))
        print()
    return status


def replay(
    store: Store,
    *,
    rules: RuleSet,
    since: datetime,
    extract: Callable[[Story], Extraction],
    only: set[str],
    write: Callable[[str], object],
) -> int:
    """Run the rules over the stories stored since `since`; print what would have fired."""
    stored = store.stories_since(since)
    per_rule: Counter[str] = Counter()
    matched = 0
    for item in stored:
        extraction = item.extraction or extract(item.story)
        matches = [m for m in rules.match(item.story, extraction) if not only or m.rule in only]
        if not matches:
            continue
        matched += 1
        when = item.first_seen.strftime("%Y-%m-%d %H:%M")
        write(f"{when} {item.story.source}: {item.story.headline}\n")
        for match in matches:
            per_rule[match.rule] += 1
            why = ", ".join(r.describe() for r in match.reasons)
            write(f"  {match.rule} -> {', '.join(match.channels)}: {why}\n")
    write(f"{len(stored)} stories since {since:%Y-%m-%d %H:%M} UTC, {matched} would alert\n")
    for rule in rules.rules:
        if not only or rule.name in only:
            write(f"  {rule.name}: {per_rule[rule.name]}\n")
    return 0
