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

from bot.core.models import CountryRef, Extraction, Fatality, Mention, Reason, Story
from bot.core.rules.model import FatalityCount
from bot.core.rules.scan import Span, is_word_char

Reasons = Sequence[Reason]
Test = Callable[["StoryScan"], bool]
Explain = Callable[["StoryScan"], Reasons | None]

# A keyword's reason, precomputed: (kind, label, is a prefix, memo key).
WordCode = tuple[str, str, bool, tuple[str, object]]

_QUALIFIER_WORDS = {"at_least": "at least ", "approx": "about ", "at_most": "up to "}


def _start(mention: Mention) -> int:
    return mention.start


class StoryScan:
    """What one story contains, computed once for every rule.

    `hits`/`head`: first span of each pattern id in the text / headline (whole words
    for keywords and names, anywhere for the necessary words of a regex); `countries`:
    the extraction's countries by code; `people`: watched person id -> the reason naming
    them (filled in by the RuleSet); `regex`: results per pattern; `memo`: reasons built
    for this story, shared by every rule that gives them.
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

    def country_reason(self, code: str) -> Reason | None:
        """The reason naming country `code` (its first mention), None if not in the story;
        built once per story."""
        key = ("c", code)
        reason = self.memo.get(key)
        if reason is None:
            ref = self.countries.get(code)
            if ref is None:
                return None
            reason = Reason("countries", ref.name)
            if ref.mentions:
                first = min(ref.mentions, key=_start)
                reason = Reason("countries", ref.name, first.text, first.start, first.end)
            self.memo[key] = reason
        return reason

    def word_reason(self, word: WordCode, span: Span) -> Reason:
        """The reason for a keyword found at `span`, built once per story per word."""
        kind, label, prefix, key = word
        reason = self.memo.get(key)
        if reason is None:
            reason = self.memo[key] = text_reason(kind, label, self.text, span, prefix)
        return reason

    def search(
        self, source: str, compiled: re.Pattern[str], needs: tuple[int, ...] | None
    ) -> re.Match[str] | None:
        """`compiled.search(text)`, once per story per distinct pattern; skipped (None)
        when the pattern has necessary words (`needs`, pattern ids) and none was found."""
        regex = self.regex
        if source in regex:
            return regex[source]
        hits = self.hits
        if needs is not None and not any(word in hits for word in needs):
            found = regex[source] = None
        else:
            found = regex[source] = compiled.search(self.text)
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
            reason = scan.country_reason(code)
            if reason is not None:
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


def word_code(pattern: int, word: str, headline: bool) -> WordCode:
    """What `StoryScan.word_reason` needs for a keyword as written (`ceasefire*`)."""
    kind = "headline" if headline else "keywords"
    label = word.strip()
    return (kind, label, label.endswith("*"), (kind, (pattern, label)))


def keywords_leaf(entries: tuple[tuple[int, str], ...], headline: bool) -> LeafCode:
    """`entries`: (pattern id, the word as written)."""
    pattern_ids = tuple(e[0] for e in entries)
    words = tuple((pattern, word_code(pattern, word, headline)) for pattern, word in entries)

    def test(scan: StoryScan) -> bool:
        spans = scan.head if headline else scan.hits
        for pattern_id in pattern_ids:  # noqa: SIM110 (faster than any()/all())
            if pattern_id in spans:
                return True
        return False

    def reasons(scan: StoryScan) -> Reasons | None:
        spans = scan.head if headline else scan.hits
        found = []
        for pattern, word in words:
            span = spans.get(pattern)
            if span is not None:
                found.append(scan.word_reason(word, span))
        return found or None

    return LeafCode(test, reasons)


def text_reason(kind: str, label: str, text: str, span: Span, prefix: bool) -> Reason:
    start, end = span
    if prefix:  # show the whole word the prefix matched: "ceasefire*" -> "ceasefires"
        while end < len(text) and is_word_char(text[end]):
            end += 1
    return Reason(kind, label, text[start:end], start, end)


RegexCode = tuple[str, re.Pattern[str], tuple[int, ...] | None]


def regex_leaf(patterns: tuple[RegexCode, ...]) -> LeafCode:
    """`patterns`: (source, compiled, pattern ids of its necessary words or None)."""

    def test(scan: StoryScan) -> bool:
        for source, compiled, needs in patterns:
            if scan.search(source, compiled, needs) is not None:
                return True
        return False

    def reasons(scan: StoryScan) -> Reasons | None:
        found = []
        for source, compiled, needs in patterns:
            hit = scan.search(source, compiled, needs)
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
