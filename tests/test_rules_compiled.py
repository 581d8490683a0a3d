"""The fast path (trigger index, short-circuits) agrees with full evaluation, rule by rule."""

from __future__ import annotations

import random

import pytest

from bot.core.models import Story
from bot.core.rules import (
    AllOf,
    AnyOf,
    Condition,
    Countries,
    FatalityCount,
    Keywords,
    NoneOf,
    People,
    PersonName,
    Regex,
    Rule,
    Sources,
    compile_rules,
)
from tests.rules_helpers import extraction, story

WORDS = ["ceasefire", "strike", "talks", "flood", "quake", "border", "summit", "protest"]
COUNTRIES = [("TR", "Turkey"), ("SY", "Syria"), ("RU", "Russia"), ("FR", "France")]
PEOPLE = ["Sergey Lavrov", "Mevlüt Çavuşoğlu", "Wang Yi", "Antony Blinken"]
SOURCES = ["wire-a", "wire-b"]


def random_condition(rng: random.Random, depth: int = 0) -> Condition:
    kind = rng.choice(["leaf", "leaf", "leaf", "all", "any", "none"] if depth < 2 else ["leaf"])
    if kind != "leaf":
        children = tuple(random_condition(rng, depth + 1) for _ in range(rng.randint(1, 3)))
        return {"all": AllOf, "any": AnyOf, "none": NoneOf}[kind](children)
    leaf = rng.choice(["countries", "people", "fatalities", "keywords", "headline", "regex", "src"])
    if leaf == "countries":
        picked = rng.sample(COUNTRIES, rng.randint(1, 2))
        return Countries(tuple(c for c, _ in picked), tuple(n for _, n in picked))
    if leaf == "people":
        return People(tuple(PersonName(p) for p in rng.sample(PEOPLE, rng.randint(1, 2))))
    if leaf == "fatalities":
        low = rng.choice([None, 0, 1, 5, 20])
        high = rng.choice([None, 3, 50]) if low is None or low <= 3 else None
        if low is None and high is None:
            low = 1
        return FatalityCount(low, high, rng.random() < 0.3)
    if leaf in ("keywords", "headline"):
        words = tuple(rng.sample(WORDS, rng.randint(1, 3)))
        return Keywords(words, case_sensitive=rng.random() < 0.2, headline_only=leaf == "headline")
    if leaf == "regex":
        return Regex((rng.choice([r"\bst\w+", r"[0-9]+ killed", r"(?i)border"]),))
    return Sources((rng.choice(SOURCES),))


def random_story(rng: random.Random, index: int) -> tuple[Story, dict[str, object]]:
    words = rng.sample(WORDS, 3)
    head = f"{words[0].title()} news"
    countries = rng.sample(COUNTRIES, rng.randint(0, 2))
    people = rng.sample(PEOPLE, rng.randint(0, 2))
    killed = rng.choice([None, 2, 7, 30])
    body = " ".join(
        [f"{words[1]} and {words[2].upper()}."]
        + [f"Officials in {name} spoke." for _, name in countries]
        + [f"{name} said so." for name in people]
        + ([f"{killed} killed in the attack."] if killed else [])
        + ["The war toll is 9000 dead."]
    )
    item = Story(rng.choice(SOURCES), f"s{index}", head, body)
    found: dict[str, object] = {
        "countries": [(c, n, n) for c, n in countries],
        "people": [(p, p) for p in people],
        "killed": killed,
        "killed_text": f"{killed} killed" if killed else "",
        "cumulative": [(9000, "9000 dead")] if rng.random() < 0.5 else [],
    }
    return item, found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_match_fires_exactly_the_rules_explain_says_fire(seed: int) -> None:
    rng = random.Random(seed)
    rules = [
        Rule(
            f"r{i}",
            random_condition(rng),
            random_condition(rng) if rng.random() < 0.3 else None,
            ("console",),
        )
        for i in range(300)
    ]
    compiled = compile_rules(rules)
    fired_total = 0
    for index in range(150):
        item, found = random_story(rng, index)
        extracted = extraction(item, **found)  # type: ignore[arg-type]
        fast = [m.rule for m in compiled.match(item, extracted)]
        full = [v.rule.name for v in compiled.explain(item, extracted) if v.fired]
        assert fast == full, item
        fired_total += len(fast)
    assert fired_total > 100  # the generated rules do fire, so the comparison means something


def test_no_rules_match_nothing() -> None:
    item = story("Anything", "At all.")
    assert compile_rules([]).match(item, extraction(item)) == []
