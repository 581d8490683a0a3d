"""Print the article ids of the second held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout2/choose.py
Among NewsArticles stories of 300-1,000 words that are in neither tests/corpus nor
tests/heldout, shuffled with a fixed seed: the first 20 with at least 6 quotation marks
(quote-bearing stories, where speaker attribution is measured).
"""

from __future__ import annotations

from bot.eval import held_out_pool, id_list

SEED = 2026
COUNT = 20


def choose() -> list[int]:
    pool = held_out_pool("heldout2", SEED)
    return [a for a in pool.ids if pool.quote_marks(a) >= 6][:COUNT]


if __name__ == "__main__":
    print(id_list(choose()))
