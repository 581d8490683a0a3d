"""Who said a quote: attribution after or before it, pronouns, continuation.

For each quotation (`QuoteSpan`s from quotes.py) the speaker is looked for, in order:

1. between the parts of a split quote ("“A,” he said, “B.”");
2. after it, in its sentence: "…,” Çavuşoğlu said", "…,” said Ernesto Abella",
   "…,” he told reporters", "…” Eric Hirsch, head of …", "…,” according to X";
3. before it, in its sentence: "Li Shuting said: “…”", "according to X, “…”",
   "He added that the approach was “very wrong”", or the sentence's subject
   ("De Lima called Duterte a “…”").

A pronoun ("he said", "according to him") is the most recent person of that gender who
was the subject of a sentence (the first person named in it, not in a possessive or after
a preposition); the gender comes from a title, from the pronouns after the person's
mentions, else from the given name; far from any antecedent, it is the one person the
story names who can be "he"/"she". A quote with no attribution continues the previous
speaker when it follows right after the previous quote. A speech verb whose subject is not
a named person ("a spokesman said", "the ministry said", "Duterte's aides said") gives no
speaker (None); "the 14-year-old said" is the person written with that age. The name
after "told" or "asked" is the listener, never the speaker; after "said her aunt," the
name that follows the comma is the speaker, and a possessive ("said Ifra's aunt") never
is. A role ("said the photographer") is first looked for right before a name ("Photographer
JoAnn Marrero"), then anywhere near one; in the headline or standfirst, before the body
names anyone, it is looked up forward. A name followed by a relative clause ("Wilders,
who says …") signs no quote. A question mark glued to the next word right after a closing
mark ("…,”?Marrero said", a lost curly mark in mis-encoded feeds) ends no sentence; after
a question or exclamation it does, unless what follows reads as an attribution ("…?” he
asked", "…?” Berg said at …"), which then signs the quote across the sentence end.

Also: a capitalised "verb" after a capitalised word is part of a name ("the United
States"); "X of the Y said" is X; a participle after a verb with no named subject ("When
asked, Berg was all for it, saying, “…”") takes the clause's first name; a role no one is
written with ("the former envoy wrote") is the person the sentence before opens with; a
role's country may stand up to 90 characters before the name, in its sentence; "he said"
after the last speaker's quote keeps that speaker unless the text (a title, pronouns), not
a guess from the given name, gives the other gender; a surname written one letter off
("Petrow" for Petrov) is a mention of that person; looking back for a pronoun's
antecedent, a sentence's subject who speaks ("Haddad argued") comes before its other
subjects, and the subject of its last clause (", but Haddad …") before the first; a quote
with no attribution whose words a signed quote repeats (a headline or section heading) is
by that quote's speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import cache

from bot.core.extract.speech import QuoteSpan, SpeechPatterns
from bot.core.extract.text import Document, Span, fold
from bot.core.models import Person

_MAX_BACK = 6  # sentences searched back for a pronoun's antecedent
_DETERMINERS = frozenset(
    ("a", "an", "the", "one", "another", "two", "three", "several", "some", "its", "his", "her")
)
_ADJACENT = re.compile(r"[ ,]*(?:also |later |then |has |had )?")  # "Clark said", "X also said"
_MEMBER_OF = re.compile(r"[ ](?:of|from|at)[ ](?:the[ ])?")  # "X of the Y said"
_APPOSITION = re.compile(r",[^,.;\"“”]{1,90},[ ](?:also |later |then )?")  # ", the envoy, "
_RELATIVE = re.compile(r",[ ](?:who|which|whose|whom|where)\b")  # "Wilders, who says"
_AGED = re.compile(r"[\s,\"”’?]*the[ ](?P<age>\d{1,3})-year-old[ ]")  # "…,” the 14-year-old said
# "according to him," (not "according to her latest appeal": a possessive)
_PRONOUN_OBJECT = re.compile(r"[ ](?P<pro>him|her)(?=\s*(?:[,.;:\"“”]|$))")
# Possessives that name no country ("the country's defence minister").
_NOT_COUNTRIES = frozenset(
    ("country's", "nation's", "state's", "government's", "city's", "region's", "province's",
     "party's", "group's", "company's", "ministry's", "army's", "military's", "kingdom's",
     "republic's")
)  # fmt: skip
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’\-]*[ ]$")  # "United " before "States"
_NEXT_OPENING = re.compile(r"[ \t]+(?=\w)")  # the gap before a sentence on the same line
# Capitalised words before a verb: "Haddad ", "Mr. Omar Haddad also ".
_NAME_WORDS = re.compile(r"(?:[A-Z][\w.'’\-]*[ ]){1,5}(?:also[ ]|then[ ]|later[ ])?")
_OPENING_WORDS = re.compile(r"(?:[A-Z][\w.'’\-]*[ ])*")  # "Former President " before a name
_NEW_CLAUSE = re.compile(r"(?:,[ ](?:but|and|while|whereas)|;)[ ]$")  # ", but " + a subject
_LEAD_GAP = re.compile(r"[\s,.:;—–\-\"”’]*(?:[A-Z][\w.'’\-]*\s+)*$")  # "…,” Father Robert"


@cache
def _lone_capitalised(initial: str, least: int, most: int) -> re.Pattern[str]:
    """A capitalised word with that initial and `least` to `most` more letters, not followed
    by another ("Petrow says", not "Petrow Street")."""
    # The initial first, so the scan looks for that one letter (a literal prefix).
    letter = re.escape(initial)
    return re.compile(rf"{letter}(?<!\w{letter})[a-z]{{{least},{most}}}\b(?![ ][A-Z])")


def _one_edit(a: str, b: str) -> bool:
    """`a` and `b` share their initial and differ by one letter replaced, added or dropped."""
    if a[:1] != b[:1] or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_REPEATED_WORDS = 3  # a shorter quote repeated elsewhere ("Nexit") may be anyone's word


def _words_of(folded: str, group: list[QuoteSpan]) -> str:
    """The words of a quote, folded, without punctuation, space-separated and padded."""
    inner = " ".join(folded[s.start : s.end] for s in group)
    return " " + " ".join(re.findall(r"[\w']+", inner)) + " "


class Attributor:
    """Finds the speaker of every quote of one document."""

    def __init__(
        self,
        doc: Document,
        people: tuple[Person, ...],
        spans: list[QuoteSpan],
        patterns: SpeechPatterns,
        first_gender: Callable[[str], str | None] | None = None,
    ) -> None:
        self.doc = doc
        self.first_gender = first_gender  # folded given name -> "m", "f" or None
        self.people = people
        self.spans = spans
        self.p = patterns
        mentions = sorted(
            (m.start, m.end, index)
            for index, person in enumerate(people)
            for m in person.mentions
            if not any(s.start <= m.start < s.end for s in spans)
        )
        mentions = sorted(mentions + self._misspelt(mentions))
        self.mentions = mentions
        self.mention_starts = [m[0] for m in mentions]
        self.sentence_starts = [s.start for s in doc.sentences]
        self._genders: dict[int, str | None] = {}
        self._told: dict[int, str | None] = {}  # genders the text tells (no name guesses)
        self._last_speaker: Person | None = None
        self._consumed = 0  # text up to here signed an earlier quote
        self._last_end = -1

    def _misspelt(self, mentions: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """A surname written one letter off ("Petrow says" for Ivan Petrov, "Bergmann" for
        Bergman) is a mention of that person: a lone capitalised word, outside quotes and
        known mentions, of a surname of six letters or more, with the same initial, one
        edit away, and never written in lower case in the story (not a common word)."""
        surnames: dict[str, set[int]] = {}
        for index, person in enumerate(self.people):
            last = person.name.split()[-1] if person.name.split() else ""
            if len(last) >= 6 and last.isalpha():
                surnames.setdefault(last, set()).add(index)
        by_initial: dict[str, list[tuple[str, set[int]]]] = {}
        for last, owners in surnames.items():
            by_initial.setdefault(last[0], []).append((last, owners))
        if not by_initial:
            return []
        text = self.doc.text
        found: list[tuple[int, int, int]] = []
        words = (
            word
            for initial, known in by_initial.items()
            for word in _lone_capitalised(
                initial, min(len(k) for k, _ in known) - 2, max(len(k) for k, _ in known)
            ).finditer(text)
        )
        for word in words:
            written = word.group()
            candidates = by_initial[written[0]]
            if written in surnames:
                continue
            owners = {i for last, ids in candidates if _one_edit(written, last) for i in ids}
            if len(owners) != 1:
                continue
            taken = [(m[0], m[1]) for m in mentions]
            taken += [(s.open_at, s.close_at) for s in self.spans]
            if any(a <= word.start() < b for a, b in taken):
                continue
            if _CAPITALISED_BEFORE.search(text, max(0, word.start() - 30), word.start()):
                continue  # "Ann Petrow", "Petrow Street": part of another name
            if re.search(rf"\b{re.escape(written.lower())}\b", text):
                continue  # a common word ("Bishop" and "bishop"), not a name
            found.append((word.start(), word.end(), owners.pop()))
        return found

    # -- the quotes, grouped, with their speakers --------------------------------------

    def speakers(self) -> list[tuple[list[QuoteSpan], Person | None]]:
        """Each quote (its spans: one, or the parts of a split or continued quote) and
        its speaker, in text order. A quote with no attribution of its own whose words
        another quote repeats (a headline or section heading quoting the story) is by that
        quote's named speaker."""
        found = list(self._attributed())
        signed = [
            (_words_of(self.doc.folded, group), speaker)
            for group, speaker, named in found
            if named and speaker is not None
        ]
        result: list[tuple[list[QuoteSpan], Person | None]] = []
        for group, speaker, named in found:
            words = "" if named or not signed else _words_of(self.doc.folded, group)
            repeats = [other for text, other in signed if words and words in text]
            if len(words.split()) >= _REPEATED_WORDS and repeats:
                result.append((group, repeats[0]))
            else:
                result.append((group, speaker))
        return result

    def _attributed(self) -> Iterator[tuple[list[QuoteSpan], Person | None, bool]]:
        """Each quote, its speaker, and whether an attribution (not a guess from the quotes
        around it) named that speaker."""
        previous: Person | None = None
        previous_end = -1
        for group, between in self._groups():
            found, speaker = False, None
            if between is not None:
                found, speaker = self._after(*between)
            if not found:
                found, speaker = self._after(*self._after_region(group[-1]))
            if not found:
                found, speaker = self._before(*self._before_region(group[0]))
            if not found and group[0].continued:
                found, speaker = True, previous
            if not found:
                found, speaker = self._signature(group[-1])
            signed = found and speaker is not None
            if not found:
                speaker = self._fallback(group[0], previous, previous_end)
            previous, previous_end = speaker, group[-1].close_at
            if speaker is not None:
                self._last_speaker, self._last_end = speaker, previous_end
            yield group, speaker, signed

    def _groups(self) -> Iterator[tuple[list[QuoteSpan], tuple[int, int] | None]]:
        text, folded = self.doc.text, self.doc.folded
        group: list[QuoteSpan] = []
        between: tuple[int, int] | None = None
        for span in self.spans:
            if group:
                last = group[-1]
                gap = (self._past_stray(last.close_at, last.end), span.open_at)
                split = (
                    0 <= gap[1] - gap[0] <= 120
                    and "\n" not in text[gap[0] : gap[1]]
                    and (text[last.start : last.end].rstrip().endswith(",") or
                         text[gap[0] : gap[1]].lstrip().startswith(","))
                    and self.p.split.match(folded, gap[0], gap[1]) is not None
                )  # fmt: skip
                if span.joined or (split and between is None):
                    if split:
                        between = gap
                    group.append(span)
                    continue
                yield group, between
            group, between = [span], None
        if group:
            yield group, between

    # -- regions ------------------------------------------------------------------------

    def _sentence_index(self, offset: int) -> int:
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    def _past_stray(self, pos: int, inner_end: int) -> int:
        """`pos`, or one past it when a '?' glued to a letter follows a closing mark of a
        quote that did not end its sentence with a full stop (an encoding artefact)."""
        text = self.doc.text
        if (
            text[pos : pos + 1] == "?"
            and text[pos + 1 : pos + 2].isalpha()
            and text[inner_end - 1 : inner_end] != "."
        ):
            return pos + 1
        return pos

    def _after_region(self, span: QuoteSpan) -> tuple[int, int]:
        start = self._past_stray(span.close_at, span.end)
        asks = self.doc.text[span.end - 1 : span.end] in ("?", "!")
        if asks and start > span.close_at and not self._signs(start):
            return start, start  # "…?”?Army Gen. X defended it": a new sentence, unsigned
        sentence = self.doc.sentence_at(max(0, start - 1))
        end = sentence.end if sentence is not None and sentence.end > start else start
        if end == start and asks:
            end = self._attribution_next(start)
        following = bisect_right([s.open_at for s in self.spans], start)
        if following < len(self.spans):
            end = min(end, self.spans[following].open_at)
        return start, end

    def _attribution_next(self, start: int) -> int:
        """Where the attribution ends when a question or exclamation ended the sentence at
        the closing mark but the next one signs it ("…?” he asked", "…!” Haddad said at
        a rally"): the end of that sentence, else `start` (nothing after the quote)."""
        text = self.doc.text
        gap = _NEXT_OPENING.match(text, start)
        if gap is None or not self._signs(gap.end()):
            return start
        sentence = self.doc.sentence_at(gap.end())
        return sentence.end if sentence is not None and sentence.start == gap.end() else start

    def _signs(self, pos: int) -> bool:
        """The text at `pos` reads as an attribution: it opens in lower case ("he said",
        "said Berg") or with capitalised words and a speech verb ("Anna Berg said")."""
        text = self.doc.text
        if text[pos : pos + 1].islower():
            return True
        names = _NAME_WORDS.match(text, pos)
        return names is not None and self.p.verb.match(self.doc.folded, names.end()) is not None

    def _signature(self, span: QuoteSpan) -> tuple[bool, Person | None]:
        """“….” Eric Hirsch, head of office leasing: a name and a role right after a quote
        that ended its sentence sign it (quote compilations)."""
        start = span.close_at
        mentions = self._mentions_in(start, start + 200)
        if mentions and self.doc.text[start : mentions[0][0]].isspace():
            after = self.doc.text[mentions[0][1] : mentions[0][1] + 1]
            # "Wilders, who says …" starts a new sentence about him; it signs nothing.
            relative = _RELATIVE.match(self.doc.folded, mentions[0][1]) is not None
            if after in (",", "", "\n") and not relative:
                self._consumed = mentions[0][1]
                return True, self.people[mentions[0][2]]
        return False, None

    def _before_region(self, span: QuoteSpan) -> tuple[int, int]:
        sentence = self.doc.sentence_at(span.open_at)
        start = sentence.start if sentence is not None else span.open_at
        for other in self.spans:
            if start < other.close_at <= span.open_at:
                start = other.close_at
        return max(start, min(self._consumed, span.open_at)), span.open_at

    # -- attribution --------------------------------------------------------------------

    def _mentions_in(self, start: int, end: int) -> list[tuple[int, int, int]]:
        lo = bisect_left(self.mention_starts, start)
        hi = bisect_left(self.mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m[1] <= end]

    def _mention_at(self, start: int) -> tuple[int, int, int] | None:
        """The mention that starts exactly at `start`, if any."""
        i = bisect_left(self.mention_starts, start)
        if i < len(self.mentions) and self.mentions[i][0] == start:
            return self.mentions[i]
        return None

    def _verbs(self, start: int, end: int) -> list[re.Match[str]]:
        """The speech verbs in [start, end), but not a capitalised word after another in the
        body: "the United States", "Mr Notes" are names, not verbs."""
        text = self.doc.text
        return [
            v
            for v in self.p.verb.finditer(self.doc.folded, start, end)
            if not (
                text[v.start()].isupper()
                and v.start() >= self.doc.headline_end
                and _CAPITALISED_BEFORE.search(text, max(0, v.start() - 30), v.start())
            )
        ]

    def _eligible(self, mention: tuple[int, int, int], floor: int = 0) -> bool:
        """A subject: not "Putin's", not "with Putin", "told Putin" (looking back no
        further than `floor`, the start of the region searched)."""
        start, end, _ = mention
        if self.doc.text[end : end + 2] in ("'s", "’s"):
            return False
        lo = max(floor, start - 60)
        return self.p.object_before.search(self.doc.folded, lo, start) is None

    def _after(self, start: int, end: int) -> tuple[bool, Person | None]:
        """Attribution after a quote (or between the parts of a split quote)."""
        folded, text = self.doc.folded, self.doc.text
        if start >= end or text[start] in ".!?":
            return False, None  # the sentence ended with the quote
        if m := self.p.lead_pronoun.match(folded, start, end):
            return True, self._pronoun(m.group("pro"), m.start("pro"))
        if (m := self.p.lead_verb.match(folded, start, end)) or (
            m := self.p.according.match(folded, start, end)
        ):
            if m.group().endswith("ing"):
                return False, None  # "…,” adding that …": the subject is before
            return True, self._named_after(m.end(), end)
        mentions = self._mentions_in(start, end)
        if mentions and _LEAD_GAP.match(text, start, mentions[0][0]):
            first = mentions[0]
            if self._eligible(first, start):
                return True, self.people[first[2]]
        for verb in self._verbs(start, end):
            found, speaker = self._subject_of(verb.start(), verb.end(), start, end)
            if found:
                return True, speaker
            # A verb right after the quote with a subject that names nobody:
            # "…,” a spokesman said", "…,” the ministry said in a statement".
            lead = text[start : verb.start()].lstrip(' ,;:—–-"”’').split()
            unnamed = 0 < len(lead) <= 8 and (lead[0][0].isupper() or lead[0] in _DETERMINERS)
            if unnamed and (age := _AGED.fullmatch(folded, start, verb.start())):
                return True, self._aged(age.group("age"), start)  # "the 14-year-old told"
            return unnamed, None
        return False, None

    def _before(self, start: int, end: int) -> tuple[bool, Person | None]:
        """Attribution in the sentence before the quote's opening mark."""
        folded = self.doc.folded
        if start >= end:
            return False, None
        according = [m.end() for m in self.p.according.finditer(folded, start, end)]
        if according:
            return True, self._named_after(according[-1], end)
        verbs = self._verbs(start, end)
        if verbs:
            # "she said, adding:": a participle takes the subject of the verb before it.
            finite = [v for v in verbs if not v.group().endswith("ing")]
            verb = finite[-1] if finite else verbs[-1]
            found, speaker = self._subject_of(
                verb.start(), verb.end(), start, end, first=not finite
            )
            if not found and verb is not verbs[-1]:
                # "When asked about it, Berg was all for it, saying, “…”": the finite verb
                # has no subject here, so the participle's, the clause's first name, is.
                found, speaker = self._subject_of(
                    verbs[-1].start(), verbs[-1].end(), verb.end(), end, first=True
                )
            return True, speaker if found else None
        for mention in self._mentions_in(start, end):
            if self._eligible(mention, start):
                return True, self.people[mention[2]]
        if m := self.p.subject_pronoun.match(folded, start, end):
            return True, self._pronoun(m.group("pro"), m.start("pro"))
        return False, None

    def _subject_of(
        self, v_start: int, v_end: int, lo: int, hi: int, *, first: bool = False
    ) -> tuple[bool, Person | None]:
        """The named subject of the speech verb at [v_start, v_end) inside [lo, hi)."""
        folded, text = self.doc.folded, self.doc.text
        if m := self.p.pronoun_before.search(folded, max(lo, v_start - 25), v_start):
            return True, self._pronoun(m.group("pro"), m.start("pro"))
        mentions = self._mentions_in(lo, v_start)
        # A name right before the verb is its subject ("by the UN Clark said").
        if mentions and not first and _ADJACENT.fullmatch(text, mentions[-1][1], v_start):
            # "Anna Berg of the Harbour Singers said": the person, not the group named after
            # "of"/"from"/"at".
            if len(mentions) > 1 and _MEMBER_OF.fullmatch(text, mentions[-2][1], mentions[-1][0]):
                return True, self.people[mentions[-2][2]]
            return True, self.people[mentions[-1][2]]
        # "Joseph Moum Malok, South Sudan's deputy UN ambassador, said": the subject too.
        if mentions and not first and _APPOSITION.fullmatch(text, mentions[-1][1], v_start):
            return True, self.people[mentions[-1][2]]
        before = [m for m in mentions if self._eligible(m, lo)]
        if before:
            return True, self.people[(before[0] if first else before[-1])[2]]
        if m := self.p.description_before.search(folded, max(lo, v_start - 80), v_start):
            return True, self._described(m.group("det"), m.group("role"), m.start())
        if folded[v_start:v_end] not in self.p.inverted:
            return False, None  # "… told Al Jazeera": the name after is the listener
        named = self._named_after(v_end, hi)
        return named is not None, named

    def _named_after(self, start: int, end: int) -> Person | None:
        """The person named in the phrase after "said"/"according to": the last name
        before the phrase ends ("said Duterte spokesman Ernesto Abella")."""
        folded = self.doc.folded
        if m := _PRONOUN_OBJECT.match(folded, start, end):
            return self._pronoun("he" if m.group("pro") == "him" else "she", m.start("pro"))
        stop = min(end, start + 90)
        for index in range(start, stop):
            if folded[index] in ",.;:(" and index > start + 1:
                stop = index
                break
        text = self.doc.text
        # "said Ifra's aunt, Rubeena": a possessive names someone else.
        mentions = [
            m for m in self._mentions_in(start, stop) if text[m[1] : m[1] + 2] not in ("'s", "’s")
        ]
        if mentions:
            return self.people[mentions[-1][2]]
        if folded.startswith(", ", stop) and (apposed := self._mention_at(stop + 2)):
            return self.people[apposed[2]]  # "said her aunt, Rubeena Banu"
        if m := self.p.description_after.match(folded, start, stop):
            return self._described(m.group("det"), m.group("role"), start)
        return None

    def _aged(self, age: str, at: int) -> Person | None:
        """The person "the 14-year-old" refers to: the last one written with that age before
        `at` ("14-year-old Ifra", "Ifra Shakour, 14,")."""
        folded = self.doc.folded
        for m_start, m_end, index in reversed(self._mentions_in(0, at)):
            if folded.endswith(f"{age}-year-old ", 0, m_start) or folded.startswith(
                f", {age},", m_end
            ):
                return self.people[index]
        return None

    def _described(self, det: str, role: str, at: int) -> Person | None:
        """The person "the minister" / "Afghanistan's foreign minister" refers to: the
        latest one named before `at` with that role (and country), else the last speaker."""
        country = det.endswith("'s") and len(det) > 5 and det not in _NOT_COUNTRIES
        stem = det[:-2][:4] if country else ""
        earlier = list(reversed(self._mentions_in(0, at)))
        # A person written with the role right before the name first, then one with the
        # role anywhere near a mention.
        for strict in (True, False):
            for _start, _end, index in earlier:
                if self._has_role(index, role, stem, strict=strict):
                    return self.people[index]
        paragraphs = self.doc.paragraphs
        if paragraphs and at < paragraphs[min(1, len(paragraphs) - 1)].end:
            # The headline or standfirst, before the body names anyone: look forward.
            for _start, _end, index in self._mentions_in(at, len(self.doc.text)):
                if self._has_role(index, role, stem):
                    return self.people[index]
        if stem:
            return None
        # "Berg took to Twitter. “…,” the former diplomat wrote.": no one is written with
        # that role, so it is the person the sentence before opens with.
        here = self._sentence_index(at)
        if here > 0 and (opener := self._opener(self.doc.sentences[here - 1])) is not None:
            return opener
        return self._last_speaker

    def _opener(self, sentence: Span) -> Person | None:
        """The person `sentence` opens with (only capitalised words before the name)."""
        mentions = self._mentions_in(sentence.start, sentence.end)
        text = self.doc.text
        if (
            mentions
            and _OPENING_WORDS.fullmatch(text, sentence.start, mentions[0][0])
            and text[mentions[0][1] : mentions[0][1] + 2] not in ("'s", "’s")
        ):
            return self.people[mentions[0][2]]
        return None

    def _has_role(self, index: int, role: str, stem: str, *, strict: bool = False) -> bool:
        """Whether person `index` is written with `role` (in their title, or just before or
        after a mention), and with a word starting with `stem` ("afgh") when given."""
        person = self.people[index]
        folded, text = self.doc.folded, self.doc.text
        # The role right before the name, only capitalised words between ("Photographer
        # JoAnn Marrero", "foreign minister, Sergey Lavrov"); not "The photographer added
        # that Ferris": a role in another clause.
        before = re.compile(
            rf"\b(?i:{re.escape(role)}|counterpart)\b(?:,?[ ][A-Z][\w'’.\-]*)*,?[ ]*$"
        )
        wanted = re.compile(rf"\b(?:{re.escape(role)}|counterpart)\b")
        country = re.compile(rf"\b{re.escape(stem)}") if stem else None
        for mention in person.mentions:
            lo = max(0, mention.start - 40)
            window = folded[lo : mention.start]
            if strict:
                found = before.search(text, lo, mention.start) is not None
            else:
                found = wanted.search(window) is not None
            if folded.startswith(", ", mention.end):  # an apposition: "X, the minister"
                apposition = folded[mention.end : mention.end + 60].split(",")[1]
                window += apposition
                found = found or wanted.search(apposition) is not None
            # "his Afghan counterpart X" holds whatever role the other one has. The country
            # may stand further back, before a long role ("Russia's Deputy Permanent
            # Representative to the United Nations X"), in the same sentence.
            if found and country is not None and not country.search(window):
                sentence = self.doc.sentence_at(mention.start)
                floor = max(mention.start - 90, sentence.start if sentence else 0)
                found = country.search(folded, floor, mention.start) is not None
            if found:
                return True
        return False

    # -- pronouns and continuation ---------------------------------------------------------

    def _gender(self, index: int, *, guess: bool = True) -> str | None:
        """The person's gender ("m", "f" or None): from a title, else the pronouns after
        the person's mentions, else (when `guess`) from the given name."""
        if not guess:
            self._gender(index)
            return self._told.get(index)
        if index in self._genders:
            return self._genders[index]
        person = self.people[index]
        gender = None
        if person.title:
            gender = self.p.title_gender.get(person.title.lower().rstrip("."))
        if gender is None:
            votes = {"m": 0, "f": 0}
            for _start, end, owner in self.mentions:
                if owner != index:
                    continue
                m = self.p.gender_pronoun.search(self.doc.folded, end, end + 120)
                if m is None:
                    continue
                between = self._mentions_in(end, m.start())
                if not between:
                    votes["m" if m.group(1) else "f"] += 1
            if votes["m"] != votes["f"]:
                gender = "m" if votes["m"] > votes["f"] else "f"
        self._told[index] = gender
        if gender is None and self.first_gender is not None and " " in person.name:
            # No title and no pronoun tell it: the given name may ("Noah Bonsey").
            gender = self.first_gender(fold(person.name.split()[0]))
        self._genders[index] = gender
        return gender

    def _pronoun(self, pronoun: str, at: int) -> Person | None:
        """The person "he"/"she" at offset `at` refers to, or None ("they", "we")."""
        if pronoun not in ("he", "she"):
            return None
        wanted = "m" if pronoun == "he" else "f"
        current = self._sentence_index(at)
        # "he said" right after another quote is that quote's speaker.
        last = self._last_speaker
        if (
            last is not None
            and 0 <= current - self._sentence_index(max(0, self._last_end - 1)) <= 1
        ):
            # A guess from the given name yields here: "Alice" may be a man's stage name.
            index = self.people.index(last)
            if self._gender(index, guess=False) in (None, wanted):
                return last
        for index in range(current, max(-1, current - _MAX_BACK), -1):
            sentence = self.doc.sentences[index] if self.doc.sentences else None
            lo = sentence.start if sentence is not None else 0
            hi = min(sentence.end, at) if sentence is not None else at
            mentions = self._mentions_in(lo, hi)
            if index < current and self._opens_with(wanted, lo, hi, mentions):
                # "He added that he trusted the Taoiseach …": the sentence's subject is
                # the same pronoun, so its antecedent lies further back, not in the object.
                continue
            subjects = [m for m in mentions if self._eligible(m, lo)]
            # A subject of a speech verb ("Haddad argued") before other subjects; then a
            # subject known to be of that gender, anyone known to be of it, then a subject
            # of unknown gender.
            subjects.sort(key=lambda m: not self._speaks(m))
            # "Petrov said nothing, but Haddad went online": the last clause's subject
            # is the nearer one.
            if index < current and len(subjects) > 1:
                later = [m for m in subjects[1:] if _NEW_CLAUSE.search(self.doc.text, lo, m[0])]
                subjects = later[-1:] + [m for m in subjects if m not in later[-1:]]
            for group, accepted in ((subjects, wanted), (mentions, wanted), (subjects, None)):
                for mention in group:
                    if self._gender(mention[2]) == accepted:
                        return self.people[mention[2]]
        # Far from any antecedent, but the story names one person who can be "he"/"she".
        compatible = [i for i in range(len(self.people)) if self._gender(i) in (None, wanted)]
        if len(compatible) == 1 and self._mentions_in(0, at):
            return self.people[compatible[0]]
        return None

    def _speaks(self, mention: tuple[int, int, int]) -> bool:
        """A speech verb follows the mention ("Haddad argued", "Berg also said")."""
        adjacent = _ADJACENT.match(self.doc.text, mention[1])
        end = adjacent.end() if adjacent else mention[1]
        return self.p.verb.match(self.doc.folded, end) is not None

    def _opens_with(
        self, wanted: str, lo: int, hi: int, mentions: list[tuple[int, int, int]]
    ) -> bool:
        """The sentence [lo, hi) opens with "he"/"she" of gender `wanted`, before any
        person it names."""
        m = self.p.subject_pronoun.match(self.doc.folded, lo, hi)
        if m is None or (m.group("pro") == "he") != (wanted == "m"):
            return False
        return not mentions or mentions[0][0] > m.start("pro")

    def _fallback(
        self, span: QuoteSpan, previous: Person | None, previous_end: int
    ) -> Person | None:
        """No attribution: the previous speaker goes on when the quote follows right after."""
        if span.continued:
            return previous
        here = self._sentence_index(span.open_at)
        if previous_end >= 0 and here - self._sentence_index(max(0, previous_end - 1)) <= 1:
            return previous
        if here > 0:
            sentence = self.doc.sentences[here - 1]
            for mention in self._mentions_in(sentence.start, sentence.end):
                if self._eligible(mention, sentence.start):
                    return self.people[mention[2]]
        if previous_end >= 0 and here - self._sentence_index(max(0, previous_end - 1)) <= 3:
            return previous
        return None
