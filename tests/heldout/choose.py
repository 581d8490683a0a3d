"""Print the article ids of the held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout/choose.py
Among NewsArticles stories of 300-1,200 words that are not in tests/corpus, shuffled with
a fixed seed: the first 8 whose headline or subtitle speaks of deaths (a death word), the
first 6 others with at least 10 quotation marks, then the next 16 in shuffled order,
whatever they are.
"""

from __future__ import annotations

import re

from bot.eval import held_out_pool, id_list

SEED = 3  # issue 3
DEATHS = re.compile(r"\b(kill(s|ed|ing)?|dead|died|dies|death toll|deadly)\b", re.IGNORECASE)


def choose() -> list[int]:
    pool = held_out_pool("heldout", SEED, max_words=1200)
    deaths = [a for a in pool.ids if DEATHS.search(pool.lead(a))][:8]
    quoted = [a for a in pool.ids if a not in deaths and pool.quote_marks(a) >= 10][:6]
    rest = [a for a in pool.ids if a not in deaths and a not in quoted][:16]
    return deaths + quoted + rest


if __name__ == "__main__":
    print(id_list(choose()))
