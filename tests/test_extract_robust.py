"""The extractor never raises, whatever the text, and its JSON always serialises."""

from __future__ import annotations

import json
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.extract import Extractor
from bot.core.extract.fatalities import find_fatalities
from bot.core.extract.report import extraction_json
from bot.core.extract.summary import summarize
from bot.core.extract.text import Document
from bot.core.models import Story


@lru_cache(maxsize=1)
def extractor() -> Extractor:
    return Extractor()


WIRE_WORDS = [
    "killed", "died", "dead", "at least", "more than", "nearly", "up to", "a dozen", "dozens",
    "1,200", "1,2", "3.5", "2011", "45-year-old", "$30", "12%", "twenty-three", "one", "a",
    "soldiers", "and", "were", "death toll", "rose to", "martyrs", "since", "in", "no one",
    "Feb.", "3,", "“", "”", '"', "'", "(", ")", "-", "—", ".", ",", ";", "\n", "\n\n", "Mr.",
    "U.S.", "Çavuşoğlu", "said", "he", "killing", "wounded", "or", "injured", "of the", "all",
]  # fmt: skip

wire_text = st.lists(
    st.one_of(st.sampled_from(WIRE_WORDS), st.text(max_size=12)), max_size=120
).map(" ".join)
any_text = st.one_of(st.text(max_size=400), wire_text)


@settings(max_examples=150, deadline=None)
@given(headline=st.text(max_size=80), body=any_text)
def test_fatalities_and_summary_never_raise(headline: str, body: str) -> None:
    doc = Document.build(f"{headline}\n\n{body}", headline)
    found = find_fatalities(doc)
    assert found.total is None or found.total > 0
    assert all(0 <= m.start <= m.end <= len(doc.text) for m in found.mentions)
    assert len(summarize(doc)) <= 400


@settings(max_examples=60, deadline=None)
@given(headline=st.text(max_size=80), body=any_text, dateline=st.none() | st.text(max_size=30))
def test_extraction_json_round_trips(headline: str, body: str, dateline: str | None) -> None:
    story = Story(source="s", guid="g", headline=headline, body=body, dateline=dateline)
    record = extraction_json(extractor().extract(story))
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record


def test_huge_paragraph_and_unbalanced_quotes() -> None:
    body = ("“He said 12 people were killed, " * 2000) + " and 3,000 (" * 500
    story = Story(source="s", guid="g", headline="x", body=body)
    record = extraction_json(extractor().extract(story))
    assert json.loads(json.dumps(record)) == record
