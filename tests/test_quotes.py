"""Quotes: every mark style, continuation, split quotes, speakers, fragments, key quote.

Every text here is written for the test (no copied articles).
"""

from __future__ import annotations

import re

import pytest

from bot.core.extract.people import PeopleFinder
from bot.core.extract.places import Gazetteer
from bot.core.extract.quotes import choose_key_quote, find_quotes
from bot.core.extract.text import Document, Stretches
from bot.core.models import Person, Quote


@pytest.fixture(scope="module")
def finder() -> PeopleFinder:
    return PeopleFinder.load(Gazetteer.load())


def read(finder: PeopleFinder, body: str) -> tuple[tuple[Quote, ...], tuple[Person, ...]]:
    headline = "Talks resume"
    doc = Document.build(f"{headline}\n\n{body}", headline)
    people = finder.find(doc)
    return find_quotes(doc, people, finder.lexicon.gender_of_first_name), people


def pairs(finder: PeopleFinder, body: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in read(finder, body)[0]]


INTRO = "Foreign Minister Anna Berg arrived on Monday. "

# (body, [(quote text, speaker)])
CASES = [
    pytest.param(
        INTRO + '"We will keep talking to everyone," Berg said.',
        [("We will keep talking to everyone.", "Anna Berg")],
        id="straight-marks-name-said",
    ),
    pytest.param(
        INTRO + "“We will keep talking to everyone,” said Berg.",
        [("We will keep talking to everyone.", "Anna Berg")],
        id="curly-marks-said-name",
    ),
    pytest.param(
        INTRO + "«We will keep talking to everyone», Berg told reporters.",
        [("We will keep talking to everyone", "Anna Berg")],
        id="guillemets-told-reporters",
    ),
    pytest.param(
        INTRO + "‘We will keep talking to everyone,’ she said.",
        [("We will keep talking to everyone.", "Anna Berg")],
        id="single-curly-marks-pronoun",
    ),
    pytest.param(
        INTRO + "Berg said: “Nobody here wants a longer war.”",
        [("Nobody here wants a longer war.", "Anna Berg")],
        id="attribution-before",
    ),
    pytest.param(
        INTRO + "According to Berg, “the border will open next week.”",
        [("the border will open next week.", "Anna Berg")],
        id="according-to-before",
    ),
    pytest.param(
        INTRO + "“The border will open next week,” according to Berg.",
        [("The border will open next week.", "Anna Berg")],
        id="according-to-after",
    ),
    pytest.param(
        INTRO + "“The border will open next week,” Berg said in a statement.",
        [("The border will open next week.", "Anna Berg")],
        id="said-in-a-statement",
    ),
    pytest.param(
        INTRO + "“We tried,” she said, “and we will try again tomorrow.”",
        [("We tried, and we will try again tomorrow.", "Anna Berg")],
        id="split-quote-joined",
    ),
    pytest.param(
        INTRO + "“The first round went well,” Berg said. “The second will be harder.”",
        [
            ("The first round went well.", "Anna Berg"),
            ("The second will be harder.", "Anna Berg"),
        ],
        id="next-sentence-continues-the-speaker",
    ),
    pytest.param(
        INTRO + "“Nobody has called us yet,” a spokesman for the ministry said.",
        [("Nobody has called us yet.", None)],
        id="unnamed-speaker",
    ),
    pytest.param(
        INTRO + "The ministry said in a statement that “all crossings remain closed today.”",
        [("all crossings remain closed today.", None)],
        id="organisation-speaker",
    ),
    pytest.param(
        "Prime Minister Omar Haddad met Foreign Minister Anna Berg on Monday. "
        "“We agreed on the next steps,” she said. “It was a long night,” he added.",
        [
            ("We agreed on the next steps.", "Anna Berg"),
            ("It was a long night.", "Omar Haddad"),
        ],
        id="pronouns-by-gender",
    ),
    pytest.param(
        "Mr Haddad spoke first. “We are ready for an agreement,” he said, "
        "before Anna Berg replied.",
        [("We are ready for an agreement.", "Haddad")],
        id="pronoun-before-a-later-name",
    ),
    pytest.param(
        "Anna Berg, the company's chief executive, said the plan was “very wrong.”",
        [("very wrong.", "Anna Berg")],
        id="fragment-with-apposition",
    ),
    pytest.param(
        "“The first talks went well,” Russian Foreign Minister Ivan Petrov said. "
        "“We expect more,” the minister added.",
        [
            ("The first talks went well.", "Ivan Petrov"),
            ("We expect more.", "Ivan Petrov"),
        ],
        id="definite-description",
    ),
    # Rules added after measuring on held-out stories (tests/heldout).
    pytest.param(
        INTRO + 'Omar Haddad spoke first. "We will keep talking to everyone,"?Berg said.',
        [("We will keep talking to everyone.", "Anna Berg")],
        id="mis-encoded-question-mark-after-closing-mark",
    ),
    pytest.param(
        INTRO + '"We don"t expect a deal this week," Berg said.',
        [('We don"t expect a deal this week.', "Anna Berg")],
        id="mis-encoded-apostrophe-is-not-a-mark",
    ),
    pytest.param(
        INTRO + 'Talks resumed "?after a pause. "We will keep talking to everyone," she said.',
        [("We will keep talking to everyone.", "Anna Berg")],
        id="mis-encoded-dash-opens-no-quote",
    ),
    pytest.param(
        INTRO + '"We need more time to agree," an aide told Berg.',
        [("We need more time to agree.", None)],
        id="told-name-is-the-listener",
    ),
    pytest.param(
        "Lina Haddad, 34, was at the clinic that night. "
        "“We worked all night long,” the 34-year-old told reporters.",
        [("We worked all night long.", "Lina Haddad")],
        id="the-n-year-old",
    ),
    # Rules added after measuring on held-out stories (tests/heldout4).
    pytest.param(
        "“We worked all night long,” the 34-year-old told reporters. "
        "Lina Haddad, 34, was at the clinic that night.",
        [("We worked all night long.", "Lina Haddad")],
        id="the-n-year-old-named-with-the-age-later",
    ),
    pytest.param(
        "A 19-year-old man was held. Coach Lina Haddad called the arrest odd. "
        "“We trust the police,” the 52-year-old said.",
        [("We trust the police.", "Lina Haddad")],
        id="the-n-year-old-nobody-is-written-with-is-the-subject-before",
    ),
    pytest.param(
        "A 52-year-old man was held. Coach Lina Haddad called the arrest odd. "
        "“We trust the police,” the 52-year-old said.",
        [("We trust the police.", None)],
        id="the-n-year-old-of-an-unnamed-person-is-nobody",
    ),
    pytest.param(
        "Lina Haddad, a designer with Harbour Films, who worked with Omar Farouk, says: "
        "“Our monsters are very different from theirs.”",
        [("Our monsters are very different from theirs.", "Lina Haddad")],
        id="head-of-a-relative-clause-speaks",
    ),
    pytest.param(
        "Omar Farouk arrived. Anna Berg said it was “really very important” that Omar "
        "Farouk say so in public.",
        [("really very important", "Anna Berg")],
        id="partial-quote-the-sentence-runs-on-from",
    ),
    pytest.param(
        "Omar Farouk arrived. Omar Farouk “talks to people every day” and is well "
        "briefed, Anna Berg insisted.",
        [("talks to people every day", "Anna Berg")],
        id="partial-quote-with-no-verb-before-keeps-the-attribution-after",
    ),
    pytest.param(
        "Lina Haddad posted again. The same day, the author sarcastically wrote "
        "“I never said any of that at all.”",
        [("I never said any of that at all.", "Lina Haddad")],
        id="role-adverb-verb",
    ),
    pytest.param(
        "Omar Haddad arrived on Monday. According to him, “the talks will go on for weeks.”",
        [("the talks will go on for weeks.", "Omar Haddad")],
        id="according-to-him",
    ),
    pytest.param(
        "“We will not give up,” said her brother, Omar Haddad.",
        [("We will not give up.", "Omar Haddad")],
        id="said-description-comma-name",
    ),
    pytest.param(
        INTRO + "“We will not give up,” said Berg's brother, Omar Haddad.",
        [("We will not give up.", "Omar Haddad")],
        id="said-possessive-is-not-the-speaker",
    ),
    pytest.param(
        "Anna Berg spoke first at the rally. “We will win this vote and the next.” "
        "Omar Haddad, who leads the opposition, disagreed.",
        [("We will win this vote and the next.", "Anna Berg")],
        id="name-with-relative-clause-signs-nothing",
    ),
    pytest.param(
        "According to Omar Haddad there is a great deal of work still to do before the summit "
        "can open next month in the capital. “Most officials agree with us,” he says.",
        [("Most officials agree with us.", "Omar Haddad")],
        id="pronoun-gender-from-given-name",
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_quotes_and_speakers(
    finder: PeopleFinder, body: str, expected: list[tuple[str, str | None]]
) -> None:
    assert pairs(finder, body) == expected


def test_she_is_not_the_last_named_man(finder: PeopleFinder) -> None:
    body = (
        "Senator Anna Berg said it was “really very important” that Director James Ortiz "
        "say there is no proof of what she called a “grave error.” “Of course it is not "
        "true,” she said."
    )
    found = pairs(finder, body)
    assert found[0] == ("really very important", "Anna Berg")
    assert found[-1] == ("Of course it is not true.", "Anna Berg")


def test_standfirst_speaker_described_by_role_is_named_later(finder: PeopleFinder) -> None:
    body = (
        "“We have a new security situation,” the country's defence minister told a radio "
        "station.\n\nIvan Petrov, Norway's defence minister, spoke on Thursday."
    )
    assert pairs(finder, body) == [("We have a new security situation.", "Ivan Petrov")]


def test_role_right_before_a_name_beats_a_role_in_another_clause(finder: PeopleFinder) -> None:
    body = (
        "Photographer Lina Haddad took pictures of Anna Berg at the gym. The photographer "
        "added that Berg trains daily. “The response has been very kind,” said the photographer."
    )
    assert pairs(finder, body) == [("The response has been very kind.", "Lina Haddad")]


def test_far_pronoun_goes_to_the_only_person_it_can_be(finder: PeopleFinder) -> None:
    filler = "The market was calm. " * 8
    body = f"Anna Berg runs the central bank. {filler}“Prices will fall soon,” she said."
    assert pairs(finder, body) == [("Prices will fall soon.", "Anna Berg")]


def test_multi_paragraph_quote_is_one_quote(finder: PeopleFinder) -> None:
    body = (
        "Anna Berg spoke to the assembly on Monday.\n\n"
        "“We have waited for this day for many years,” she said. “Our people deserve it.\n\n"
        "“And we will not stop until every family is home again.”\n\n"
        "The assembly then voted."
    )
    quotes, _ = read(finder, body)
    assert [q.speaker for q in quotes] == ["Anna Berg", "Anna Berg"]
    assert quotes[1].text == (
        "Our people deserve it. And we will not stop until every family is home again."
    )


def test_quotes_run_together_in_one_paragraph_keep_the_speaker(finder: PeopleFinder) -> None:
    body = (
        'Reporter Anna Berg said: "The road is closed. Trucks wait at the border. '
        '"Nobody knows when it will open again, and food is running short."'
    )
    quotes, _ = read(finder, body)
    assert [(q.text[:13], q.speaker) for q in quotes] == [
        ("The road is c", "Anna Berg"),
        ("Nobody knows ", "Anna Berg"),
    ]


def test_lost_opening_mark_is_recovered(finder: PeopleFinder) -> None:
    body = 'Demand will grow this year and next year as well."    Li Wenhua, chairman of a firm.'
    quotes, _ = read(finder, body)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Demand will grow this year and next year as well.", "Li Wenhua")
    ]


def test_fragments_are_marked_and_offsets_point_into_the_text(finder: PeopleFinder) -> None:
    body = INTRO + "Berg called the plan “reckless” and said “we will vote against it.”"
    headline = "Talks resume"
    text = f"{headline}\n\n{body}"
    quotes, _ = read(finder, body)
    assert [(q.text, q.fragment) for q in quotes] == [
        ("reckless", True),
        ("we will vote against it.", False),
    ]
    assert all(text[q.start : q.end] == q.text for q in quotes)


def test_apostrophes_are_not_quotes(finder: PeopleFinder) -> None:
    body = "Turkey’s soldiers’ families and the Syrians' homes were not on the agenda."
    assert read(finder, body)[0] == ()


@pytest.mark.parametrize(
    "body",
    [
        '"',
        "“",
        "”",
        "'",
        '"""',
        "“unclosed quote that never ends",
        "closing only” here",
        "« » ‘ ’",
        'He said "',
        '"A," he said, "',
        "‘It hit the market every Thursday",
        "\n\n“\n\n”\n\n",
    ],
)
def test_unbalanced_marks_never_raise(finder: PeopleFinder, body: str) -> None:
    for quote in read(finder, body)[0]:
        assert quote.text


def quote(text: str, speaker: str | None, start: int, fragment: bool = False) -> Quote:
    return Quote(text, speaker, start, start + len(text), fragment)


def person(name: str, mentions: int) -> Person:
    from bot.core.models import Mention

    return Person(name, None, None, tuple(Mention(name, i, i + 1) for i in range(mentions)))


def test_key_quote_prefers_the_main_person_and_never_a_fragment() -> None:
    people = (person("Anna Berg", 6), person("Omar Haddad", 1))
    quotes = (
        quote("very wrong", "Anna Berg", 10, fragment=True),
        quote("We will not sign this agreement in its present form today.", "Omar Haddad", 50),
        quote("Our aim is to stop the fighting and to bring everyone home.", "Anna Berg", 90),
        quote("Nobody has called us at all this week, not once.", None, 140),
    )
    key = choose_key_quote(quotes, people)
    assert key is not None
    assert key.speaker == "Anna Berg"
    assert not key.fragment


def test_key_quote_is_none_without_a_named_full_quote() -> None:
    people = (person("Anna Berg", 2),)
    quotes = (
        quote("very wrong", "Anna Berg", 10, fragment=True),
        quote("Nobody has called us at all this week, not once.", None, 40),
    )
    assert choose_key_quote(quotes, people) is None
    assert choose_key_quote((), ()) is None


def test_he_opening_a_sentence_passes_over_the_man_it_mentions(finder: PeopleFinder) -> None:
    # "He added that he trusted the Prime Minister": the sentence's subject is the pronoun,
    # so a later "he said" goes back to Lund, not to the premier named as the object.
    body = (
        "Prime Minister Erik Dahl faces a revolt. Party chairman Olaf Lund said on Monday "
        "that no vote was planned. He added that he trusted Dahl to set a timeline. "
        '"There are a number of things to weigh here," he said.'
    )
    assert pairs(finder, body) == [("There are a number of things to weigh here.", "Olaf Lund")]


# Rules added after measuring on held-out stories (tests/heldout3). The people are given
# (every place each form is written), so each test reads attribution alone.


def given(
    finder: PeopleFinder, body: str, people: dict[str, tuple[str, ...]]
) -> list[tuple[str, str | None]]:
    from bot.core.models import Mention

    headline = "Talks resume"
    text = f"{headline}\n\n{body}"
    doc = Document.build(text, headline)
    persons = []
    for name, forms in people.items():
        spots = sorted(
            (m.start(), m.end())
            for form in forms
            for m in re.finditer(rf"\b{re.escape(form)}\b", text)
            if not any(
                o.start() <= m.start() < o.end() and len(longer) > len(form)
                for longer in forms
                for o in re.finditer(rf"\b{re.escape(longer)}\b", text)
            )
        )
        persons.append(Person(name, None, None, tuple(Mention(text[a:b], a, b) for a, b in spots)))
    quotes = find_quotes(doc, tuple(persons), finder.lexicon.gender_of_first_name)
    return [(q.text, q.speaker) for q in quotes]


BERG = {"Anna Berg": ("Anna Berg", "Berg")}
HADDAD = {"Omar Haddad": ("Omar Haddad", "Haddad")}
PETROV = {"Ivan Petrov": ("Ivan Petrov", "Petrov")}

GIVEN_CASES = [
    pytest.param(
        'Anna Berg spoke first, and the talks ran "\ufffd\ufffd?Petrov: So we agree. '
        'Berg said they were right. "We will meet again in May," she said.',
        BERG | PETROV,
        [("We will meet again in May.", "Anna Berg")],
        id="mis-encoded-dash-after-a-mark-opens-no-quote",
    ),
    pytest.param(
        "Omar Haddad said Berg was right to keep the border with the United States closed "
        '"until the talks give us a result."',
        BERG | HADDAD,
        [("until the talks give us a result.", "Omar Haddad")],
        id="a-verb-inside-a-name-is-no-verb",
    ),
    pytest.param(
        "Anna Berg asked about the leak. “Who gave them the papers?” Petrov said at the briefing.",
        BERG | PETROV,
        [("Who gave them the papers?", "Ivan Petrov")],
        id="question-then-name-said-in-the-next-sentence",
    ),
    pytest.param(
        "Omar Haddad met Anna Berg. “Who gave them the papers?” she asked.",
        BERG | HADDAD,
        [("Who gave them the papers?", "Anna Berg")],
        id="question-then-pronoun-said",
    ),
    pytest.param(
        "Ivan Petrov built the first boat. “It floated on the second try,” says Petrow.",
        PETROV,
        [("It floated on the second try.", "Ivan Petrov")],
        id="misspelt-surname-is-the-person",
    ),
    pytest.param(
        "Ivan Petrov built the first boat. Omar Haddad bought it. Petrovv then sold it. "
        "“It sank,” he says.",
        PETROV | HADDAD,
        [("It sank.", "Ivan Petrov")],
        id="misspelt-surname-as-a-subject",
    ),
    pytest.param(
        "Anna Berg of the Harbour Singers said the old songs “kept our town alive in winter.”",
        BERG | {"Harbour Singers": ("Harbour Singers",)},
        [("kept our town alive in winter.", "Anna Berg")],
        id="person-of-a-group-said",
    ),
    pytest.param(
        '"Why did nobody warn us?"?Haddad said on the radio. "For a year nobody listened '
        'to the farmers at all?"?Army Gen. Anna Berg, head of the army, defended the plan, '
        "telling the radio that it was needed.",
        BERG | HADDAD,
        [
            ("Why did nobody warn us?", "Omar Haddad"),
            ("For a year nobody listened to the farmers at all?", "Omar Haddad"),
        ],
        id="question-then-another-name-is-a-new-sentence",
    ),
    pytest.param(
        "Omar Haddad spoke at the rally. Anna Berg, who sat in the front row, took to the "
        "stage later. “We are glad,” the former ambassador wrote. “But we must go on.”",
        BERG | HADDAD,
        [("We are glad.", "Anna Berg"), ("But we must go on.", "Anna Berg")],
        id="role-no-one-holds-is-the-previous-sentence-opener",
    ),
    pytest.param(
        "Norway's Deputy Permanent Representative to the United Nations Ivan Petrov opened "
        "the session. Later, Sweden's envoy Anna Berg replied. Norway's deputy permanent "
        "representative, in turn, said that the report was “written in bad faith.”",
        BERG | PETROV,
        [("written in bad faith.", "Ivan Petrov")],
        id="role-with-in-turn-and-a-country-far-back",
    ),
    pytest.param(
        "When asked about the new road, Haddad was all for it, saying, “It will help us all.”",
        HADDAD,
        [("It will help us all.", "Omar Haddad")],
        id="participle-after-a-verb-without-subject",
    ),
    pytest.param(
        "Singer Alice Hart wrote that Haddad was “the voice of the whole valley.” "
        "“We have all lost a friend,” he said.",
        {"Alice Hart": ("Alice Hart", "Hart")} | HADDAD,
        [
            ("the voice of the whole valley.", "Alice Hart"),
            ("We have all lost a friend.", "Alice Hart"),
        ],
        id="he-after-a-speaker-whose-gender-is-only-guessed",
    ),
    pytest.param(
        "Harbour: ‘The water came at night’ Boats were lost, the harbour master reported. "
        "“The water came at night and took everything,” said Omar Haddad, a fisherman.",
        HADDAD,
        [
            ("The water came at night", "Omar Haddad"),
            ("The water came at night and took everything.", "Omar Haddad"),
        ],
        id="repeated-quote-heading-takes-the-speaker",
    ),
    pytest.param(
        "Ivan Petrov opened the session and Omar Haddad argued that the plan cost too much, "
        "saying the farmers would pay. “We cannot afford this,” he said.",
        PETROV | HADDAD,
        [("We cannot afford this.", "Omar Haddad")],
        id="he-is-the-subject-who-spoke-before",
    ),
    pytest.param(
        "Ivan Petrov has not explained the delay, but Omar Haddad spent the whole evening "
        "online. “I was never told,” he wrote.",
        PETROV | HADDAD,
        [("I was never told.", "Omar Haddad")],
        id="he-is-the-subject-of-the-last-clause",
    ),
]


@pytest.mark.parametrize(("body", "people", "expected"), GIVEN_CASES)
def test_speakers_of_given_people(
    finder: PeopleFinder,
    body: str,
    people: dict[str, tuple[str, ...]],
    expected: list[tuple[str, str | None]],
) -> None:
    assert given(finder, body, people) == expected


# Rules added after measuring on held-out stories (tests/heldout5): (body, speakers in order).
HELDOUT5_SPEAKERS = [
    pytest.param(
        "Tom Walsh, 60, resigned on Monday. Officials named Omar Haddad to replace him. “It "
        "is a personal matter,” added the 60-year-old former officer who now lives in Oslo.",
        ["Tom Walsh"],
        id="inverted-verb-then-an-age",
    ),
    pytest.param(
        "Maria Lopez chairs the board. Anna Berg runs the plant. “Right now we wait,” Berg "
        "told reporters. The town was quiet. She pointed out that prices rose. Exports fell. "
        "Imports fell too. Farms were idle. Shops closed early. Trains ran late. “We need to "
        "cut costs,” she said.",
        ["Anna Berg", "Anna Berg"],
        id="pronoun-chain-back-to-the-last-person-named",
    ),
    pytest.param(
        INTRO + "The fee “was paid in full before the talks began”, Berg's statement added.",
        ["Anna Berg"],
        id="possessive-statement-speaks-for-the-person",
    ),
    pytest.param(
        INTRO + "“We will appeal the ruling at once,” Berg's spokesman said.",
        [None],
        id="possessive-spokesman-is-someone-else",
    ),
    pytest.param(
        INTRO + "Berg said there was no “fixed deadline” for the talks, but added that she "
        "wanted “a deal signed before the summer ends.”",
        ["Anna Berg"],
        id="coordinated-verb-takes-the-sentence-subject",
    ),
    pytest.param(
        "“We were caught in a real bind on this bill,” said Rep. Tom Walsh (R-Ohio).",
        ["Tom Walsh"],
        id="abbreviated-title-after-said",
    ),
    pytest.param(
        INTRO + "When Berg said, “I am going to miss you all,” Tom Walsh answered, "
        "“We will miss you too.”",
        ["Anna Berg", "Tom Walsh"],
        id="verb-right-before-the-quote-signs-it",
    ),
    pytest.param(
        "Tom Walsh flew home on Friday. The 36-year-old proposed to Anna Berg with a Neil "
        "Lane diamond ring. “I will never forget this day,” he said.",
        ["Tom Walsh"],
        id="name-used-as-a-brand-is-no-antecedent",
    ),
]


@pytest.mark.parametrize(("body", "speakers"), HELDOUT5_SPEAKERS)
def test_heldout5_attribution_rules(
    finder: PeopleFinder, body: str, speakers: list[str | None]
) -> None:
    assert [q.speaker for q in read(finder, body)[0] if not q.fragment] == speakers


def test_role_of_two_words_in_the_standfirst(finder: PeopleFinder) -> None:
    headline = "Walsh warns on vote"
    body = (
        "There is “no doubt” Ivan Petrov “tried to interfere with our elections last year,” "
        "the former vice president says.\n\nFormer Vice President Tom Walsh spoke on Monday. "
        "Russian President Ivan Petrov denied it."
    )
    doc = Document.build(f"{headline}\n\n{body}", headline)
    quotes = find_quotes(doc, finder.find(doc), finder.lexicon.gender_of_first_name)
    assert [q.speaker for q in quotes if not q.fragment] == ["Tom Walsh"]


def test_garbled_marks_inside_a_quote_keep_its_speaker(finder: PeopleFinder) -> None:
    body = (
        INTRO + 'Critics loved the band. "The band always was the best at rhythm, rock "\ufffdn"'
        '?roll playing. It was easy and his timing was perfect," Tom Walsh of the band once '
        "said of Berg."
    )
    quotes = read(finder, body)[0]
    assert quotes[0].text.startswith("The band always was the best")
    assert quotes[0].speaker == "Tom Walsh"


# Rules added after measuring on held-out stories (tests/heldout6).
HELDOUT6_SPEAKERS = [
    pytest.param(
        "Foreign Minister Karl Berg arrived on Monday. “We will keep talking,” Berg said. "
        "Before Berg left, Tom Walsh made a short statement, saying the talks had gone well. "
        "“We listened to each other for hours,” he said.",
        ["Karl Berg", "Tom Walsh"],
        id="participle-subject-since-the-last-quote-is-the-pronoun",
    ),
    pytest.param(
        "Foreign Minister Karl Berg arrived on Monday. “We will keep talking,” Berg said. "
        "Berg met his Japanese counterpart Taro Kishimura later. Japan's top diplomat said "
        "the talks went well. “We share one view on the border,” he stressed.",
        ["Karl Berg", "Taro Kishimura"],
        id="role-subject-since-the-last-quote-is-the-pronoun",
    ),
    pytest.param(
        "Officials said the search went on. Tom Walsh said diggers were on their way. “We "
        "will not stop. Our crews work day and night,” the rescue official said.",
        ["Tom Walsh"],
        id="role-nobody-has-is-the-opener-before-a-quote-of-sentences",
    ),
    pytest.param(
        "The band also played at both of Tom Walsh's presidencies. “We loved the band for as "
        "long as we can remember,” the former president said.",
        ["Tom Walsh"],
        id="office-held-names-the-role",
    ),
    pytest.param(
        "Anna Berg praised the city. That said, visitors will see a “quiet and grey "
        "season” this year, Berg said.",
        ["Anna Berg"],
        id="that-said-is-no-speech-verb",
    ),
    pytest.param(
        "“I wanted to become a pilot but our school was shut,” 7-year-old Tamsin is quoted "
        "as saying.",
        ["Tamsin"],
        id="given-name-after-an-age-speaks",
    ),
    pytest.param(
        "Union leader Omar Qasimi-said: “We agreed on supporting the new council in full.”",
        ["Omar Qasimi"],
        id="speech-verb-glued-to-the-name-by-a-hyphen",
    ),
    pytest.param(
        "Norma Quillfeather, the head of Advocacy Kenya said “it is unacceptable that the "
        "service charged the residents”.",
        ["Norma Quillfeather"],
        id="country-ending-a-body-name-is-no-speaker",
    ),
]


@pytest.mark.parametrize(("body", "speakers"), HELDOUT6_SPEAKERS)
def test_heldout6_attribution_rules(
    finder: PeopleFinder, body: str, speakers: list[str | None]
) -> None:
    assert [q.speaker for q in read(finder, body)[0] if not q.fragment] == speakers


def test_stretches_answer_like_a_scan_over_every_span() -> None:
    """Quotes and mentions are looked up by binary search; overlapping and nested
    stretches must answer exactly as checking each one would."""
    spans = [(0, 5), (3, 12), (4, 6), (20, 25), (30, 31)]
    stretches = Stretches(list(reversed(spans)))
    for offset in range(-1, 35):
        assert stretches.covers(offset) == any(a <= offset < b for a, b in spans), offset
    assert not Stretches([]).covers(0)
