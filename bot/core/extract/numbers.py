"""Counts of people in wire text: "at least 16 civilians", "seven Turkish soldiers", "a dozen".

`find_counts` scans a folded text once and returns every *count phrase*: an optional
qualifier ("more than" -> at_least), a number written in digits or words, and the words
describing whom it counts ("Turkish soldiers", "staff members of a UN commission"). A
count whose description names no person ("30 miles", "11,000 explosions") is dropped, and
so are numbers that are not counts at all: years, dates, ages, money, percentages and
compound adjectives ("45-year-old", "100-day strike"). Vague plurals ("dozens",
"hundreds of", "thousands") are never counts.

The word lists (number words, qualifiers, victim nouns, stop words) are data files in
`data/`; they and the patterns built from them are loaded once, on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from bot.core.models import Qualifier

GENERIC = "*"  # the victim group of "people", "victims" and counts with no noun

_MONTHS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)

# The windows around a number that make it a date, an age, a parent's children or money
# (`_is_date_age_or_money`; compiled once, as they are tried on every number).
_WORD_BEFORE = re.compile(r"(\w+)\.?\s+$")
_WORD_AFTER = re.compile(r"\s+(\w+)")
_LABEL_BEFORE = re.compile(r"(?:aged|age|ages|number|no\.|no|page|route|article|chapter)\s+$")
_PARENT_OF_BEFORE = re.compile(r"(?:mother|father|parent|mum|mom|dad)\s+of\s+$")
_CURRENCY_BEFORE = re.compile(r"[$€£¥]\s*$")
_COMMA_AFTER_WORD = re.compile(r"\w,\s$")

# Words that directly follow a number that is an amount, a measure or a time, not people.
_NOT_PEOPLE_AFTER = re.compile(
    r"""
    \s*(?:%                              # 12%
    | percent\b | per\s+cent\b           # 12 percent
    | (?:a\.m|p\.m|am|pm|gmt|utc)\b      # 5 pm
    | :\d                                # 10:30
    )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Count:
    """One count phrase; offsets into the folded (= original) text.

    `start` includes the qualifier, `end` is the end of the description (or of the number
    when nothing describes it). `group` is the victim group of the head noun (GENERIC when
    no noun follows); `who` the description as written.
    """

    start: int
    num_start: int
    end: int
    value: int
    qualifier: Qualifier
    article: bool
    group: str
    who: str


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, int]
    qualifiers: dict[str, Qualifier]
    victims: dict[str, str]
    stop: frozenset[str]
    number: re.Pattern[str]
    qualifier_before: re.Pattern[str]


def _data_lines(name: str) -> list[list[str]]:
    text = resources.files("bot.core.extract").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The word lists and the patterns built from them (loaded once)."""
    words = {w: int(v) for w, v in _data_lines("numbers_words.tsv")}
    qualifiers: dict[str, Qualifier] = {}
    for phrase, kind in _data_lines("numbers_qualifiers.tsv"):
        if kind not in ("exact", "at_least", "approx", "at_most"):
            raise ValueError(f"numbers_qualifiers.tsv: unknown qualifier {kind!r}")
        qualifiers[phrase] = kind  # type: ignore[assignment]
    victims = {line[0]: line[1] for line in _data_lines("fatalities_victims.tsv")}
    stop = frozenset(w for line in _data_lines("fatalities_stopwords.txt") for w in line[0].split())
    word_alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    number = re.compile(
        rf"""
        (?<![\w.,$€£¥])                          # not inside a word, a bigger number or money
        (?:
          (?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)   # 1,200 or 42
          (?P<decimal>\.\d+)?                    # 3.5 (million)
          (?:\s+(?P<mult>million|thousand|hundred)\b)?  # 3.5 million, 2 thousand
        | (?P<adozen>an?\s+(?:dozen|hundred|thousand))  # a dozen, a hundred
        | (?P<words>(?:{word_alt})(?:[\s-]+(?:and[\s-]+)?(?:{word_alt}))*)  # twenty-three
        | (?P<article>an?)                         # "a soldier": one, checked by the caller
        )
        (?![\w]|-\w|\.\d|,\d)                     # not "dozens", "45-year-old", "3.5", "1,2"
        """,
        re.VERBOSE,
    )
    qual_alt = "|".join(
        sorted((p.replace(" ", r"[\s-]+") for p in qualifiers), key=len, reverse=True)
    )
    qualifier_before = re.compile(
        rf"""
        (?:^|(?<=[\s(\"']))                     # at a word start
        (?P<q>{qual_alt})                       # the qualifier
        [\s-]+(?:all\s+)?$                      # then the number ("at least-16", "all 224")
        """,
        re.VERBOSE,
    )
    return _Lexicon(words, qualifiers, victims, stop, number, qualifier_before)


def words_value(text: str, words: dict[str, int]) -> int:
    """Value of a number written in words: "twenty-three" 23, "two hundred and five" 205."""
    total = current = 0
    for token in re.split(r"[\s-]+", text):
        if token == "and" or not token:
            continue
        value = words[token]
        if value in (100, 1000, 1_000_000):
            current = max(current, 1) * value
            if value > 100:
                total += current
                current = 0
        elif value == 12 and token == "dozen":
            current = max(current, 1) * 12
        else:
            current += value
    return total + current


_WORD = re.compile(r"[ \t]*(\w[\w'-]*)")  # the next word on the same line
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)")  # between two counts of one list


def victim_noun(word: str) -> bool:
    """Whether `word` (folded) names people who can be killed: "policeman", "soldiers"."""
    return _victim_group(word, lexicon().victims) is not None


def _victim_group(word: str, victims: dict[str, str]) -> str | None:
    for form in (word, word[:-1], word[:-2], word[:-3] + "y"):
        if form and form in victims and (form == word or word.endswith(("s", "es"))):
            return victims[form]
    return None


def _describe(folded: str, text: str, pos: int, lex: _Lexicon) -> tuple[int, str | None, bool]:
    """Read the words after a number: (end, group of the head noun, any words read).

    The group is None when words follow but none of them names people. A group may
    continue with "of (the) ..." ("members of al-Qaeda", "one of the attackers") and with
    "and <victim noun>" ("soldiers and police").
    """
    end = pos
    head_group: str | None = None
    seen = False
    after_of = 0  # words read after "of" (at most three)
    while True:
        m = _WORD.match(folded, end)
        if m is None:
            break
        word = m.group(1)
        if word == "of" and after_of == 0:
            nxt = _WORD.match(folded, m.end())
            if nxt is None or nxt.group(1) in ("whom", "which", "them"):
                break
            end, after_of = m.end(), 1
            continue
        if word == "and":
            nxt = _WORD.match(folded, m.end())
            if nxt is None or _victim_group(nxt.group(1), lex.victims) is None:
                break
            end = m.end()
            continue
        if word in lex.stop and not (after_of and word in ("the", "a", "an")):
            break
        if word[0].isdigit() and "-" not in word:
            break
        group = _victim_group(word, lex.victims)
        if group is None and after_of == 0 and text[m.start(1)].isupper() and word[-1] in "si":
            group = word.rstrip("s")  # a people: "42 Somalis", "three Afghans"
        if group is not None and (after_of == 0 or head_group is None):
            head_group = group
        seen = True
        end = m.end()
        if after_of:
            after_of += 1
            if after_of > 3:
                break
    return end, head_group, seen


def _is_date_age_or_money(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 12) : start]
    prev = _WORD_BEFORE.search(before)
    if prev and prev.group(1) in _MONTHS:
        return True  # Feb. 3, February 5
    nxt = _WORD_AFTER.match(folded[end : end + 12])
    if nxt and nxt.group(1) in _MONTHS:
        return True  # 1 November
    if _LABEL_BEFORE.search(before):
        return True
    if _PARENT_OF_BEFORE.search(folded[max(0, start - 16) : start]):
        return True  # "a mother of five": her children, not a count of victims
    if _CURRENCY_BEFORE.search(before) or _NOT_PEOPLE_AFTER.match(folded, end):
        return True
    # ", 52," right after a name is an age.
    return bool(_COMMA_AFTER_WORD.search(before) and folded.startswith(",", end))


def find_counts(
    folded: str, text: str, spans: Iterable[tuple[int, int]] | None = None
) -> list[Count]:
    """Every count of people in `folded` (= fold(text)), in text order.

    `spans` (start, end), in order, limits the search to those parts of the text.
    """
    lex = lexicon()
    counts: list[Count] = []
    matches = (
        lex.number.finditer(folded)
        if spans is None
        else (m for start, end in spans for m in lex.number.finditer(folded, start, end))
    )
    for m in matches:
        start, end = m.span()
        if counts and start < counts[-1].end:
            continue  # inside the description of the previous count ("5 members of one family")
        if m.group("digits"):
            raw = m.group("digits").replace(",", "")
            if m.group("mult"):
                mult = lex.words[m.group("mult")]
                value = int(float(raw + (m.group("decimal") or "")) * mult)
            elif m.group("decimal"):
                continue  # 3.5 of something: not a head count
            else:
                value = int(raw)
                if len(raw) == 4 and 1800 <= value <= 2099 and "," not in m.group("digits"):
                    _, group, _ = _describe(folded, text, end, lex)
                    if group is None:
                        continue  # a year
            if (
                start > 0
                and folded[start - 1] == "-"
                and not lex.qualifier_before.search(folded, max(0, start - 20), start)
            ):
                continue  # covid-19, f-16
        elif m.group("adozen"):
            value = lex.words[m.group("adozen").split()[-1]]
        elif m.group("words"):
            if lex.words[re.split(r"[\s-]+", m.group("words"))[0]] in (12, 100, 1000, 1_000_000):
                continue  # "several dozen", "hundred": no number before the multiplier
            value = words_value(m.group("words"), lex.words)
        else:
            value = 1
        if _is_date_age_or_money(folded, start, end):
            continue
        desc_end, group, seen = _describe(folded, text, end, lex)
        article = m.group("article") is not None
        if seen and group is None:
            continue  # "30 miles", "11,000 explosions"
        if (article or m.group("words") == "one") and group is None:
            continue  # "a" and a bare "one" count only people named after them
        if value == 0:
            continue
        qual: Qualifier = "exact"
        q_start = start
        qm = lex.qualifier_before.search(folded, max(0, start - 24), start)
        if qm is not None:
            qual = lex.qualifiers[re.sub(r"[\s-]+", " ", qm.group("q"))]
            q_start = qm.start("q")
        who = text[end:desc_end].strip() if seen else ""
        who = re.sub(r"^(?:of\s+)?", "", who)
        counts.append(
            Count(
                q_start,
                start,
                desc_end if seen else end,
                value,
                qual,
                article,
                group or GENERIC,
                who,
            )
        )
    return counts


def list_gap(folded: str, start: int, end: int) -> bool:
    """True when folded[start:end] only separates two items of one list (", ", " and ")."""
    return _LIST_GAP.fullmatch(folded, start, end) is not None
