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
mark ("…,”?Marrero said", a lost curly mark in mis-encoded feeds) ends no sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator

from bot.core.extract.speech import QuoteSpan, SpeechPatterns
from bot.core.extract.text import Document, fold
from bot.core.models import Person

_MAX_BACK = 6  # sentences searched back for a pronoun's antecedent
_DETERMINERS = frozenset(
    ("a", "an", "the", "one", "another", "two", "three", "several", "some", "its", "his", "her")
)
_ADJACENT = re.compile(r"[ ,]*(?:also |later |then |has |had )?")  # "Clark said", "X also said"
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
_LEAD_GAP = re.compile(r"[\s,.:;—–\-\"”’]*(?:[A-Z][\w.'’\-]*\s+)*$")  # "…,” Father Robert"


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
        self.mentions = mentions
        self.mention_starts = [m[0] for m in mentions]
        self.sentence_starts = [s.start for s in doc.sentences]
        self._genders: dict[int, str | None] = {}
        self._last_speaker: Person | None = None
        self._consumed = 0  # text up to here signed an earlier quote
        self._last_end = -1

    # -- the quotes, grouped, with their speakers --------------------------------------

    def speakers(self) -> Iterator[tuple[list[QuoteSpan], Person | None]]:
        """Each quote (its spans: one, or the parts of a split or continued quote) and
        its speaker, in text order."""
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
            if not found:
                speaker = self._fallback(group[0], previous, previous_end)
            previous, previous_end = speaker, group[-1].close_at
            if speaker is not None:
                self._last_speaker, self._last_end = speaker, previous_end
            yield group, speaker

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
        sentence = self.doc.sentence_at(max(0, start - 1))
        end = sentence.end if sentence is not None and sentence.end > start else start
        following = bisect_right([s.open_at for s in self.spans], start)
        if following < len(self.spans):
            end = min(end, self.spans[following].open_at)
        return start, end

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
        for verb in self.p.verb.finditer(folded, start, end):
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
        verbs = list(self.p.verb.finditer(folded, start, end))
        if verbs:
            # "she said, adding:": a participle takes the subject of the verb before it.
            finite = [v for v in verbs if not v.group().endswith("ing")]
            verb = finite[-1] if finite else verbs[-1]
            found, speaker = self._subject_of(
                verb.start(), verb.end(), start, end, first=not finite
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
        return self._last_speaker

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
            # "his Afghan counterpart X" holds whatever role the other one has.
            if found and (country is None or country.search(window)):
                return True
        return False

    # -- pronouns and continuation ---------------------------------------------------------

    def _gender(self, index: int) -> str | None:
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
            index = self.people.index(last)
            if self._gender(index) in (None, wanted):
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
            # A subject known to be of that gender, anyone known to be of it, then a
            # subject of unknown gender.
            for group, accepted in ((subjects, wanted), (mentions, wanted), (subjects, None)):
                for mention in group:
                    if self._gender(mention[2]) == accepted:
                        return self.people[mention[2]]
        # Far from any antecedent, but the story names one person who can be "he"/"she".
        compatible = [i for i in range(len(self.people)) if self._gender(i) in (None, wanted)]
        if len(compatible) == 1 and self._mentions_in(0, at):
            return self.people[compatible[0]]
        return None

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
