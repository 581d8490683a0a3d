"""The attribution phrase next to one quote: whether a stretch of text signs the quote, and
whom it names.

`after_quote` reads the text after a quote's closing mark (or between the parts of a split
quote) up to the end of its sentence; `before_quote` reads the text of its sentence before
the opening mark. Both return (found, speaker): `found` says the stretch attributes the
quote, `speaker` is the person it names, None when it names no one.

After a quote: "…,” he said", "…,” said Ernesto Abella" (the last name before the phrase
ends), "…,” according to X", "…,” Çavuşoğlu said", "…” Father Robert Reid, …" (a name
right after the mark), "…,” he told reporters". Before it: "according to X, “…”", "Li
Shuting said: “…”", "He added that the approach was “very wrong”", or the sentence's first
subject ("De Lima called Duterte a “…”").

A speech verb's subject is a pronoun right before it, else the head of a relative clause
that ends right before it ("X, a designer with Y, who drew Z, says" is X), else the name
right before it ("X of the Y said" is X; "X, the envoy, said" is X), else the last name in
the stretch that can be a subject (not "Putin's", not "with Putin"), else a role ("the
minister said", "the author sarcastically tweeted", roles.py); after an inverted verb
("said", "added") the name that follows. The name after "told" or "asked" is the listener,
never the speaker. A subject that names nobody ("a spokesman said", "the ministry said",
"Duterte's aides said") signs the quote with no speaker (None), but a person's own words
do speak for them ("Musk's statement added"); "the 14-year-old said" and "added the
60-year-old former officer" are the person written with that age (roles.py). A verb joined
to its clause by "but"/"and" whose subject an earlier quote cut off ("Davis said …
“…,” but added that “…”") takes the sentence's first subject. After "said", a full stop
after a title or an initial ("said Rep. Tom Walsh") does not end the phrase. After "said
her aunt," the name after the comma is the speaker; a possessive ("said Ifra's aunt") never
is. A participle ("adding", "saying") takes the subject of the verb before it, or, when that
verb has no named subject ("When asked, Berg was all for it, saying, “…”"), the clause's
first name. A capitalised "verb" after a capitalised word in the body is part of a name
("the United States"); "That said," and "having said that" link sentences and sign
nothing. Pronouns are resolved by pronouns.py. Never raises.
"""

from __future__ import annotations

import re

from bot.core.extract.attribution_context import ADJACENT, AttributionContext
from bot.core.extract.misspelt import CAPITALISED_BEFORE
from bot.core.extract.pronouns import resolve_pronoun
from bot.core.extract.roles import aged, described
from bot.core.models import Person

_DETERMINERS = frozenset(
    ("a", "an", "the", "one", "another", "two", "three", "several", "some", "its", "his", "her")
)
_MEMBER_OF = re.compile(r"[ ](?:of|from|at)[ ](?:the[ ])?")  # "X of the Y said"
_APPOSITION = re.compile(r",[^,.;\"“”]{1,90},[ ](?:also |later |then )?")  # ", the envoy, "
# ", who worked on the film, " right before the verb: its subject is the clause's head.
_RELATIVE_BEFORE = re.compile(
    r",[ ](?:who|whose)\b[^,;:.!?\"“”]{1,120},[ ](?:also[ ]|later[ ]|then[ ])?$"
)
_HEAD_GAP = re.compile(r"(?:,[ ][^,;:.!?\"“”]{1,90})?")  # "Gao Xia(, a designer with Weta)"
_AGED = re.compile(r"[\s,\"”’?]*the[ ](?P<age>\d{1,3})-year-old[ ]")  # "…,” the 14-year-old said
# "according to him," (not "according to her latest appeal": a possessive)
_PRONOUN_OBJECT = re.compile(r"[ ](?P<pro>him|her)(?=\s*(?:[,.;:\"“”]|$))")
_LEAD_GAP = re.compile(r"[\s,.:;—–\-\"”’]*(?:[A-Z][\w.'’\-]*\s+)*$")  # "…,” Father Robert"
# "Musk's statement added": what a person writes speaks for them (not "X's spokesman said",
# another person).
_OWN_WORDS = re.compile(
    r"""(?:'s|’s)[ ](?:[a-z]+[ ]){0,2}?
    (?:statement|letter|tweet|post|blog[ ]post|blog|email|e-mail|memo|message|note|website
      |op-ed|essay|memoir|book|account)[ ](?:also[ ]|later[ ]|then[ ])?$""",
    re.VERBOSE,
)
# A verb sharing its subject with the clause before: "X said …, but added that …".
_COORDINATED = re.compile(r"(?<![\w'’-])(?:but|and)[ ](?:also[ ]|then[ ]|later[ ])?$")
# "said Rep. Steve Womack": a full stop after an abbreviated title or an initial is not the
# end of the phrase.
_ABBREVIATION_DOT = re.compile(
    r"(?<![\w.])(?:[A-Z]|Rep|Sen|Gov|Gen|Lt|Col|Capt|Sgt|Maj|Adm|Cmdr|Dr|Mr|Mrs|Ms|Prof|Rev|Fr"
    r"|Det|Insp|Supt|Amb|Atty|Hon|St)$"
)
# "That said, visitors will notice …", "having said that": a linking phrase, no speech.
_DISCOURSE_SAID = re.compile(r"(?<![\w'’])(?:that[ ]said,|having[ ]said[ ]that\b)")
# "…,” added the 60-year-old former Navy Seal": the person written with that age.
_AGED_AFTER = re.compile(r"[ ]the[ ](?P<age>\d{1,3})-year-old\b")


def after_quote(ctx: AttributionContext, start: int, end: int) -> tuple[bool, Person | None]:
    """Attribution after a quote (or between the parts of a split quote)."""
    folded, text = ctx.doc.folded, ctx.doc.text
    if start >= end or text[start] in ".!?":
        return False, None  # the sentence ended with the quote
    if m := ctx.p.lead_pronoun.match(folded, start, end):
        return True, resolve_pronoun(ctx, m.group("pro"), m.start("pro"))
    if (m := ctx.p.lead_verb.match(folded, start, end)) or (
        m := ctx.p.according.match(folded, start, end)
    ):
        if m.group().endswith("ing"):
            return False, None  # "…,” adding that …": the subject is before
        return True, _named_after(ctx, m.end(), end)
    mentions = ctx.mentions_in(start, end)
    if mentions and _LEAD_GAP.match(text, start, mentions[0][0]):
        first = mentions[0]
        if ctx.eligible(first, start):
            return True, ctx.people[first[2]]
    for verb in _verbs(ctx, start, end):
        found, speaker = _subject_of(ctx, verb.start(), verb.end(), start, end)
        if found:
            return True, speaker
        # A verb right after the quote with a subject that names nobody:
        # "…,” a spokesman said", "…,” the ministry said in a statement".
        lead = text[start : verb.start()].lstrip(' ,;:—–-"”’').split()
        unnamed = 0 < len(lead) <= 8 and (lead[0][0].isupper() or lead[0] in _DETERMINERS)
        if unnamed and (age := _AGED.fullmatch(folded, start, verb.start())):
            return True, aged(ctx, age.group("age"), start)  # "the 14-year-old told"
        return unnamed, None
    return False, None


def before_quote(ctx: AttributionContext, start: int, end: int) -> tuple[bool, Person | None]:
    """Attribution in the sentence before the quote's opening mark."""
    folded = ctx.doc.folded
    if start >= end:
        return False, None
    according = [m.end() for m in ctx.p.according.finditer(folded, start, end)]
    if according:
        return True, _named_after(ctx, according[-1], end)
    verbs = _verbs(ctx, start, end)
    if verbs:
        # "she said, adding:": a participle takes the subject of the verb before it.
        finite = [v for v in verbs if not v.group().endswith("ing")]
        verb = finite[-1] if finite else verbs[-1]
        found, speaker = _subject_of(ctx, verb.start(), verb.end(), start, end, first=not finite)
        if not found and verb is not verbs[-1]:
            # "When asked about it, Berg was all for it, saying, “…”": the finite verb
            # has no subject here, so the participle's, the clause's first name, is.
            found, speaker = _subject_of(
                ctx, verbs[-1].start(), verbs[-1].end(), verb.end(), end, first=True
            )
        if not found and _COORDINATED.search(folded, max(start, verb.start() - 12), verb.start()):
            # "Davis said they …, but added that …": the verb shares the subject of the
            # sentence, which an earlier quote in it cut off from this region.
            found, speaker = _sentence_subject(ctx, start, verb.start())
        return True, speaker if found else None
    for mention in ctx.mentions_in(start, end):
        if ctx.eligible(mention, start):
            return True, ctx.people[mention[2]]
    if m := ctx.p.subject_pronoun.match(folded, start, end):
        return True, resolve_pronoun(ctx, m.group("pro"), m.start("pro"))
    return False, None


def _full_role(ctx: AttributionContext, m: re.Match[str]) -> str:
    """The role of a description with the word before it when the two are one title:
    "the former vice president" is a vice president, not any president."""
    role = m.group("role")
    before = ctx.doc.folded[max(0, m.start("role") - 20) : m.start("role")].split()
    if before and f"{before[-1]} {role}" in ctx.p.titles:
        return f"{before[-1]} {role}"
    return role


def _sentence_subject(ctx: AttributionContext, at: int, end: int) -> tuple[bool, Person | None]:
    """The first person who can be a subject in the sentence around `at`, before `end`."""
    sentence = ctx.doc.sentence_at(at)
    lo = sentence.start if sentence is not None else at
    for mention in ctx.mentions_in(lo, end):
        if ctx.eligible(mention, lo):
            return True, ctx.people[mention[2]]
    return False, None


def _verbs(ctx: AttributionContext, start: int, end: int) -> list[re.Match[str]]:
    """The speech verbs in [start, end), but not a capitalised word after another in the
    body: "the United States", "Mr Notes" are names, not verbs."""
    text, folded = ctx.doc.text, ctx.doc.folded
    return [
        v
        for v in ctx.p.verb.finditer(folded, start, end)
        if not (
            text[v.start()].isupper()
            and v.start() >= ctx.doc.headline_end
            and CAPITALISED_BEFORE.search(text, max(0, v.start() - 30), v.start())
        )
        and _DISCOURSE_SAID.search(folded, max(0, v.start() - 10), v.end() + 5) is None
    ]


def _subject_of(
    ctx: AttributionContext, v_start: int, v_end: int, lo: int, hi: int, *, first: bool = False
) -> tuple[bool, Person | None]:
    """The named subject of the speech verb at [v_start, v_end) inside [lo, hi)."""
    folded, text = ctx.doc.folded, ctx.doc.text
    if m := ctx.p.pronoun_before.search(folded, max(lo, v_start - 25), v_start):
        return True, resolve_pronoun(ctx, m.group("pro"), m.start("pro"))
    mentions = ctx.mentions_in(lo, v_start)
    # "Gao Xia, a designer with Weta, who drew the beast, says": the head of the relative
    # clause speaks, not a name inside the clause.
    if not first and (rel := _RELATIVE_BEFORE.search(text, max(lo, v_start - 150), v_start)):
        for mention in mentions:
            head = mention[1] <= rel.start() and ctx.eligible(mention, lo)
            if head and _HEAD_GAP.fullmatch(text, mention[1], rel.start()):
                return True, ctx.people[mention[2]]
    # A name right before the verb is its subject ("by the UN Clark said").
    if mentions and not first and ADJACENT.fullmatch(text, mentions[-1][1], v_start):
        # "Anna Berg of the Harbour Singers said": the person, not the group named after
        # "of"/"from"/"at".
        if len(mentions) > 1 and _MEMBER_OF.fullmatch(text, mentions[-2][1], mentions[-1][0]):
            return True, ctx.people[mentions[-2][2]]
        return True, ctx.people[mentions[-1][2]]
    # "Musk's statement added": the words are the person's.
    if mentions and not first and _OWN_WORDS.fullmatch(folded, mentions[-1][1], v_start):
        return True, ctx.people[mentions[-1][2]]
    # "Joseph Moum Malok, South Sudan's deputy UN ambassador, said": the subject too.
    if mentions and not first and _APPOSITION.fullmatch(text, mentions[-1][1], v_start):
        return True, ctx.people[mentions[-1][2]]
    before = [m for m in mentions if ctx.eligible(m, lo)]
    if before:
        return True, ctx.people[(before[0] if first else before[-1])[2]]
    if m := ctx.p.description_before.search(folded, max(lo, v_start - 80), v_start):
        return True, described(ctx, m.group("det"), _full_role(ctx, m), m.start())
    if folded[v_start:v_end] not in ctx.p.inverted:
        return False, None  # "… told Al Jazeera": the name after is the listener
    named = _named_after(ctx, v_end, hi)
    return named is not None, named


def _named_after(ctx: AttributionContext, start: int, end: int) -> Person | None:
    """The person named in the phrase after "said"/"according to": the last name
    before the phrase ends ("said Duterte spokesman Ernesto Abella")."""
    folded = ctx.doc.folded
    if m := _PRONOUN_OBJECT.match(folded, start, end):
        return resolve_pronoun(ctx, "he" if m.group("pro") == "him" else "she", m.start("pro"))
    if (age := _AGED_AFTER.match(folded, start, end)) and (
        person := aged(ctx, age.group("age"), start)
    ):
        return person  # "added the 60-year-old former Navy Seal"
    text = ctx.doc.text
    stop = min(end, start + 90)
    for index in range(start, stop):
        if folded[index] in ",.;:(" and index > start + 1:
            if folded[index] == "." and _ABBREVIATION_DOT.search(text, max(0, index - 6), index):
                continue  # "said Rep. Steve Womack": a title, not the phrase's end
            stop = index
            break
    # "said Ifra's aunt, Rubeena": a possessive names someone else.
    mentions = [
        m for m in ctx.mentions_in(start, stop) if text[m[1] : m[1] + 2] not in ("'s", "’s")
    ]
    if mentions:
        return ctx.people[mentions[-1][2]]
    if folded.startswith(", ", stop) and (apposed := ctx.mention_at(stop + 2)):
        return ctx.people[apposed[2]]  # "said her aunt, Rubeena Banu"
    if m := ctx.p.description_after.match(folded, start, stop):
        return described(ctx, m.group("det"), _full_role(ctx, m), start)
    return None
