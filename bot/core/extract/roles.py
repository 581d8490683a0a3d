"""Who a role or an age names: "the minister", "Afghanistan's foreign minister", "the
14-year-old".

`described` finds the person a role noun refers to ("said the photographer", "the
former envoy wrote"; a two-word title, "the former vice president", before its last word),
from the story's mentions before the phrase, latest first: first a
person written with the role right before the name, only capitalised words between
("Photographer JoAnn Marrero", "foreign minister, Sergey Lavrov"), then one with the role
anywhere near a mention (just before it, or in an apposition: "X, the minister,"; "Bill
Clinton's presidencies" make him a president). A role with a country ("Afghanistan's
foreign minister") also needs a word of that country near the mention, or up to 90
characters before it in its sentence; "his Afghan counterpart X" holds whatever role the
other one has. In the headline or standfirst, before the body names anyone, the role is
looked up forward. A role no one is written with names the person the sentence before
(before the quote, when the quote runs over sentences) opens with (only capitalised words
before the name), else the last speaker; with a country, no one (None).

`aged` finds the person "the 14-year-old" refers to: the last one written with that age
before it ("14-year-old Ifra", "Ifra Shakour, 14,"), else the first after it; when the story
writes that age for no one, the first subject of the sentence before (if written with no
other age), unless someone unnamed has the age ("a 14-year-old boy"). Never raises.
"""

from __future__ import annotations

import re

from bot.core.extract.attribution_context import AttributionContext
from bot.core.extract.text import Span
from bot.core.models import Person

# Possessives that name no country ("the country's defence minister").
_NOT_COUNTRIES = frozenset(
    ("country's", "nation's", "state's", "government's", "city's", "region's", "province's",
     "party's", "group's", "company's", "ministry's", "army's", "military's", "kingdom's",
     "republic's")
)  # fmt: skip
# A role and the office its holder has: "Bill Clinton's presidencies" was a president.
_OFFICES = {
    role: re.compile(rf"(?:'s|’s)[ ](?:[a-z\-]+[ ])?(?:{offices})\b")
    for role, offices in (
        ("president", "presidency|presidencies"),
        ("chairman", "chairmanship"),
        ("premier", "premiership"),
        ("governor", "governorship"),
        ("mayor", "mayoralty"),
        ("chancellor", "chancellorship"),
    )
}
_OPENING_WORDS = re.compile(r"(?:[A-Z][\w.'’\-]*[ ])*")  # "Former President " before a name


def aged(ctx: AttributionContext, age: str, at: int) -> Person | None:
    """The person "the 14-year-old" refers to: the last one written with that age before
    `at` ("14-year-old Ifra", "Ifra Shakour, 14,"), else the first one written with it
    after. When the story writes that age for no one named ("a 51-year-old man" is
    no one), the person the sentence before has for its first subject, not written with
    another age; else nobody."""
    folded = ctx.doc.folded
    earlier = list(reversed(ctx.mentions_in(0, at)))
    for mentions in (earlier, ctx.mentions_in(at, len(folded))):
        for m_start, m_end, index in mentions:
            if _with_age(folded, m_start, m_end, age):
                return ctx.people[index]
    written = re.compile(rf"(?<!\d){age}-year-old\b|,[ ]{age},")
    if written.search(folded.replace(f"the {age}-year-old", "")):
        return None  # someone unnamed has that age: "a 51-year-old man"
    # The sentences before, back to the nearest that names someone outside a quote.
    for here in range(ctx.sentence_index(at) - 1, max(-1, ctx.sentence_index(at) - 4), -1):
        sentence = ctx.doc.sentences[here] if ctx.doc.sentences else None
        if sentence is None:
            break
        mentions = ctx.mentions_in(sentence.start, sentence.end)
        subjects = [m for m in mentions if ctx.eligible(m, sentence.start)]
        if subjects:
            person = ctx.people[subjects[0][2]]
            other_age = any(_with_age(folded, m.start, m.end, r"\d+") for m in person.mentions)
            return None if other_age else person
        if mentions:
            break
    return None


def _with_age(folded: str, start: int, end: int, age: str) -> bool:
    """Whether the mention [start, end) is written with `age` (a regex of digits) right
    before ("14-year-old Ifra") or in an apposition after ("Ifra Shakour, 14,")."""
    return (
        re.search(rf"(?<!\d){age}-year-old[ ]$", folded[max(0, start - 16) : start]) is not None
        or re.match(rf", {age},", folded[end : end + 6]) is not None
    )


def described(ctx: AttributionContext, det: str, role: str, at: int) -> Person | None:
    """The person "the minister" / "Afghanistan's foreign minister" refers to: the
    latest one named before `at` with that role (and country), else the last speaker."""
    country = det.endswith("'s") and len(det) > 5 and det not in _NOT_COUNTRIES
    stem = det[:-2][:4] if country else ""
    earlier = list(reversed(ctx.mentions_in(0, at)))
    paragraphs = ctx.doc.paragraphs
    headed = bool(paragraphs) and at < paragraphs[min(1, len(paragraphs) - 1)].end
    # A title of two words ("vice president") first, then its last word ("president").
    for wanted in dict.fromkeys((role, role.rsplit(maxsplit=1)[-1])):
        # A person written with the role right before the name first, then one with the
        # role anywhere near a mention.
        for strict in (True, False):
            for _start, _end, index in earlier:
                if _has_role(ctx, index, wanted, stem, strict=strict):
                    return ctx.people[index]
        if headed:
            # The headline or standfirst, before the body names anyone: look forward.
            for _start, _end, index in ctx.mentions_in(at, len(ctx.doc.text)):
                if _has_role(ctx, index, wanted, stem):
                    return ctx.people[index]
    if stem:
        return None
    # "Berg took to Twitter. “…,” the former diplomat wrote.": no one is written with
    # that role, so it is the person the sentence before opens with.
    here = ctx.sentence_index(at)
    # "Nigatu said … “We will go on. We work in shifts,” the official said.": the sentence
    # before is the one before the quote, not a sentence of the quote.
    while here > 1 and ctx.quoted(ctx.doc.sentences[here - 1].start):
        here -= 1
    if here > 0 and (opener := _opener(ctx, ctx.doc.sentences[here - 1])) is not None:
        return opener
    return ctx.last_speaker


def _opener(ctx: AttributionContext, sentence: Span) -> Person | None:
    """The person `sentence` opens with (only capitalised words before the name)."""
    mentions = ctx.mentions_in(sentence.start, sentence.end)
    text = ctx.doc.text
    if (
        mentions
        and _OPENING_WORDS.fullmatch(text, sentence.start, mentions[0][0])
        and text[mentions[0][1] : mentions[0][1] + 2] not in ("'s", "’s")
    ):
        return ctx.people[mentions[0][2]]
    return None


def _has_role(
    ctx: AttributionContext, index: int, role: str, stem: str, *, strict: bool = False
) -> bool:
    """Whether person `index` is written with `role` (in their title, or just before or
    after a mention), and with a word starting with `stem` ("afgh") when given."""
    person = ctx.people[index]
    folded, text = ctx.doc.folded, ctx.doc.text
    # The role right before the name, only capitalised words between ("Photographer
    # JoAnn Marrero", "foreign minister, Sergey Lavrov"); not "The photographer added
    # that Ferris": a role in another clause.
    before = re.compile(rf"\b(?i:{re.escape(role)}|counterpart)\b(?:,?[ ][A-Z][\w'’.\-]*)*,?[ ]*$")
    wanted = re.compile(rf"\b(?:{re.escape(role)}|counterpart)\b")
    country = re.compile(rf"\b{re.escape(stem)}") if stem else None
    for mention in person.mentions:
        lo = max(0, mention.start - 40)
        window = folded[lo : mention.start]
        if strict:
            found = before.search(text, lo, mention.start) is not None
        else:
            found = wanted.search(window) is not None
        # "Bill Clinton's presidencies": the office held names the role.
        office = _OFFICES.get(role)
        if office and office.match(folded, mention.end):
            found = True
        if folded.startswith(", ", mention.end):  # an apposition: "X, the minister"
            apposition = folded[mention.end : mention.end + 60].split(",")[1]
            window += apposition
            found = found or wanted.search(apposition) is not None
        # "his Afghan counterpart X" holds whatever role the other one has. The country
        # may stand further back, before a long role ("Russia's Deputy Permanent
        # Representative to the United Nations X"), in the same sentence.
        if found and country is not None and not country.search(window):
            sentence = ctx.doc.sentence_at(mention.start)
            floor = max(mention.start - 90, sentence.start if sentence else 0)
            found = country.search(folded, floor, mention.start) is not None
        if found:
            return True
    return False
