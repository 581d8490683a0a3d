"""Who "he" and "she" are: the genders of a story's people and a pronoun's antecedent.

`gender` gives a person's gender ("m", "f" or None): from a title ("Mrs"), else from the
pronouns right after the person's mentions (no other person named between; a margin of
one pronoun yields to a given name of the other gender), else, when guessing is allowed,
from the given name (`first_gender`). With `guess=False` only what
the text tells counts.

`resolve_pronoun` finds the person "he"/"she" at an offset refers to ("they", "we": None):

- someone else than the last speaker who is the subject of a speech verb outside the
  quotes since the last quote closed, in that sentence or the one before ("Tillerson made
  a statement, saying", "Japan's top diplomat said");
- right after the last speaker's quote (that sentence or the next), that speaker, unless
  the text (a title, pronouns) gives the other gender; when only the given name does
  ("James"), a speaker of the pronoun's gender named in that sentence or the one before
  ("Pelosi said") comes first;
- else the most recent person of that gender who was the subject of a sentence (named in
  it, not in a possessive nor after a preposition), up to six sentences back. In each
  sentence, a subject who speaks ("Haddad argued") comes before its other subjects, and
  the subject of its last clause (", but Haddad …") before the first; then anyone of that
  gender named in it, then a subject of unknown gender. A sentence before that opens with
  the same pronoun ("He added that he trusted the Taoiseach") is skipped: its antecedent
  lies further back, not in its object. A name used as a brand ("a Neil Lane ring") is
  no antecedent;
- further back, the last person named, when the same pronoun runs from that mention on
  (nobody else named between), up to fifteen sentences back;
- far from any antecedent, the one person the story names who can be "he"/"she".

Results are cached in the context (its `genders` and `told`); never raises.
"""

from __future__ import annotations

import re

from bot.core.extract.attribution_context import ADJACENT, AttributionContext, Mention
from bot.core.extract.roles import described
from bot.core.extract.text import fold
from bot.core.models import Person

_MAX_BACK = 6  # sentences searched back for a pronoun's antecedent
_MAX_CHAIN = 15  # sentences a chain of one pronoun may run from the person it refers to
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:a|an|the)[ ]$")
_LOWER_AFTER = re.compile(r"[ ][a-z]")
_NEW_CLAUSE = re.compile(r"(?:,[ ](?:but|and|while|whereas)|;)[ ]$")  # ", but " + a subject


def gender(ctx: AttributionContext, index: int, *, guess: bool = True) -> str | None:
    """The person's gender ("m", "f" or None): from a title, else the pronouns after
    the person's mentions, else (when `guess`) from the given name."""
    if not guess:
        gender(ctx, index)
        return ctx.told.get(index)
    if index in ctx.genders:
        return ctx.genders[index]
    person = ctx.people[index]
    found = None
    if person.title:
        found = ctx.p.title_gender.get(person.title.lower().rstrip("."))
    if found is None:
        votes = {"m": 0, "f": 0}
        for _start, end, owner in ctx.mentions:
            if owner != index:
                continue
            m = ctx.p.gender_pronoun.search(ctx.doc.folded, end, end + 120)
            if m is None:
                continue
            between = ctx.mentions_in(end, m.start())
            if not between:
                votes["m" if m.group(1) else "f"] += 1
        if votes["m"] != votes["f"]:
            found = "m" if votes["m"] > votes["f"] else "f"
        named = _given_name_gender(ctx, person)
        if found is not None and abs(votes["m"] - votes["f"]) == 1 and named not in (None, found):
            # One pronoun against the given name ("James Comey say that there is no
            # evidence of what she called …" is about someone else): the name wins.
            found = None
    ctx.told[index] = found
    if found is None:
        # No title and no pronoun tell it: the given name may ("Noah Bonsey").
        found = _given_name_gender(ctx, person)
    ctx.genders[index] = found
    return found


def _given_name_gender(ctx: AttributionContext, person: Person) -> str | None:
    """The gender the person's given name suggests, if any (a guess)."""
    if ctx.first_gender is None or " " not in person.name:
        return None
    return ctx.first_gender(fold(person.name.split()[0]))


_SPEAKER_WINDOW = 1000  # characters before a pronoun searched for another speaker


def resolve_pronoun(ctx: AttributionContext, pronoun: str, at: int) -> Person | None:
    """The person "he"/"she" at offset `at` refers to, or None ("they", "we")."""
    if pronoun not in ("he", "she"):
        return None
    wanted = "m" if pronoun == "he" else "f"
    current = ctx.sentence_index(at)
    last = ctx.last_speaker
    # "“…,” he added. Before Kelly spoke, Tillerson made a statement, saying … “…,” he
    # said": someone else who spoke since the last quote, in this sentence or the one
    # before, is the one meant.
    floor = ctx.doc.sentences[max(0, current - 1)].start if ctx.doc.sentences else 0
    other = _speaker_between(ctx, max(floor, ctx.last_end), at)
    if (
        other is not None
        and other is not last
        and gender(ctx, ctx.people.index(other)) in (None, wanted)
    ):
        return other
    # "he said" right after another quote is that quote's speaker.
    if last is not None and 0 <= current - ctx.sentence_index(max(0, ctx.last_end - 1)) <= 1:
        # A guess from the given name yields here: "Alice" may be a man's stage name. It
        # only lets a nearer subject of the pronoun's gender come first.
        index = ctx.people.index(last)
        if gender(ctx, index, guess=False) in (None, wanted):
            if gender(ctx, index) in (None, wanted):
                return last
            # Only the given name says otherwise ("James Comey" for "she"): a speaker of
            # the pronoun's gender in this sentence or the one before comes first.
            lo = ctx.doc.sentences[max(0, current - 1)].start if ctx.doc.sentences else 0
            for mention in reversed(ctx.mentions_in(lo, at)):
                if _speaks(ctx, mention) and gender(ctx, mention[2]) == wanted:
                    return ctx.people[mention[2]]
            return last
    for index in range(current, max(-1, current - _MAX_BACK), -1):
        sentence = ctx.doc.sentences[index] if ctx.doc.sentences else None
        lo = sentence.start if sentence is not None else 0
        hi = min(sentence.end, at) if sentence is not None else at
        mentions = ctx.mentions_in(lo, hi)
        if index < current and _opens_with(ctx, wanted, lo, hi, mentions):
            # "He added that he trusted the Taoiseach …": the sentence's subject is
            # the same pronoun, so its antecedent lies further back, not in the object.
            continue
        subjects = [m for m in mentions if ctx.eligible(m, lo)]
        # A subject of a speech verb ("Haddad argued") before other subjects; then a
        # subject known to be of that gender, anyone known to be of it, then a subject
        # of unknown gender.
        subjects.sort(key=lambda m: not _speaks(ctx, m))
        # "Petrov said nothing, but Haddad went online": the last clause's subject
        # is the nearer one.
        if index < current and len(subjects) > 1:
            later = [m for m in subjects[1:] if _NEW_CLAUSE.search(ctx.doc.text, lo, m[0])]
            subjects = later[-1:] + [m for m in subjects if m not in later[-1:]]
        # "a Neil Lane diamond ring": a name used as a brand refers to no one here.
        named = [m for m in mentions if not _attributive(ctx, m)]
        for group, accepted in ((subjects, wanted), (named, wanted), (subjects, None)):
            for mention in group:
                if gender(ctx, mention[2]) == accepted:
                    return ctx.people[mention[2]]
    # "Podewils told DW. … He pointed out … he holds … “…,” he said": a chain of the same
    # pronoun, nobody named between, runs back to the last person named.
    earlier = ctx.mentions_in(0, at)
    if earlier and current - ctx.sentence_index(earlier[-1][0]) <= _MAX_CHAIN:
        last_named = earlier[-1]
        chain = re.search(rf"\b{pronoun}\b", ctx.doc.folded[last_named[1] : at])
        if chain and ctx.eligible(last_named) and gender(ctx, last_named[2]) == wanted:
            return ctx.people[last_named[2]]
    # Far from any antecedent, but the story names one person who can be "he"/"she".
    compatible = [i for i in range(len(ctx.people)) if gender(ctx, i) in (None, wanted)]
    if len(compatible) == 1 and ctx.mentions_in(0, at):
        return ctx.people[compatible[0]]
    return None


def _speaker_between(ctx: AttributionContext, lo: int, hi: int) -> Person | None:
    """The last person named as the subject of a speech verb outside the quotes in
    [lo, hi): a name right before the verb ("Tillerson said"), the last name before a
    participle in its sentence ("Tillerson made a statement, saying"), or a role the story
    gives someone ("Japan's top diplomat said"); None when no such verb names anyone."""
    folded, text = ctx.doc.folded, ctx.doc.text
    found: Person | None = None
    # A sentence may run on for pages (no full stop in a feed's text): look back no
    # further than a long sentence would, so each pronoun costs the same.
    lo = max(lo, hi - _SPEAKER_WINDOW)
    for verb in ctx.p.verb.finditer(folded, lo, hi):
        at = verb.start()
        if ctx.quoted(at):
            continue
        if ctx.p.pronoun_before.search(folded, max(lo, at - 25), at):
            continue  # "he added": the same chain of pronouns
        sentence = ctx.doc.sentence_at(at)
        floor = max(lo, sentence.start) if sentence is not None else lo
        mentions = [m for m in ctx.mentions_in(floor, at) if ctx.eligible(m, floor)]
        if mentions and (
            verb.group().endswith("ing") or ADJACENT.fullmatch(text, mentions[-1][1], at)
        ):
            found = ctx.people[mentions[-1][2]]
        elif not mentions and (
            m := ctx.p.description_before.search(folded, max(floor, at - 80), at)
        ):
            found = described(ctx, m.group("det"), m.group("role"), m.start()) or found
    return found


def _attributive(ctx: AttributionContext, mention: Mention) -> bool:
    """The mention stands between an article and a lower-case noun: "a Neil Lane ring"."""
    text = ctx.doc.text
    return _ARTICLE_BEFORE.search(text, max(0, mention[0] - 4), mention[0]) is not None and (
        _LOWER_AFTER.match(text, mention[1]) is not None
    )


def _speaks(ctx: AttributionContext, mention: Mention) -> bool:
    """A speech verb follows the mention ("Haddad argued", "Berg also said")."""
    adjacent = ADJACENT.match(ctx.doc.text, mention[1])
    end = adjacent.end() if adjacent else mention[1]
    return ctx.p.verb.match(ctx.doc.folded, end) is not None


def _opens_with(
    ctx: AttributionContext, wanted: str, lo: int, hi: int, mentions: list[Mention]
) -> bool:
    """The sentence [lo, hi) opens with "he"/"she" of gender `wanted`, before any
    person it names."""
    m = ctx.p.subject_pronoun.match(ctx.doc.folded, lo, hi)
    if m is None or (m.group("pro") == "he") != (wanted == "m"):
        return False
    return not mentions or mentions[0][0] > m.start("pro")
