"""People: names with titles and countries, later references, what is not a person.

Every text here is written for the test (no copied articles).
"""

from __future__ import annotations

import pytest

from bot.core.extract.people import PeopleFinder
from bot.core.extract.places import Gazetteer
from bot.core.extract.text import Document
from bot.core.models import Person


@pytest.fixture(scope="module")
def finder() -> PeopleFinder:
    return PeopleFinder.load(Gazetteer.load())


def find(finder: PeopleFinder, body: str, headline: str = "Talks open") -> tuple[Person, ...]:
    text = f"{headline}\n\n{body}"
    return finder.find(Document.build(text, headline))


# (body, expected names in order of first mention)
NAMES = [
    pytest.param(
        "Foreign Minister Mevlüt Çavuşoğlu met reporters on Monday.",
        ["Mevlüt Çavuşoğlu"],
        id="title-before-name",
    ),
    pytest.param(
        "The deal was agreed by Russia's Vladimir Putin on Monday.",
        ["Vladimir Putin"],
        id="possessive-country",
    ),
    pytest.param(
        "He spoke with his Russian counterpart Sergey Lavrov by phone.",
        ["Sergey Lavrov"],
        id="nationality-counterpart",
    ),
    pytest.param(
        "The talks were led by President Recep Tayyip Erdoğan in the capital.",
        ["Recep Tayyip Erdoğan"],
        id="three-part-name",
    ),
    pytest.param(
        "The plan was approved by former President George W. Bush in 2005.",
        ["George W. Bush"],
        id="initial",
    ),
    pytest.param(
        "The opposition blamed President Bashar al-Assad for the shelling.",
        ["Bashar al-Assad"],
        id="arabic-article",
    ),
    pytest.param(
        "Crown Prince Mohammed bin Salman arrived in the evening.",
        ["Mohammed bin Salman"],
        id="particle-bin",
    ),
    pytest.param(
        "Senator Leila de Lima was arrested on Friday.",
        ["Leila de Lima"],
        id="particle-de",
    ),
    pytest.param(
        "The commission is led by Ursula von der Leyen, the former defence minister.",
        ["Ursula von der Leyen"],
        id="particles-von-der",
    ),
    pytest.param(
        "Local official Brian O'Neill said the road would reopen.",
        ["Brian O'Neill"],
        id="apostrophe",
    ),
    pytest.param(
        "The target is high, says Xu Heyi, chairman of a carmaker.",
        ["Xu Heyi"],
        id="chinese-name",
    ),
    pytest.param(
        "The figures were confirmed by Ouma Oluga, secretary-general of the union.",
        ["Ouma Oluga"],
        id="apposition-role",
    ),
    pytest.param(
        "Prices will rise, union official Tendai Mpofu said.",
        ["Tendai Mpofu"],
        id="lowercase-role-before",
    ),
    pytest.param(
        "Security Minister Ben Wallace and House Speaker Tim Moore met on Tuesday.",
        ["Ben Wallace", "Tim Moore"],
        id="title-after-other-capitals",
    ),
    pytest.param(
        "Mr Howard was not at the meeting.",
        ["Howard"],
        id="mr-surname-only",
    ),
    pytest.param(
        "Witnesses said Mark Ellison And Nora Quist left together.",
        ["Mark Ellison", "Nora Quist"],
        id="capitalised-and-joins-two-names",
    ),
    pytest.param(
        "Juliette and her sister Charlotte grew up in Bordeaux.",
        ["Charlotte"],
        id="given-name-with-role",
    ),
    pytest.param(
        "Senior Judge Aquilino Pimentel Jr. swore in the new members.",
        ["Aquilino Pimentel Jr."],
        id="suffix",
    ),
    # Rules added after measuring on held-out stories (tests/heldout).
    pytest.param(
        "Daniel Okoro, 29, and Safiro Mendes, 28, were close friends.",
        ["Daniel Okoro", "Safiro Mendes"],
        id="age-apposition",
    ),
    pytest.param(
        "“We teach dialogue,” the head of the school, Abdessalam Lazaar, told reporters.",
        ["Abdessalam Lazaar"],
        id="name-in-apposition-before-speech-verb",
    ),
    pytest.param(
        "“She was screaming,” said her aunt, Rubeena Banu.",
        ["Rubeena Banu"],
        id="role-then-comma-then-name",
    ),
    pytest.param(
        "New York Gov. Hugh Carey lost the next election.",
        ["Hugh Carey"],
        id="abbreviated-governor-title",
    ),
    pytest.param(
        "Talks ahead of Geneva During Monday's session, Anna Berg spoke first.",
        ["Anna Berg"],
        id="name-never-ends-with-a-function-word",
    ),
    # Rules added after measuring on held-out stories (tests/heldout3).
    pytest.param(
        'The medal went to Petty Officer Walter "Rusty" Hale, who died in the raid.',
        ['Walter "Rusty" Hale'],
        id="nickname-in-quotation-marks-inside-the-name",
    ),
    pytest.param(
        "By Dana Whitlock NewsHub, March 3, 2017. The council met again.",
        ["Dana Whitlock"],
        id="byline-outlet-with-inner-capital-is-not-part-of-the-name",
    ),
    pytest.param(
        "Former U.S. Attorney Maria Delgado was dismissed last week.",
        ["Maria Delgado"],
        id="abbreviation-letter-is-not-a-name",
    ),
    pytest.param(
        "Host Orlaithe Quennevet pressed the senator on the bill.",
        ["Orlaithe Quennevet"],
        id="capitalised-role-opening-a-sentence",
    ),
    pytest.param(
        "Britain's Deputy Permanent Representative to the UN Oleg Marchenkov spoke first.",
        ["Oleg Marchenkov"],
        id="permanent-representative-is-a-title",
    ),
    pytest.param(
        "The victims were Dara Quill, 31, and their children Tom, five, Lucy, three; and "
        "their daughters Jodie, aged nine, and Kelsey, four.",
        ["Dara Quill", "Tom", "Lucy", "Jodie", "Kelsey"],
        id="given-names-with-ages-in-words",
    ),
    pytest.param(
        'He left everything to his wife of 40 years, Zenobette "Zee".',
        ["Zenobette"],
        id="unknown-given-name-after-a-kin-noun",
    ),
    pytest.param(
        "Later Rosa (Christian Vellacott) and Sasha (Tanequa Osei-Brown) escape.",
        ["Christian Vellacott", "Tanequa Osei-Brown"],
        id="actor-in-parentheses-after-a-character",
    ),
    # Rules added after measuring on held-out stories (tests/heldout4).
    pytest.param(
        "The talks were led by White House chief of staff Quorin Vashtelle on Friday.",
        ["Quorin Vashtelle"],
        id="role-of-something-before-a-name",
    ),
    pytest.param(
        "The ministers met President Park Min-seo in Seoul on Friday.",
        ["Park Min-seo"],
        id="korean-hyphenated-given-name-after-an-org-word-family-name",
    ),
    pytest.param(
        "The channel is owned by Tariq Jamil ur Rehman, who denied the claim.",
        ["Tariq Jamil ur Rehman"],
        id="urdu-particle-ur",
    ),
    pytest.param(
        "Critics praised Omar Haddad. SEE ALSO: Court frees activist Omar Haddad Critics "
        "had said the case was weak, and critics say so still.",
        ["Omar Haddad"],
        id="common-word-glued-after-a-full-name",
    ),
    pytest.param(
        "Fans loved the monsters from A Chinese Ghost Story, produced by director Nora "
        "Quinlan in 1987.",
        ["Nora Quinlan"],
        id="capitalised-article-opens-a-title",
    ),
    # Rules added after measuring on held-out stories (tests/heldout6).
    pytest.param(
        "House Democrat Norma Quillfeather tweeted her thanks on Monday.",
        ["Norma Quillfeather"],
        id="party-word-before-a-given-name-and-surname",
    ),
    pytest.param(
        "Among the pupils, 9-year-old Tamsin stayed home. A father named Gideon waited.",
        ["Tamsin", "Gideon"],
        id="given-name-after-an-age-or-named",
    ),
    pytest.param(
        "The police interviewed a woman surnamed Quellbeck on Sunday.",
        ["Quellbeck"],
        id="family-name-after-surnamed",
    ),
    pytest.param(
        "The painter grew up by the sea. His mother, Agnes, taught music, and his twin "
        "brother, Rupert, sailed. Torvald's father, Magnus, farmed.",
        ["Agnes", "Rupert", "Magnus"],
        id="given-name-after-a-kin-noun-of-any-owner",
    ),
    pytest.param(
        "Donors met Janet Holloway on Monday. “We are grateful,” said his aunt, Janet.",
        ["Janet Holloway"],
        id="given-name-alone-joins-the-one-person-with-it",
    ),
    pytest.param(
        "“Odile and I are very sad,” the composer wrote.",
        ["Odile"],
        id="given-name-before-and-i",
    ),
    pytest.param(
        "Party leader Omar Qasimi-said: the vote is set.",
        ["Omar Qasimi"],
        id="speech-verb-glued-by-a-hyphen-is-no-part-of-the-name",
    ),
    pytest.param(
        "The rebels were led by dictator Ravel Ostrogin for a decade.",
        ["Ravel Ostrogin"],
        id="dictator-is-a-role",
    ),
]


@pytest.mark.parametrize(("body", "names"), NAMES)
def test_names_with_their_evidence(finder: PeopleFinder, body: str, names: list[str]) -> None:
    assert [p.name for p in find(finder, body)] == names


NOT_PEOPLE = [
    pytest.param("Flights to New York and Saudi Arabia resumed on Monday.", id="places"),
    pytest.param("The Red Cross and the World Health Organization sent aid.", id="organisations"),
    pytest.param("In March the Syrian Observatory for Human Rights said so.", id="org-and-month"),
    pytest.param("On Tuesday the Foreign Ministry summoned the envoy.", id="weekday-ministry"),
    pytest.param("Many Syrians fled. Some Turkish troops stayed.", id="sentence-initial-words"),
    pytest.param("The Supreme Court ruled on Wednesday.", id="court"),
    pytest.param("Residents of Hong Kong and Costa Rica voted.", id="places-with-name-words"),
    pytest.param(
        "Oxfam and Nurses Without Borders said the camps were full.",
        id="capitalised-without-in-an-organisation",
    ),
    pytest.param(
        'Police in New York launched a "Too New York To Hate" campaign.',
        id="capitalised-to-in-a-slogan",
    ),
    # Rules added after measuring on held-out stories (tests/heldout).
    pytest.param("Al Jazeera said on Monday that its reporter was safe.", id="news-outlet"),
    pytest.param("Flights to the former Soviet Baltic states resumed.", id="region-adjective"),
    pytest.param(
        "Prosecutors said the case was strong. Prosecutors said he would appeal, and "
        "prosecutors said so again.",
        id="plural-noun-opening-sentences",
    ),
    # Rules added after measuring on held-out stories (tests/heldout3).
    pytest.param(
        "Both heard the radio show Love It Or Leave as boys.", id="pronoun-in-a-show-title"
    ),
    pytest.param("According to Part Three of the report, samples were swapped.", id="number-word"),
    pytest.param(
        "He covered songs by the Dusty Travellers and joined the Young Liberals.",
        id="band-and-club-after-the",
    ),
    pytest.param(
        "A school in Glen Ellyn, Illinois, was evacuated. Glen Ellyn has 28,000 residents.",
        id="town-with-its-state",
    ),
    # Rules added after measuring on held-out stories (tests/heldout4).
    pytest.param(
        "Key Republican senators and the Harbour Workshop sent a letter.",
        id="party-adjective-and-workshop",
    ),
    pytest.param("An Amber Alert was issued for the girl on Monday.", id="alert"),
    pytest.param(
        "Schools in Prince Arthur's County, Maryland, closed early.",
        id="possessive-before-a-place-word",
    ),
    pytest.param(
        "Many fear the Tao Tie in the film. Fans say the Tao Tie is a beast, and drew Tao Tie.",
        id="chinese-looking-pair-written-with-the",
    ),
    pytest.param(
        "The Ohio Bureau of Investigation said the car was found. He was safe, the Ohio "
        "Bureau of Investigation said.",
        id="speaking-word-after-org-of",
    ),
    # Rules added after measuring on held-out stories (tests/heldout5).
    pytest.param(
        "Flights from San Francisco to Abu Dhabi were delayed on Monday.",
        id="towns-with-a-place-prefix-the-gazetteer-knows",
    ),
    pytest.param(
        "Crowds gathered in San Toribio on Monday. San Toribio has a market.",
        id="town-with-a-place-prefix-written-after-in",
    ),
    # Rules added after measuring on held-out stories (tests/heldout6).
    pytest.param(
        "Speaking on Breakfast Norway, a ranger said the road was shut. Advocacy Kenya said "
        "it would help.",
        id="country-ends-a-programme-or-body-name",
    ),
    pytest.param(
        "The town was held by the ISIL-linked Jamal Al-Tawhid for a year.",
        id="group-described-by-its-ties",
    ),
]


@pytest.mark.parametrize("body", NOT_PEOPLE)
def test_places_organisations_and_calendar_words_are_not_people(
    finder: PeopleFinder, body: str
) -> None:
    assert find(finder, body) == ()


def test_title_and_country_are_kept(finder: PeopleFinder) -> None:
    (person,) = find(finder, "Turkish Foreign Minister Mevlüt Çavuşoğlu arrived on Monday.")
    assert person.title == "Foreign Minister"
    assert person.country == "TR"


def test_country_from_possessive_and_counterpart(finder: PeopleFinder) -> None:
    people = find(
        finder,
        "Russia's Vladimir Putin called. Later he met his Turkish counterpart Ali Demir.",
    )
    assert [(p.name, p.country) for p in people] == [("Vladimir Putin", "RU"), ("Ali Demir", "TR")]


def test_surname_references_resolve_to_the_person(finder: PeopleFinder) -> None:
    body = (
        "Foreign Minister Mevlüt Çavuşoğlu spoke on Monday. Çavuşoğlu said talks would "
        "go on. Cavusoglu later left, and Çavuşoğlu's aides stayed."
    )
    (person,) = find(finder, body)
    assert person.name == "Mevlüt Çavuşoğlu"
    assert [m.text for m in person.mentions] == [
        "Mevlüt Çavuşoğlu",
        "Çavuşoğlu",
        "Cavusoglu",
        "Çavuşoğlu",
    ]


def test_mentions_point_into_the_story_text(finder: PeopleFinder) -> None:
    headline = "Lavrov visits Kabul"
    body = "Russian Foreign Minister Sergey Lavrov arrived. Lavrov met officials."
    text = f"{headline}\n\n{body}"
    (person,) = find(finder, body, headline)
    assert person.name == "Sergey Lavrov"
    assert all(text[m.start : m.end] == m.text for m in person.mentions)
    assert person.mentions[0].start == 0  # the headline mention comes first


def test_fullest_form_wins_and_people_are_ordered_by_first_mention(
    finder: PeopleFinder,
) -> None:
    body = (
        "President Tayyip Erdogan spoke first. Then Miroslav Lajcak replied. "
        "Recep Tayyip Erdogan closed the meeting. Erdogan left."
    )
    people = find(finder, body)
    assert [p.name for p in people] == ["Recep Tayyip Erdogan", "Miroslav Lajcak"]
    assert len(people[0].mentions) == 3


def test_title_only_reference_joins_the_full_name(finder: PeopleFinder) -> None:
    body = "President Duterte spoke. Later, President Rodrigo Duterte signed the order."
    (person,) = find(finder, body)
    assert person.name == "Rodrigo Duterte"
    assert len(person.mentions) == 2


def test_title_with_a_given_name_joins_the_person(finder: PeopleFinder) -> None:
    body = "Prime Minister Najib Razak spoke on Monday. Mr Najib said ties would stay."
    (person,) = find(finder, body)
    assert person.name == "Najib Razak"
    assert [m.text for m in person.mentions] == ["Najib Razak", "Najib"]


def test_given_name_alone_refers_to_the_person(finder: PeopleFinder) -> None:
    (person,) = find(finder, "Ifra Shakour, a student, was hurt. Ifra said she could not see.")
    assert [m.text for m in person.mentions] == ["Ifra Shakour", "Ifra"]


def test_korean_family_name_first_refers_to_the_last_one_named(finder: PeopleFinder) -> None:
    body = (
        "North Korean envoy Ri Tong-il spoke on Thursday. Ri, a former deputy envoy, said "
        "samples must be shared. "
        "A suspect, Ri Jong-chol, was released."
    )
    people = {p.name: [m.text for m in p.mentions] for p in find(finder, body)}
    assert people == {"Ri Tong-il": ["Ri Tong-il", "Ri"], "Ri Jong-chol": ["Ri Jong-chol"]}


def test_surname_never_written_in_full_that_speaks_is_a_person(finder: PeopleFinder) -> None:
    body = (
        "The inquiry is led by the city police. Okafor said the attacker acted alone. "
        "Okafor added that he had no accomplices."
    )
    (person,) = find(finder, body)
    assert (person.name, len(person.mentions)) == ("Okafor", 2)


def test_institution_that_speaks_is_not_a_person(finder: PeopleFinder) -> None:
    body = (
        "The Pentagon said on Monday it would review the raid. Pentagon said he was "
        "not the target, and Pentagon said so again."
    )
    assert find(finder, body) == ()


def test_surname_that_names_an_administration_is_a_person(finder: PeopleFinder) -> None:
    body = (
        "He was removed by the Halvorsen administration last week. Halvorsen has not "
        "explained why, and aides expect Halvorsen to name a successor."
    )
    (person,) = find(finder, body)
    assert (person.name, len(person.mentions)) == ("Halvorsen", 3)


def test_speech_verb_is_evidence_for_an_unknown_name(finder: PeopleFinder) -> None:
    (person,) = find(finder, "The strike will go on, Okonkwo Adebayor said on Monday.")
    assert person.name == "Okonkwo Adebayor"


def test_common_words_that_are_also_given_names(finder: PeopleFinder) -> None:
    # "Will" is a given name, but the story uses "will" as a word: not evidence alone.
    body = "Will Power Plant opens. It will hire workers."
    assert find(finder, body) == ()


def test_title_case_headline_is_not_read_as_names(finder: PeopleFinder) -> None:
    people = find(finder, "Nothing else happened.", headline="Markets Fall As Energy Costs Rise")
    assert people == ()


@pytest.mark.parametrize(
    "body",
    ["", "'", "Mr", "Mr.", "al-", "de la", "A. B. C. D.", "O'", "Ça", "\u00a0Mr Howard\u00a0"],
)
def test_odd_text_never_raises(finder: PeopleFinder, body: str) -> None:
    find(finder, body)
