"""Print the article ids of the third held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout3/choose.py
Among NewsArticles stories of 300-1,000 words that are in none of tests/corpus,
tests/heldout and tests/heldout2, shuffled with a fixed seed: the first 12 whose headline
or subtitle speaks of deaths (a death word), then the first 13 others with at least 6
quotation marks.
"""

from __future__ import annotations

import re

from bot.eval import held_out_pool, id_list

SEED = 2027
DEATH_COUNT = 12
QUOTED_COUNT = 13
DEATHS = re.compile(
    r"\b(kill|killed|kills|dead|died|dies|deadly|death toll|massacre[sd]?"
    r"|bomb(s|ed|er|ers|ing|ings)?)\b",
    re.IGNORECASE,
)


def choose() -> list[int]:
    pool = held_out_pool(["tests/corpus", "tests/heldout", "tests/heldout2"], SEED)
    deaths = [a for a in pool.ids if DEATHS.search(pool.lead(a))][:DEATH_COUNT]
    quoted = [a for a in pool.ids if a not in deaths and pool.quote_marks(a) >= 6]
    return deaths + quoted[:QUOTED_COUNT]


if __name__ == "__main__":
    print(id_list(choose()))
