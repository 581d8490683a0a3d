"""Speech patterns shared by the quote finder and the attribution of speakers.

`QuoteSpan` is one quoted stretch of text; `speech_patterns()` compiles, on first use and
once per process, the attribution patterns from the package data files (speech verbs,
titles and role nouns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted stretch: inner text [start, end), marks at open_at and before close_at.

    `continued`: same speaker as the previous span (an unclosed quote ran on into a new
    opening mark); `joined`: the same quote as the previous span (next paragraph).
    """

    start: int
    end: int
    open_at: int
    close_at: int
    continued: bool = False
    joined: bool = False


def _words(name: str) -> list[str]:
    text = resources.files("bot.core.extract.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _alternation(words: list[str]) -> str:
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", "[ ]") for w in ordered)


_PREPOSITIONS = (
    "with|by|of|to|for|from|on|at|about|against|between|among|towards|toward|into|over"
    "|under|like|than|including|via|whom|told|thanked|met|called"
)


@dataclass(frozen=True, slots=True)
class SpeechPatterns:
    """Compiled attribution patterns (over folded text); get them with `speech_patterns()`."""

    verb: re.Pattern[str]
    lead_pronoun: re.Pattern[str]
    lead_verb: re.Pattern[str]
    according: re.Pattern[str]
    split: re.Pattern[str]
    pronoun_before: re.Pattern[str]
    object_before: re.Pattern[str]
    gender_pronoun: re.Pattern[str]
    subject_pronoun: re.Pattern[str]
    description_before: re.Pattern[str]
    description_after: re.Pattern[str]
    title_gender: dict[str, str]
    inverted: frozenset[str] = frozenset()  # verbs a speaker's name may follow ("said X")
    titles: frozenset[str] = frozenset()  # full titles, lower case: "vice president"


@cache
def speech_patterns() -> SpeechPatterns:
    """The attribution patterns, compiled on first use from the package data files."""
    verbs = _alternation(_words("people_speech_verbs.txt"))
    adverbs = (
        r"(?:(?:also|later|then|further|again|previously|once|earlier|recently|has|had)[ ]){0,2}"
    )
    roles = set(_words("titles_roles.txt"))
    title_gender = {}
    titles = set()
    for line in _words("titles_en.txt"):
        roles.update(w.lower() for w in line.partition("\t")[0].split() if len(w) > 3)
        title, _, gender = line.partition("\t")
        titles.add(title.strip().lower())
        if gender.strip() in ("m", "f"):
            title_gender[title.strip().lower().rstrip(".")] = gender.strip()
    return SpeechPatterns(
        verb=re.compile(rf"\b(?:{verbs})\b"),
        lead_pronoun=re.compile(
            rf"""
            [\s,:;—–-]*                          # the comma after the quote
            (?P<pro>he|she|they|it|we|i)[ ]      # the pronoun
            {adverbs}(?:{verbs})\b               # "also said", "told reporters"
            """,
            re.VERBOSE,
        ),
        lead_verb=re.compile(
            rf"""
            [\s,:;—–-]*                          # the comma after the quote
            {adverbs}(?:{verbs})\b               # "said", "added"
            """,
            re.VERBOSE,
        ),
        according=re.compile(r"\baccording[ ]to\b"),
        split=re.compile(
            rf"""
            [\s,—–-]*                            # the comma closing the first part
            [^.!?;"“”«»]{{0,80}}?\b(?:{verbs})\b  # "he said", "Lavrov added"
            [^.!?;"“”«»]{{0,60}}?                # "in a statement"
            [,:—–-]\s*$                          # the comma before the second part
            """,
            re.VERBOSE,
        ),
        pronoun_before=re.compile(
            r"\b(?P<pro>he|she|they|it|we|i)[ ](?:[a-z]+[ ])?$"  # "he also" + verb
        ),
        object_before=re.compile(
            rf"""
            \b(?:{_PREPOSITIONS})[ ]             # "with", "to", "thanked"
            (?:[^\s,.;:"“”]+[ ]){{0,3}}$         # a title or a given name between
            """,
            re.VERBOSE,
        ),
        gender_pronoun=re.compile(r"\b(?:(he|his|him|himself)|(she|her|hers|herself))\b"),
        subject_pronoun=re.compile(r"[\s\"“”'‘]*(?P<pro>he|she)\b"),  # used with .match
        description_before=re.compile(
            rf"""
            (?<![\w\-'’])(?P<det>the|this|that|[\w\-]+'s)[ ]  # "the", "Afghanistan's"
            (?:[\w\-]+[ ]){{0,3}}?                 # "veteran", "IT", "top"
            (?P<role>{_alternation(sorted(roles))})  # "diplomat", "minister"
            (?:,[ ][a-z][a-z ]{{0,30}},)?[ ]       # ", in turn,"
            (?:also[ ]|later[ ]|then[ ]|[a-z]{{3,}}ly[ ])?$  # "also", "sarcastically"
            """,
            re.VERBOSE,
        ),
        description_after=re.compile(
            rf"""
            [ ](?P<det>the|this|that|[\w\-]+'s)[ ]  # "said the", "said Russia's"
            (?:[\w\-]+[ ]){{0,3}}?                 # "top"
            (?P<role>{_alternation(sorted(roles))})\b  # "diplomat"
            """,
            re.VERBOSE,
        ),
        title_gender=title_gender,
        inverted=frozenset(w.lower() for w in _words("people_speech_inverted.txt")),
        titles=frozenset(titles),
    )
