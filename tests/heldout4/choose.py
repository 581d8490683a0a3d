"""Print the article ids of the fourth held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout4/choose.py
Among NewsArticles stories of 300-1,000 words that are in none of tests/corpus,
tests/heldout, tests/heldout2, tests/heldout3, tests/heldout_deaths and
tests/heldout_deaths2, shuffled with a fixed seed: the first 20 with at least 8 quotation
marks (quote-bearing stories, since speaker attribution is what this set measures).
"""

from __future__ import annotations

from bot.eval import held_out_pool, id_list

SEED = 2030
COUNT = 20
MIN_MARKS = 8


def choose() -> list[int]:
    pool = held_out_pool("heldout4", SEED)
    return [a for a in pool.ids if pool.quote_marks(a) >= MIN_MARKS][:COUNT]


if __name__ == "__main__":
    print(id_list(choose()))
