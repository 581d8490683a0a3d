"""Named persons in a story, with their titles, countries and every mention.

There is no statistical model here (none may be downloaded at run time): a capitalised
phrase is a person's name when the text gives evidence for it, and never when it is a
place, an organisation or a calendar word. Evidence, strongest first:

* a title right before it ("Foreign Minister Mevlüt Çavuşoğlu", "Mr Howard");
* a role noun before it or in an apposition ("union official Ouma Oluga", "Host Orla
  Quennevet", "Phil Clark, a political scientist"), an age after it ("Tom, five,") or a
  kin noun before it ("his wife of 40 years, Zenobette", a given name no dictionary has);
* a speech verb next to it ("Lavrov said", "said Ernesto Abella");
* a known given name first ("Miroslav Lajcak"), or a Chinese family name followed by a
  pinyin given name ("Xu Heyi");
* parentheses right after a given name, as an actor follows a character ("Rosa
  (Christian Vellacott)").

Never a person: a phrase after "the" ("the Dusty Travellers"), a town with its region ("in
Glen Ellyn, Illinois"), a phrase with a pronoun or number word ("Love It Or Leave", "Part
Three"), a letter of an abbreviation ("U.S."). A nickname in quotation marks stays inside the
name (Walter "Rusty" Hale); a trailing word with an inner capital is a brand, not a
surname ("By Dana Whitlock NewsHub").

Later references by surname or title + surname ("Çavuşoğlu said", "Mr Howard",
"Putin's") are then resolved to the person, names compared folded
("Cavusoglu" = "Çavuşoğlu"); a title + given name ("Mr Najib" after "Najib Razak", as
Malay and Arabic names are used), or a given name alone ("Rubeena" after "Rubeena Banu",
"Lauren and I"), joins the one person with that given name. A surname the
story never writes in full is a person's when it is the subject of a speech verb at
least twice and a "he"/"she" follows one of those ("Basu said, adding that he ...",
"Basu added"), or when it names an administration and is used alone too ("the Halvorsen
administration", "after Halvorsen took office"). `Person.name` is the fullest form the story writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.extract.name_cues import lower_in, used_in
from bot.core.extract.name_words import PlaceLookup
from bot.core.extract.namepatterns import NamePatterns
from bot.core.extract.names import Lexicon
from bot.core.extract.namescan import Segment, Token, scan_names
from bot.core.extract.text import Document, fold
from bot.core.models import Mention, Person

_GENDERED = re.compile(r"\b(?:he|she|his|her|him)\b")
_SPEAKER_MIN = 2  # speech-verb uses that make an unknown surname a person's
# Nouns after which a bare surname names a head of government: "the Halvorsen administration".
_LEADER_NOUNS = (" administration", " presidency")


@dataclass(slots=True)
class _Cluster:
    """One person being assembled: folded name tokens, best display name, mentions."""

    key: tuple[str, ...]
    name: str
    title: str | None
    country: str | None
    mentions: list[Mention] = field(default_factory=list)


def _is_suffix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return len(short) <= len(long) and long[len(long) - len(short) :] == short


def _same_person(a: tuple[str, ...], b: tuple[str, ...], cn_surnames: frozenset[str]) -> bool:
    """Whether two name keys name one person.

    "Tayyip Erdogan" ~ "Recep Tayyip Erdogan"; "George Bush" ~ "George W. Bush";
    "Nan" ~ "Nan Cunhui" (a Chinese family name is written first).
    """
    if _is_suffix(a, b) or _is_suffix(b, a):
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) == 1 and len(long) == 2 and short[0] == long[0] in cn_surnames:
        return True
    return len(a) >= 2 and len(b) >= 2 and a[0] == b[0] and a[-1] == b[-1]


def _split_glued(names: list[Segment], text: str) -> list[Segment]:
    """Cut a long name that starts with another full name ("Leila de Lima Long-time
    Duterte", a subheading glued to a name; "Lee Jae-yong Prosecutors" when the story
    writes "prosecutors" in lower case too) back to that name."""
    keys = {seg.key for seg in names if len(seg.key) >= 2}
    out: list[Segment] = []
    for seg in names:
        cut = next((n for n in range(len(seg.key) - 1, 1, -1) if seg.key[:n] in keys), 0)
        common = (
            len(seg.key) == 3
            and cut == 2
            and seg.tokens[-1].key == seg.key[-1]
            and lower_in(text, seg.tokens[-1].text)
        )
        if (len(seg.key) >= 4 or common) and cut:
            tokens = [t for t in seg.tokens if t.start >= seg.start][: cut + 2]
            kept = [t for t in tokens if t.key in seg.key[:cut]]
            end = kept[-1].end if kept else seg.end
            out.append(Segment(seg.text[: end - seg.start], seg.key[:cut], seg.start, end,
                               seg.title, seg.country, seg.tokens))  # fmt: skip
            continue
        out.append(seg)
    return out


def _of_organisation(text: str, start: int, lexicon: Lexicon) -> bool:
    """The word at `start` follows "<Organisation word> of" ("Bureau of Investigation")."""
    if not text.endswith(" of ", 0, start):
        return False
    before = text[max(0, start - 40) : start - 4].rsplit(" ", 1)[-1]
    return before[:1].isupper() and fold(before) in lexicon.org_words


class PeopleFinder:
    """Finds people; build once with `PeopleFinder.load(gazetteer)`, then call `find`."""

    def __init__(self, lexicon: Lexicon, patterns: NamePatterns, places: PlaceLookup) -> None:
        self.lexicon = lexicon
        self.patterns = patterns
        self.places = places
        # Words that are never a speaking surname (`_add_speaking_surnames`), united once
        # so each capitalised word is looked up in one set, not six.
        self._common_words = (
            lexicon.stopwords
            | lexicon.org_words
            | lexicon.title_words
            | lexicon.roles
            | lexicon.calendar
            | lexicon.particles
        )

    @classmethod
    def load(cls, gazetteer: PlaceLookup) -> PeopleFinder:
        """Load the word lists and compile the patterns (once per process)."""
        lexicon = Lexicon.load()
        return cls(lexicon, NamePatterns.build(lexicon), gazetteer)

    def find(self, doc: Document) -> tuple[Person, ...]:
        """Every named person in `doc`, ordered by first mention. Never raises."""
        names, refs = scan_names(doc, self.lexicon, self.patterns, self.places)
        names = _split_glued(names, doc.text)
        clusters: list[_Cluster] = []
        # Full names first, then titled single names, so "President Duterte" joins
        # "Rodrigo Duterte" wherever each is written.
        for seg in sorted(names, key=lambda s: (len(s.key) < 2, s.start)):
            self._add(clusters, seg)
        self._resolve_references(clusters, names, refs)
        self._add_speaking_surnames(clusters, refs, doc)
        people = [
            Person(
                name=c.name,
                title=c.title,
                country=c.country,
                mentions=tuple(sorted(c.mentions, key=lambda m: m.start)),
            )
            for c in clusters
        ]
        people.sort(key=lambda p: p.mentions[0].start)
        return tuple(people)

    def _add(self, clusters: list[_Cluster], seg: Segment) -> None:
        mention = Mention(seg.text, seg.start, seg.end)
        if len(seg.key) == 1:
            # "Mr Najib" after "Najib Razak", "said Ifra's aunt, Rubeena" after "Rubeena
            # Banu": the given name of the one person who has it, when nobody has it as a
            # surname.
            word = seg.key[0]
            given = [c for c in clusters if len(c.key) >= 2 and c.key[0] == word]
            if len(given) == 1 and not any(c.key[-1] == word for c in clusters):
                given[0].mentions.append(mention)
                return
        same = [c for c in clusters if _same_person(seg.key, c.key, self.lexicon.cn_surnames)]
        if same:
            # "Ri said" after "Ri Tong-il" and before "Ri Jong-chol": the one named last
            # (else, as before, the one found last).
            cluster = max(
                reversed(same),
                key=lambda c: max((m.start for m in c.mentions if m.start < seg.start), default=-1),
            )
            if len(seg.key) > len(cluster.key):
                cluster.key, cluster.name = seg.key, seg.text
            cluster.title = cluster.title or seg.title
            cluster.country = cluster.country or seg.country
            cluster.mentions.append(mention)
            return
        clusters.append(_Cluster(seg.key, seg.text, seg.title, seg.country, [mention]))

    def _add_speaking_surnames(
        self, clusters: list[_Cluster], refs: list[Token], doc: Document
    ) -> None:
        """A surname never written in full ("Basu said", twice, with a "he" after one)."""
        lex, folded = self.lexicon, doc.folded
        taken = {m.start for c in clusters for m in c.mentions}
        known = {k for c in clusters for k in c.key}
        candidates: dict[str, list[Token]] = {}
        for tok in refs:
            key = tok.key
            if (
                tok.start in taken
                or key in known
                or len(key) < 3
                or not tok.text[:1].isupper()
                or tok.text.isupper()
                or key in self._common_words
            ):
                continue
            candidates.setdefault(key, []).append(tok)
        for key, toks in candidates.items():
            speaking = [t for t in toks if self.patterns.speech_after.match(folded, t.end)]
            led = (
                [t for t in toks if doc.text.startswith(_LEADER_NOUNS, t.end)]
                if len(speaking) < _SPEAKER_MIN
                else []
            )
            if len(speaking) < _SPEAKER_MIN and not (led and len(toks) > len(led)):
                continue
            if any(_of_organisation(doc.text, t.start, lex) for t in toks):
                continue  # "the Tennessee Bureau of Investigation said": an institution
            if any(
                fold(doc.text[t.start - 4 : t.start]) == "the "
                and not doc.text.startswith(_LEADER_NOUNS, t.end)
                for t in toks
            ):
                continue  # "the Pentagon said": an institution
            if used_in(doc.text, toks[0].text.lower()):
                continue  # "Prosecutors said" opens a sentence; "prosecutors" is a word
            if self.places.resolve(toks[0].text) or self.places.nationality(toks[0].text):
                continue
            if not led and not any(_GENDERED.search(folded, t.end, t.end + 150) for t in speaking):
                continue
            mentions = [Mention(t.text, t.start, t.end) for t in toks]
            clusters.append(_Cluster((key,), toks[0].text, None, None, mentions))

    def _resolve_references(
        self, clusters: list[_Cluster], names: list[Segment], refs: list[Token]
    ) -> None:
        """Give every other occurrence of a known surname (or given name) to its person."""
        surnames: dict[str, list[int]] = {}
        given: dict[str, list[int]] = {}
        for index, cluster in enumerate(clusters):
            surnames.setdefault(cluster.key[-1], []).append(index)
            if len(cluster.key) >= 2:
                # Chinese names put the family name first: "Nie" refers to "Nie Shubin".
                if cluster.key[0] in self.lexicon.cn_surnames:
                    surnames.setdefault(cluster.key[0], []).append(index)
                elif cluster.key[0] not in self.lexicon.stopwords:
                    # "Ifra" after "Ifra Shakour", known given name or not.
                    given.setdefault(cluster.key[0], []).append(index)
        if not surnames:
            return
        owner: dict[int, int] = {}  # start of a name -> its cluster
        for index, cluster in enumerate(clusters):
            for mention in cluster.mentions:
                owner[mention.start] = index
        events: list[tuple[int, int, Token | None]] = [
            (s.start, owner[s.start], None) for s in names
        ]
        events.extend((t.start, -1, t) for t in refs)
        events.sort(key=lambda e: e[0])
        last_seen: dict[int, int] = {}
        for start, index, tok in events:
            if tok is None:
                last_seen[index] = start
                continue
            options = surnames.get(tok.key) or given.get(tok.key)
            if not options:
                continue
            # An ambiguous surname goes to the person mentioned most recently.
            best = max(options, key=lambda i: last_seen.get(i, -1))
            clusters[best].mentions.append(Mention(tok.text, tok.start, tok.end))
            last_seen[best] = start
