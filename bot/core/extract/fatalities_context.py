"""Whether a death toll is news, a cumulative background toll, or a past event revisited.

`sentence_context` reads the sentence of a statement (and, for a present-perfect toll,
the sentence before it in the same paragraph): "since 2011", "since his inauguration",
"since the army began its operations" (a term in office; not a season: "floods have
killed 246 since December" is news), "in the past six years", "this year", "in the
conflict", "police data showed" (a statistic) mark a cumulative toll; a year, "years
ago", "a week after", "the blast followed attacks that killed", "died in that disaster",
"a recent attack", "the Orlando shooting, in which", a decade ("the late 1980s"), a
sentence opening with a since-clause that holds the toll ("Since a wave of attacks
claimed 130 lives, ..."), "last July", a sentence opening with "In January," (an event
told before) mark an earlier event; "since then" and "a year" (a rate) mark a
cumulative toll. "The deadliest
attack since 2015" dates a comparison, not the toll.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from bot.core.extract.text import Document, Span

# In the sentence: a toll over a long period, not an event.
_CUMULATIVE = re.compile(
    r"""
    \bsince\s+(?:(?:early|late|mid)[\s-]+)?(?:1[89]|20)\d\d\b     # since 2011
    | \bsince\s+(?:the\s+)?(?:start|beginning|outbreak|onset|launch)\b  # since the start
    | \bsince\s+(?:\w+\s+){1,4}(?:began|started|launched|erupted|broke\s+out)\b  # since
                                                                 # Turkey began its operations
    | \bsince\s+(?:his|her|their|its|the)\s+(?:\w+\s+){0,2}       # since his inauguration
      (?:inauguration|election|arrival|independence|takeover|coup|invasion|revolution
        |uprising|crackdown|campaign|creation|founding|rise)\b
    | \bsince\s+(?:taking|assuming|coming\s+to|seizing)\s+(?:office|power)\b
    | \bsince\s+(?:launching|starting|beginning|opening)\s+(?:an?\s+|its\s+|the\s+)?
      (?:\w+\s+)?(?:operation|offensive|campaign|crackdown|war)\b   # since launching an operation
    | \b(?:in|over|during)\s+(?:the\s+)?(?:past|last)\s+(?:\w+\s+)?(?:years|decades|months)\b
    | \bover\s+(?:the\s+)?(?:years|decades)\b                      # over the years
    | \b(?:this|that|the)\s+year\b                                 # 12 killed this year
    | \bto\s+date\b | \bso\s+far\b                                 # the deadliest to date
    | \bsince\s+then\b                                              # since then, 7,000 deaths
    | \b(?:a|per|each|every)\s+year\b                               # kills 10,000 children a year
    | \b(?:war|conflict|insurgency|fighting|epidemic)\s+(?:has|have|had)\s+(?:killed|claimed)
    | \bin\s+the\s+(?:\w+\s+)?(?:war|conflict)\b                   # have died in the conflict
    | \b(?:data|figures|statistics|records|tallies|tally)\s+(?:\w+\s+)?   # police data showed
      (?:show|showed|shows|suggest|suggested|suggests|indicate|indicated|indicates)\b
    """,
    re.VERBOSE,
)
# In the sentence: an earlier event, revisited.
_PAST = re.compile(
    r"""
    \b(?:1[89]|20)\d\d\b                                           # in 2014, a November 2015 attack
    | \b(?:1[89]|20)\d0s\b                                        # in the late 1980s
    | \blast\s+(?:january|february|march|april|may|june|july|august|september|october
        |november|december|spring|summer|autumn|fall|winter)\b      # last July, 86 were killed
    | ^\W*in\s+(?:january|february|march|april|may|june|july|august|september|october
        |november|december)\s*,                                    # "In January, the Taliban ..."
    | ^\W*since\s[^,;]{3,160}(?:killed|died|dead|lives|deaths)\b[^,;]*,  # "Since a wave of
                                                                 # attacks claimed 130 lives, ..."
    | \b(?:years?|decades?|months?)\s+ago\b                        # two years ago
    | \b(?:days?|weeks?|months?|years?)\s+(?:after|before|earlier)\b  # comes a week after
    | \blast\s+year\b | \bearlier\s+this\s+(?:month|year)\b
    | \b(?:follow(?:s|ed)|came\s+after|comes\s+after)\s+(?!by\b)   # it followed twin attacks
    | ,\s+when\s+(?:[\w,]+\s+){0,4}(?:died|were\s+killed|was\s+killed)\b  # since May, when 40 died
    | \b(?:a|an|the)\s+(?:recent|previous|earlier|prior)\s+(?:\w+\s+)?   # a recent attack
      (?:attack|bombing|shooting|massacre|raid|strike|blast|explosion|ambush)s?\b
    | \b(?:attack|bombing|shooting|massacre|raid|blast|ambush),\s+in\s+which\b  # the Paris
                                                                   # attack, in which 130 died
    | \b(?:in|during|after)\s+that\s+(?:\w+\s+)?                   # died in that disaster
      (?:disaster|attack|famine|war|bombing|blast|crash|earthquake|quake|flood|storm|massacre
        |incident|tragedy|outbreak|epidemic|drought|fire|shooting)\b
    """,
    re.VERBOSE,
)
# "the deadliest attack since 2015" dates a comparison, not the toll.
_COMPARISON = re.compile(
    r"""
    \b(?:worst|deadliest|bloodiest|biggest|largest)\b[^.;]{0,60}?   # the deadliest attack
    \bsince\b(?:\s+[a-z]+)?(?:\s+(?:1[89]|20)\d\d\b)?              # since (March) 2015
    """,
    re.VERBOSE,
)
# "... the deadliest since December 2014, when ...": the when-clause tells the earlier event.
_COMPARED_WHEN = re.compile(
    r"\b(?:worst|deadliest|bloodiest|biggest|largest)\b[^.;]{0,60}?\bsince\b[^.;,]{0,30},\s*when\b"
)
_PERIOD_BEFORE = re.compile(
    r"\bfor\s+(?:months|years|decades|weeks)\b|\bsince\s+(?:1[89]|20)\d\d\b"
)
_PRESENT_PERFECT = re.compile(r"\b(?:have|has)\s+(?:also\s+)?(?:been\s+)?(?:killed|died|claimed)\b")


# What a sentence's own words say, cached by sentence start: the verdict ("cumulative",
# "past" or None) and where a "deadliest since ..., when" clause begins (-1: none).
Seen = dict[int, tuple[str | None, int]]


def sentence_context(doc: Document, sentence: Span, hit_text: str, seen: Seen) -> str | None:
    """ "cumulative", "past" or None (news) for a statement in `sentence`.

    `seen` caches what each sentence's own words say (see `Seen`), so a sentence holding
    many statements is read once.
    """
    verdict, compared = _own_words(doc, sentence, seen)
    if compared >= 0 and hit_text in doc.folded[compared : sentence.end]:
        return "past"  # "the deadliest since December 2014, when gunmen ... killing 154"
    if verdict is None and _PRESENT_PERFECT.search(hit_text):
        # The period may be set by the sentence before ("For years ... Hundreds have
        # died"), or that sentence's own toll was a cumulative one that this one goes on
        # counting ("It says it has killed 3,500 fighters since 2014. At least 583
        # soldiers have also been killed.").
        prev = previous_sentence(doc, sentence)
        if prev is not None and (
            _PERIOD_BEFORE.search(doc.folded[prev.start : prev.end])
            or _own_words(doc, prev, seen)[0] == "cumulative"
        ):
            return "cumulative"
    return verdict


def _own_words(doc: Document, sentence: Span, seen: Seen) -> tuple[str | None, int]:
    """What a sentence's own words say (see `Seen`), read once per sentence."""
    if sentence.start not in seen:
        folded = _COMPARISON.sub(" ", doc.folded[sentence.start : sentence.end])
        verdict = "cumulative" if _CUMULATIVE.search(folded) else None
        verdict = verdict or ("past" if _PAST.search(folded) else None)
        compared = _COMPARED_WHEN.search(doc.folded, sentence.start, sentence.end)
        seen[sentence.start] = (verdict, compared.end() if compared is not None else -1)
    return seen[sentence.start]


def previous_sentence(doc: Document, sentence: Span) -> Span | None:
    """The sentence before `sentence` in the same paragraph, if any."""
    i = bisect_left(doc.sentences, sentence.start, key=_start) - 1
    if i < 0:
        return None
    prev = doc.sentences[i]
    between = doc.text[prev.end : sentence.start]
    return prev if "\n\n" not in between and "\r\n\r\n" not in between else None


def _start(span: Span) -> int:
    return span.start
