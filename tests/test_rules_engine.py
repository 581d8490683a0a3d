"""The compiled matcher: which rules fire on a story, and the reasons they give."""

from __future__ import annotations

import pytest

from bot.core.models import Story
from bot.core.rules import RuleSet
from tests.rules_helpers import extraction, ruleset, story

IDLIB = """
rules:
  - name: idlib-escalation
    when:
      all:
        - countries: [Turkey, SY]
        - any:
            - fatalities: {min: 5}
            - people: ["Mevlüt Çavuşoğlu", {name: "Sergey Lavrov", aliases: ["Sergei Lavrov"]}]
    unless:
      keywords: [football, "friendly match"]
    channels: [console]
    priority: high
"""

STRIKE = story(
    "Eight Turkish soldiers killed in Idlib",
    "Eight Turkish soldiers were killed in a Syrian government air strike in Idlib on "
    "Thursday, Turkey's defence ministry said.",
)


def fired(rules: RuleSet, item: Story, **found: object) -> dict[str, list[str]]:
    """Rule name -> reasons (described) of every rule that fires."""
    matches = rules.match(item, extraction(item, **found))  # type: ignore[arg-type]
    return {m.rule: [r.describe() for r in m.reasons] for m in matches}


def test_countries_and_deaths_fire_with_the_words_that_matched() -> None:
    rules = ruleset(IDLIB)
    found = rules.match(
        STRIKE,
        extraction(
            STRIKE,
            countries=[("TR", "Turkey", "Turkish soldiers"), ("SY", "Syria", "Syrian")],
            killed=8,
            killed_text="Eight Turkish soldiers were killed",
        ),
    )
    assert len(found) == 1
    match = found[0]
    assert (match.rule, match.channels, match.priority) == (
        "idlib-escalation",
        ("console",),
        "high",
    )
    assert [r.describe() for r in match.reasons] == [
        'Turkey ("Turkish soldiers")',
        'Syria ("Syrian")',
        "8 killed",
    ]
    turkey = match.reasons[0]
    assert STRIKE.text[turkey.start : turkey.end] == "Turkish soldiers"
    toll = match.reasons[2]
    assert STRIKE.text[toll.start : toll.end] == "Eight Turkish soldiers were killed"


def test_unless_vetoes_and_a_missing_branch_keeps_the_rule_quiet() -> None:
    rules = ruleset(IDLIB)
    match_report = story(
        "Turkey beat Syria in friendly match",
        "Turkey's team beat Syria 2-0 in a friendly match; five fans were killed in a crush.",
    )
    found: dict[str, object] = {"countries": [("TR", "Turkey", "Turkey"), ("SY", "Syria", "Syria")]}
    found["killed"] = 5
    assert fired(rules, match_report, **found) == {}
    # The same story without the veto words fires; with only three deaths it does not.
    plain = story("Turkey and Syria clash", "Five were killed as Turkey and Syria clashed.")
    found = {"countries": [("TR", "Turkey", "Turkey"), ("SY", "Syria", "Syria")], "killed": 5}
    assert "idlib-escalation" in fired(rules, plain, **found)
    found["killed"] = 3
    assert fired(rules, plain, **found) == {}


PEOPLE = """
rules:
  - name: lavrov
    when:
      people: [{name: "Sergey Lavrov", aliases: ["Sergei Lavrov"]}]
    channels: [console]
  - name: cavusoglu
    when: {people: ["Mevlüt Çavuşoğlu"]}
    channels: [console]
  - name: assad
    when: {people: ["Bashar al-Assad"]}
    channels: [console]
"""


@pytest.mark.parametrize(
    ("name", "words", "expected"),
    [
        ("Sergey Lavrov", "Sergey Lavrov", ["lavrov"]),
        ("Sergei Lavrov", "Sergei Lavrov", ["lavrov"]),  # an alias
        ("Sergej Lavrov", "Sergej Lavrov", ["lavrov"]),  # a close transliteration
        ("Lavrov", "Lavrov", ["lavrov"]),  # surname only
        ("S. Lavrov", "S. Lavrov", ["lavrov"]),  # an initial
        ("Ivan Lavrov", "Ivan Lavrov", []),  # a different first name
        ("Mevlut Cavusoglu", "Mevlut Cavusoglu", ["cavusoglu"]),  # folded
        ("Assad", "Assad", ["assad"]),  # name particle ignored
    ],
)
def test_people_match_spellings_of_the_watched_name(
    name: str, words: str, expected: list[str]
) -> None:
    rules = ruleset(PEOPLE)
    item = story("Talks in Moscow", f"{words} met reporters in Moscow on Tuesday.")
    assert list(fired(rules, item, people=[(name, words)])) == expected


def test_a_person_reason_names_the_watched_person_and_the_words_in_the_story() -> None:
    rules = ruleset(PEOPLE)
    item = story("Talks in Moscow", "Foreign Minister Sergei Lavrov said talks went well.")
    assert fired(rules, item, people=[("Sergei Lavrov", "Sergei Lavrov")]) == {
        "lavrov": ['Sergey Lavrov ("Sergei Lavrov")']
    }


def test_a_full_name_in_the_text_counts_even_when_the_extractor_missed_the_person() -> None:
    rules = ruleset(PEOPLE)
    item = story("Talks in Moscow", "A statement quoted Sergey Lavrov at length.")
    assert fired(rules, item) == {"lavrov": ["Sergey Lavrov"]}


KEYWORDS = """
defaults: {channels: [console]}
rules:
  - name: truce
    when: {keywords: [ceasefire*, "peace talks"]}
  - name: nato-caps
    when: {keywords: {words: [NATO], case: sensitive}}
  - name: headline-summit
    when: {headline: [summit]}
  - name: sofia
    when: {keywords: ["São Paulo"]}
"""


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        ("Ceasefire holds", "", {"truce": ['ceasefire* ("Ceasefire")']}),
        ("Talks", "Two ceasefires collapsed.", {"truce": ['ceasefire* ("ceasefires")']}),
        ("Talks", "Calls for PEACE\nTALKS grew.", {"truce": ['peace talks ("PEACE\nTALKS")']}),
        ("Talks", "The ceasefirex project.", {"truce": ['ceasefire* ("ceasefirex")']}),
        ("Talks", "A peacetalks hashtag.", {}),  # whole words only
        ("Talks", "Nato leaders met.", {}),  # case-sensitive: Nato is not NATO
        ("Talks", "NATO leaders met.", {"nato-caps": ["NATO"]}),
        ("Summit opens", "", {"headline-summit": ["summit"]}),
        ("Talks open", "The summit opens.", {}),  # body only: not a headline hit
        ("Floods", "Rain in Sao Paulo.", {"sofia": ['São Paulo ("Sao Paulo")']}),
    ],
)
def test_keywords_are_whole_words_folded_unless_case_sensitive(
    headline: str, body: str, expected: dict[str, list[str]]
) -> None:
    assert fired(ruleset(KEYWORDS), story(headline, body)) == expected


def test_keyword_reasons_point_into_the_story_text() -> None:
    item = story("Talks", "Both sides agreed a ceasefire on Friday.")
    (match,) = ruleset(KEYWORDS).match(item, extraction(item))
    (reason,) = match.reasons
    assert item.text[reason.start : reason.end] == "ceasefire"


FATALITIES = """
defaults: {channels: [console]}
rules:
  - name: five-or-more
    when: {fatalities: {min: 5}}
  - name: small
    when: {fatalities: {max: 3}}
  - name: war-toll
    when: {fatalities: {min: 1000, include_cumulative: true}}
"""


@pytest.mark.parametrize(
    ("killed", "cumulative", "expected"),
    [
        (None, [], []),
        (2, [], ["small"]),
        (5, [], ["five-or-more"]),
        (5, [(500000, "500,000 people")], ["five-or-more", "war-toll"]),
        (None, [(500000, "500,000 people")], ["war-toll"]),
    ],
)
def test_fatalities_compare_the_toll_and_cumulative_only_when_asked(
    killed: int | None, cumulative: list[tuple[int, str]], expected: list[str]
) -> None:
    item = story("War", "The war has killed 500,000 people, monitors say.")
    assert list(fired(ruleset(FATALITIES), item, killed=killed, cumulative=cumulative)) == expected


def test_the_toll_qualifier_shows_in_the_reason() -> None:
    item = story("Blast", "At least 12 people were killed.")
    found = fired(
        ruleset(FATALITIES), item, killed=12, killed_text="At least 12", qualifier="at_least"
    )
    assert found == {"five-or-more": ["at least 12 killed"]}


COMBINATORS = """
defaults: {channels: [console]}
rules:
  - name: regex-and-source
    when:
      sources: [reuters-world]
      regex: "\\\\b[0-9]+ (?:soldiers|troops)\\\\b"
  - name: not-sport
    when:
      keywords: [match]
      none:
        - keywords: [football]
        - regex: "(?i)league"
  - name: either
    when:
      any:
        - regex: "quake"
        - keywords: [earthquake]
"""


def test_sources_regex_none_and_any_combine() -> None:
    rules = ruleset(COMBINATORS)
    troops = story("Clash", "Fighting left 12 soldiers wounded.", source="reuters-world")
    assert fired(rules, troops) == {
        "regex-and-source": ["reuters-world", '/\\b[0-9]+ (?:soldiers|troops)\\b/ ("12 soldiers")']
    }
    elsewhere = story("Clash", "Fighting left 12 soldiers wounded.", source="other-feed")
    assert fired(rules, elsewhere) == {}
    assert list(fired(rules, story("Chess", "The match ended in a draw."))) == ["not-sport"]
    assert fired(rules, story("Sport", "The league match ended 1-1.")) == {}
    assert fired(rules, story("Sport", "The football match ended 1-1.")) == {}
    # `any` with a cheap branch that held gives that branch's reason.
    assert fired(rules, story("Earthquake hits", "")) == {"either": ["earthquake"]}
    assert fired(rules, story("Aftershock", "Small quakes were felt.")) == {
        "either": ['/quake/ ("quake")']
    }


def test_explain_gives_every_rule_and_every_leaf_held_or_not() -> None:
    rules = ruleset(IDLIB + PEOPLE.replace("rules:\n", ""))
    item = story("Talks", "Sergey Lavrov visited Ankara. Three people were killed in Turkey.")
    verdicts = rules.explain(
        item,
        extraction(
            item,
            countries=[("TR", "Turkey", "Turkey")],
            people=[("Sergey Lavrov", "Sergey Lavrov")],
            killed=3,
            killed_text="Three people were killed",
        ),
    )
    by_name = {v.rule.name: v for v in verdicts}
    assert list(by_name) == ["idlib-escalation", "lavrov", "cavusoglu", "assad"]
    idlib = by_name["idlib-escalation"]
    assert idlib.fired
    countries, either = idlib.when.children
    assert countries.held
    assert [r.describe() for r in countries.reasons] == ["Turkey"]
    deaths, people = either.children
    assert not deaths.held
    assert deaths.note == "toll: 3 killed"
    assert people.held
    assert [r.describe() for r in people.reasons] == ["Sergey Lavrov"]
    assert idlib.unless is not None
    assert not idlib.unless.held
    assert not by_name["cavusoglu"].fired
    assert by_name["cavusoglu"].when.note == "people named: Sergey Lavrov"
