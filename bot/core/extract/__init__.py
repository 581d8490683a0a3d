"""The extraction engine: Story -> Extraction.

`Extractor` loads its data (gazetteers, title lists, the Aho-Corasick automata) once;
`extract` is then a pure function of the story. Each part has one module:

    text.py        Document: folding with stable offsets, paragraphs, sentences
    places.py      countries (names, variants, demonyms, capitals, cities, regions)
    people.py      named persons with titles; later references resolved
                   (namescan.py and name_*.py find the candidate names; names.py and
                   namepatterns.py hold the word lists and patterns)
    fatalities.py  people killed in the reported events (fatalities_context.py: news,
                   background or past; numbers.py: counts of people)
    quotes.py      direct quotations; their speakers by attribution.py (with
                   attribution_phrases.py, pronouns.py, roles.py, misspelt.py)
    summary.py     lead summary and the key quote
"""

from __future__ import annotations

from bot.core.extract.fatalities import find_fatalities
from bot.core.extract.people import PeopleFinder
from bot.core.extract.places import Gazetteer
from bot.core.extract.quotes import find_quotes
from bot.core.extract.summary import choose_key_quote, summarize
from bot.core.extract.text import Document
from bot.core.models import Extraction, Story


class Extractor:
    """Reads stories. Build once (loading data takes a moment), then call `extract`."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.people = PeopleFinder.load(self.gazetteer)

    def extract(self, story: Story) -> Extraction:
        """Read one story. Never raises on any text."""
        doc = Document.build(story.text, story.headline, story.dateline)
        countries = self.gazetteer.find(doc)
        people = self.people.find(doc)
        quotes = find_quotes(doc, people, self.people.lexicon.gender_of_first_name)
        fatalities = find_fatalities(doc)
        return Extraction(
            headline=story.headline,
            dateline=story.dateline,
            published=story.published,
            countries=countries,
            people=people,
            fatalities=fatalities,
            quotes=quotes,
            summary=summarize(doc),
            key_quote=choose_key_quote(quotes, people),
        )
