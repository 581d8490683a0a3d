"""Rule-matching throughput: the compiled RuleSet against a regex-per-rule baseline.

    .venv/bin/python bench/rules.py [--seconds 2] [--sizes 10,1000,10000] [--stories 200]

Generates realistic rule mixes (countries + death tolls, keyword lists, named people,
keywords with exclusions, keyword + regex) and ~3,500-character stories with their
extractions (built directly, so only matching is measured). Rules and stories are drawn
from separate random streams: every size is a prefix of one stream of rules (the same
mix, printed per size), and the stories are the same at every size and whatever
`--sizes` says. For each size it prints stories/s of the compiled engine and of a naive
baseline that runs one compiled regex per rule (its keywords, names and country names as
one alternation) and then evaluates the rule, in the same run; the ratio between them;
the split of a story's cost between the scan and each rule that fired; and the memory
taken by the compiled rules at the largest size. Targets (issue 4), printed with their
verdict: at the largest size (10,000), at least half the throughput at the smallest
(10), and at least 100x the baseline. Then a diagnostic, not a target: the smallest set
plus rules of the same shapes that never fire on its stories, so that only the number
of rules grows, not the matches to build.
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pycountry

from bot.core.models import (
    CountryRef,
    Extraction,
    Fatalities,
    Fatality,
    Mention,
    Person,
    Story,
)
from bot.core.rules import (
    AllOf,
    AnyOf,
    Condition,
    Countries,
    FatalityCount,
    Keywords,
    NoneOf,
    People,
    PersonName,
    Regex,
    Rule,
    compile_rules,
)

HOT_COUNTRIES = [
    ("TR", "Turkey"), ("SY", "Syria"), ("IQ", "Iraq"), ("IR", "Iran"), ("IL", "Israel"),
    ("LB", "Lebanon"), ("EG", "Egypt"), ("LY", "Libya"), ("SD", "Sudan"), ("YE", "Yemen"),
    ("SA", "Saudi Arabia"), ("RU", "Russia"), ("UA", "Ukraine"), ("PL", "Poland"),
    ("DE", "Germany"), ("FR", "France"), ("GB", "United Kingdom"), ("US", "United States"),
    ("CN", "China"), ("JP", "Japan"), ("KR", "South Korea"), ("KP", "North Korea"),
    ("IN", "India"), ("PK", "Pakistan"), ("AF", "Afghanistan"), ("BD", "Bangladesh"),
    ("MM", "Myanmar"), ("TH", "Thailand"), ("PH", "Philippines"), ("ID", "Indonesia"),
    ("NG", "Nigeria"), ("ET", "Ethiopia"), ("SO", "Somalia"), ("KE", "Kenya"), ("ML", "Mali"),
    ("CD", "Congo"), ("ZA", "South Africa"), ("BR", "Brazil"), ("MX", "Mexico"),
    ("CO", "Colombia"), ("VE", "Venezuela"), ("HT", "Haiti"), ("AR", "Argentina"),
]  # fmt: skip
COUNTRIES = [(c.alpha_2, c.name) for c in pycountry.countries]
NEWS_WORDS = [
    "ceasefire",
    "truce",
    "airstrike",
    "shelling",
    "offensive",
    "coup",
    "protest",
    "riot",
    "election",
    "referendum",
    "sanctions",
    "embargo",
    "tariff",
    "inflation",
    "default",
    "bailout",
    "earthquake",
    "flood",
    "wildfire",
    "cyclone",
    "hurricane",
    "landslide",
    "drought",
    "famine",
    "cholera",
    "outbreak",
    "vaccine",
    "pandemic",
    "refugees",
    "migrants",
    "hostages",
    "kidnapping",
    "bombing",
    "explosion",
    "attack",
    "militants",
    "insurgents",
    "rebels",
    "junta",
    "parliament",
    "impeachment",
    "resignation",
    "corruption",
    "arrest",
    "trial",
    "verdict",
    "pipeline",
    "blackout",
    "cyberattack",
    "ransomware",
    "hackers",
    "missile",
    "drone",
    "nuclear",
    "uranium",
    "enrichment",
    "summit",
    "talks",
    "negotiations",
    "treaty",
    "blockade",
    "convoy",
    "evacuation",
    "curfew",
    "martial",
    "strike",
    "walkout",
]
PHRASES = [
    "peace talks", "humanitarian corridor", "state of emergency", "no-fly zone",
    "prisoner swap", "central bank", "interest rates", "friendly match", "mass grave",
    "chemical weapons", "ballistic missile", "border crossing", "power outage",
]  # fmt: skip
FIRST = [
    "Sergey",
    "Mevlüt",
    "Antony",
    "Wang",
    "Olaf",
    "Emmanuel",
    "Recep",
    "Volodymyr",
    "Narendra",
    "Ali",
    "Abiy",
    "Luiz",
]
LAST = "Lavrov Çavuşoğlu Blinken Yi Scholz Macron Erdoğan Zelensky Modi Khamenei Ahmed Silva"
LAST_NAMES = LAST.split()
FILLER = [
    "the",
    "officials",
    "said",
    "on",
    "Tuesday",
    "that",
    "the",
    "situation",
    "remained",
    "tense",
    "after",
    "days",
    "of",
    "unrest",
    "in",
    "the",
    "region",
    "while",
    "international",
    "observers",
    "called",
    "for",
    "calm",
    "and",
    "restraint",
    "from",
    "all",
    "sides",
    "according",
    "to",
    "a",
    "statement",
    "released",
    "by",
    "the",
    "ministry",
    "late",
    "in",
    "the",
    "evening",
]
SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tel",
    "var",
    "on",
    "si",
    "bu",
    "den",
    "la",
    "qu",
    "zor",
    "fen",
    "ti",
    "ma",
    "rek",
    "sol",
    "pra",
    "gin",
    "hu",
]

# Syllables no story word is made of (nor any filler or news word contains as a word).
SILENT_SYLLABLES = [
    "xu", "zy", "qov", "jex", "wyz", "vuq", "kyx", "zoj", "quy", "xav", "jyq", "vox", "zux",
    "qyv", "wox", "jaz",
]  # fmt: skip


def synthetic_words(
    rng: random.Random, count: int, syllables: Sequence[str] = SYLLABLES
) -> list[str]:
    """Made-up but word-like terms, so 10,000 rules can watch many distinct things."""
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(3, 4))))
    return sorted(words)


class World:
    """The vocabulary rules and stories are drawn from."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.common = NEWS_WORDS + PHRASES
        self.terms = self.common + synthetic_words(self.rng, 20000)
        self.famous = [f"{f} {s}" for f in FIRST for s in LAST_NAMES]
        self.people = self.famous + [
            f"{a.title()} {b.title()}"
            for a, b in zip(
                synthetic_words(self.rng, 1500), synthetic_words(self.rng, 1500), strict=True
            )
        ]
        self.pools = (HOT_COUNTRIES, COUNTRIES)

    def silent(self, seed: int) -> World:
        """Rules of the same shapes that no story of `quiet()` can fire: their words and
        people are made of other syllables, their countries are never in the news."""
        other = self.drawing(seed)
        other.common = []
        other.terms = synthetic_words(other.rng, 20000, SILENT_SYLLABLES)
        other.people = [
            f"{a.title()} {b.title()}"
            for a, b in zip(
                synthetic_words(other.rng, 1500, SILENT_SYLLABLES),
                synthetic_words(other.rng, 1500, SILENT_SYLLABLES),
                strict=True,
            )
        ]
        hot = {code for code, _ in HOT_COUNTRIES}
        quiet = [(code, name) for code, name in COUNTRIES if code not in hot]
        other.pools = (quiet, quiet)
        return other

    def quiet(self, seed: int) -> World:
        """Stories that name only the countries in the news most."""
        other = self.drawing(seed)
        other.pools = (HOT_COUNTRIES, HOT_COUNTRIES)
        return other

    def drawing(self, seed: int) -> World:
        """The same vocabulary, drawn from with a generator of its own: stories drawn
        apart from rules are the same stories whatever the number of rules."""
        other = copy.copy(self)
        other.rng = random.Random(seed)
        return other

    def term(self, common: float = 0.05) -> str:
        # Everyday news words are watched (and written) more often than the long tail
        # of names of companies, places, products and jargon a big newsroom watches.
        if self.common and self.rng.random() < common:
            return self.rng.choice(self.common)
        return self.rng.choice(self.terms)

    def pick_countries(self, count: int) -> list[tuple[str, str]]:
        # Half the picks from the countries in the news most, half from all of them.
        picked: dict[str, str] = {}
        while len(picked) < count:
            pool = self.pools[0] if self.rng.random() < 0.5 else self.pools[1]
            code, name = self.rng.choice(pool)
            picked[code] = name
        return list(picked.items())

    def countries(self, most: int) -> Countries:
        picked = self.pick_countries(self.rng.randint(1, most))
        return Countries(tuple(c for c, _ in picked), tuple(n for _, n in picked))

    def keywords(self, most: int) -> Keywords:
        return Keywords(tuple({self.term() for _ in range(self.rng.randint(1, most))}))

    def rule(self, index: int) -> Rule:
        rng = self.rng
        shape = rng.random()
        unless: Condition | None = None
        when: Condition
        if shape < 0.12:  # a country (or a few) with deaths
            toll = FatalityCount(rng.choice([5, 10, 20, 50, 100]))
            when = AllOf((self.countries(3), toll))
        elif shape < 0.45:  # a keyword list
            when = self.keywords(5)
        elif shape < 0.62:  # a country and topic words
            when = AllOf((self.countries(2), self.keywords(4)))
        elif shape < 0.82:  # named people
            names = rng.sample(self.people, rng.randint(1, 3))
            when = People(tuple(PersonName(n) for n in names))
        elif shape < 0.95:  # topic words minus noise
            when = self.keywords(4)
            unless = AnyOf((self.keywords(2), Keywords(("football", "friendly match"))))
        else:  # topic word and a pattern
            when = AllOf((self.keywords(3), Regex((r"\b[0-9]+ (?:killed|dead|wounded)\b",))))
        return Rule(f"rule-{index}", when, unless, ("console",), "normal", None)

    def story(self, index: int, busy: bool = False) -> tuple[Story, Extraction]:
        """A ~3,500-character story. Typical: 1-3 countries, a death toll in one story
        of five, a watched person in one of three, five topic words. Busy (every story
        a big conflict story): 3 countries, two of three with deaths, three watched
        people, eight topic words."""
        rng = self.rng
        famous = self.famous
        if busy:
            countries = self.pick_countries(3)
            people = [*rng.sample(famous, 2), rng.choice(self.people)]
            killed = rng.choice([0, 3, 8, 25, 120, 0])
            topics = [self.term(common=0.25) for _ in range(8)]
        else:
            countries = self.pick_countries(rng.randint(1, 3))
            people = rng.sample(famous, 1) if rng.random() < 0.33 else []
            people.append(f"{rng.choice(SYLLABLES).title()}ko {rng.choice(SYLLABLES).title()}vic")
            killed = rng.choice([3, 8, 25, 120]) if rng.random() < 0.2 else 0
            topics = [self.term(common=0.25) for _ in range(5)]
        sentences = [f"{people[0]} spoke in {countries[0][1]} on Tuesday."]
        if killed:
            sentences.append(f"At least {killed} people were killed in the attack.")
        extras = [f"Officials in {n} said" for _, n in countries] + people + topics
        rng.shuffle(extras)
        body: list[str] = []
        while len(" ".join(sentences + body)) < 3400:
            words = [rng.choice(FILLER) for _ in range(rng.randint(12, 20))]
            if extras:
                words.insert(rng.randint(0, len(words)), extras.pop())
            body.append(" ".join(words).capitalize() + ".")
        headline = f"{countries[0][1]}: {topics[0]} as {people[0]} visits"
        item = Story("bench-wire", f"s{index}", headline, " ".join(sentences + body))
        return item, extract_for(item, countries, people, killed)


def extract_for(
    item: Story, countries: Sequence[tuple[str, str]], people: Sequence[str], killed: int
) -> Extraction:
    text = item.text

    def mention(words: str) -> tuple[Mention, ...]:
        start = text.find(words)
        return (Mention(words, start, start + len(words)),) if start >= 0 else ()

    fatalities: tuple[Fatality, ...] = ()
    if killed:
        words = f"At least {killed} people were killed"
        (where,) = mention(words)
        fatalities = (Fatality(killed, "people", words, where.start, where.end, "at_least"),)
    return Extraction(
        headline=item.headline,
        dateline=None,
        published=None,
        countries=tuple(CountryRef(c, n, mention(n)) for c, n in countries),
        people=tuple(Person(p, None, None, mention(p)) for p in people),
        fatalities=Fatalities(killed or None, "at_least", fatalities),
        quotes=(),
        summary="",
        key_quote=None,
    )


# -- the naive baseline: one compiled regex per rule, then the rule's logic ---------------


def _terms(condition: Condition) -> list[str]:
    if isinstance(condition, AllOf | AnyOf | NoneOf):
        return [t for c in condition.conditions for t in _terms(c)]
    if isinstance(condition, Keywords):
        return list(condition.words)
    if isinstance(condition, People):
        return [p.name for p in condition.people]
    if isinstance(condition, Countries):
        return list(condition.names)
    return []


def _holds(condition: Condition, found: set[str], item: Story, ex: Extraction) -> bool:
    if isinstance(condition, AllOf):
        return all(_holds(c, found, item, ex) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(_holds(c, found, item, ex) for c in condition.conditions)
    if isinstance(condition, NoneOf):
        return not any(_holds(c, found, item, ex) for c in condition.conditions)
    if isinstance(condition, Keywords):
        return any(w.lower() in found for w in condition.words)
    if isinstance(condition, People):
        return any(p.name.lower() in found for p in condition.people)
    if isinstance(condition, Countries):
        return any(n.lower() in found for n in condition.names)
    if isinstance(condition, FatalityCount):
        return (ex.fatalities.total or 0) >= (condition.min or 1)
    if isinstance(condition, Regex):
        return any(re.search(p, item.text) for p in condition.patterns)
    return False


def naive_matcher(rules: Sequence[Rule]) -> Callable[[Story, Extraction], list[str]]:
    compiled = []
    for rule in rules:
        terms = _terms(rule.when) + (_terms(rule.unless) if rule.unless else [])
        alternation = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
        compiled.append((rule, re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)))

    def match(item: Story, ex: Extraction) -> list[str]:
        names = []
        for rule, pattern in compiled:
            found = {m.group(0).lower() for m in pattern.finditer(item.text)}
            if not _holds(rule.when, found, item, ex):
                continue
            if rule.unless is not None and _holds(rule.unless, found, item, ex):
                continue
            names.append(rule.name)
        return names

    return match


def shape(rule: Rule) -> str:
    """Which of the generator's kinds of rule this is (to show the mix at each size)."""
    when = rule.when
    if isinstance(when, People):
        return "people"
    if isinstance(when, Keywords):
        return "keywords-unless" if rule.unless is not None else "keywords"
    if isinstance(when, AllOf):
        kinds = {type(c) for c in when.conditions}
        if FatalityCount in kinds:
            return "country+toll"
        return "keywords+regex" if Regex in kinds else "country+keywords"
    return "other"


SHAPES = ["country+toll", "keywords", "country+keywords", "people", "keywords-unless"]
SHAPES += ["keywords+regex"]


def mix(rules: Sequence[Rule]) -> str:
    counts = dict.fromkeys(SHAPES, 0)
    for rule in rules:
        counts[shape(rule)] = counts.get(shape(rule), 0) + 1
    return ", ".join(f"{name} {100 * n / len(rules):.0f}%" for name, n in counts.items())


def verdict(value: float, target: float) -> str:
    return "met" if value >= target else "NOT met"


def resident_mib() -> float:
    """Current resident set size (Linux /proc; peak RSS elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * resource.getpagesize() / 2**20


def throughput(
    match: Callable[[Story, Extraction], object],
    stories: Sequence[tuple[Story, Extraction]],
    seconds: float,
) -> tuple[float, int]:
    """Stories per second over at least `seconds` (and at least one story)."""
    done = 0
    start = time.perf_counter()
    while True:
        item, ex = stories[done % len(stories)]
        match(item, ex)
        done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and done >= 1:
            return done / elapsed, done


def measure(
    label: str,
    sizes: Sequence[int],
    rules_at: Callable[[int], Sequence[Rule]],
    stories: Sequence[tuple[Story, Extraction]],
    seconds: float,
    naive: bool = True,
) -> dict[int, float]:
    """Print one table (a row per size) and return stories/s per size.

    Besides throughput, each row splits a story's cost: the scan (`RuleSet.scan`: the
    automaton pass, people, countries, toll), and the rest divided by the rules fired,
    i.e. what finding and building one `Match` with its reasons costs.
    """
    mean_len = sum(len(s.text) for s, _ in stories) / len(stories)
    print(f"\n{label}: {len(stories)} stories, {mean_len:,.0f} characters on average")
    print(
        f"{'rules':>7} {'compile s':>10} {'compiled st/s':>14} {'naive st/s':>11} "
        f"{'ratio':>8} {'fired/story':>12} {'scan us':>8} {'us/fired':>9}"
    )
    results: dict[int, float] = {}
    for size in sizes:
        rules = rules_at(size)
        start = time.perf_counter()
        compiled = compile_rules(rules)
        compile_s = time.perf_counter() - start
        fast, _ = throughput(compiled.match, stories, seconds)
        scan_rate, _ = throughput(compiled.scan, stories, seconds / 2)
        fired = sum(len(compiled.match(s, e)) for s, e in stories) / len(stories)
        scan_us = 1e6 / scan_rate
        per_fired = (1e6 / fast - scan_us) / fired if fired >= 0.5 else float("nan")
        results[size] = fast
        if naive:
            slow, _ = throughput(naive_matcher(rules), stories, seconds)
            versus = f"{slow:>11,.1f} {fast / slow:>7,.0f}x"
        else:
            versus = f"{'-':>11} {'-':>8}"
        print(
            f"{size:>7,} {compile_s:>10.2f} {fast:>14,.0f} {versus} {fired:>12.1f} "
            f"{scan_us:>8.1f} {per_fired:>9.2f}"
        )
        if naive and size == max(sizes):
            results[-1] = fast / slow
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--sizes", default="10,1000,10000", help="rule counts to measure")
    parser.add_argument("--stories", type=int, default=200, help="distinct stories")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    small, large = min(sizes), max(sizes)
    world = World()
    rule_world, story_world = world.drawing(1), world.drawing(2)
    all_rules = [rule_world.rule(i) for i in range(large)]
    # One stream of rules: each size is a prefix of the largest, so every size draws
    # from the same mix (the stories, below, are the same at every size too).
    print("rule mix per size (the generator's kinds):")
    for size in sizes:
        print(f"{size:>7,}: {mix(all_rules[:size])}")
    # Memory first, while the heap holds only the rules: the resident set then grows by
    # what compiling takes, not by what earlier runs freed.
    rss_before = resident_mib()
    kept = compile_rules(all_rules[:large])
    rss_growth = resident_mib() - rss_before
    patterns, people = len(kept.patterns), len(kept.people)
    del kept
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = compile_rules(all_rules[:large])
    allocated = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del kept
    print(
        f"memory at {large:,} rules: {allocated / 2**20:.1f} MiB allocated by compile_rules "
        f"({patterns:,} patterns, {people:,} people), resident set +{rss_growth:.1f} MiB"
    )
    for kind in ("typical", "busy"):
        stories = [story_world.story(i, busy=kind == "busy") for i in range(args.stories)]
        results = measure(f"{kind} stories", sizes, lambda n: all_rules[:n], stories, args.seconds)
        if len(sizes) > 1:
            ratio = results[large] / results[small]
            print(
                f"target 1: throughput at {large:,} rules / at {small:,} rules = "
                f"{ratio:.2f} (target >= 0.50: {verdict(ratio, 0.5)})"
            )
        print(
            f"target 2: compiled / naive at {large:,} rules = {results[-1]:,.0f}x "
            f"(target >= 100x: {verdict(results[-1], 100)})"
        )
    if len(sizes) > 1:
        # Diagnostic, not a target: the same first rules plus rules of the same shapes
        # that never fire on these stories, so the matches to build stay the same and
        # only the number of rules grows.
        silent_world = world.silent(3)
        silent = [silent_world.rule(large + i) for i in range(large - small)]
        quiet_world = world.quiet(4)
        stories = [quiet_world.story(i) for i in range(args.stories)]
        firing = all_rules[:small]
        results = measure(
            f"diagnostic: {small} rules, then {large - small:,} more that never fire",
            [small, large],
            lambda n: [*firing, *silent[: n - small]],
            stories,
            args.seconds,
            naive=False,
        )
        print(
            f"diagnostic: throughput at {large:,} rules ({small} may fire) / at {small} "
            f"rules = {results[large] / results[small]:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
