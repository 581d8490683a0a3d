"""Print the article ids of the held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout/choose.py
Among NewsArticles stories of 300-1,200 words that are not in tests/corpus, shuffled with
a fixed seed: the first 8 whose headline or subtitle speaks of deaths (a death word), the
first 6 others with at least 10 quotation marks, then the next 16 in shuffled order,
whatever they are.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from bot.eval import _articles

SEED = 3  # issue 3
DEATHS = re.compile(r"\b(kill(s|ed|ing)?|dead|died|dies|death toll|deadly)\b", re.IGNORECASE)
QUOTE_MARKS = re.compile(r"[\"“”]")


def choose() -> list[int]:
    rows = _articles()
    dev = {int(p.stem.split("-")[1]) for p in Path("tests/corpus").glob("news-*.json")}
    eligible = sorted(
        aid for aid, r in rows.items() if aid not in dev and 300 <= len(r["text"].split()) <= 1200
    )
    random.Random(SEED).shuffle(eligible)
    lead = {a: rows[a]["title"] + " " + rows[a]["subtitle"] for a in eligible}
    deaths = [a for a in eligible if DEATHS.search(lead[a])][:8]
    quoted = [
        a for a in eligible if a not in deaths and len(QUOTE_MARKS.findall(rows[a]["text"])) >= 10
    ][:6]
    rest = [a for a in eligible if a not in deaths and a not in quoted][:16]
    return sorted(deaths + quoted + rest)


if __name__ == "__main__":
    print(" ".join(f"news-{a:04d}" for a in choose()))
