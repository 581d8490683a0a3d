"""Print the article ids of the second held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout2/choose.py
Among NewsArticles stories of 300-1,000 words that are in neither tests/corpus nor
tests/heldout, shuffled with a fixed seed: the first 20 with at least 6 quotation marks
(quote-bearing stories, where speaker attribution is measured).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from bot.eval import _articles

SEED = 2026
COUNT = 20
QUOTE_MARKS = re.compile(r"[\"“”]")


def choose() -> list[int]:
    rows = _articles()
    seen = {
        int(p.stem.split("-")[1])
        for folder in ("tests/corpus", "tests/heldout")
        for p in Path(folder).glob("news-*.json")
    }
    eligible = sorted(
        aid for aid, r in rows.items() if aid not in seen and 300 <= len(r["text"].split()) <= 1000
    )
    random.Random(SEED).shuffle(eligible)
    quoted = [a for a in eligible if len(QUOTE_MARKS.findall(rows[a]["text"])) >= 6]
    return sorted(quoted[:COUNT])


if __name__ == "__main__":
    print(" ".join(f"news-{a:04d}" for a in choose()))
