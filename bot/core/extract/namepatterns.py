"""Compiled patterns for finding names: capitalised runs, speech verbs, appositions.

`NamePatterns.build(lexicon)` compiles them once from the word lists (`names.py`) and the
speech-verb data files; `namescan.py` uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from bot.core.extract.names import Lexicon

# A pinyin syllable, for Chinese given names ("Heyi" = he + yi, "Huanzhi" = huan + zhi).
PINYIN = re.compile(
    r"""
    (?:
      (?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?              # initial consonant, if any
      (?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan
         |ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v)  # final
    ){1,3}
    """,
    re.VERBOSE,
)


# Ages written as words, as a child's age is in a list of victims ("Tom, five, Lucy, three").
_AGE_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
              "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
              "eighteen", "nineteen")  # fmt: skip

# A nickname in quotation marks between a given name and a surname: Walter "Rusty" Hale
# (the closing mark may be followed by a stray "?" where the source lost a space).
NICKNAME = re.compile(r"""[ ]?["“][^\W\d_][\w.'’-]{0,20}["”]\??[ ]?""")


def _uppercase_class() -> str:
    """A character class of every upper-case letter of the Basic Multilingual Plane."""
    letters = (chr(code) for code in range(0x10000))
    return "[" + "".join(re.escape(c) for c in letters if c.isupper()) + "]"


@dataclass(frozen=True, slots=True)
class NamePatterns:
    """Compiled patterns for name scanning; build once with `NamePatterns.build`."""

    run: re.Pattern[str]
    speech_after: re.Pattern[str]
    speech_before: re.Pattern[str]
    apposition: re.Pattern[str]
    apposed_speaker: re.Pattern[str]  # ", told" after a name that is an apposition

    @classmethod
    def build(cls, lexicon: Lexicon) -> NamePatterns:
        upper = _uppercase_class()
        particles = "|".join(sorted(lexicon.particles, key=len, reverse=True))
        dotted = {t[:-1] for t in lexicon.titles if t.endswith(".") and " " not in t}
        dotted |= {s[:-1] for s in lexicon.suffixes if s.endswith(".")}
        # A look-behind must have one width: one alternation per length of abbreviation.
        abbrev = "|".join(
            "(?<="
            + "|".join(sorted(re.escape(d.capitalize()) for d in dotted if len(d) == n))
            + ")"
            for n in sorted({len(d) for d in dotted})
        )
        # Short words a hyphen never joins to a name: stop words and speech verbs, which a
        # lost space glues on ("Aissami-for", "Aboul-Gheit-said").
        verb_words = _read("people_speech_verbs.txt")
        glued = {w for w in lexicon.stopwords if len(w) <= 4 and w.isalpha()}
        glued |= {w for w in verb_words if len(w) <= 4 and w.isalpha()}
        short = "|".join(sorted(glued))
        rest = rf"""
            (?:[^\W\d_]                            # letters,
              |['’](?=[^\W\d_])                    # inner apostrophes: "O'Neill"
              |-(?={upper}|(?!(?:{short})\b)[^\W\d_]{{1,4}}\b)  # "Jean-Paul", "Chan-jo",
            )*                                       #   not "Aissami-for", "Gheit-said"
            (?:(?:{abbrev})\.                       # "Dr.", "Jr."
              |(?<=[^\w'’]{upper})\.(?=[ ]{upper}) # an initial: "George W. Bush"
            )?
            """
        # The run starts with a capital letter (a literal character class first lets the
        # regex engine skip ahead fast); particles before it are added by `_extend_left`.
        run = re.compile(
            rf"""
            {upper}(?<![\w'’].)                     # a capital starting a word
            {rest}
            (?:[ ](?:(?:{particles})[ ])*            # more words, particles between:
               (?:(?:al|el|as|ad|an|ar|at|az)-)?     #   an Arabic article glued to the name
               {upper}{rest}
            )*
            """,
            re.VERBOSE,
        )
        verbs = _alternation(verb_words)
        inverted = _alternation(_read("people_speech_inverted.txt"))
        speech_after = re.compile(
            rf"""
            (?:,[ ][^,.;:"“”]{{1,90}},)?             # an apposition: ", a priest who ...,"
            [ ](?:also[ ]|later[ ]|then[ ]|further[ ]|previously[ ]|has[ ]|had[ ])?
            (?:{verbs})\b                            # the speech verb
            """,
            re.VERBOSE,
        )
        # A name that is itself an apposition: "the head of the school, Ali Lazaar, told".
        apposed_speaker = re.compile(
            rf"""
            ,[ ](?:also[ ]|later[ ]|then[ ])?(?:{verbs})\b
            """,
            re.VERBOSE,
        )
        speech_before = re.compile(
            rf"""
            \b(?:{inverted})                         # "said", "according to"
            [ ]$                                     # right before the name
            """,
            re.VERBOSE,
        )
        roles = "|".join(re.escape(r) for r in sorted(lexicon.roles, key=len, reverse=True))
        ages = "|".join(sorted(_AGE_WORDS, key=len, reverse=True))
        apposition = re.compile(
            rf"""
            ,[ ](?:(?:a|an|the|his|her|its|their)[ ])?  # ", the" / ", a"
            (?:[\w'\-]+[ ]){{0,4}}?                  # a few modifiers: "former chief"
            (?:{roles})\b                            # a role noun: "spokesman"
            | ,[ ](?:aged[ ])?(?:\d{{1,3}}|{ages})     # an age: "Safiro Furtado, 28, and",
              (?:[,;)]|\.(?!\d)|[ ]and\b|$)           #   "Ann, aged nine, and", "Kay, four;"
            """,
            re.VERBOSE,
        )
        return cls(run, speech_after, speech_before, apposition, apposed_speaker)


def _alternation(words: list[str]) -> str:
    """A regex alternation of `words`, longest first, spaces matching one space."""
    return "|".join(
        re.escape(w).replace("\\ ", "[ ]") for w in sorted(words, key=len, reverse=True)
    )


def _read(name: str) -> list[str]:
    text = resources.files("bot.core.extract.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
