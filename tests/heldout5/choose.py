"""Print the article ids of the fifth held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout5/choose.py
Among NewsArticles stories of 300-1,000 words that are in none of tests/corpus,
tests/heldout, tests/heldout2, tests/heldout3, tests/heldout4, tests/heldout_deaths and
tests/heldout_deaths2, shuffled with a fixed seed: the first 8 whose headline or subtitle
speaks of deaths (the death words of tests/heldout3/choose.py), then the first 12 others
with at least 8 quotation marks.
"""

from __future__ import annotations

from bot.eval import HEADLINE_DEATHS, held_out_pool, id_list

SEED = 2031
DEATH_COUNT = 8
QUOTED_COUNT = 12
MIN_MARKS = 8


def choose() -> list[int]:
    pool = held_out_pool("heldout5", SEED)
    return pool.deaths_then_quoted(HEADLINE_DEATHS, DEATH_COUNT, QUOTED_COUNT, MIN_MARKS)


if __name__ == "__main__":
    print(id_list(choose()))
