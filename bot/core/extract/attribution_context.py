"""One story as the speaker attribution reads it: where each person is named, and what
earlier quotes leave for later ones.

`AttributionContext` holds the document, its people, its quotation spans and the speech
patterns, and indexes by offset every mention of a person outside the quotes, surnames
written one letter off included (misspelt.py). Its queries answer what every attribution
rule asks: who is named in a range or exactly at an offset, which sentence an offset is in,
and whether a mention can be a sentence's subject (not "Putin's", not "with Putin", "told
Putin"). It also carries the state the quotes of one story share, in text order: the last
named speaker and where that quote closed (set by attribution.py), and the genders found
so far (cached by pronouns.py). One context per document; not thread-safe.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from bot.core.extract.misspelt import misspelt_mentions
from bot.core.extract.speech import QuoteSpan, SpeechPatterns
from bot.core.extract.text import Document, Stretches
from bot.core.models import Person

Mention = tuple[int, int, int]  # (start, end, index of the person in `people`)


# Between a name and its verb: "Clark said", "X also said".
ADJACENT = re.compile(r"-|[ ,]*(?:also |later |then |has |had )?")


class AttributionContext:
    """The mentions of one document's people, the position queries over them, and the
    state shared by the attribution of its quotes."""

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
        inner = Stretches([(s.start, s.end) for s in spans])
        # Whether an offset is inside a quotation, its marks included.
        self.quoted = Stretches([(s.open_at, s.close_at) for s in spans]).covers
        self.span_opens = [s.open_at for s in spans]  # in text order, as `spans` are
        self.span_closes = sorted(s.close_at for s in spans)
        mentions = sorted(
            (m.start, m.end, index)
            for index, person in enumerate(people)
            for m in person.mentions
            if not inner.covers(m.start)
        )
        mentions = sorted(mentions + misspelt_mentions(doc.text, people, spans, mentions))
        self.mentions: list[Mention] = mentions
        self.mention_starts = [m[0] for m in mentions]
        self.sentence_starts = [s.start for s in doc.sentences]
        self.genders: dict[int, str | None] = {}  # person index -> gender, guesses included
        self.told: dict[int, str | None] = {}  # genders the text tells (no name guesses)
        self.last_speaker: Person | None = None
        self.last_end = -1  # where the last quote with a speaker closed

    def sentence_index(self, offset: int) -> int:
        """The index of the sentence `offset` is in (0 before the first)."""
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """The mentions wholly inside [start, end), in text order."""
        lo = bisect_left(self.mention_starts, start)
        hi = bisect_left(self.mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m[1] <= end]

    def mention_at(self, start: int) -> Mention | None:
        """The mention that starts exactly at `start`, if any."""
        i = bisect_left(self.mention_starts, start)
        if i < len(self.mentions) and self.mentions[i][0] == start:
            return self.mentions[i]
        return None

    def eligible(self, mention: Mention, floor: int = 0) -> bool:
        """A subject: not "Putin's", not "with Putin", "told Putin" (looking back no
        further than `floor`, the start of the region searched)."""
        start, end, _ = mention
        if self.doc.text[end : end + 2] in ("'s", "’s"):
            return False
        lo = max(floor, start - 60)
        return self.p.object_before.search(self.doc.folded, lo, start) is None
