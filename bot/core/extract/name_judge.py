"""Judging one piece of a capitalised run: strip what precedes the name, then accept or not.

`judge_piece` takes a piece of a run (already split at possessives, acronyms and function
words by `namescan`) and strips, in order: the title, nationality, country, role and
sentence words in front ("Turkish Foreign Minister | Mevlüt Çavuşoğlu"), a weak first word
before a common given name, and calendar, title, nationality and brand words behind. A piece
with an organisation word is no name. What is left goes to `NameEvidence.is_name`; an
accepted name is appended to `names` as a `Segment` (with the title if it is a known one,
and the country named in or just before the run), otherwise the piece's words go to `refs`.
It returns the text of what was left (empty when nothing was), so the caller can resolve a
possessive country ("Russia's | Vladimir Putin").
"""

from __future__ import annotations

import re

from bot.core.extract.name_cues import country_before, is_brand, is_title
from bot.core.extract.name_evidence import NameEvidence, korean_name
from bot.core.extract.name_words import RunWord, Segment, Token
from bot.core.extract.text import fold

_ARTICLES = frozenset(("a", "an", "the"))
_MID_SENTENCE = re.compile(r"[a-z,][ ]$")  # a lower-case word or a comma before the run


def _org_word_after(ev: NameEvidence, end: int) -> bool:
    """An organisation or place word follows the possessive ending at `end`."""
    text = ev.doc.text
    after = text[end + 2 : end + 40].split(" ", 2)
    return (
        len(after) > 1
        and after[0] == ""
        and after[1][:1].isupper()
        and fold(after[1]).strip(".,;:") in ev.lexicon.org_words
    )


def judge_piece(
    ev: NameEvidence,
    piece: list[RunWord],
    context: str | None,
    span: tuple[int, int],
    names: list[Segment],
    refs: list[Token],
) -> str:
    """Strip what precedes the name in `piece`, weigh the evidence for the rest and add
    it to `names` (a name) or its words to `refs` (not one). Returns what is left.

    `context` is the country named just before the piece in its run, `span` the run's.
    """
    lexicon, places, text = ev.lexicon, ev.places, ev.doc.text
    country = context
    title_from: int | None = None
    role_from: int | None = None  # where a capitalised role noun stands: "Host ..."
    # An actor in parentheses is a name whole: "Rosa (Christian Vellacott)".
    cast = (
        text[span[0] - 1 : span[0]] == "("
        and piece[0].start == span[0]
        and piece[-1].end == span[1]
        and 2 <= len(piece) <= 3
        and ev.is_cast(span[0], span[1])
    )
    i = 0
    while not cast and (i < len(piece) - 1 or (i < len(piece) and not piece[i].possessive)):
        word = piece[i]
        if word.particle:
            break
        if word.key in lexicon.title_words:
            title_from = i if title_from is None else title_from
        elif word.key in lexicon.stopwords or word.key in lexicon.roles or ev.is_calendar(word):
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
    # "House Democrat Mark Takano", "Senate Republican Ann Berg": a party or role word
    # (a stop word or role noun) before a given name and a surname ends what describes
    # the person.
    if title_from is None:
        for k in range(len(piece) - 3, i - 1, -1):
            word, given = piece[k], piece[k + 1]
            if (
                (word.key in lexicon.stopwords or word.key in lexicon.roles)
                and not word.particle
                and not word.possessive
                and given.key in lexicon.first_names
                and not given.particle
            ):
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
    if any(w.key in lexicon.org_words for w in name) and not korean_name(name):
        name = []  # an organisation ("Syria Civil Defence", "Defence Ministry")
    while len(name) > 1 and (
        ev.is_calendar(name[-1])
        or name[-1].key in lexicon.title_words
        or places.nationality(name[-1].text) is not None
        or is_brand(name[-1].text)  # a byline's outlet: "By Dana Whitlock NewsHub"
    ):
        name = name[:-1]
    tokens = tuple(Token(w.text, w.key, w.start, w.end) for w in piece if not w.particle)
    if not name or all(w.particle for w in name):
        refs.extend(tokens)
        return ""
    title = None
    if title_from is not None and is_title(
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
    # "from A Chinese Ghost Story": a capitalised article inside a sentence opens the
    # title of a work, not a name.
    work = (
        piece[0].key in _ARTICLES
        and piece[0].start == span[0]
        and title is None
        and _MID_SENTENCE.search(text, max(0, span[0] - 3), span[0]) is not None
    )
    # "Prince George's County": a possessive before an organisation or place word.
    owned = name[-1].possessive and _org_word_after(ev, name[-1].end)
    accepted = (
        bool(key)
        and not after_the
        and not work
        and not owned
        and ev.is_name(
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
        country = country_before(text, start, lexicon, places)
    names.append(Segment(text[start:end], key, start, end, title, country, tokens))
    return text[start:end]
