"""Print the article ids of the third held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout3/choose.py
Among NewsArticles stories of 300-1,000 words that are in none of tests/corpus,
tests/heldout and tests/heldout2, shuffled with a fixed seed: the first 12 whose headline
or subtitle speaks of deaths (a death word), then the first 13 others with at least 6
quotation marks.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from bot.eval import _articles

SEED = 2027
DEATH_COUNT = 12
QUOTED_COUNT = 13
DEATHS = re.compile(
    r"\b(kill|killed|kills|dead|died|dies|deadly|death toll|massacre[sd]?"
    r"|bomb(s|ed|er|ers|ing|ings)?)\b",
    re.IGNORECASE,
)
QUOTE_MARKS = re.compile(r"[\"“”]")


def choose() -> list[int]:
    rows = _articles()
    seen = {
        int(p.stem.split("-")[1])
        for folder in ("tests/corpus", "tests/heldout", "tests/heldout2")
        for p in Path(folder).glob("news-*.json")
    }
    eligible = sorted(
        aid for aid, r in rows.items() if aid not in seen and 300 <= len(r["text"].split()) <= 1000
    )
    random.Random(SEED).shuffle(eligible)
    lead = {a: rows[a]["title"] + " " + rows[a]["subtitle"] for a in eligible}
    deaths = [a for a in eligible if DEATHS.search(lead[a])][:DEATH_COUNT]
    quoted = [
        a for a in eligible if a not in deaths and len(QUOTE_MARKS.findall(rows[a]["text"])) >= 6
    ][:QUOTED_COUNT]
    return sorted(deaths + quoted)


if __name__ == "__main__":
    print(" ".join(f"news-{a:04d}" for a in choose()))
