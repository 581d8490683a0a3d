"""Who said a quote: the speaker of every quotation of one story, in text order.

`Attributor(doc, people, spans, patterns, first_gender).speakers()` groups the quotation
spans (`QuoteSpan`s from quotes.py) into quotes and gives each its speaker (a `Person`, or
None when the quote is signed by no named person: "a spokesman said"). For each quote the
speaker is looked for, in order:

1. between the parts of a split quote ("“A,” he said, “B.”");
2. after it, in its sentence: "…,” Çavuşoğlu said", "…,” said Ernesto Abella",
   "…,” he told reporters", "…,” according to X";
   (a partial quote its sentence runs on from in lower case after a speech verb, "X said
   it was “really important” that Y say …", is looked for before it first);
   (a speech verb right before the opening mark, "When Nick said, “…,” Raven answered",
   is read first);
3. before it, in its sentence: "Li Shuting said: “…”", "according to X, “…”",
   "He added that the approach was “very wrong”", or the sentence's subject
   ("De Lima called Duterte a “…”");
4. a continued quote (an unclosed quote running on) keeps the previous quote's speaker,
   and gives its own to the previous quote when only it is signed;
5. a name right after a quote that ended its sentence signs it ("“….” Eric Hirsch, head
   of office leasing", quote compilations), unless a relative clause follows ("Wilders,
   who says …": a new sentence about him);
6. with no attribution, the previous speaker goes on when the quote follows right after
   the previous quote (that sentence or the next), else the first person who can be a
   subject of the sentence before, else the previous speaker up to three sentences on.

How a stretch of text names its speaker is attribution_phrases.py (roles: roles.py,
pronouns: pronouns.py); who is named where is attribution_context.py (surnames written one
letter off: misspelt.py).

The regions read: after a quote, up to the end of its sentence and never past the next
quote's opening mark; before it, from its sentence's start (or the last quote closed in it,
or the end of a name that signed an earlier quote) to its opening mark. A question mark
glued to the next word right after a closing mark ("…,”?Marrero said", a lost curly mark
in mis-encoded feeds) ends no sentence; after a question or exclamation it does, unless
what follows reads as an attribution ("…?” he asked", "…?” Berg said at …"), which then
signs the quote across the sentence end. A quote with no attribution whose words (three or
more) a signed quote repeats (a headline or section heading) is by that quote's speaker.
Never raises on any text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from bot.core.extract.attribution_context import AttributionContext
from bot.core.extract.attribution_phrases import after_quote, before_quote
from bot.core.extract.speech import QuoteSpan, SpeechPatterns
from bot.core.extract.text import Document
from bot.core.models import Person

_RELATIVE = re.compile(r",[ ](?:who|which|whose|whom|where)\b")  # "Wilders, who says"
_NEXT_OPENING = re.compile(r"[ \t]+(?=\w)")  # the gap before a sentence on the same line
# Capitalised words before a verb: "Haddad ", "Mr. Omar Haddad also ".
_NAME_WORDS = re.compile(r"(?:[A-Z][\w.'’\-]*[ ]){1,5}(?:also[ ]|then[ ]|later[ ])?")
_LEAD_IN_GAP = re.compile(r"[,:]?[ ]*")  # between "said" and the quote it introduces
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
        self.ctx = AttributionContext(doc, people, spans, patterns, first_gender)
        self.doc = doc
        self.people = people
        self.spans = spans
        self.p = patterns
        self._consumed = 0  # text up to here signed an earlier quote

    # -- the quotes, grouped, with their speakers --------------------------------------

    def speakers(self) -> list[tuple[list[QuoteSpan], Person | None]]:
        """Each quote (its spans: one, or the parts of a split or continued quote) and
        its speaker, in text order. A quote with no attribution of its own whose words
        another quote repeats (a headline or section heading quoting the story) is by that
        quote's named speaker."""
        found = list(self._attributed())
        # A quote with no attribution that an unclosed quote runs on from (the next is
        # `continued`: same speaker) takes the speaker the next one names.
        for k in range(len(found) - 2, -1, -1):
            group, _speaker, named = found[k]
            following = found[k + 1]
            if not named and following[0][0].continued and following[2]:
                found[k] = (group, following[1], True)
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
        ctx = self.ctx
        previous: Person | None = None
        previous_end = -1
        for group, between in self._groups():
            found, speaker = False, None
            if between is not None:
                found, speaker = after_quote(ctx, *between)
            after = self._after_region(group[-1])
            before = self._before_region(group[0])
            if (
                not found
                and self._embedded(group[-1], after[0])
                and self.p.verb.search(self.doc.folded, *before) is not None
            ):
                # "X said it was “really important” that Y say …": a partial quote the
                # sentence runs on from, after a speech verb; the attribution stands
                # before it, not in the clause after.
                found, speaker = before_quote(ctx, *before)
            if not found and between is None and self._lead_in(*before):
                # "When Nick said, “…,” Raven answered": the verb the quote is the object
                # of signs it, not the clause after.
                found, speaker = before_quote(ctx, *before)
                found = found and speaker is not None
            if not found:
                found, speaker = after_quote(ctx, *after)
            if not found:
                found, speaker = before_quote(ctx, *before)
            if not found and group[0].continued:
                found, speaker = True, previous
            if not found:
                found, speaker = self._signature(group[-1])
            signed = found and speaker is not None
            if not found:
                speaker = self._fallback(group[0], previous, previous_end)
            previous, previous_end = speaker, group[-1].close_at
            if speaker is not None:
                ctx.last_speaker, ctx.last_end = speaker, previous_end
            yield group, speaker, signed

    def _groups(self) -> Iterator[tuple[list[QuoteSpan], tuple[int, int] | None]]:
        """The quotes: runs of spans that are one quote (a split quote, or one joined
        across paragraphs), each with the gap between the parts of a split quote."""
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
                # A quote recovered from its closing mark that starts where the last one
                # closed is the rest of it (a garbled mark between: 'rock "�n"?roll').
                recovered = span.open_at == span.start and span.open_at <= last.close_at
                if span.joined or recovered or (split and between is None):
                    if split:
                        between = gap
                    group.append(span)
                    continue
                yield group, between
            group, between = [span], None
        if group:
            yield group, between

    # -- regions ------------------------------------------------------------------------

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
        following = bisect_right(self.ctx.span_opens, start)
        if following < len(self.spans):
            end = min(end, self.spans[following].open_at)
        return start, end

    def _embedded(self, span: QuoteSpan, after: int) -> bool:
        """The quote ends with no punctuation and its sentence runs on in lower case with
        neither a pronoun nor a speech verb ("was “really important” that X say …")."""
        text, folded = self.doc.text, self.doc.folded
        if not text[span.end - 1 : span.end].isalnum():
            return False
        gap = _NEXT_OPENING.match(text, after)
        pos = gap.end() if gap is not None else after
        return (
            text[pos : pos + 1].islower()
            and self.p.lead_pronoun.match(folded, pos) is None
            and self.p.lead_verb.match(folded, pos) is None
            and self.p.according.match(folded, pos) is None
        )

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

    def _lead_in(self, start: int, end: int) -> bool:
        """The region [start, end) before a quote ends with a speech verb (not "asked")
        and at most a comma or colon: "When Nick said, “"."""
        folded = self.doc.folded
        verb = None
        for found in self.p.verb.finditer(folded, max(start, end - 40), end):
            verb = found
        return (
            verb is not None
            and _LEAD_IN_GAP.fullmatch(folded, verb.end(), end) is not None
            and not verb.group().startswith("ask")
        )

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
        mentions = self.ctx.mentions_in(start, start + 200)
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
        # After the last quote that closes before this one opens, if in this sentence.
        closes = self.ctx.span_closes
        i = bisect_right(closes, span.open_at) - 1
        if i >= 0 and closes[i] > start:
            start = closes[i]
        return max(start, min(self._consumed, span.open_at)), span.open_at

    # -- no attribution -------------------------------------------------------------------

    def _fallback(
        self, span: QuoteSpan, previous: Person | None, previous_end: int
    ) -> Person | None:
        """No attribution: the previous speaker goes on when the quote follows right after."""
        ctx = self.ctx
        if span.continued:
            return previous
        here = ctx.sentence_index(span.open_at)
        if previous_end >= 0 and here - ctx.sentence_index(max(0, previous_end - 1)) <= 1:
            return previous
        if here > 0:
            sentence = self.doc.sentences[here - 1]
            for mention in ctx.mentions_in(sentence.start, sentence.end):
                if ctx.eligible(mention, sentence.start):
                    return self.people[mention[2]]
        if previous_end >= 0 and here - ctx.sentence_index(max(0, previous_end - 1)) <= 3:
            return previous
        return None
