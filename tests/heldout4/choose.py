"""Print the article ids of the fourth held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout4/choose.py
Among NewsArticles stories of 300-1,000 words that are in none of tests/corpus,
tests/heldout, tests/heldout2, tests/heldout3, tests/heldout_deaths and
tests/heldout_deaths2, shuffled with a fixed seed: the first 20 with at least 8 quotation
marks (quote-bearing stories, since speaker attribution is what this set measures).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from bot.eval import _articles

SEED = 2030
COUNT = 20
MIN_MARKS = 8
FOLDERS = (
    "tests/corpus",
    "tests/heldout",
    "tests/heldout2",
    "tests/heldout3",
    "tests/heldout_deaths",
    "tests/heldout_deaths2",
)
QUOTE_MARKS = re.compile(r"[\"“”]")


def choose() -> list[int]:
    rows = _articles()
    seen = {
        int(p.stem.split("-")[1]) for folder in FOLDERS for p in Path(folder).glob("news-*.json")
    }
    eligible = sorted(
        aid for aid, r in rows.items() if aid not in seen and 300 <= len(r["text"].split()) <= 1000
    )
    random.Random(SEED).shuffle(eligible)
    quoted = [a for a in eligible if len(QUOTE_MARKS.findall(rows[a]["text"])) >= MIN_MARKS]
    return sorted(quoted[:COUNT])


if __name__ == "__main__":
    print(" ".join(f"news-{a:04d}" for a in choose()))
