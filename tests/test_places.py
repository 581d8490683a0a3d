"""Countries found in wire text: names, variants, demonyms, capitals, places, ambiguity."""

from __future__ import annotations

import pytest

from bot.core.extract.places import Gazetteer
from bot.core.extract.text import Document


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def codes(gazetteer: Gazetteer, body: str, headline: str = "Wire story") -> list[str]:
    text = f"{headline}\n\n{body}"
    return [ref.code for ref in gazetteer.find(Document.build(text, headline))]


CASES = [
    # names and common variants
    ("Talks were held in Turkey on Monday.", ["TR"]),
    ("The US and the U.S.A. differ from the U.S. only in spelling.", ["US"]),
    ("He flew to America, then the United States of America.", ["US"]),
    ("Britain and the UK are one; so is the U.K.", ["GB"]),
    ("Türkiye asked to be called Türkiye, not Turkiye.", ["TR"]),
    ("Ivory Coast, also known as Côte d'Ivoire, exports cocoa.", ["CI"]),
    ("Czechia is the short name of the Czech Republic.", ["CZ"]),
    ("Burma is now called Myanmar.", ["MM"]),
    ("Hong Kong protesters marched.", ["HK"]),
    ("Kosovo declared independence.", ["XK"]),
    ("Officials in Kiev and in Kyiv agreed.", ["UA"]),
    # demonyms and adjectives
    ("Turkish soldiers met Syrians near the border.", ["TR", "SY"]),
    ("He spoke with his Slovakian counterpart.", ["SK"]),
    ("Several Filipinos and a Saudi national were hurt.", ["PH", "SA"]),
    ("The Palestinian envoy met Israeli officials.", ["PS", "IL"]),
    # capitals standing for governments
    ("Ankara said Damascus must withdraw, and Moscow agreed.", ["TR", "SY", "RU"]),
    ("Washington imposed sanctions; Beijing protested.", ["US", "CN"]),
    ("The White House and the Pentagon declined to comment.", ["US"]),
    ("The Kremlin said nothing.", ["RU"]),
    # regions and cities
    ("Fighting continued in Idlib, Aleppo and Saraqeb.", ["SY"]),
    ("Clashes in Gaza and the West Bank left many hurt.", ["PS"]),
    ("Crimea was annexed; Donbas remains at war.", ["UA"]),
    ("Protests spread across Kashmir.", ["IN"]),
    ("Refugees fled Darfur.", ["SD"]),
    ("Police in Belfast and across Northern Ireland were on alert.", ["GB"]),
    ("The Kurdistan region held a referendum in Erbil.", ["IQ"]),
    ("Raqqa and Mosul were retaken.", ["SY", "IQ"]),
    ("Troops left Kabul for Helmand.", ["AF"]),
    ("Floods hit Zhejiang and Hangzhou.", ["CN"]),
    ("Storms hit North Rhine-Westphalia and Cologne.", ["DE"]),
    ("The governor of North Carolina spoke in Raleigh.", ["US"]),
    ("Voters in Missouri and St. Louis went to the polls.", ["US"]),
    # longest match wins
    ("South Sudan split from Sudan in 2011.", ["SS", "SD"]),
    ("Papua New Guinea and Guinea both voted.", ["PG", "GN"]),
    ("Guinea-Bissau and Equatorial Guinea signed a deal.", ["GW", "GQ"]),
    ("The Democratic Republic of the Congo borders the Republic of the Congo.", ["CD", "CG"]),
    ("DR Congo troops entered Kinshasa; Brazzaville watched.", ["CD", "CG"]),
    ("North Korea fired a missile; South Korea responded.", ["KP", "KR"]),
    ("Pyongyang warned Seoul.", ["KP", "KR"]),
    ("The Dominican Republic and Dominica are different countries.", ["DO", "DM"]),
    ("Nigeria and Niger share a border; a Nigerian and a Nigerien met.", ["NG", "NE"]),
    # ambiguous bare names
    ("Congolese troops fought rebels.", ["CD"]),
    ("Brazzaville said Congo would not interfere.", ["CG"]),
    ("The Korean border was calm after Pyongyang's threat.", ["KP"]),
    ("Korean exports rose.", ["KR"]),
    # Georgia
    ("Georgia accused Russia over South Ossetia.", ["GE", "RU"]),
    ("Tbilisi said Georgia would join NATO.", ["GE"]),
    ("He was born in Atlanta, Georgia.", ["US"]),
    ("Storms hit Alabama, Georgia and Florida.", ["US"]),
    ("The state of Georgia certified its votes.", ["US"]),
    # Jordan, Chad and other people's names
    ("Jordan closed its border with Syria.", ["JO", "SY"]),
    ("Michael Jordan won again. Jordan said he was tired.", []),
    ("Jordan Henderson scored twice.", []),
    ("Chad Smith played the drums.", []),
    ("Chad sent troops to Mali.", ["TD", "ML"]),
    ("Paris Hilton arrived late.", []),
    ("Georgia Smith was elected.", []),
    ("Whitney Houston sang.", []),
    ("The Chad President visited Niger.", ["TD", "NE"]),
    ("The senator, Leila de Lima, was arrested.", []),
    ("Mr Jordan declined to comment.", []),
    ("Queen Victoria reigned for decades.", []),
    # turkey, china, chile, guinea pigs and other common words
    ("We ate a Thanksgiving turkey with the family.", []),
    ("The turkey was dry.", []),
    ("She collected fine china and chile peppers.", []),
    ("The guinea pig escaped.", []),
    ("Our Guinea pig escaped.", []),
    ("She wore a new jersey.", []),
    ("Nice work, she said.", []),
    ("A truck attack in Nice killed dozens.", ["FR"]),
    ("LET US KNOW WHAT YOU THINK", []),
    ("Tell us what you think.", []),
    # organisations and languages
    ("The Washington Post reported the leak.", []),
    ("According to the New York Times, talks stalled.", []),
    ("The Indian Ocean and Latin America were hit.", []),
    ("The interview was in English.", []),
    ("He watched CNN's Spanish-language channel.", []),
    ("French press agency AFP reported it.", ["FR"]),
    ("Turkish Airlines cancelled flights.", ["TR"]),
    # a city relocated by what follows it
    ("He grew up in Perth, Scotland.", ["GB"]),
    ("She lives in Sydney, Nova Scotia.", ["CA"]),
    ("He flew to Perth and Sydney.", ["AU"]),
    ("He lives in Paris, Texas.", ["US"]),
    # a capital naming a process is not the place of the story
    ("Talks within the framework of the Astana and Sochi peace talks continued.", []),
    ("Delegations met in Astana, the Kazakh capital.", ["KZ"]),
    ("The Minsk agreements failed.", []),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_countries_found(gazetteer: Gazetteer, body: str, expected: list[str]) -> None:
    assert codes(gazetteer, body) == expected


def test_mentions_keep_text_and_offsets(gazetteer: Gazetteer) -> None:
    headline = "Russian delegation to visit Turkey"
    text = f"{headline}\n\nTurkey’s minister met U.S. officials in Ankara."
    refs = gazetteer.find(Document.build(text, headline))
    assert [(r.code, r.name) for r in refs] == [
        ("RU", "Russia"),
        ("TR", "Turkey"),
        ("US", "United States"),
    ]
    turkey = refs[1]
    assert [m.text for m in turkey.mentions] == ["Turkey", "Turkey", "Ankara"]
    for mention in (m for r in refs for m in r.mentions):
        assert text[mention.start : mention.end] == mention.text
    assert refs[2].mentions[0].text == "U.S."


def test_all_capitals_dateline_counts(gazetteer: Gazetteer) -> None:
    assert codes(gazetteer, "ANKARA\n\nThe minister spoke.") == ["TR"]


def test_title_case_headline_is_not_a_person(gazetteer: Gazetteer) -> None:
    assert codes(gazetteer, "The minister spoke.", headline="Jordan Closes Border") == ["JO"]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Turkey", "TR"),
        ("TR", "TR"),
        ("tr", "TR"),
        ("Türkiye", "TR"),
        ("Turkish", "TR"),
        ("Syria", "SY"),
        ("syrian arab republic", "SY"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("Ivory Coast", "CI"),
        ("Kosovo", "XK"),
        ("Korea", "KR"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_resolve(gazetteer: Gazetteer, name: str, code: str | None) -> None:
    assert gazetteer.resolve(name) == code


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("Tukey", "Turkey"), ("Sirya", "Syria"), ("Germny", "Germany"), ("Xqzvw", None)],
)
def test_suggest(gazetteer: Gazetteer, typo: str, suggestion: str | None) -> None:
    assert gazetteer.suggest(typo) == suggestion


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("TR", "Turkey"),
        ("RU", "Russia"),
        ("SY", "Syria"),
        ("GB", "United Kingdom"),
        ("US", "United States"),
        ("tr", "Turkey"),
        ("ZZ", "ZZ"),
    ],
)
def test_name_of(gazetteer: Gazetteer, code: str, name: str) -> None:
    assert gazetteer.name_of(code) == name


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Russian", "RU"),
        ("Slovakian", "SK"),
        ("Syrians", "SY"),
        ("British", "GB"),
        ("Moscow", None),
    ],
)
def test_nationality(gazetteer: Gazetteer, word: str, code: str | None) -> None:
    assert gazetteer.nationality(word) == code


def test_country_names(gazetteer: Gazetteer) -> None:
    names = gazetteer.country_names()
    assert {"Turkey", "Türkiye", "United States", "Ivory Coast", "Kosovo"} <= set(names)
    assert "Turkish" not in names
