"""The `wirewatch` command: one sub-command per module in this package.

Each sub-command module has `register(subparsers)` that adds its parser and sets
`func(args) -> int` as the parser default. Exit codes: 0 ok, 1 the thing checked is
wrong (rules invalid, story failed), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from bot.core.errors import WirewatchError

SUBCOMMANDS = ("run", "extract", "eval", "rules", "status")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wirewatch",
        description=(
            "Watch news wires; post alerts matching your rules to Slack, Matrix or the terminal."
        ),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"bot.cli.{name}_cmd")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        code: int = args.func(args)
    except WirewatchError as exc:
        print(f"wirewatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`wirewatch … | head`): stop quietly, like other tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return code
