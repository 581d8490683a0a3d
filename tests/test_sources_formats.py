"""Every sample wire-format file parses to the stories a reader would expect.

The IPTC samples (tests/data/formats/ninjs, newsml-g2) are read as published, including
the German, Norwegian and Swedish ones; the feeds/ and wirewatch/ files were written
for these tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.core.errors import FetchError
from bot.core.models import Story
from bot.sources import DOCUMENT_KINDS, parse_document
from bot.sources.htmltext import html_paragraphs, text_paragraphs

DATA = Path(__file__).parent / "data" / "formats"


def _parse(kind: str, path: str) -> list[Story]:
    return parse_document(kind, (DATA / path).read_bytes(), source="wire", guid=Path(path).name)


def _paragraphs(story: Story) -> list[str]:
    return story.body.split("\n\n")


class Expected(NamedTuple):
    """What a reader sees in one sample file."""

    name: str
    headline: str
    language: str | None
    dateline: str | None
    body_start: str
    paragraphs: int


NINJS = [
    Expected(
        "1.4-businesswire-newsml-20130731006140.json",
        "Lunch Taking a Toll? Let Applebee’s® Industrial Strength Lunch Decoy Stand In",
        "en",
        None,
        "With more Applebee’s® Lunch Combos than ever",
        1,
    ),
    Expected(
        "1.4-ninjsExComplex1.json",
        "Captain of wrecked cruise ship on trial in Italy",
        "en",
        "Grossetto, Italy",
        "GROSSETO, Italy (AP) -- The trial of the captain",
        4,
    ),
    Expected(
        "1.4-ninjsExSimpleText1.json",
        "Captain of wrecked cruise ship on trial in Italy",
        None,
        None,
        "GROSSETO, Italy (AP) -- The trial of the captain",
        4,
    ),
    Expected(
        "2.1-dpa_text.json",
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        "de",
        None,
        "Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren».",
        9,
    ),
    Expected(
        "2.1-ntb_text.json",
        "Google har kjøpt giganttomt i Skien",
        "nb-NO",
        None,
        "IT-giganten Google har kjøpt en tomt på nærmere 2.000 mål i Skien",
        1,
    ),
    Expected(
        "2.1-tt_text_image_2.json",
        "Militärövning i jätteformat hålls 2023",
        "sv",
        None,
        "Försvar TT",
        5,
    ),
    Expected(
        "3.0-20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever"
        "-addb-ninjs-nitf.json",
        "Anti-doping measures at the 'Tour Down Under' will be the toughest ever",
        "en",
        "Oslo, Norway",
        "The Australian Sports Anti-Doping Authority (ASADA) today announced",
        18,
    ),
    Expected(
        "3.0-dpa_text.json",
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        "de",
        None,
        "Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren».",
        9,
    ),
]


def test_every_ninjs_sample_is_covered() -> None:
    on_disk = {p.name for p in (DATA / "ninjs").glob("*.json")}
    assert on_disk == {case.name for case in NINJS}


@pytest.mark.parametrize("case", NINJS, ids=[case.name for case in NINJS])
def test_ninjs_samples(case: Expected) -> None:
    [story] = _parse("ninjs", f"ninjs/{case.name}")
    assert story.headline == case.headline
    assert story.language == case.language
    assert story.dateline == case.dateline
    assert story.body.startswith(case.body_start)
    assert len(_paragraphs(story)) == case.paragraphs
    assert "<" not in story.body  # no markup left
    assert story.published is not None
    assert story.published.tzinfo is UTC


def test_ninjs_identity_and_time() -> None:
    [dpa] = _parse("ninjs", "ninjs/3.0-dpa_text.json")  # 3.x camelCase keys
    assert dpa.guid == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert dpa.published == datetime(2019, 5, 10, 14, 2, 28, tzinfo=UTC)  # +02:00 -> UTC
    assert dpa.url is None  # a URN is not a link
    [bw] = _parse("ninjs", "ninjs/1.4-businesswire-newsml-20130731006140.json")
    assert bw.url == "http://www.businesswire.com/news/home/20130731006140/en"


def test_ninjs_tt_body_does_not_repeat_the_headline() -> None:
    [story] = _parse("ninjs", "ninjs/2.1-tt_text_image_2.json")
    assert "Militärövning i jätteformat" not in story.body
    assert "– Aurora 2023 kommer att genomföras" in story.body


def test_ninjs_nitf_body_keeps_the_lead_paragraph() -> None:
    name = next((DATA / "ninjs").glob("3.0-2023*.json")).name
    [story] = _parse("ninjs", f"ninjs/{name}")
    assert _paragraphs(story)[1].startswith("The initiatives are being implemented")
    assert _paragraphs(story)[-1] == "Email: media@asada.gov.au"


def test_ninjs_list_of_items_and_pictures_skipped() -> None:
    data = (
        b'[{"uri": "urn:a", "type": "text", "headline": "First", "body_text": "One."},'
        b' {"uri": "urn:p", "type": "picture", "headline": "A photo"},'
        b' {"type": "text", "headlines": [{"value": "Third"}], "body_html": "<p>Three.</p>"}]'
    )
    stories = parse_document("ninjs", data, source="wire", guid="batch.json")
    assert [(s.guid, s.headline, s.body) for s in stories] == [
        ("urn:a", "First", "One."),
        ("batch.json#3", "Third", "Three."),
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"{not json", "invalid JSON"),
        (b'"a string"', "expected a JSON object"),
        (b'{"uri": "urn:empty", "type": "text"}', "urn:empty"),
        ((DATA / "feeds" / "wire.json").read_bytes(), "JSON Feed"),
    ],
)
def test_bad_ninjs_is_a_fetch_error(data: bytes, problem: str) -> None:
    with pytest.raises(FetchError, match=problem):
        parse_document("ninjs", data, source="wire", guid="x.json")


def test_newsml_text_document() -> None:
    [story] = _parse("newsml", "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml")
    assert story.guid == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert story.dateline == "New York, NY"  # from <located>: the item has no <dateline>
    assert story.published == datetime(2018, 11, 21, 21, 25, 32, tzinfo=UTC)
    assert story.language == "en-US"
    paragraphs = _paragraphs(story)
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("(New York, NY - October 21) Et, sent luptat luptat, commy Nim")
    assert "\n" not in paragraphs[0]  # hard-wrapped XML text joined


def test_newsml_news_item_without_body_text_is_a_headline_only_story() -> None:
    [story] = _parse("newsml", "newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml")
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert story.body == ""  # its inlineXML holds only comments
    assert story.dateline == "Berlin, Germany"
    assert story.language == "en-GB"


def test_newsml_nitf_content_set_fragment() -> None:
    [story] = _parse(
        "newsml", "newsml-g2/LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml"
    )
    assert (
        story.headline == "Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05p.m."
    )
    assert story.body.startswith("(Sports Network) - With the Philadelphia Phillies picking up")
    assert "A pair of teams" not in story.body  # the NITF abstract is not body text


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("LISTING_24_News_Message_conveying_a_complete_News_Package.xml", "N1, N2, N3, N4"),
        ("LISTING_28_Illustrating_Located_Subject_and_Dateline.xml", "no headline or body"),
        ("LISTING_29_Hop_History.xml", "HOP-HISTORY-EXAMPLE"),
    ],
)
def test_newsml_samples_without_any_text_are_reported(name: str, problem: str) -> None:
    with pytest.raises(FetchError, match=problem):
        _parse("newsml", f"newsml-g2/{name}")


def test_newsml_video_item_is_not_a_story() -> None:
    assert _parse("newsml", "newsml-g2/ap_metadata_example.xml") == []  # ISO-8859-1, ninat:video


def test_every_newsml_sample_is_covered() -> None:
    covered = {
        "LISTING_1_A_NewsML-G2_News_Item.xml",
        "LISTING_2_NewsML-G2_Text_Document.xml",
        "LISTING_24_News_Message_conveying_a_complete_News_Package.xml",
        "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml",
        "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml",
        "LISTING_29_Hop_History.xml",
        "ap_metadata_example.xml",
    }
    assert {p.name for p in (DATA / "newsml-g2").glob("*.xml")} == covered


def test_newsml_dateline_main_headline_and_nitf_body() -> None:
    [story] = _parse("newsml", "wirewatch/newsitem_dateline.xml")
    assert story.headline == "Eight soldiers killed in attack near Syrian border"  # role main
    assert story.dateline == "ANKARA, Nov 29 (Wire)"
    assert story.published == datetime(2026, 11, 29, 11, 5, tzinfo=UTC)
    assert _paragraphs(story) == [
        "Eight Turkish soldiers were killed on Sunday in an attack near the Syrian border, "
        "the defence ministry said.",
        "Response",
        '"We will respond," Foreign Minister Mevlüt Çavuşoğlu said.',
    ]


def test_newsml_message_reads_text_items_and_skips_pictures() -> None:
    stories = _parse("newsml", "wirewatch/newsmessage.xml")
    assert [(s.guid, s.headline, s.body) for s in stories] == [
        ("urn:wire:1", "First item in plain text", "First paragraph.\n\nSecond paragraph."),
        ("urn:wire:3", "Second item in XHTML", "XHTML paragraph one.\n\nXHTML paragraph two."),
    ]


def test_newsml_refuses_entity_expansion() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<newsItem><contentMeta><headline>&b;</headline></contentMeta></newsItem>"
    )
    with pytest.raises(FetchError, match="forbidden"):
        parse_document("newsml", bomb, source="wire", guid="bomb.xml")


def test_rss_entries_with_html_content_become_clean_paragraphs() -> None:
    stories = _parse("rss", "feeds/wire.rss")
    first = stories[0]
    assert first.guid == "wire-2026-1129-0001"
    assert first.url == "https://wire.example/2026/11/29/border-attack"
    assert first.published == datetime(2026, 11, 29, 11, 5, tzinfo=UTC)
    assert first.language == "en-gb"
    assert _paragraphs(first) == [
        "ANKARA (Wire) – Eight Turkish soldiers were killed\u00a0on Sunday, "
        "the defence ministry said.",
        "“We will respond,” the minister said.",
        "More to follow.",
        "First point",
        "Second bold point",
    ]
    # guid falls back to the link, then to a stable hash of title and date
    assert stories[1].guid == "https://wire.example/2026/11/29/markets"
    assert stories[1].body == "Shares were flat.\n\nBonds rose."
    assert stories[2].guid.startswith("hash:")
    assert stories[2].guid == _parse("rss", "feeds/wire.rss")[2].guid


def test_atom_xhtml_and_html_title_and_plain_summary() -> None:
    first, second = _parse("atom", "feeds/wire.atom")
    assert first.headline == "Séisme au large de la côte"
    assert first.body == "Un séisme a frappé la côte.\n\nAucune victime n'a été signalée."
    assert first.published == datetime(2026, 11, 29, 10, 30, tzinfo=UTC)
    assert first.language == "fr"
    assert second.body == "Texte brut <pas une balise>."  # text/plain: "<" is text
    assert second.url is None  # an Atom id is not a link


def test_bozo_feed_uses_the_entries_it_recovered() -> None:
    stories = _parse("rss", "feeds/bozo.rss")
    assert [s.headline for s in stories] == [
        "Strike halts ports & railways",
        "Second story survives",
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<<<this is not a feed", "feed could not be parsed: SAXParseException"),
        ((DATA / "feeds" / "broken.xml").read_bytes(), "not an RSS or Atom feed"),
    ],
)
def test_unreadable_feed_is_a_fetch_error_naming_the_problem(data: bytes, problem: str) -> None:
    with pytest.raises(FetchError, match=problem):
        parse_document("rss", data, source="wire", guid="https://wire.example/feed")


def test_json_feed_items() -> None:
    stories = _parse("jsonfeed", "feeds/wire.json")
    assert [(s.guid, s.headline, s.body, s.language) for s in stories] == [
        (
            "https://wire.example/es/1",
            "Inundaciones en el norte",
            "Las lluvias torrenciales causaron inundaciones.\n\nTres personas murieron.",
            "es",
        ),
        ("42", "A post without a title.", "Its second paragraph.", "en"),
    ]
    assert stories[0].published == datetime(2026, 11, 29, 11, 15, tzinfo=UTC)


@pytest.mark.parametrize("data", [b"[]", b'{"version": "x"}', b"\xff\xfe"])
def test_not_a_json_feed(data: bytes) -> None:
    with pytest.raises(FetchError, match="not a JSON Feed"):
        parse_document("jsonfeed", data, source="wire", guid="u")


def test_html_to_paragraphs() -> None:
    html = (
        "<html><head><title>Page</title><script>x()</script></head><body>"
        "<h1>Title</h1><p>One &amp; two<br/>three</p><div>Four <a href='#'>five</a></div>"
        "<table><tr><td>a</td><td>b</td></tr></table><form><input>hidden</form>"
        "<p>Unclosed<p>Next"
    )
    assert html_paragraphs(html) == [
        "Title",
        "One & two",
        "three",
        "Four five",
        "a b",
        "Unclosed",
        "Next",
    ]


def test_plain_text_paragraphs() -> None:
    assert text_paragraphs("Hard\nwrapped.\r\n\r\nNext  one.") == ["Hard wrapped.", "Next one."]
    assert text_paragraphs("Line one\nLine two\n") == ["Line one", "Line two"]


def test_unknown_document_kind() -> None:
    assert set(DOCUMENT_KINDS) == {"rss", "atom", "jsonfeed", "ninjs", "newsml", "text"}
    with pytest.raises(ValueError, match="unknown document kind"):
        parse_document("docx", b"", source="wire", guid="x")
