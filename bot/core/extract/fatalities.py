"""People killed in the events a story reports: `find_fatalities(doc) -> Fatalities`.

How a toll is read:

1. Every count of people is found once (`numbers.find_counts`): "at least 16 civilians",
   "seven Turkish soldiers", "a Turkish civilian member of the military".
2. Every death word is found once (`_TRIGGER`) and tied to the counts it governs: to the
   right for active verbs and "deaths of" ("killing more than 30 people"), to the left for
   passives and nouns ("seven soldiers and a civilian were killed", "56 dead", "eight
   martyrs"), the first count after "death toll". Counts listed together in one clause
   are victims of that clause, added up (7 + 1 = 8).
3. Each statement's sentence decides whether it is news, a cumulative background toll
   ("since 2011", "in the past six years", "this year" -> `cumulative=True`, not counted),
   or a past event revisited ("in 2014", "a week after", "years ago" -> left out).
4. The total: counts of one victim group restate or update each other, so the largest
   wins; different groups are added, except a group whose count equals another group's
   from a different clause (the lede's "42 Somalis" is the body's "42 refugees"); a generic
   count ("people", "dead", "martyrs", "the death toll") may include all of them, so the
   total is the larger of the generic count and the sum of the groups.

A harm done "fatally" ("fatally stabbed", "fatally shooting") is a killing; a person
named as the object of "killed" / "assassinated" is one victim ("they killed Abu Omar
al-Masri,"), as is "the man shot dead at" and "shot the attacker dead"; a pet named as
the subject of "died" is none, nor "two dead goldfish", nor "toll rises to 17 injured".
A person whose death was told as past stays past when named again, and a headline count
the body gives as cumulative is cumulative. Killing as a kind of act ("would never
condone the killing of") is no event. Injured, "dozens", hypothetical and figurative
killing ("could kill", "killed the bill") never count. "No one was killed" yields a
mention with count 0 and total None.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from bot.core.extract.fatalities_context import Seen, sentence_context
from bot.core.extract.numbers import (
    GENERIC,
    Count,
    find_counts,
    lexicon,
    list_gap,
    victim_noun,
)
from bot.core.extract.text import Document, Span
from bot.core.models import Fatalities, Fatality, Qualifier

_TRIGGER = re.compile(
    r"""
    \b(?:
      (?P<toll>(?:death|casualty)\s+toll|toll)                     # the death toll rose to 119
    | (?P<of>(?:deaths?|murders?|killings?|massacre|bodies|remains)  # the deaths of 42 Somalis
         \s+of\s+(?:the\s+|all\s+)?)
    | (?P<single>(?:fell|plunged|jumped)\s+to\s+(?:his|her)\s+death  # fell to his death
        | shot\s+(?:the|a|an)\s+(?:[a-z'-]+\s+){1,3}?dead)           # shot the attacker dead
    | (?P<verb>
        shot\s+(?:and\s+killed|dead) | (?:stabbed|beaten|burned|burnt|hacked|crushed)\s+to\s+death
      | (?:found|confirmed|feared)\s+dead                           # two experts were found dead
      | fatally\s+(?:stabb|shoot|shot|wound|injur|beat|strik|struck|hit|poison|maul|attack)
          [a-z]*                                                    # fatally stabbing a man
      | lost\s+their\s+lives                                        # 12 people lost their lives
      | killed | killing | kills | kill | slain | murdered | massacred | assassinated
      | died | perished | drowned | martyred | executed
      | claimed | claiming | claims | cost | costing               # only with "N lives"
      | dead | martyrs | deaths | fatalities | bodies | corpses | lives  # nouns after a count
      )
    )\b
    """,
    re.VERBOSE,
)

# The first word of every trigger: a one-pass Aho-Corasick scan finds where _TRIGGER may
# match, which is far cheaper than running the regex at every position of the text.
_TRIGGER_STEMS = (
    "death", "casualty", "toll", "murder", "killing", "massacre", "bodies", "remains", "fell",
    "plunged", "jumped", "shot", "stabbed", "beaten", "burned", "burnt", "hacked", "crushed",
    "found", "confirmed", "feared", "lost", "kill", "slain", "assassinated", "died",
    "perished", "drowned", "martyr", "claim", "cost", "dead", "fatalities", "corpses", "lives",
    "fatally", "executed",
)  # fmt: skip

_ACTIVE = frozenset(
    {"killed", "killing", "kills", "kill", "murdered", "massacred", "slain", "shot dead"}
)
_CLAIM = frozenset({"claimed", "claiming", "claims", "cost", "costing"})
# Verbs whose object may be one person by name: "troops killed Abu Omar al-Ansary".
_ACTIVE_NAMED = frozenset({"killed", "killing", "murdered", "assassinated", "shot dead"})
# A person's name as the object: two or more capitalised words (particles allowed:
# "bin", "al-"), ending the clause. A capitalised word followed by a lower-case one is a
# group or a title ("Islamic State fighters", "Iraqi soldiers"), not a name.
_NAME_AFTER = re.compile(
    r"""
    (?:[A-Z][\w'’.-]*\s+(?:(?:al|el|bin|ibn|de|van|von|abu|abdul)[\s-]+)?){1,4}[A-Z][\w'’-]*
    (?=\s*[,.;:(]|\s+(?:on|in|at|near|during|after|before|when|who|as|and|last|early)\b)
    """,
    re.VERBOSE,
)
_NOUNS = frozenset({"martyrs", "deaths", "fatalities", "bodies", "corpses", "lives"})
_SINGLE_VERBS = frozenset({"killed", "murdered", "assassinated", "slain", "died"})

# Between a count and its passive verb: "were", "had been", "who", ", including women,".
_PASSIVE_GAP = re.compile(
    r"""
    \s*
    (?:,[^,;:.]{1,120},\s* | \([^()]{0,80}\)\s*)?     # one aside: ", who were carrying ..., "
    (?:(?:were|was|are|is|been|have|has|had|who|that|which|also|all|both|later|reportedly
        |allegedly|apparently|subsequently|eventually|since|now|so\s+far|tragically
        |(?:believed|reported|thought|said|feared)\s+to\s+have)\s+)*
    """,
    re.VERBOSE,
)
# Before a verb: it did not happen, may happen, or is not about death.
_HYPOTHETICAL = re.compile(
    r"""
    (?:could|would|might|may|will|can|shall|to|not|never|n't|almost|nearly|narrowly|be)
    \s+(?:have\s+)?(?:been\s+)?$                       # could (have) (been) killed
    """,
    re.VERBOSE,
)
# A toll in a clause that imagines it: "we could be talking about eight dead people".
_HYPOTHETICAL_CLAUSE = re.compile(
    r"\b(?:could|would|might)\s+(?:have\s+been|be)\s+(?:here\s+)?(?:talking|speaking)\b"
)
_NOT_DEATHS_AFTER = re.compile(
    r"""
    \s+or\s+(?:injured|wounded|hurt|maimed|missing)\b          # killed or injured
    | \s+and\s+(?:injured|wounded|hurt|maimed)\b                # killed and wounded, ...
      (?![^.;]{0,25}?\b(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|dozens))
                                                                 # ...but not "and 12 wounded"
    """,
    re.VERBOSE,
)
_NOT_DEATHS_BEFORE = re.compile(r"(?:injured|wounded|hurt|maimed|missing)\s+or\s+$")
# Killing as a kind of act, not an event: "would never condone the killing of a suspect",
# "to prevent the killing of civilians". (Condemning a killing says it happened.)
_KILLING_IN_GENERAL = re.compile(
    r"""
    \b(?:condone|justify|justifies|tolerate|allow|permit|encourage|advocate|authori[sz]e
       |incite|prevent|stop|end|ban|outlaw|forbid|threaten|legali[sz]e)[a-z]*
    \s+(?:the\s+|any\s+|all\s+)?$
    """,
    re.VERBOSE,
)
_NEGATION = re.compile(
    r"""
    \b(?:no\s+one|no-one|nobody|none)\s+(?:(?:was|were|has\s+been|had\s+been|is)\s+)?
      (?:killed|hurt|injured|harmed|died|dead)\b          # no one was killed
    | \bno\s+(?:deaths|casualties|fatalities|injuries)\b  # no casualties
    | \bwithout\s+(?:any\s+)?(?:casualties|loss\s+of\s+life)\b
    """,
    re.VERBOSE,
)
_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "who",
        "which",
        "that",
        "this",
        "there",
        "one",
        "someone",
        "nobody",
        "none",
        "everyone",
        "anyone",
    ]
)


_NOT_NAME_WORDS = frozenset(
    {
        "on", "in", "at", "by", "for", "from", "during", "after", "before", "since", "the",
        "this", "that", "last", "next", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "june",
        "july", "august", "september", "october", "november", "december",
    }
)  # fmt: skip
_INJURED_AFTER = re.compile(r"\s*(?:people\s+|persons\s+)?(?:injured|wounded|hurt)\b")
# A name after one of these is a pet's or a zoo animal's ("his cat Orville died").
_ANIMALS = frozenset(
    {
        "cat", "dog", "pet", "horse", "pony", "puppy", "kitten", "parrot", "bird", "cow",
        "bull", "elephant", "tiger", "lion", "bear", "panda", "gorilla", "chimpanzee",
        "whale", "dolphin", "orca", "giraffe", "rhino", "hippo", "camel", "goat", "sheep",
        "pig", "fish", "goldfish", "animal", "cattle", "livestock", "chicken", "deer",
        "wolf", "fox", "seal", "bee",
    }
)  # fmt: skip
# "two dead (class) goldfish": the noun after "dead" is an animal (singular or plural).
_ANIMAL_AFTER = re.compile(
    r"\s+(?:[a-z-]+\s+)?(?:" + "|".join(sorted(_ANIMALS, key=len, reverse=True)) + r")(?:s|es)?\b"
)


@dataclass(frozen=True, slots=True)
class _Hit:
    """One counted statement: a count, its clause and the words that are evidence."""

    count: Count
    clause: int
    start: int
    end: int
    cumulative: bool


def _left_list(counts: list[Count], idx: int, folded: str, floor: int) -> list[Count]:
    """The list of counts ending with counts[idx], walking left ("7 soldiers and a civilian")."""
    items = [counts[idx]]
    j = idx - 1
    while j >= 0 and counts[j].start >= floor and list_gap(folded, counts[j].end, items[0].start):
        items.insert(0, counts[j])
        j -= 1
    return items


def _right_list(counts: list[Count], idx: int, folded: str) -> list[Count]:
    items = [counts[idx]]
    j = idx + 1
    while j < len(counts) and list_gap(folded, items[-1].end, counts[j].start):
        items.append(counts[j])
        j += 1
    return items


@lru_cache(maxsize=1)
def _stems() -> Any:
    automaton = ahocorasick.Automaton()
    for stem in _TRIGGER_STEMS:
        automaton.add_word(stem, len(stem))
    automaton.make_automaton()
    return automaton


def _triggers(folded: str) -> list[re.Match[str]]:
    """Every death word in the text, in order (see _TRIGGER_STEMS)."""
    found: list[re.Match[str]] = []
    last_end = 0
    for end, size in _stems().iter(folded):
        start = end - size + 1
        if start < last_end or (start > 0 and folded[start - 1].isalnum()):
            continue
        m = _TRIGGER.match(folded, start)
        if m is not None:
            found.append(m)
            last_end = m.end()
    return found


def _statements(
    doc: Document, counts: list[Count], triggers: list[re.Match[str]]
) -> list[tuple[list[Count], int, int]]:
    """Every (counts, evidence start, evidence end) a death word governs, in text order."""
    folded = doc.folded
    by_start = {c.start: i for i, c in enumerate(counts)}
    starts = [c.start for c in counts]
    ends = [c.end for c in counts]  # increasing too: counts never overlap
    found: list[tuple[list[Count], int, int]] = []
    for m in triggers:
        t0, t1 = m.span()
        sentence = doc.sentence_at(t0)
        if sentence is None:
            continue
        floor = max(sentence.start, folded.rfind(";", sentence.start, t0) + 1)
        before = folded[max(floor, t0 - 40) : t0]
        if _HYPOTHETICAL.search(before) or _NOT_DEATHS_BEFORE.search(before):
            continue
        if _HYPOTHETICAL_CLAUSE.search(before):
            continue  # "we could be here talking about eight dead people"
        if m.group("of") and _KILLING_IN_GENERAL.search(before):
            continue
        if _NOT_DEATHS_AFTER.match(folded, t1):
            continue
        word = _as_kill(re.sub(r"\s+", " ", m.group(0)))
        if m.group("toll"):
            limit = min(sentence.end, t1 + 100)
            i = bisect_left(starts, t1)
            nxt = counts[i] if i < len(counts) and counts[i].start < limit else None
            if (
                nxt is not None
                and not re.search(r"[;,:]", folded[t1 : nxt.start])
                and not _INJURED_AFTER.match(folded, nxt.end)  # "toll rises to 17 injured"
            ):
                found.append(([nxt], t0, nxt.end))
            continue
        if m.group("of"):
            if t1 in by_start:
                items = _right_list(counts, by_start[t1], folded)
                found.append((items, t0, items[-1].end))
            continue
        if m.group("single"):
            if not (word.startswith("shot ") and _several(word)):
                found.append(([_single(t0, t1)], t0, t1))
                continue
            # "shot the two gunmen dead": the count between the words
            i = bisect_left(starts, t0)
            if i < len(counts) and counts[i].end <= t1:
                found.append(([counts[i]], t0, t1))
            continue
        # Active: "killed 16 civilians", "claimed 12 lives".
        gap = re.match(r"\s+(?:all\s+|the\s+)?", folded[t1 : t1 + 8])
        right = t1 + (gap.end() if gap else 0)
        if (
            word in _ACTIVE | _CLAIM
            and right in by_start
            and not doc.text[right].isupper()  # "...killed Two members": a new sentence
        ):
            items = _right_list(counts, by_start[right], folded)
            claim_ok = word not in _CLAIM or re.match(r"\s+lives\b", folded[items[-1].end :])
            if claim_ok:
                found.append((items, t0, items[-1].end))
                continue
        if word in _CLAIM:
            continue
        if word in _ACTIVE_NAMED and _is_name_at(doc.text, right):
            found.append(([_single(right, t1)], t0, t1))  # "they killed Abu Omar al-Ansary,"
            continue
        # Passive or noun: "were killed", "56 dead", "eight martyrs".
        left = _left_count(folded, counts, ends, floor, t0, nouns=word in _NOUNS)
        if left is not None:
            if word == "lives" and not re.search(
                r"(?:claimed|claiming|claims|took|taking|cost|costing)\s+(?:the\s+)?$",
                folded[max(0, counts[left].start - 20) : counts[left].start],
            ):
                continue
            if word == "dead" and _ANIMAL_AFTER.match(folded, t1):
                continue  # "their two dead class goldfish"
            items = _left_list(counts, left, folded, floor)
            found.append((items, items[0].start, t1))
        elif word in _SINGLE_VERBS or word.endswith(("dead", "to death", "and killed")):
            subject = _named_subject(doc, floor, t0, word)
            if subject is None and word == "shot dead":
                subject = _one_person_before(folded, floor, t0)  # "the man shot dead at"
            if subject is not None:
                found.append(([_single(subject, t1)], subject, t1))
    return found


def _is_name_at(text: str, pos: int) -> bool:
    """Whether a person's name starts at `pos` (see `_NAME_AFTER`); a capitalised run of
    calendar or function words ("On Sunday", "In March") is none."""
    m = _NAME_AFTER.match(text, pos)
    if m is None:
        return False
    words = re.findall(r"[A-Za-z]+", m.group(0).lower())
    return not any(w in _NOT_NAME_WORDS for w in words)


def _as_kill(word: str) -> str:
    """A harm done "fatally" is a killing: "fatally stabbing a man" reads as "killing a
    man" (the victim after it), "was fatally shot" as "was killed" (the victim before)."""
    if not word.startswith("fatally "):
        return word
    return "killing" if word.endswith("ing") else "killed"


def _left_count(
    folded: str, counts: list[Count], ends: list[int], floor: int, t0: int, *, nouns: bool
) -> int | None:
    """Index of the count a passive verb or noun at t0 governs, if any."""
    best = bisect_right(ends, t0) - 1  # the nearest count ending before t0
    if best < 0 or counts[best].start < floor:
        return None
    if nouns:
        return best if folded[counts[best].end : t0].strip() == "" else None
    # "Five members of the family, including three children, died": the subject may be
    # a count or two before the nearest one.
    for i in range(best, max(-1, best - 3), -1):
        if counts[i].start < floor:
            break
        if _PASSIVE_GAP.fullmatch(folded, counts[i].end, t0):
            return i
    return None


def _named_subject(doc: Document, floor: int, t0: int, word: str) -> int | None:
    """Where the one victim is named: "Frank Ancona ... was found dead", "Swinburn died".

    None for pronouns ("he was killed") and for "died" after anything but a name.
    """
    before = doc.folded[floor:t0]
    if word == "died":
        m = re.search(r"(\w[\w'-]*)\s+(?:has\s+|had\s+)?$", before)
        if m and m.group(1) not in _PRONOUNS and doc.text[floor + m.start(1)].isupper():
            animal = re.search(r"(\w+)\s+$", before[: m.start(1)])
            if animal is not None and animal.group(1) in _ANIMALS:
                return None  # "when his cat Orville died"
            return floor + m.start(1)
        return None
    m = _PASSIVE_SUBJECT.search(before)  # "Mr Black, 52, was shot dead"
    if m is not None and m.group(1) == "who":  # "Ziyed Ben, who was shot and killed"
        m = re.search(r"(\w[\w'.-]*),\s+(?=who\b)", before[: m.end(1)]) or m
    if m is None or m.group(1) in _PRONOUNS:
        return None
    # A name ("Frank Ancona was found dead") or a person ("the policeman was killed"),
    # not a thing ("the investigation had been killed"); the subject may stand before an
    # aside ("Ancona, according to a website promoting the group, was found dead").
    for _ in range(2):
        at = floor + m.start(1)
        if doc.text[at].isupper() or victim_noun(m.group(1)):
            return at
        aside = _ASIDE_BEFORE.search(before, 0, m.start(1) + len(m.group(1)) + 1)
        if aside is None:
            return None
        subject = re.search(r"(\w[\w'.-]*)\s*$", before[: aside.start()])
        if subject is None:
            return None
        m = subject
    return None


_PASSIVE_SUBJECT = re.compile(r"(\w[\w'.-]*)(?:,\s+\d{1,3})?,?\s+(?:was|has\s+been|had\s+been)\s+$")
# ", according to a website promoting the group," right before the verb.
_ASIDE_BEFORE = re.compile(r",[^,]{1,120},?\s*$")


def _single(start: int, end: int) -> Count:
    return Count(start, start, end, 1, "exact", False, "1", "")


def _several(phrase: str) -> bool:
    """Whether "shot the ... dead" names more than one person ("shot the two men dead")."""
    words = phrase.split()[2:-1]  # between "shot the" and "dead"
    numbers = lexicon().words
    return any(w[0].isdigit() or w in numbers or w.endswith(("s", "men")) for w in words)


def _one_person_before(folded: str, floor: int, t0: int) -> int | None:
    """Where "the man" / "a policeman" stands right before a verb at t0, used as a
    reduced relative ("the father of the man shot dead at the airport")."""
    m = re.search(r"\b(?:the|a|an)\s+(?:[a-z-]+\s+)?([a-z]+)\s+$", folded[floor:t0])
    if m is None or m.group(1).endswith("s") or not victim_noun(m.group(1)):
        return None
    return floor + m.start(1)


def _single_name(doc: Document, items: list[Count]) -> str | None:
    """The victim's name word of a one-person statement made by `_single`, else None."""
    if len(items) != 1 or items[0].who or items[0].group != "1":
        return None
    m = re.match(r"\w[\w'-]*", doc.folded[items[0].start :])
    return m.group(0) if m and doc.text[items[0].start].isupper() else None


def _headline_restating_background(doc: Document, hits: list[_Hit]) -> None:
    """A headline count that the body gives as a cumulative toll is that toll ("Five
    months, eight prominent Russians dead" over "brings to eight the number of Russians
    who have died over the past five months"): mark it cumulative too (in place)."""
    background = {h.count.value for h in hits if h.cumulative and h.start >= doc.headline_end}
    for i, hit in enumerate(hits):
        if hit.start < doc.headline_end and not hit.cumulative and hit.count.value in background:
            hits[i] = _Hit(hit.count, hit.clause, hit.start, hit.end, True)


def _combine(hits: list[_Hit]) -> tuple[int | None, Qualifier]:
    """The total of the news statements (see the module docstring, point 4)."""
    news = [h for h in hits if not h.cumulative and h.count.value > 0]
    if not news:
        return None, "exact"
    groups: dict[str, list[_Hit]] = {}
    for hit in news:
        groups.setdefault(hit.count.group, []).append(hit)
    # On a tie the later statement wins: the body is more careful than the headline.
    generic = max(groups.pop(GENERIC, []), key=lambda h: (h.count.value, h.start), default=None)
    taken: list[tuple[int, set[int]]] = []
    summed: list[_Hit] = []
    for group_hits in sorted(groups.values(), key=lambda hs: min(h.start for h in hs)):
        best = max(group_hits, key=lambda h: (h.count.value, h.start))
        clauses = {h.clause for h in group_hits}
        if any(v == best.count.value and not (c & clauses) for v, c in taken):
            continue  # the same victims under another name
        taken.append((best.count.value, clauses))
        summed.append(best)
    total = sum(h.count.value for h in summed)
    if generic is not None and generic.count.value > total:
        return generic.count.value, generic.count.qualifier
    kinds = {h.count.qualifier for h in summed} - {"exact"}
    qualifier: Qualifier = kinds.pop() if len(kinds) == 1 else ("approx" if kinds else "exact")
    return total, qualifier


def _negations(doc: Document) -> tuple[Fatality, ...]:
    """ "No one was killed": a statement that nobody died, as a count-0 mention."""
    return tuple(
        Fatality(0, "people", doc.text[m.start() : m.end()], m.start(), m.end())
        for m in _NEGATION.finditer(doc.folded)
    )


def find_fatalities(doc: Document) -> Fatalities:
    """The death toll of the events `doc` reports, with every statement counted."""
    triggers = _triggers(doc.folded)
    if not triggers:
        return Fatalities(total=None, qualifier="exact", mentions=_negations(doc))
    sentences: dict[int, Span] = {}
    for m in triggers:
        span = doc.sentence_at(m.start())
        if span is not None:
            sentences.setdefault(span.start, span)
    counts = find_counts(doc.folded, doc.text, ((s.start, s.end) for s in sentences.values()))
    hits: list[_Hit] = []
    used: set[int] = set()
    verdicts: Seen = {}
    past_names: set[str] = set()  # one victim, by name, whose death is an earlier event
    for clause, (governed, start, end) in enumerate(_statements(doc, counts, triggers)):
        items = [c for c in governed if c.num_start not in used]
        if not items:
            continue
        sentence = doc.sentence_at(start) or Span(start, end)
        context = sentence_context(doc, sentence, doc.folded[start:end], verdicts)
        # "Zoe was killed 11 years ago ... Zoe died of head injuries": a person whose
        # death was told as past stays past when the story speaks of it again.
        name = _single_name(doc, items)
        if context == "past" or (name is not None and name in past_names):
            if name is not None:
                past_names.add(name)
            continue
        used.update(c.num_start for c in items)
        hits.extend(_Hit(c, clause, start, end, context == "cumulative") for c in items)
    _headline_restating_background(doc, hits)
    mentions = [
        Fatality(
            count=h.count.value,
            who=h.count.who or ("person" if h.count.group == "1" else "people"),
            text=doc.text[h.start : h.end],
            start=h.start,
            end=h.end,
            qualifier=h.count.qualifier,
            cumulative=h.cumulative,
        )
        for h in hits
    ]
    mentions.extend(_negations(doc))
    mentions.sort(key=lambda f: f.start)
    total, qualifier = _combine(hits)
    return Fatalities(total=total, qualifier=qualifier, mentions=tuple(mentions))
