"""Direct quotations, their speakers, and the key quote an alert shows.

Quotation marks: straight ("…"), curly (“…”), guillemets («…»), low-high („…“) and single
curly or straight marks (‘…’) used as quotes. Straight marks are told apart by the
characters around them. A quote whose paragraph ends before its closing mark continues
in the next paragraph when that one opens with a mark (the wire convention), and the
parts are joined; inside one paragraph, a new opening mark before any closing one starts
a new quote by the same speaker (paragraphs run together). A closing mark with no
opening one recovers the quote from the start of its paragraph (a lost opening mark).

A quote split by its attribution ("“A,” he said, “B.”") is joined into one. Speakers are
found by `attribution.py`. Quotes under four words are fragments (scare quotes, partial
quotes); unbalanced marks never raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.extract.attribution import Attributor
from bot.core.extract.speech import QuoteSpan, speech_patterns
from bot.core.extract.text import Document, Stretches
from bot.core.models import Person, Quote

_DOUBLE = re.compile(r"""["“”«»„‟]""")  # the double quotation marks of every style
_SINGLE = re.compile(r"""['‘’‹›‚]""")  # single marks, apostrophes among them
_OPENERS = frozenset("“«„‟")  # marks that can only open (in English and German use)
_CLOSERS = frozenset("”»")  # marks that normally close
_BEFORE_OPEN = frozenset(" \t\n([{—–-/:;,'‘")  # what may stand before an opening mark
_AFTER_CLOSE = frozenset(" \t\n.,;:!?)]}—–-'’")  # what may follow a closing mark
_STRONG_END = frozenset(".!?,")  # a lone closing mark after these ends a real quote
_FRAGMENT_WORDS = 4  # a quote of fewer words is a fragment
_MAX_SINGLE = 600  # a single-mark quote closes within this many characters
_MAX_UNCLOSED_WORDS = 15  # an unclosed single-mark quote ends after this many words
_WORD_GAP = re.compile(r"\s+")
# What a mis-encoded dash or bullet leaves after a mark: '"?THE', '"\ufffd\ufffd?CAMEROTA' (a
# lone '"\ufffd[t]hese' is a lost curly mark inside a real quote).
_GARBLED = re.compile("\ufffd*[?]")


def _role(text: str, pos: int, lo: int, hi: int, inside: bool) -> bool:
    """True when the mark at `pos` opens a quote, False when it closes one."""
    char = text[pos]
    before = text[pos - 1] if pos > lo else " "
    after = text[pos + 1] if pos + 1 < hi else " "
    can_open = before in _BEFORE_OPEN and not after.isspace()
    can_close = not before.isspace() and after in _AFTER_CLOSE
    if char in _OPENERS:
        return not (inside and can_close and not can_open)
    if char in _CLOSERS:
        return not inside and can_open and not can_close
    if can_open != can_close:
        return can_open
    return not inside


def _apostrophe(text: str, pos: int, lo: int, hi: int) -> bool:
    """A double mark between two letters ("doesn"t", "Sheriff"s") is a mis-encoded
    apostrophe: quotation marks never stand inside a word."""
    return lo < pos < hi - 1 and text[pos - 1].isalpha() and text[pos + 1].isalpha()


def _double_spans(doc: Document) -> list[QuoteSpan]:
    text = doc.text
    spans: list[QuoteSpan] = []
    carry = False  # the last paragraph ended inside a quote
    for para in doc.paragraphs:
        lo, hi = para.start, para.end
        opened: int | None = None
        last_close = lo
        # A paragraph that opens with a mark after one that ended inside a quote goes on
        # with that quote.
        joined = carry and _DOUBLE.match(text, lo) is not None
        continued = False
        carry = False
        for mark in _DOUBLE.finditer(text, lo, hi):
            pos = mark.start()
            if _apostrophe(text, pos, lo, hi):
                continue
            if _role(text, pos, lo, hi, opened is not None):
                if _GARBLED.match(text, pos + 1):
                    continue  # '"?THE TRIAL': a mis-encoded dash or bullet; no quote opens so
                if opened is not None:  # unclosed: paragraphs run together; same speaker
                    spans.append(QuoteSpan(opened + 1, pos, opened, pos, continued, joined))
                    continued, joined = True, False
                opened = pos
            elif opened is not None:
                spans.append(QuoteSpan(opened + 1, pos, opened, pos + 1, continued, joined))
                opened, last_close, continued, joined = None, pos + 1, False, False
            elif pos > lo and text[pos - 1] in _STRONG_END:
                start = _recover_start(doc, last_close, pos)
                if start < pos - 1:
                    spans.append(QuoteSpan(start, pos, start, pos + 1))
                last_close = pos + 1
        if opened is not None:
            spans.append(QuoteSpan(opened + 1, hi, opened, hi, continued, joined))
            carry = True
    return spans


def _recover_start(doc: Document, floor: int, pos: int) -> int:
    """Where a quote that lost its opening mark began: its paragraph's start or the
    previous quote's end, but at most three sentences back."""
    sentences = [s for s in doc.sentences if floor <= s.start < pos]
    start = sentences[-3].start if len(sentences) >= 3 else floor
    while start < pos and doc.text[start].isspace():
        start += 1
    return start


def _single_spans(doc: Document, taken: list[QuoteSpan]) -> list[QuoteSpan]:
    """‘Single-mark’ quotes outside the double-mark ones."""
    text = doc.text
    spans: list[QuoteSpan] = []
    blocked = Stretches([(s.open_at, s.close_at) for s in taken])
    for para in doc.paragraphs:
        lo, hi = para.start, para.end
        opened: int | None = None
        for mark in _SINGLE.finditer(text, lo, hi):
            pos = mark.start()
            if blocked.covers(pos):
                continue
            before = text[pos - 1] if pos > lo else " "
            after = text[pos + 1] if pos + 1 < hi else " "
            if opened is None:
                if (
                    text[pos] not in "’›"
                    and before in _BEFORE_OPEN
                    and (after.isalnum() or after in '“"')
                ):
                    opened = pos
            elif text[pos] != "‘" and not before.isspace() and after in _AFTER_CLOSE:
                if pos - opened <= _MAX_SINGLE:
                    spans.append(QuoteSpan(opened + 1, pos, opened, pos + 1))
                opened = None
        if opened is not None:
            # Never closed: the quote runs to the end of its sentence, but a lone mark is
            # weak evidence, so no further than a dozen words or so.
            sentence = doc.sentence_at(opened + 1)
            end = sentence.end if sentence else hi
            words = _WORD_GAP.finditer(text, opened + 1, end)
            for count, gap in enumerate(words, 1):
                if count == _MAX_UNCLOSED_WORDS:
                    end = gap.start()
                    break
            if end > opened + 2:
                spans.append(QuoteSpan(opened + 1, end, opened, end))
    return spans


def find_spans(doc: Document) -> list[QuoteSpan]:
    """Every quotation span of `doc`, in text order (inner offsets, marks excluded)."""
    spans = _double_spans(doc)
    spans.extend(_single_spans(doc, spans))
    spans.sort(key=lambda s: s.start)
    return [s for s in spans if any(c.isalnum() for c in doc.text[s.start : s.end])]


def find_quotes(
    doc: Document,
    people: tuple[Person, ...],
    first_gender: Callable[[str], str | None] | None = None,
) -> tuple[Quote, ...]:
    """Every direct quotation in `doc`, in text order, with its speaker's name (None when
    the speaker is unnamed: "a spokesman said"). `first_gender` (folded given name -> "m",
    "f" or None) lets "he said" find a person the text gives no pronoun for. Never raises
    on any text."""
    spans = find_spans(doc)
    if not spans:
        return ()
    attributor = Attributor(doc, people, spans, speech_patterns(), first_gender)
    quotes: list[Quote] = []
    for group, speaker in attributor.speakers():
        body = _standalone(" ".join(_clean(doc.text[s.start : s.end]) for s in group))
        if not body:
            continue
        quotes.append(
            Quote(
                text=body,
                speaker=speaker.name if speaker is not None else None,
                start=group[0].start,
                end=group[-1].end,
                fragment=len(body.split()) < _FRAGMENT_WORDS,
            )
        )
    return tuple(quotes)


def _clean(inner: str) -> str:
    return " ".join(inner.split()).strip()


def _standalone(body: str) -> str:
    """Quote text as it reads on its own: wire style ends a quote that precedes its
    attribution with a comma (“…martyrs,” he said), which becomes a full stop."""
    stripped = body.rstrip()
    if stripped.endswith(","):
        return stripped[:-1].rstrip() + "."
    return stripped


# Key quote: a named speaker's full quote, early in the story, by its main person, of a
# length that reads well in an alert.
_IDEAL_WORDS = (8, 45)


def choose_key_quote(quotes: tuple[Quote, ...], people: tuple[Person, ...]) -> Quote | None:
    """The quote an alert shows: the best non-fragment quote with a named speaker.

    Prefers quotes by the most-mentioned person, early in the story, of 8-45 words;
    never a fragment; None when no quote qualifies.
    """
    mentions = {p.name: len(p.mentions) for p in people}
    most = max(mentions.values(), default=1)
    best: Quote | None = None
    best_score = float("-inf")
    named = [q for q in quotes if not q.fragment and q.speaker]
    for rank, quote in enumerate(named):
        words = len(quote.text.split())
        score = 2.0 * mentions.get(quote.speaker or "", 0) / most
        score -= 0.25 * rank
        if not _IDEAL_WORDS[0] <= words <= _IDEAL_WORDS[1]:
            score -= 1.0
        if score > best_score:
            best, best_score = quote, score
    return best
