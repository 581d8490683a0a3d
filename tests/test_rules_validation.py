"""The rules file: what it accepts, and every problem reported at FILE:LINE:COL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.rules import (
    AllOf,
    AnyOf,
    Countries,
    FatalityCount,
    Keywords,
    NoneOf,
    People,
    PersonName,
    Regex,
    Sources,
    Throttle,
)
from tests.rules_helpers import problems, rules_from


def test_the_issue_example_parses_into_the_rule_it_describes() -> None:
    (rule,) = rules_from(
        """
rules:
  - name: idlib-escalation
    when:
      all:
        - countries: [Turkey, SY]          # names, ISO codes or demonyms
        - any:
            - fatalities: {min: 5}
            - people: ["Mevlüt Çavuşoğlu", {name: "Sergey Lavrov", aliases: ["Sergei Lavrov"]}]
    unless:
      keywords: [football, "friendly match"]
    channels: [slack:#news, matrix:#news:localhost]
    priority: high
    throttle: {max: 10, per: 1h}
"""
    )
    assert rule.name == "idlib-escalation"
    assert rule.when == AllOf(
        (
            Countries(("TR", "SY"), ("Turkey", "Syria")),
            AnyOf(
                (
                    FatalityCount(5),
                    People(
                        (
                            PersonName("Mevlüt Çavuşoğlu"),
                            PersonName("Sergey Lavrov", ("Sergei Lavrov",)),
                        )
                    ),
                )
            ),
        )
    )
    assert rule.unless == Keywords(("football", "friendly match"))
    assert rule.channels == ("slack:#news", "matrix:#news:localhost")
    assert rule.priority == "high"
    assert rule.throttle == Throttle(10, timedelta(hours=1))


def test_leaves_side_by_side_mean_all_and_defaults_fill_in() -> None:
    first, second = rules_from(
        """
defaults:
  channels: [console]
  priority: low
  throttle: {max: 3, per: 30m}
rules:
  - name: a
    when:
      countries: [Turkish]     # a demonym
      sources: [reuters-world]
      headline: {words: [NATO], case: sensitive}
      regex: ["\\\\bcoup\\\\b"]
      none:
        - fatalities: {max: 0}
  - name: b
    when: {keywords: strike}   # one word needs no list
    channels: [slack:#news]
    priority: urgent
"""
    )
    assert first.when == AllOf(
        (
            Countries(("TR",), ("Turkey",)),
            Sources(("reuters-world",)),
            Keywords(("NATO",), case_sensitive=True, headline_only=True),
            Regex(("\\bcoup\\b",)),
            NoneOf((FatalityCount(None, 0),)),
        )
    )
    assert (first.channels, first.priority) == (("console",), "low")
    assert first.throttle == Throttle(3, timedelta(minutes=30))
    assert second.when == Keywords(("strike",))
    assert (second.channels, second.priority) == (("slack:#news",), "urgent")


def test_norway_stays_a_country_not_a_boolean() -> None:
    (rule,) = rules_from("rules:\n  - {name: n, when: {countries: [NO]}, channels: [console]}\n")
    assert rule.when == Countries(("NO",), ("Norway",))


def test_no_rules_is_valid() -> None:
    assert rules_from("rules: []\n") == []


def rule_with(when: str, extra: str = "") -> str:
    return f"rules:\n  - name: r\n    when: {when}\n    channels: [console]\n{extra}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            rule_with("{countries: [Turkey, Tukey]}"),
            "rules.yaml:3:32: unknown country 'Tukey' (did you mean 'Turkey'?)",
        ),
        (
            "rules:\n  - name: r\n    when: {keywords: [x]}\n    chanels: [console]\n",
            "rules.yaml:4:5: unknown key 'chanels' in a rule (did you mean 'channels'?)",
        ),
        (
            rule_with("{keywords: [x]}").replace("[console]", "[slack:#newz]"),
            "rules.yaml:4:16: channel 'slack:#newz' is not declared in the config "
            "(did you mean 'slack:#news'?)",
        ),
        (
            rule_with("{keywords: [x]}").replace("[console]", "[pager]"),
            "rules.yaml:4:16: channel 'pager' is not declared in the config "
            "(declared: console, slack:#news, matrix:#news:localhost)",
        ),
        (
            rule_with('{regex: "foo(bar"}'),
            "rules.yaml:3:23: invalid regex 'foo(bar': missing ), unterminated subpattern "
            "at position 4",
        ),
        (
            rule_with('{regex: "a|"}'),
            "rules.yaml:3:19: regex 'a|' matches empty text, so it matches every story",
        ),
        (
            rule_with("{fatalities: {min: five}}"),
            "rules.yaml:3:30: 'min' must be a whole number, got 'five'",
        ),
        (
            rule_with("{fatalities: {min: 2.5}}"),
            "rules.yaml:3:30: 'min' must be a whole number, got '2.5'",
        ),
        (
            rule_with("{fatalities: {min: -1}}"),
            "rules.yaml:3:30: 'min' must be 0 or more, got -1",
        ),
        (
            rule_with("{fatalities: {min: 10, max: 5}}"),
            "rules.yaml:3:39: 'min' (10) is greater than 'max' (5)",
        ),
        (
            rule_with("{fatalities: {}}"),
            "rules.yaml:3:24: 'fatalities' needs 'min' and/or 'max', e.g. {min: 1}",
        ),
        (
            rule_with("{fatalities: {min: 1, include_cumulative: maybe}}"),
            "rules.yaml:3:53: 'include_cumulative' must be true or false, got 'maybe'",
        ),
        (rule_with("{any: []}"), "rules.yaml:3:17: 'any' is empty"),
        (rule_with("{all: []}"), "rules.yaml:3:17: 'all' is empty"),
        (rule_with("{}"), "rules.yaml:3:11: 'when' is empty"),
        (rule_with("{keywords: []}"), "rules.yaml:3:22: 'keywords' is empty"),
        (
            rule_with("{countrys: [TR]}"),
            "rules.yaml:3:12: unknown key 'countrys' in 'when' (did you mean 'countries'?)",
        ),
        (
            rule_with("[{keywords: [x]}]"),
            "rules.yaml:3:11: 'when' takes a mapping of conditions, not a list; "
            "put 'all:' or 'any:' above the list",
        ),
        (
            rule_with("{keywords: [x]}", "    priority: hihg\n"),
            "rules.yaml:5:15: unknown priority 'hihg' (did you mean 'high'?): "
            "use low, normal, high, urgent",
        ),
        (
            rule_with("{keywords: [x]}", "    throttle: {max: 10, per: 1 hour}\n"),
            "rules.yaml:5:30: 'per' must be a duration like 30m, 1h or 1d, got '1 hour'",
        ),
        (
            rule_with("{keywords: [x]}", "    throttle: {max: 10}\n"),
            "rules.yaml:5:15: 'throttle' needs 'per', e.g. {max: 10, per: 1h}",
        ),
        (
            rule_with("{keywords: [x]}", "    throttle: {max: 0, per: 1h}\n"),
            "rules.yaml:5:21: 'max' must be 1 or more, got 0",
        ),
        (
            rule_with("{keywords: {words: [x], case: loud}}"),
            "rules.yaml:3:41: 'case' must be 'sensitive' or 'insensitive'",
        ),
        (
            rule_with("{keywords: [cease*fire]}"),
            "rules.yaml:3:23: bad keyword 'cease*fire': '*' may only end a word ('ceasefire*')",
        ),
        (
            rule_with("{people: [{name: X Y, alias: [Z]}]}"),
            "rules.yaml:3:33: unknown key 'alias' in a person (did you mean 'aliases'?)",
        ),
        (
            "rules:\n  - name: r\n    channels: [console]\n",
            "rules.yaml:2:5: rule 'r' has no 'when' (the condition that makes it fire)",
        ),
        (
            "rules:\n  - name: r\n    when: {keywords: [x]}\n",
            "rules.yaml:2:5: rule 'r' has no 'channels', and 'defaults' sets none",
        ),
        (
            "rules:\n  - when: {keywords: [x]}\n    channels: [console]\n",
            "rules.yaml:2:5: a rule needs a 'name'",
        ),
        (
            "rules:\n  - name: r\n    name: s\n    when: {keywords: [x]}\n"
            "    channels: [console]\n",
            "rules.yaml:3:5: duplicate key 'name' (first given on line 2)",
        ),
        ("", "rules.yaml:1:1: the rules file is empty; expected 'rules:' and a list"),
        (
            "rule: []\n",
            "rules.yaml:1:1: unknown key 'rule' in the rules file (did you mean 'rules'?)",
        ),
        (
            "rules:\n  - name: r\n    when: {keywords: [x]\n    channels: [console]\n",
            "rules.yaml:4:5: YAML syntax error: expected ',' or '}', but got '<scalar>' "
            "(while parsing a flow mapping)",
        ),
    ],
)
def test_each_problem_names_its_place_and_a_fix(text: str, expected: str) -> None:
    assert expected in problems(text)


def test_two_rules_with_one_name_point_at_the_second_and_name_the_first() -> None:
    text = (
        "rules:\n"
        "  - name: quake\n    when: {keywords: [quake]}\n    channels: [console]\n"
        "  - name: quake\n    when: {keywords: [tremor]}\n    channels: [console]\n"
    )
    assert problems(text) == ["rules.yaml:5:11: two rules named 'quake' (the first is on line 2)"]


def test_every_problem_in_the_file_is_reported_at_once_in_order() -> None:
    text = """\
defaults:
  priority: hihg
rules:
  - name: one
    when:
      countries: [Tukey]
      fatalities: {min: five}
    chanels: [console]
  - name: two
    when: {any: []}
    channels: [slack:#newz]
"""
    found = problems(text)
    assert [p.split(": ", 1)[0] for p in found] == [
        "rules.yaml:2:13",
        "rules.yaml:4:5",  # no channels (the misspelt key does not count)
        "rules.yaml:6:19",
        "rules.yaml:7:25",
        "rules.yaml:8:5",
        "rules.yaml:10:17",
        "rules.yaml:11:16",
    ]


def test_without_declared_channels_only_their_form_is_checked() -> None:
    text = rule_with("{keywords: [x]}").replace("[console]", "[slack:#anything, irc:#news]")
    assert problems(text, channels=None) == [
        "rules.yaml:4:33: unknown channel 'irc:#news': use console, slack:#name, "
        "slack:C0123ABCD, matrix:#alias:server or matrix:!roomid"
    ]
