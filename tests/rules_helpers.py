"""Helpers for the rules tests: stories with hand-made extractions, rules from YAML text."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from bot.core.errors import RuleError
from bot.core.extract.places import Gazetteer
from bot.core.models import (
    CountryRef,
    Extraction,
    Fatalities,
    Fatality,
    Mention,
    Person,
    Qualifier,
    Story,
)
from bot.core.rules import Rule, RuleSet, compile_rules
from bot.rules_file import CountryLookup, parse_rules

DECLARED = ("console", "slack:#news", "matrix:#news:localhost")


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def countries() -> CountryLookup:
    gaz = gazetteer()
    return CountryLookup(gaz.resolve, gaz.suggest, gaz.name_of)


def rules_from(text: str, channels: Sequence[str] | None = DECLARED) -> list[Rule]:
    """Parse rules-file text (raises RuleError)."""
    return parse_rules(text, "rules.yaml", countries=countries(), channels=channels)


def ruleset(text: str) -> RuleSet:
    return compile_rules(rules_from(text))


def problems(text: str, channels: Sequence[str] | None = DECLARED) -> list[str]:
    """Every problem reported for `text`, as `rules.yaml:LINE:COL: message`."""
    try:
        rules_from(text, channels)
    except RuleError as exc:
        return [str(p) for p in exc.problems]
    raise AssertionError("expected the rules to be rejected")


def story(headline: str, body: str = "", source: str = "wire") -> Story:
    return Story(source=source, guid=headline, headline=headline, body=body)


def _mention(text: str, words: str) -> Mention:
    start = text.index(words)
    return Mention(words, start, start + len(words))


def extraction(
    item: Story,
    *,
    countries: Sequence[tuple[str, str, str]] = (),
    people: Sequence[tuple[str, str]] = (),
    killed: int | None = None,
    killed_text: str = "",
    qualifier: Qualifier = "exact",
    cumulative: Sequence[tuple[int, str]] = (),
) -> Extraction:
    """An Extraction for `item`: countries as (code, name, words in the text), people as
    (name, words in the text), the toll with the words stating it, cumulative tolls."""
    text = item.text
    fatalities: list[Fatality] = []
    if killed is not None:
        where = _mention(text, killed_text) if killed_text else Mention("", 0, 0)
        fatalities.append(Fatality(killed, "people", where.text, where.start, where.end, qualifier))
    for count, words in cumulative:
        where = _mention(text, words)
        fatalities.append(
            Fatality(count, "people", words, where.start, where.end, "approx", cumulative=True)
        )
    return Extraction(
        headline=item.headline,
        dateline=None,
        published=None,
        countries=tuple(CountryRef(c, n, (_mention(text, w),)) for c, n, w in countries),
        people=tuple(Person(n, None, None, (_mention(text, w),)) for n, w in people),
        fatalities=Fatalities(killed, qualifier, tuple(fatalities)),
        quotes=(),
        summary="",
        key_quote=None,
    )
