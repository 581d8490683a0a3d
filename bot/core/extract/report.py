"""An `Extraction` as the JSON object of DESIGN.md's contract (`wirewatch extract`).

    {"headline", "dateline", "published",
     "countries": [{"code", "name", "mentions"}],
     "people": [{"name", "title", "country", "mentions"}],
     "fatalities": {"total", "qualifier", "mentions": [{"count", "who", "text"}]},
     "quotes": [{"text", "speaker"}], "summary"}

`mentions` of countries and people are counts; a fatality mention of a cumulative
background toll carries `"cumulative": true` (it is not in `total`). `published` is an
ISO 8601 UTC string or null. Pure: builds plain dicts, lists, strings and ints only, so
`json.dumps` always succeeds.
"""

from __future__ import annotations

from bot.core.models import Extraction, Fatalities


def _fatalities_json(fatalities: Fatalities) -> dict[str, object]:
    mentions: list[dict[str, object]] = []
    for m in fatalities.mentions:
        item: dict[str, object] = {"count": m.count, "who": m.who, "text": m.text}
        if m.cumulative:
            item["cumulative"] = True
        mentions.append(item)
    return {"total": fatalities.total, "qualifier": fatalities.qualifier, "mentions": mentions}


def extraction_json(extraction: Extraction) -> dict[str, object]:
    """The contract's JSON object for one story (key order as in DESIGN.md)."""
    return {
        "headline": extraction.headline,
        "dateline": extraction.dateline,
        "published": extraction.published.isoformat() if extraction.published else None,
        "countries": [
            {"code": c.code, "name": c.name, "mentions": len(c.mentions)}
            for c in extraction.countries
        ],
        "people": [
            {"name": p.name, "title": p.title, "country": p.country, "mentions": len(p.mentions)}
            for p in extraction.people
        ],
        "fatalities": _fatalities_json(extraction.fatalities),
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in extraction.quotes],
        "summary": extraction.summary,
    }
