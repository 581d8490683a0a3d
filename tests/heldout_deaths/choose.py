"""Print the article ids of the deaths-only held-out set (deterministic; see README.md).

usage: .venv/bin/python tests/heldout_deaths/choose.py
Among NewsArticles stories of 150-1,200 words that are in none of tests/corpus,
tests/heldout, tests/heldout2 and tests/heldout3, shuffled with a fixed seed: the first 25
whose headline or subtitle speaks of deaths (a death word), then the first 15 others whose
body has a death word (killed/died/dead/death toll) that the headline and subtitle lack:
stories where a toll may be background, past, hypothetical or figurative.
"""

from __future__ import annotations

import re

from bot.eval import held_out_pool, id_list

SEED = 2028
LEAD_COUNT = 25
BODY_COUNT = 15
LEAD_DEATHS = re.compile(
    r"\b(kill|killed|kills|killing|dead|died|dies|death|deaths|deadly|massacre[sd]?"
    r"|bomb(s|ed|er|ers|ing|ings)?|shootings?|attacks?|crash(es|ed)?)\b",
    re.IGNORECASE,
)
BODY_DEATHS = re.compile(r"\b(killed|died|dead|death toll)\b", re.IGNORECASE)


def choose() -> tuple[list[int], list[int]]:
    """The lead-death ids and the body-only ids, each in shuffled order."""
    pool = held_out_pool("heldout_deaths", SEED, min_words=150, max_words=1200)
    return pool.lead_and_body(LEAD_DEATHS, BODY_DEATHS, LEAD_COUNT, BODY_COUNT)


if __name__ == "__main__":
    deaths, traps = choose()
    print(id_list(deaths + traps))
    print("lead:", id_list(deaths))
    print("body:", id_list(traps))
