"""Print the article ids of the third held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout3/choose.py
Among NewsArticles stories of 300-1,000 words that are in none of tests/corpus,
tests/heldout and tests/heldout2, shuffled with a fixed seed: the first 12 whose headline
or subtitle speaks of deaths (a death word), then the first 13 others with at least 6
quotation marks.
"""

from __future__ import annotations

from bot.eval import HEADLINE_DEATHS, held_out_pool, id_list

SEED = 2027
DEATH_COUNT = 12
QUOTED_COUNT = 13


def choose() -> list[int]:
    pool = held_out_pool("heldout3", SEED)
    return pool.deaths_then_quoted(HEADLINE_DEATHS, DEATH_COUNT, QUOTED_COUNT, 6)


if __name__ == "__main__":
    print(id_list(choose()))
