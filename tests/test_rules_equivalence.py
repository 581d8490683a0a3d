"""The fast matcher gives exactly what a plain evaluation of each rule gives.

`RuleSet.match` decides most rules without visiting them (direct index, trigger atoms,
tolls, guards, regex prefilters). Here every generated rule is also evaluated the slow
way, one by one, on generated stories: regexes with `re.search`, the other leaves from
`explain`'s outcomes, the reasons combined as the engine documents (cheap conditions
first; an `any` that held on cheap evidence does not run its regexes). The two must
agree on every rule, its channels, priority and reasons, in order.
"""

from __future__ import annotations

import random
import re

import pytest

from bot.core.models import Match, Reason, Story
from bot.core.rules import (
    AllOf,
    AnyOf,
    Condition,
    Countries,
    FatalityCount,
    Keywords,
    NoneOf,
    Outcome,
    People,
    PersonName,
    Regex,
    Rule,
    RuleSet,
    Sources,
    compile_rules,
)
from tests.rules_helpers import extraction

WORDS = ["ceasefire", "Strike", "talks", "flood", "NATO", "border", "summit", "peace talks"]
COUNTRIES = [("TR", "Turkey"), ("SY", "Syria"), ("RU", "Russia"), ("FR", "France")]
PEOPLE = ["Sergey Lavrov", "Mevlüt Çavuşoğlu", "Wang Yi", "Antony Blinken", "Lavrov"]
SOURCES = ["wire-a", "wire-b"]
REGEXES = [
    r"\b[0-9]+ (?:killed|dead|wounded)\b",  # filtered by killed / dead / wounded
    r"Border (?:crossing|post)s?",  # by "Border ", case-sensitive
    r"(?i)summit",  # ignores case: never filtered
    r"\bst\w+",  # too short to filter
    r"(?:truce|ceasefire) (?:talks|deal)",
]


def random_leaf(rng: random.Random) -> Condition:
    kind = rng.choice(["countries", "people", "fatalities", "keywords", "regex", "sources"])
    if kind == "countries":
        picked = rng.sample(COUNTRIES, rng.randint(1, 3))
        return Countries(tuple(c for c, _ in picked), tuple(n for _, n in picked))
    if kind == "people":
        return People(tuple(PersonName(p) for p in rng.sample(PEOPLE, rng.randint(1, 2))))
    if kind == "fatalities":
        low = rng.choice([None, 0, 1, 5, 20, 100])
        high = rng.choice([None, 10, 50]) if low is None or low <= 10 else None
        if low is None and high is None:
            low = 1
        return FatalityCount(low, high, rng.random() < 0.3)
    if kind == "keywords":
        words = rng.sample(WORDS, rng.randint(1, 3))
        if rng.random() < 0.2:
            words.append(words[0].upper())  # the same pattern, spelt twice
        return Keywords(
            tuple(words), case_sensitive=rng.random() < 0.2, headline_only=rng.random() < 0.15
        )
    if kind == "regex":
        return Regex(tuple(rng.sample(REGEXES, rng.randint(1, 2))))
    return Sources((rng.choice(SOURCES),))


def random_condition(rng: random.Random, depth: int = 0) -> Condition:
    shape = rng.random()
    if depth >= 2 or shape < 0.35:
        return random_leaf(rng)
    children = tuple(random_condition(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    if shape < 0.6:
        return AnyOf(children)
    if shape < 0.9:
        return AllOf(children)
    return NoneOf(children)


def random_rule(rng: random.Random, index: int) -> Rule:
    shape = rng.random()
    when: Condition
    if shape < 0.3:  # the common shapes of real files: lists to watch...
        leaves = [random_leaf(rng) for _ in range(rng.randint(1, 3))]
        plain = [c for c in leaves if isinstance(c, Countries | People | Keywords | Sources)]
        when = AnyOf(tuple(plain)) if len(plain) > 1 else (plain or leaves)[0]
    elif shape < 0.5:  # ...and a country or topic with a toll or other words
        when = AllOf((random_leaf(rng), random_leaf(rng), *([random_leaf(rng)] * (shape < 0.4))))
    else:
        when = random_condition(rng)
    unless = random_condition(rng) if rng.random() < 0.25 else None
    return Rule(f"r{index}", when, unless, (rng.choice(["console", "slack:#news"]),))


def random_story(rng: random.Random, index: int) -> tuple[Story, dict[str, object]]:
    words = [w if rng.random() < 0.7 else w.swapcase() for w in rng.sample(WORDS, 4)]
    countries = rng.sample(COUNTRIES, rng.randint(0, 2))
    named = rng.sample(PEOPLE[:4], rng.randint(0, 2))
    extracted = [p for p in named if rng.random() < 0.7]  # others: only in the text
    killed = rng.choice([None, None, 1, 2, 5, 7, 20, 30, 100, 150])  # thresholds too
    sentences = [
        f"Officials spoke of {words[1]} and {words[2]}.",
        *(f"Officials in {name} said so." for _, name in countries),
        *(f"{name} spoke." for name in named),
        rng.choice(["A Border crossing shut.", "The border post shut.", "A deadline passed."]),
        rng.choice(["4 wounded near the line.", "Dozens killed, officials said.", "Calm."]),
        f"Then {words[3]}.",
    ]
    if killed:
        sentences.append(f"{killed} killed in the attack.")
    cumulative = rng.random() < 0.3
    if cumulative:
        sentences.append("The war has left 900 dead.")
    rng.shuffle(sentences)
    item = Story(rng.choice(SOURCES), f"s{index}", f"{words[0].title()} news", " ".join(sentences))
    found: dict[str, object] = {
        "countries": [(c, n, n) for c, n in countries],
        "people": [(p, p) for p in extracted],
        "killed": killed,
        "killed_text": f"{killed} killed" if killed else "",
        "cumulative": [(900, "900 dead")] if cumulative else [],
    }
    return item, found


# -- the plain evaluation ------------------------------------------------------------


def _cost(condition: Condition) -> int:
    if isinstance(condition, AllOf | AnyOf | NoneOf):
        return sum(_cost(c) for c in condition.conditions)
    return 100 if isinstance(condition, Regex) else 1


def _regex_reasons(leaf: Regex, text: str) -> list[Reason] | None:
    found = []
    for pattern in leaf.patterns:
        hit = re.search(pattern, text)
        if hit is not None:
            found.append(Reason("regex", f"/{pattern}/", hit.group(0), *hit.span()))
    return found or None


def _holds(outcome: Outcome, text: str) -> bool:
    condition = outcome.condition
    if isinstance(condition, Regex):
        return _regex_reasons(condition, text) is not None
    held = [_holds(child, text) for child in outcome.children]
    if isinstance(condition, AllOf):
        return all(held)
    if isinstance(condition, AnyOf):
        return any(held)
    if isinstance(condition, NoneOf):
        return not any(held)
    return outcome.held


def _reasons(outcome: Outcome, text: str) -> list[Reason] | None:
    """The reasons as the engine documents them (`_collect`): a `none` gives none, an
    `all` every child's, an `any` the held children's, cheap first, regexes skipped
    once a cheap child held; None when a leaf that has to give reasons did not hold."""
    condition = outcome.condition
    if isinstance(condition, Regex):
        return _regex_reasons(condition, text)
    if isinstance(condition, NoneOf):
        return []
    if isinstance(condition, AllOf | AnyOf):
        pairs = sorted(zip(condition.conditions, outcome.children, strict=True), key=_first_cost)
        found: list[Reason] | None = [] if isinstance(condition, AllOf) else None
        for child, child_outcome in pairs:
            if isinstance(condition, AnyOf) and _cost(child) >= 100 and found is not None:
                break
            reasons = _reasons(child_outcome, text)
            if reasons is None and isinstance(condition, AllOf):
                return None
            if reasons is not None:
                found = [*(found or []), *reasons]
        return found
    return list(outcome.reasons) if outcome.held else None


def _first_cost(pair: tuple[Condition, Outcome]) -> int:
    return _cost(pair[0])


def plain_match(rules: RuleSet, item: Story, **found: object) -> list[Match]:
    matches = []
    for verdict in rules.explain(item, extraction(item, **found)):  # type: ignore[arg-type]
        rule = verdict.rule
        if not _holds(verdict.when, item.text):
            continue
        if verdict.unless is not None and _holds(verdict.unless, item.text):
            continue
        reasons = tuple(dict.fromkeys(_reasons(verdict.when, item.text) or ()))
        matches.append(Match(rule.name, rule.channels, rule.priority, reasons))
    return matches


@pytest.mark.parametrize("seed", range(6))
def test_the_fast_matcher_agrees_with_a_plain_evaluation_of_every_rule(seed: int) -> None:
    rng = random.Random(seed)
    rules = compile_rules([random_rule(rng, i) for i in range(400)])
    fired = 0
    for index in range(120):
        item, found = random_story(rng, index)
        fast = rules.match(item, extraction(item, **found))  # type: ignore[arg-type]
        assert fast == plain_match(rules, item, **found), item.text
        fired += len(fast)
    assert fired > 2000  # the rules do fire, with all kinds of reasons


def test_a_regex_filtered_by_its_words_still_matches_exactly() -> None:
    rules = compile_rules(
        [
            Rule("toll", Regex((r"\b[0-9]+ (?:killed|dead|wounded)\b",)), None, ("console",)),
            Rule("post", Regex((r"Border (?:crossing|post)s?",)), None, ("console",)),
        ]
    )

    def fired(body: str) -> dict[str, list[str]]:
        item = Story("wire", body, "News", body)
        return {m.rule: [r.text for r in m.reasons] for m in rules.match(item, extraction(item))}

    assert fired("12 killed and 3 WOUNDED.") == {"toll": ["12 killed"]}
    assert fired("Many were killed; 3 WOUNDED.") == {}  # the word, but no match
    assert fired("A deadline of 12 days.") == {}
    assert fired("The Border posts closed.") == {"post": ["Border posts"]}
    assert fired("The BORDER POSTS and the border post closed.") == {}  # case-sensitive
