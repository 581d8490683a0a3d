"""Leaf conditions against one scanned story: a fast yes/no test, and the reasons.

Each leaf compiles to two closures over pre-resolved ids (pattern ids, person ids,
country codes): `test(scan) -> bool`, used for every candidate rule, and
`reasons(scan) -> reasons | None`, used only for rules that fired (and by `explain`),
so the common case — a candidate that does not fire — allocates nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.models import CountryRef, Extraction, Fatality, Reason, Story
from bot.core.rules.model import FatalityCount
from bot.core.rules.scan import Span, is_word_char

Reasons = Sequence[Reason]
Test = Callable[["StoryScan"], bool]
Explain = Callable[["StoryScan"], Reasons | None]

_QUALIFIER_WORDS = {"at_least": "at least ", "approx": "about ", "at_most": "up to "}


class StoryScan:
    """What one story contains, computed once for every rule.

    `hits`/`head`: first whole-word span of each pattern id in the text / headline;
    `countries`: the extraction's countries by code; `people`: watched person id ->
    the reason naming them (filled in by the RuleSet); `regex`: results per pattern.
    """

    __slots__ = (
        "countries",
        "extraction",
        "head",
        "hits",
        "memo",
        "people",
        "regex",
        "story",
        "text",
        "toll",
        "toll_with_cumulative",
    )

    def __init__(
        self, story: Story, extraction: Extraction, hits: dict[int, Span], head: dict[int, Span]
    ) -> None:
        self.story = story
        self.text = story.text
        self.extraction = extraction
        self.hits = hits
        self.head = head
        self.countries: dict[str, CountryRef] = {c.code: c for c in extraction.countries}
        self.people: dict[int, Reason] = {}
        self.regex: dict[str, re.Match[str] | None] = {}
        # Reasons already built for this story, shared by every rule that gives them.
        self.memo: dict[tuple[str, object], Reason] = {}
        fat = extraction.fatalities
        self.toll = max(fat.total or 0, 0)
        cumulative = (m.count for m in fat.mentions if m.cumulative)
        self.toll_with_cumulative = max(self.toll, *cumulative, 0)

    def any_deaths(self) -> bool:
        return self.toll_with_cumulative > 0

    def toll_reason(self, include_cumulative: bool) -> Reason | None:
        """The reason showing the toll (`8 killed`, `at least 12 killed`); None if none."""
        fat = self.extraction.fatalities
        best = self.toll_with_cumulative if include_cumulative else self.toll
        if best <= 0:
            return None
        source: Fatality | None = None
        for mention in fat.mentions:
            if mention.count == best and (include_cumulative or not mention.cumulative):
                source = mention
                break
        prefix = _QUALIFIER_WORDS.get(source.qualifier if source else fat.qualifier, "")
        label = f"{prefix}{best} killed"
        if source is None:
            return Reason("fatalities", label)
        # The label says it all; the offsets point at the words that gave the count.
        return Reason("fatalities", label, "", source.start, source.end)

    def search(self, source: str, compiled: re.Pattern[str]) -> re.Match[str] | None:
        """`compiled.search(text)`, once per story per distinct pattern."""
        if source in self.regex:
            return self.regex[source]
        found = self.regex[source] = compiled.search(self.text)
        return found


@dataclass(frozen=True, slots=True)
class LeafCode:
    test: Test
    reasons: Explain


def countries_leaf(codes: tuple[str, ...]) -> LeafCode:
    def test(scan: StoryScan) -> bool:
        present = scan.countries
        for code in codes:  # noqa: SIM110 (faster than any()/all())
            if code in present:
                return True
        return False

    def reasons(scan: StoryScan) -> Reasons | None:
        found = []
        for code in codes:
            reason = scan.memo.get(("c", code))
            if reason is None:
                ref = scan.countries.get(code)
                if ref is None:
                    continue
                reason = Reason("countries", ref.name)
                if ref.mentions:
                    first = min(ref.mentions, key=lambda m: m.start)
                    reason = Reason("countries", ref.name, first.text, first.start, first.end)
                scan.memo["c", code] = reason
            found.append(reason)
        return found or None

    return LeafCode(test, reasons)


def people_leaf(ids: tuple[int, ...]) -> LeafCode:
    def test(scan: StoryScan) -> bool:
        present = scan.people
        for person_id in ids:  # noqa: SIM110 (faster than any()/all())
            if person_id in present:
                return True
        return False

    def reasons(scan: StoryScan) -> Reasons | None:
        return [scan.people[i] for i in ids if i in scan.people] or None

    return LeafCode(test, reasons)


def fatalities_leaf(leaf: FatalityCount) -> LeafCode:
    low = 1 if leaf.min is None else leaf.min
    high = leaf.max
    cumulative = leaf.include_cumulative

    def test(scan: StoryScan) -> bool:
        toll = scan.toll_with_cumulative if cumulative else scan.toll
        return toll >= low and (high is None or toll <= high)

    def reasons(scan: StoryScan) -> Reasons | None:
        if not test(scan):
            return None
        reason = scan.memo.get(("f", cumulative))
        if reason is None:
            toll = scan.toll_reason(cumulative) or Reason("fatalities", "nobody killed")
            reason = scan.memo["f", cumulative] = toll
        return [reason]

    return LeafCode(test, reasons)


def keywords_leaf(entries: tuple[tuple[int, str, bool], ...], headline: bool) -> LeafCode:
    """`entries`: (pattern id, the word as written, whether it is a `word*` prefix)."""
    pattern_ids = tuple(e[0] for e in entries)
    kind = "headline" if headline else "keywords"
    # The memo key of each word's reason, built once: (kind, (pattern id, word)).
    keyed = tuple((p, word, prefix, (kind, (p, word))) for p, word, prefix in entries)

    def test(scan: StoryScan) -> bool:
        spans = scan.head if headline else scan.hits
        for pattern_id in pattern_ids:  # noqa: SIM110 (faster than any()/all())
            if pattern_id in spans:
                return True
        return False

    def reasons(scan: StoryScan) -> Reasons | None:
        spans = scan.head if headline else scan.hits
        found = []
        memo = scan.memo
        for pattern, word, prefix, key in keyed:
            span = spans.get(pattern)
            if span is not None:
                reason = memo.get(key)
                if reason is None:
                    reason = memo[key] = text_reason(kind, word, scan.text, span, prefix)
                found.append(reason)
        return found or None

    return LeafCode(test, reasons)


def text_reason(kind: str, label: str, text: str, span: Span, prefix: bool) -> Reason:
    start, end = span
    if prefix:  # show the whole word the prefix matched: "ceasefire*" -> "ceasefires"
        while end < len(text) and is_word_char(text[end]):
            end += 1
    return Reason(kind, label, text[start:end], start, end)


def regex_leaf(patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> LeafCode:
    def test(scan: StoryScan) -> bool:
        return any(scan.search(source, compiled) is not None for source, compiled in patterns)

    def reasons(scan: StoryScan) -> Reasons | None:
        found = []
        for source, compiled in patterns:
            hit = scan.search(source, compiled)
            if hit is not None:
                found.append(Reason("regex", f"/{source}/", hit.group(0), *hit.span()))
        return found or None

    return LeafCode(test, reasons)


def sources_leaf(names: frozenset[str]) -> LeafCode:
    def test(scan: StoryScan) -> bool:
        return scan.story.source in names

    def reasons(scan: StoryScan) -> Reasons | None:
        return [Reason("sources", scan.story.source)] if test(scan) else None

    return LeafCode(test, reasons)
