"""The evidence rules: whether a stripped capitalised phrase is a person's name.

`NameEvidence` binds one document to the word lists, the compiled patterns and the
gazetteer. `is_name` takes a phrase with its title, nationality and sentence words already
stripped (`name_judge` does that) and answers from the evidence around it: a title, a known
given name, a role or kin noun before it, an apposition or speech verb after it, a Chinese
family name with a pinyin given name, or an actor's parentheses. It vetoes pronouns,
number words, organisation words, places (towns with a place prefix too: "San Francisco",
"Abu Dhabi", "in San Toribio"), a closing function word and abbreviation letters.
The other predicates (`is_calendar`, `is_cast`, `is_given_name`) are the word-level tests
`is_name` and `name_judge` share. Nothing here mutates state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.extract.name_cues import after_kin, introduced, lower_in, role_before, surnamed
from bot.core.extract.name_words import PlaceLookup, RunWord
from bot.core.extract.namepatterns import PINYIN, NamePatterns
from bot.core.extract.names import PLACE_PREFIXES, Lexicon
from bot.core.extract.text import Document, fold

# Popularity (gender-guesser's frequency points summed over countries) from which a given
# name is taken for a name even when it is also a place ("Vladimir", "Charlotte").
_COMMON_NAME = 4

# Function words that cannot end a name ("Geneva During Monday's ...": a lost full stop).
_FUNCTION_WORDS = frozenset(
    ("during", "after", "before", "since", "while", "when", "where", "until", "because",
     "although", "though", "despite", "amid", "among", "unless", "if", "as", "at", "in", "on",
     "for", "from", "with", "without", "by", "then", "also", "and", "but", "or", "of")
)  # fmt: skip
# Pronouns and number words: no person's name contains one, though a title of a work or a
# part of a document does ("Love It Or Leave", "Part Three of the report").
_NEVER_IN_NAME = frozenset(
    ("it", "its", "you", "your", "we", "our", "us", "they", "them", "me", "my", "this",
     "these", "those", "here", "there", "two", "three", "four", "five", "six", "seven",
     "eight", "nine", "ten", "eleven", "twelve", "twenty", "hundred", "thousand")
)  # fmt: skip


# Before a group's name, the ties that describe it: "Al-Qaeda-linked Ansar Al-Sharia".
_GROUP_LINKS = ("-linked ", "-affiliated ", "-allied ", "-aligned ", "-inspired ", "-backed ")
# After a given name, its bearer's companion speaking: "Hillary and I loved ...".
_AND_I = (" and I ", " and me ", " and me,", " and me.")

# Before a town's name: "in San Bernardino", "near Fort Worth".
_IN_PLACE = (" in ", " near ", " outside ")

_KOREAN_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")  # "Geun-hye", "Jae-yong"


def korean_name(name: list[RunWord]) -> bool:
    """A family name then a hyphenated given name ("Park Geun-hye"): a person's name even
    when the family name is also an organisation word ("Park")."""
    return len(name) == 2 and _KOREAN_GIVEN.fullmatch(name[1].text) is not None


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """The evidence rules for names in one document."""

    doc: Document
    lexicon: Lexicon
    patterns: NamePatterns
    places: PlaceLookup

    def is_calendar(self, word: RunWord) -> bool:
        """A month, weekday or span of time; "Jun" only as "Jun." or "Jun 5" (else a name)."""
        if word.key not in self.lexicon.calendar:
            return False
        after = self.doc.text[word.end : word.end + 2]
        return len(word.key) > 3 or after[:1] == "." or after[1:2].isdigit()

    def is_cast(self, start: int, end: int) -> bool:
        """Whether `start:end` fills parentheses right after a given name, as an actor
        follows the character played: "Sasha (Tanequa Osei-Brown)"."""
        text = self.doc.text
        if text[start - 2 : start] != " (" or text[end : end + 1] != ")":
            return False
        before = text[max(0, start - 30) : start - 2].rsplit(" ", 1)[-1]
        entry = self.lexicon.first_names.get(fold(before))
        return entry is not None and before[:1].isupper() and before[1:].islower()

    def is_given_name(self, word: RunWord) -> bool:
        """Whether `word` is written as a given name here (not "Will" when "will" is too)."""
        entry = self.lexicon.first_names.get(word.key)
        return (
            entry is not None
            and not word.particle
            and word.key not in self.lexicon.particles
            and not lower_in(self.doc.text, word.text)
            # "Syria", "Kenya", "Lima" are rare given names but common places.
            and (entry[1] >= _COMMON_NAME or self.places.resolve(word.text) is None)
        )

    def is_prefixed_place(self, key: tuple[str, ...], written: str) -> bool:
        """Whether the phrase `written` (folded words `key`) opens with a place prefix
        ("San", "Abu", "Fort") and names a town: the gazetteer has it, or the story writes
        it after "in" ("in San Bernardino"), though "San" is a given name somewhere."""
        if len(key) < 2 or key[0] not in PLACE_PREFIXES:
            return False
        if key in self.lexicon.prefixed_places:
            return True
        text = self.doc.text
        return any(f"{word}{written}" in text for word in _IN_PLACE)

    def is_name(
        self,
        name: list[RunWord],
        key: tuple[str, ...],
        title: str | None,
        *,
        opens_run: bool,
        closes_run: bool,
        role_in_front: bool = False,
        cast: bool = False,
    ) -> bool:
        """Whether the stripped phrase `name` is a person's name, on the evidence around it.

        `role_in_front`: a capitalised role noun opened the phrase ("Host Orla Quennevet");
        `cast`: the phrase fills parentheses after a given name (`is_cast`).
        """
        lexicon, patterns = self.lexicon, self.patterns
        text, folded = self.doc.text, self.doc.folded
        if len(key) > 5 or not (
            _NEVER_IN_NAME.isdisjoint(key)
            and (lexicon.org_words.isdisjoint(key) or korean_name(name))
        ):
            return False
        first = name[0]
        start, end = first.start, name[-1].end
        if (
            len(name[-1].key) == 1
            and text[end : end + 1] == "."
            and text[end + 1 : end + 2].isalpha()
        ):
            return False  # "U.S.", "U.N.": an abbreviation, not an initial
        if cast:
            return not any(w.key in _FUNCTION_WORDS for w in name)
        if first.key in lexicon.stopwords or self.places.resolve(text[start:end]):
            return False
        if self.is_prefixed_place(key, text[start:end]):
            return False  # "San Francisco", "Abu Dhabi": a town, not a man called San
        if opens_run and text.endswith(_GROUP_LINKS, 0, start):
            return False  # "Al-Qaeda-linked Ansar Al-Sharia": a group, described by its ties
        if (
            len(key) >= 2
            and title is None
            and self.places.resolve(name[-1].text) is not None
            and not self.is_given_name(first)
        ):
            return False  # "Inclusion Ireland", "Morning Ireland": a body or a programme
        if name[-1].key in _FUNCTION_WORDS:
            return False
        tail = closes_run and not name[-1].possessive
        if len(key) == 1:
            # A bare surname needs a title ("President Duterte"), or a given name needs a
            # role ("her sister Charlotte", "Nora, the daughter of ...").
            if title is not None and first.key not in lexicon.title_words:
                return True
            if first.key not in lexicon.first_names:
                # A kin noun is evidence enough for a given name no dictionary has, and
                # "surnamed" for a family name.
                return (
                    opens_run
                    and (after_kin(text, start) or surnamed(text, start))
                    and not lower_in(text, first.text)
                    and self.places.nationality(first.text) is None
                    and self.places.resolve(first.text) is None
                )
            # A given name alone with a role, a kin noun or an introduction before it
            # ("her sister Charlotte", "His mother, Alix", "a father named Firas",
            # "6-year-old Ahmad"), an apposition after it, or as the other of "X and I".
            return (
                (
                    opens_run
                    and (
                        role_before(text, start, lexicon)
                        or after_kin(text, start)
                        or introduced(text, start)
                    )
                )
                or (tail and patterns.apposition.match(folded, end) is not None)
                or (tail and text.startswith(_AND_I, end))
            ) and self.is_given_name(first)
        if title is not None or self.is_given_name(first) or role_in_front:
            return True
        if opens_run and role_before(text, start, lexicon):
            return True
        if tail and patterns.apposition.match(folded, end) is not None:
            return True
        if len(key) == 2 and key[0] in lexicon.cn_surnames and PINYIN.fullmatch(key[1]):
            return True
        if tail and patterns.speech_after.match(folded, end):
            return True
        if tail and text[start - 2 : start] == ", " and patterns.apposed_speaker.match(folded, end):
            return True  # "the head of the school, Ali Lazaar, told DW"
        before = patterns.speech_before.search(folded, max(0, start - 30), start)
        return opens_run and before is not None
