"""Scanning a story for capitalised phrases and weighing the evidence that each is a name.

`scan_segments` finds every run of capitalised words (with name particles and initials
inside: "Leila de Lima", "George W. Bush"), splits it at possessives and acronyms
("Russia's | Vladimir Putin", "UN | Secretary-General Antonio Guterres"), strips the
title, nationality and sentence words in front ("Turkish Foreign Minister | Mevlüt
Çavuşoğlu") and decides whether what is left is a person's name. `people.py` then
groups the accepted names into persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from bot.core.extract.namepatterns import NICKNAME, PINYIN, NamePatterns
from bot.core.extract.names import Lexicon
from bot.core.extract.text import Document, fold


class _Places(Protocol):
    def resolve(self, name: str) -> str | None: ...
    def nationality(self, word: str) -> str | None: ...


# Particles that may open a name written without its given name ("said de Lima"), and
# the two characters that end one (with the space or hyphen), to skip the check fast.
# Popularity (gender-guesser's frequency points summed over countries) from which a given
# name is taken for a name even when it is also a place ("Vladimir", "Charlotte").
_COMMON_NAME = 4

_LEADING_PARTICLES = ("al", "el", "bin", "ibn", "de", "del", "della", "di", "da", "du", "dos",
                      "das", "van", "von", "der", "ter")  # fmt: skip
_BEFORE_PARTICLE_ENDS = frozenset({p[-1] + " " for p in _LEADING_PARTICLES} | {"l-"})
# Before a role noun in an apposition that a name follows ("her aunt, Rubeena Banu").
_POSSESSIVE_DETERMINERS = frozenset(("the", "his", "her", "their", "its", "a", "an"))
# Function words that cannot end a name ("Geneva During Monday's ...": a lost full stop).
_FUNCTION_WORDS = frozenset(
    ("during", "after", "before", "since", "while", "when", "where", "until", "because",
     "although", "though", "despite", "amid", "among", "unless", "if", "as", "at", "in", "on",
     "for", "from", "with", "without", "by", "then", "also", "and", "but", "or", "of")
)  # fmt: skip
# Pronouns and number words: no person's name contains one, though a title of a work or a
# part of a document does ("Love It Or Leave", "Part Three of the report").
_NEVER_IN_NAME = frozenset(
    ("it", "its", "you", "your", "we", "our", "us", "they", "them", "me", "my", "this",
     "these", "those", "here", "there", "two", "three", "four", "five", "six", "seven",
     "eight", "nine", "ten", "eleven", "twelve", "twenty", "hundred", "thousand")
)  # fmt: skip
# The beginnings of surnames written with an inner capital ("McLaren", "DeVos"); any other
# inner capital marks a brand or an outlet ("NewsHub", "YouTube").
_INNER_CAPITAL_PREFIXES = frozenset(
    ("mc", "mac", "o", "d", "de", "di", "da", "du", "la", "le", "van", "von", "fitz", "st", "al",
     "el", "ben", "bin", "abu")
)  # fmt: skip
# Kin nouns: a capitalised word right after one in an apposition is a given name even when
# no dictionary knows it ("his wife of 40 years, Zenobette").
_KIN_BEFORE = re.compile(
    r"""\b(?:his|her|their)[ ]
    (?:wife|husband|widow|widower|son|daughter|brother|sister|mother|father|partner|fiancee?
      |cousin|aunt|uncle|niece|nephew|grandson|granddaughter|grandmother|grandfather)
    (?:[ ]of[ ][\w ]{1,24})?,[ ]$""",
    re.VERBOSE,
)
# What a nickname in quotation marks after a given name starts with.
_NICKNAME_OPENERS = ('"', "“", ' "', " “")
# "in Glen Ellyn, Illinois": a town then its state or country, so a place, not a person.
_PLACE_PREPOSITIONS = (" in ", " near ", " outside ", " from ")
_REGION_AFTER = re.compile(r",[ ]([^\W\d_][\w.]*(?:[ ][^\W\d_][\w.]*)?)(?=[,.;:])")


@dataclass(slots=True)
class Token:
    """A capitalised word: `key` is folded, without possessive and Arabic article."""

    text: str
    key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A person's name as written (title stripped), with its title and country if given."""

    text: str
    key: tuple[str, ...]
    start: int
    end: int
    title: str | None
    country: str | None
    tokens: tuple[Token, ...]


@dataclass(slots=True)
class _Word:
    """One word of a capitalised run, as written and folded."""

    text: str
    key: str
    start: int
    end: int
    possessive: bool
    acronym: bool
    particle: bool


# Function words that no person's name contains, so a capitalised one splits a run.
_RUN_BREAKERS = frozenset(
    ("and", "or", "nor", "but", "to", "with", "without", "for", "from", "into", "against",
     "than", "versus", "of")
)  # fmt: skip


def _words(text: str, folded: str, start: int, end: int, lexicon: Lexicon) -> list[_Word]:
    words: list[_Word] = []
    pos = start
    for raw in text[start:end].split(" "):
        w_start, w_end = pos, pos + len(raw)
        pos = w_end + 1
        possessive = raw.endswith(("'s", "’s")) and len(raw) > 2
        if possessive:
            w_end -= 2
        base = text[w_start:w_end]
        key = folded[w_start:w_end].rstrip(".")
        if key[:3] in ("al-", "el-"):
            key = key[3:]
        words.append(
            _Word(
                text=base,
                key=key,
                start=w_start,
                end=w_end,
                possessive=possessive,
                acronym=len(key) >= 2 and base.isupper() and key not in lexicon.suffixes,
                particle=base[:1].islower(),
            )
        )
    return words


def _lower_in(text: str, word: str) -> bool:
    """Whether `word` also occurs in lower case in `text` (then it is a common word)."""
    low = word.lower()
    if low == word:
        return False
    return any(f" {low}{end}" in text for end in (" ", ",", ".", ";"))


def _extend_left(text: str, start: int) -> int:
    """Move `start` back over a glued article or particles: "al-Assad", "said de Lima"."""
    if start >= 3 and text[start - 1] == "-" and text[start - 3 : start - 1] in ("al", "el"):
        if start == 3 or not text[start - 4].isalnum():
            return start - 3
        return start
    while start > 1 and text[start - 1] == " ":
        space = text.rfind(" ", 0, start - 1)
        word = text[space + 1 : start - 1]
        if word not in _LEADING_PARTICLES:
            break
        start = space + 1
    return start


def _headline_in_title_case(doc: Document) -> bool:
    words = doc.text[: doc.headline_end].split()
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 and caps >= 0.7 * len(words)


class _Memo:
    """Per-document memo of gazetteer look-ups (the same words recur in a story)."""

    __slots__ = ("_nationality", "_places", "_resolve")

    def __init__(self, places: _Places) -> None:
        self._places = places
        self._resolve: dict[str, str | None] = {}
        self._nationality: dict[str, str | None] = {}

    def resolve(self, name: str) -> str | None:
        if name not in self._resolve:
            self._resolve[name] = self._places.resolve(name)
        return self._resolve[name]

    def nationality(self, word: str) -> str | None:
        if word not in self._nationality:
            self._nationality[word] = self._places.nationality(word)
        return self._nationality[word]


def scan_names(
    doc: Document, lexicon: Lexicon, patterns: NamePatterns, places: _Places
) -> tuple[list[Segment], list[Token]]:
    """The names in `doc` and every other capitalised word (a possible later reference)."""
    memo = _Memo(places)
    scanner = _Scanner(doc, lexicon, patterns, memo)
    text, folded = doc.text, doc.folded
    names: list[Segment] = []
    refs: list[Token] = []
    spans = [run.span() for run in patterns.run.finditer(text)]
    done = 0  # runs before this one were read as part of a name with a nickname
    for k, span in enumerate(spans, 1):
        if k <= done:
            continue
        start, end = span
        if start > 1 and text[start - 2 : start] in _BEFORE_PARTICLE_ENDS:
            start = _extend_left(text, start)
        # Walter "Rusty" Hale: the nickname in quotation marks sits inside one name.
        surname = (
            _surname_after_nickname(text, spans, k, end)
            if text.startswith(_NICKNAME_OPENERS, end)
            else -1
        )
        if surname >= 0:
            words = _words(text, folded, start, end, lexicon)
            start2, end = spans[surname]
            done = surname + 1
            words += _words(text, folded, start2, end, lexicon)
        elif " " not in text[start:end]:
            # Fast path: one word is a name only if it is a given name ("her sister
            # Charlotte"); anything else is at most a reference ("Lavrov said").
            key = folded[start:end]
            if key.endswith("'s"):
                end, key = end - 2, key[:-2]
            if key not in lexicon.first_names and (
                text[start - 2 : start] != ", " or not _after_kin(text, start)
            ):
                if key[:3] in ("al-", "el-"):
                    key = key[3:]
                refs.append(Token(text[start:end], key, start, end))
                continue
            words = _words(text, folded, start, end, lexicon)
        else:
            words = _words(text, folded, start, end, lexicon)
        context: str | None = None  # a country named just before: "Russia's", "US"
        piece: list[_Word] = []
        for index, word in enumerate(words):
            if word.acronym or word.key in _RUN_BREAKERS:
                # An English function word capitalised inside a run ("Doctors Without
                # Borders", "Too New York To Hate", "John Smith And Jane Doe") belongs to
                # no person's name: what stands on either side is judged apart.
                if piece:
                    scanner.judge(piece, context, (start, end), names, refs)
                    piece = []
                context = memo.resolve(word.text) if word.acronym else None
                continue
            piece.append(word)
            if word.possessive or index == len(words) - 1:
                seg = scanner.judge(piece, context, (start, end), names, refs)
                context = memo.resolve(seg) if word.possessive and seg else None
                piece = []
    placed = {seg.key for seg in names if _is_town(text, seg)}
    if placed:
        for found in [n for n in names if n.key in placed]:
            names.remove(found)
            refs.extend(found.tokens)
        refs.sort(key=lambda t: t.start)
    if names and names[0].start < doc.headline_end and _headline_in_title_case(doc):
        # "Trump Announces Acosta As Labor Pick": capitals prove nothing there.
        for found in [n for n in names if n.start < doc.headline_end]:
            names.remove(found)
            refs.extend(found.tokens)
        refs.sort(key=lambda t: t.start)
    return names, refs


@dataclass(frozen=True, slots=True)
class _Scanner:
    """The judge of capitalised phrases in one document."""

    doc: Document
    lexicon: Lexicon
    patterns: NamePatterns
    places: _Places

    def judge(
        self,
        piece: list[_Word],
        context: str | None,
        span: tuple[int, int],
        names: list[Segment],
        refs: list[Token],
    ) -> str:
        """Strip what precedes the name in `piece`, weigh the evidence for the rest and add
        it to `names` (a name) or its words to `refs` (not one). Returns what is left."""
        lexicon, places, text = self.lexicon, self.places, self.doc.text
        country = context
        title_from: int | None = None
        role_from: int | None = None  # where a capitalised role noun stands: "Host ..."
        # An actor in parentheses is a name whole: "Rosa (Christian Vellacott)".
        cast = (
            text[span[0] - 1 : span[0]] == "("
            and piece[0].start == span[0]
            and piece[-1].end == span[1]
            and 2 <= len(piece) <= 3
            and self.is_cast(span[0], span[1])
        )
        i = 0
        while not cast and (i < len(piece) - 1 or (i < len(piece) and not piece[i].possessive)):
            word = piece[i]
            if word.particle:
                break
            if word.key in lexicon.title_words:
                title_from = i if title_from is None else title_from
            elif (
                word.key in lexicon.stopwords or word.key in lexicon.roles or self.is_calendar(word)
            ):
                title_from = None
                role_from = i if word.key in lexicon.roles else None
            elif (code := places.nationality(word.text)) is not None or (
                i < len(piece) - 1
                and word.key not in lexicon.first_names
                and (code := places.resolve(word.text)) is not None
            ):
                country, title_from = code, None
            else:
                break
            i += 1
        # A title may follow other capitalised words ("Security Minister Ben Wallace",
        # "House Minority Leader Darren Jackson"): the name starts after the last title word.
        for k in range(len(piece) - 2, len(piece) if cast else i - 1, -1):
            if piece[k].key in lexicon.title_words and not piece[k].particle:
                title_from = i if title_from is None else title_from
                i = k + 1
                break
        name = piece[i:]
        if len(name) >= 3:
            # "(Horn of) Africa Joseph Moum Malok": a common given name second, after a
            # word that is not one, means the first word belongs to what came before.
            first, second = (lexicon.first_names.get(w.key) for w in name[:2])
            if second is not None and not name[1].particle:
                weak = first[1] * 8 if first is not None else 20
                if second[1] > weak:
                    name = name[1:]
        if any(w.key in lexicon.org_words for w in name):
            name = []  # an organisation ("Syria Civil Defence", "Defence Ministry")
        while len(name) > 1 and (
            self.is_calendar(name[-1])
            or name[-1].key in lexicon.title_words
            or places.nationality(name[-1].text) is not None
            or _is_brand(name[-1].text)  # a byline's outlet: "By Dana Whitlock NewsHub"
        ):
            name = name[:-1]
        tokens = tuple(Token(w.text, w.key, w.start, w.end) for w in piece if not w.particle)
        if not name or all(w.particle for w in name):
            refs.extend(tokens)
            return ""
        title = None
        if title_from is not None and _is_title(
            fold(text[piece[title_from].start : piece[i - 1].end]), lexicon
        ):
            title = text[piece[title_from].start : piece[i - 1].end]
        start, end = name[0].start, name[-1].end
        key = tuple(w.key for w in name if w.key not in lexicon.suffixes)
        opens_run = start == span[0]
        # "the Dusty Travellers", "join the Young Liberals": a name is not used with
        # "the" (a title would stand between: "the Rev. Jesse Jackson").
        after_the = (
            text[start - 4 : start] == "the "
            if opens_run
            else title is None and name[0] is piece[i] and i > 0 and piece[i - 1].key == "the"
        )
        role = role_from == 0 and i == 1 and len(name) >= 2  # "Host Orla Quennevet"
        accepted = (
            bool(key)
            and not after_the
            and self.is_name(
                name,
                key,
                title,
                opens_run=opens_run,
                closes_run=end == span[1] or name[-1].possessive,
                role_in_front=role,
                cast=cast,
            )
        )
        if not accepted:
            refs.extend(tokens)
            return text[start:end]
        if country is None and start == span[0]:
            country = _country_before(text, start, lexicon, places)
        names.append(Segment(text[start:end], key, start, end, title, country, tokens))
        return text[start:end]

    def is_calendar(self, word: _Word) -> bool:
        """A month, weekday or span of time; "Jun" only as "Jun." or "Jun 5" (else a name)."""
        if word.key not in self.lexicon.calendar:
            return False
        after = self.doc.text[word.end : word.end + 2]
        return len(word.key) > 3 or after[:1] == "." or after[1:2].isdigit()

    def is_cast(self, start: int, end: int) -> bool:
        """Whether `start:end` fills parentheses right after a given name, as an actor
        follows the character played: "Sasha (Tanequa Osei-Brown)"."""
        text = self.doc.text
        if text[start - 2 : start] != " (" or text[end : end + 1] != ")":
            return False
        before = text[max(0, start - 30) : start - 2].rsplit(" ", 1)[-1]
        entry = self.lexicon.first_names.get(fold(before))
        return entry is not None and before[:1].isupper() and before[1:].islower()

    def is_given_name(self, word: _Word) -> bool:
        """Whether `word` is written as a given name here (not "Will" when "will" is too)."""
        entry = self.lexicon.first_names.get(word.key)
        return (
            entry is not None
            and not word.particle
            and word.key not in self.lexicon.particles
            and not _lower_in(self.doc.text, word.text)
            # "Syria", "Kenya", "Lima" are rare given names but common places.
            and (entry[1] >= _COMMON_NAME or self.places.resolve(word.text) is None)
        )

    def is_name(
        self,
        name: list[_Word],
        key: tuple[str, ...],
        title: str | None,
        *,
        opens_run: bool,
        closes_run: bool,
        role_in_front: bool = False,
        cast: bool = False,
    ) -> bool:
        """Whether the stripped phrase `name` is a person's name, on the evidence around it.

        `role_in_front`: a capitalised role noun opened the phrase ("Host Orla Quennevet");
        `cast`: the phrase fills parentheses after a given name (`is_cast`).
        """
        lexicon, patterns = self.lexicon, self.patterns
        text, folded = self.doc.text, self.doc.folded
        if len(key) > 5 or not (
            _NEVER_IN_NAME.isdisjoint(key) and lexicon.org_words.isdisjoint(key)
        ):
            return False
        first = name[0]
        start, end = first.start, name[-1].end
        if (
            len(name[-1].key) == 1
            and text[end : end + 1] == "."
            and text[end + 1 : end + 2].isalpha()
        ):
            return False  # "U.S.", "U.N.": an abbreviation, not an initial
        if cast:
            return not any(w.key in _FUNCTION_WORDS for w in name)
        if first.key in lexicon.stopwords or self.places.resolve(text[start:end]):
            return False
        if name[-1].key in _FUNCTION_WORDS:
            return False
        tail = closes_run and not name[-1].possessive
        if len(key) == 1:
            # A bare surname needs a title ("President Duterte"), or a given name needs a
            # role ("her sister Charlotte", "Nora, the daughter of ...").
            if title is not None and first.key not in lexicon.title_words:
                return True
            if first.key not in lexicon.first_names:
                # A kin noun is evidence enough for a given name no dictionary has.
                return (
                    opens_run
                    and _after_kin(text, start)
                    and not _lower_in(text, first.text)
                    and self.places.nationality(first.text) is None
                )
            return (
                (opens_run and _role_before(text, start, lexicon))
                or (tail and patterns.apposition.match(folded, end) is not None)
            ) and self.is_given_name(first)
        if title is not None or self.is_given_name(first) or role_in_front:
            return True
        if opens_run and _role_before(text, start, lexicon):
            return True
        if tail and patterns.apposition.match(folded, end) is not None:
            return True
        if len(key) == 2 and key[0] in lexicon.cn_surnames and PINYIN.fullmatch(key[1]):
            return True
        if tail and patterns.speech_after.match(folded, end):
            return True
        if tail and text[start - 2 : start] == ", " and patterns.apposed_speaker.match(folded, end):
            return True  # "the head of the school, Ali Lazaar, told DW"
        before = patterns.speech_before.search(folded, max(0, start - 30), start)
        return opens_run and before is not None


def _surname_after_nickname(text: str, spans: list[tuple[int, int]], k: int, end: int) -> int:
    """Index in `spans` of the run a nickname in quotation marks leads to from `end` (the
    end of the run before `spans[k]`): Walter "Rusty" Hale; -1 when there is none."""
    nick = NICKNAME.match(text, end)
    if nick is None or k >= len(spans) or text[end - 2 : end] in ("'s", "’s"):
        return -1
    if spans[k][1] < nick.end():
        k += 1  # "Rusty" is a run of its own
    return k if k < len(spans) and spans[k][0] == nick.end() else -1


def _after_kin(text: str, start: int) -> bool:
    """Whether a kin noun in an apposition ends right before `start`: "his wife, Zenobette"."""
    return (
        text[start - 2 : start] == ", "
        and _KIN_BEFORE.search(text, max(0, start - 60), start) is not None
    )


def _is_brand(word: str) -> bool:
    """Whether `word` has an inner capital no surname has: "NewsHub", not "McLaren"."""
    if word[1:].islower():
        return False
    for j in range(1, len(word)):
        if word[j].isupper() and word[j - 1].islower():
            return word[:j].lower() not in _INNER_CAPITAL_PREFIXES
    return False


def _is_town(text: str, seg: Segment) -> bool:
    """Whether `seg` is written as a town with its region: "in Glen Ellyn, Illinois"."""
    if not text.endswith(_PLACE_PREPOSITIONS, 0, seg.start):
        return False
    region = _REGION_AFTER.match(text, seg.end)
    return region is not None and all(w[:1].isupper() for w in region.group(1).split())


def _is_title(title: str, lexicon: Lexicon) -> bool:
    """Whether `title` (folded) ends with a known title: "security minister", not "supreme"."""
    words = title.split()
    return any(" ".join(words[k:]) in lexicon.titles for k in range(len(words)))


def _role_before(text: str, start: int, lexicon: Lexicon) -> bool:
    """Whether a lower-case role noun stands right before `start` ("official Ouma Oluga"),
    or ends an apposition before it ("said her aunt, Rubeena Banu")."""
    before = text[max(0, start - 40) : start]
    if not before.endswith(" "):
        return False
    words = before.split()
    if not words:
        return False
    last = words[-1]
    if last.endswith(",") and len(words) >= 2 and words[-2] in _POSSESSIVE_DETERMINERS:
        last = last[:-1]  # "her aunt," / "the director," but not "Tuesday,"
    return last.islower() and last in lexicon.roles


def _country_before(text: str, start: int, lexicon: Lexicon, places: _Places) -> str | None:
    """The country of "his Russian counterpart Sergey Lavrov" / "Turkey's top diplomat X"."""
    words = text[max(0, start - 60) : start].split()[-4:]
    while words and words[-1].islower() and words[-1] in lexicon.roles:
        words.pop()
    if len(words) == 4 or not words:
        return None
    word = words[-1].strip(',;:()"“”')
    if word.endswith(("'s", "’s")):
        return places.resolve(word[:-2])
    return places.nationality(word)
