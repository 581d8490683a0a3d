"""Death tolls read from short wire sentences: what a reader of the alert would expect."""

from __future__ import annotations

import pytest

from bot.core.extract.fatalities import find_fatalities
from bot.core.extract.text import Document
from bot.core.models import Fatalities


def read(body: str, headline: str = "Wire report") -> Fatalities:
    return find_fatalities(Document.build(f"{headline}\n\n{body}", headline))


CASES = [
    # digits and number words
    ("At least 1,200 people were killed in the earthquake.", 1200, "at_least"),
    ("Twenty-three people died when the bus crashed.", 23, "exact"),
    ("Two hundred and five passengers died in the crash.", 205, "exact"),
    ("A dozen miners were killed in the blast.", 12, "exact"),
    ("A white army veteran accused of fatally stabbing a 66-year-old man was charged.", 1, "exact"),
    ("A 19-year-old student was fatally shot outside a bar.", 1, "exact"),
    ("Police fatally shot two men on Tuesday.", 2, "exact"),
    ("A guard was seriously wounded in the attack.", None, "exact"),
    # one victim named as the object
    ("Troops said they killed Abu Omar al-Masri, a local commander, on Monday.", 1, "exact"),
    ("A gunman assassinated Ambassador Ivan Petrov at a gallery.", 1, "exact"),
    ("Rebels killed Iraqi soldiers near the border.", None, "exact"),
    ("The strike killed Islamic State fighters in the desert.", None, "exact"),
    ("Police say the attack killed New York residents.", None, "exact"),
    # not people, or killing in general
    ("When her dog Max died on Monday, she built a garden.", None, "exact"),
    ("When her neighbour Maxine died on Monday, she built a garden.", 1, "exact"),
    ("He said he would never condone the killing of a suspect in custody.", None, "exact"),
    ("Jesus was not an advocate of killing On Sunday, the bishops spoke.", None, "exact"),
    ("He said several officials tied to the inquiry had been killed.", None, "exact"),
    ("The policeman had been killed in the ambush.", 1, "exact"),
    ("Mr Black, 52, was shot dead on Monday.", 1, "exact"),
    ("Ali Ben Salem, who was shot and killed by a soldier on Saturday, was known.", 1, "exact"),
    ("Five officials have been executed by firing squad, lawmakers said.", 5, "exact"),
    ("The company executed the plan in March.", None, "exact"),
    ("A nurse and mother of five is in hospital after the crash.", None, "exact"),
    ("The disease kills at least 10,000 children a year, doctors say.", None, "exact"),
    ("Last July, 86 people were killed when a lorry drove into a crowd.", None, "exact"),
    ("In January, gunmen attacked the parliament, killing over 30 people.", None, "exact"),
    ("Since then, there have been more than 7,000 deaths in the crackdown.", None, "exact"),
    ("The pupils buried their two dead class goldfish in the garden.", None, "exact"),
    ("Three dead soldiers were found near the road.", 3, "exact"),
    ("The toll rose to 17 injured, 1 dead after the shooting.", 1, "exact"),
    ("Soldiers shot the attacker dead at the airport.", 1, "exact"),
    ("Police shot the two gunmen dead outside the bank.", 2, "exact"),
    ("The father of the man shot dead at the airport said he was no terrorist.", 1, "exact"),
    ("Activists condemned the killing of a journalist in the capital.", 1, "exact"),
    ("More than a dozen civilians were killed.", 12, "at_least"),
    ("An explosion killed a policeman on Monday.", 1, "exact"),
    ("The raid killed one soldier.", 1, "exact"),
    ("Dozens of people were killed in the fighting.", None, "exact"),
    ("Several dozen people died.", None, "exact"),
    ("Hundreds of people have died.", None, "exact"),
    # qualifiers
    ("More than 40 civilians were killed.", 40, "at_least"),
    ("Over 30 people died in the floods.", 30, "at_least"),
    ("Nearly 250 people have died in the floods.", 250, "approx"),
    ("About 60 people were killed.", 60, "approx"),
    ("Some 42 refugees were killed.", 42, "approx"),
    ("Around 15 people died.", 15, "approx"),
    ("Up to 13 people were killed.", 13, "at_most"),
    ("Locals said at least-16 civilians were killed.", 16, "at_least"),
    # sums in one clause
    ("Seven soldiers and a civilian were killed in the attack.", 8, "exact"),
    ("The attack killed three soldiers, two policemen and a child.", 6, "exact"),
    ("On Feb. 3, seven Turkish soldiers and a Turkish civilian were killed.", 8, "exact"),
    # the verbs and nouns of wire copy
    ("The bombing killed 14 people.", 14, "exact"),
    ("Gunmen stormed the hospital, killing more than 30 people.", 30, "at_least"),
    ("Police said 12 people were shot dead.", 12, "exact"),
    ("Two staff members of a UN commission were found dead.", 2, "exact"),
    ("The death toll rose to 119 on Tuesday.", 119, "exact"),
    ("The death toll from the avalanches has reached 119.", 119, "exact"),
    ("The bodies of 20 migrants were found on the beach.", 20, "exact"),
    ("Five people lost their lives in the fire.", 5, "exact"),
    ("The attack left four people dead.", 4, "exact"),
    ("The storm claimed 12 lives.", 12, "exact"),
    ("Officials reported 9 fatalities.", 9, "exact"),
    ("Witnesses counted 56 dead.", 56, "exact"),
    ("The minister said: 'We have eight martyrs.'", 8, "exact"),
    ("The army mourned the deaths of 42 Somalis.", 42, "exact"),
    ("Six aid workers killed in ambush", 6, "exact"),
    ("Troops shot dead a Palestinian man on Tuesday.", 1, "exact"),
    ("A man was stabbed to death in London on Saturday.", 1, "exact"),
    ("Five members of one family, including three children, died in the fire.", 5, "exact"),
    ("At least 3 people are dead after a shooting.", 3, "at_least"),
    ("Mr Black, 52, was shot dead on Monday.", 1, "exact"),
    ("Ali Ben Salem, who was shot and killed by a soldier on Saturday, was known.", 1, "exact"),
    ("Five officials have been executed by firing squad, lawmakers said.", 5, "exact"),
    ("The company executed the plan in March.", None, "exact"),
    ("A nurse and mother of five is in hospital after the crash.", None, "exact"),
    ("The disease kills at least 10,000 children a year, doctors say.", None, "exact"),
    ("Last July, 86 people were killed when a lorry drove into a crowd.", None, "exact"),
    ("In January, gunmen attacked the parliament, killing over 30 people.", None, "exact"),
    ("Since then, there have been more than 7,000 deaths in the crackdown.", None, "exact"),
    ("Jockey Walter Swinburn fell to his death from a window.", 1, "exact"),
    # restatements and updates
    (
        "Eight soldiers were killed on Monday. 'We have eight martyrs,' the minister said.",
        8,
        "exact",
    ),
    ("Eight people were killed in the blast. The death toll later rose to 12.", 12, "exact"),
    (
        "Floods killed nearly 250 people. The minister said floods had killed 246 people.",
        250,
        "approx",
    ),
    ("The deaths of 42 Somalis shocked the region. Some 42 refugees were killed.", 42, "exact"),
    ("Police said 58 fighters had been killed. Two soldiers died in the clashes.", 60, "exact"),
    ("Two soldiers were killed. The attack left six people dead.", 6, "exact"),
    (
        "The blast killed four people. Two more bodies were found, bringing the death toll to six.",
        6,
        "exact",
    ),
    # injured are never counted
    ("Three people were killed and 12 wounded.", 3, "exact"),
    ("The blast killed 3 people and injured 40.", 3, "exact"),
    ("Twelve people were wounded and two were killed.", 2, "exact"),
    ("Six people were killed or injured.", None, "exact"),
    # cumulative background tolls are not in the total
    ("The war has killed 380,000 people since 2011.", None, "exact"),
    ("More than 500,000 people have died in the conflict.", None, "exact"),
    ("In the past six years, militants have killed more than 100 soldiers.", None, "exact"),
    ("At least 12 aid workers have been killed this year.", None, "exact"),
    ("Six soldiers were killed. The war has killed 380,000 people since 2011.", 6, "exact"),
    # past events revisited
    ("Two years ago, 50 people were killed in a similar attack.", None, "exact"),
    ("In April 2015, 800 migrants drowned off Libya.", None, "exact"),
    ("The attack comes a week after 16 people were killed in Kabul.", None, "exact"),
    ("The bombing, the deadliest since 2015, killed 25 people.", 25, "exact"),
    # not deaths at all
    ("A 45-year-old man was arrested in Paris.", None, "exact"),
    ("The company lost $30 million and cut 2,000 jobs.", None, "exact"),
    ("Prices rose 12 percent in 2016.", None, "exact"),
    ("The senators killed the bill on Tuesday.", None, "exact"),
    ("The company killed off its tablet line.", None, "exact"),
    ("Experts warn the virus could kill 200 people.", None, "exact"),
    ("They threatened to kill 10 hostages.", None, "exact"),
    ("He almost died at sea.", None, "exact"),
    ("We could be here talking about eight dead people, the sheriff said.", None, "exact"),
    ("The floods killed 40 sheep.", None, "exact"),
    ("He was killed by a drone.", None, "exact"),
    ("One cub died after ten days.", None, "exact"),
    ("The 100-day strike ended on Monday.", None, "exact"),
    ("Flight 17 landed at 5 pm with 200 passengers.", None, "exact"),
]


@pytest.mark.parametrize(("body", "total", "qualifier"), CASES)
def test_total(body: str, total: int | None, qualifier: str) -> None:
    found = read(body)
    assert (found.total, found.qualifier) == (total, qualifier)


@pytest.mark.parametrize(
    "body", ["No one was killed in the blast.", "There were no casualties.", "Nobody died."]
)
def test_negation_is_a_zero_mention_and_no_total(body: str) -> None:
    found = read(body)
    assert found.total is None
    assert [m.count for m in found.mentions] == [0]


def test_mentions_say_who_where_and_what_was_said() -> None:
    body = "On Feb. 3, seven Turkish soldiers and a Turkish civilian were killed."
    found = read(body)
    text = f"Wire report\n\n{body}"
    assert [(m.count, m.who) for m in found.mentions] == [
        (7, "Turkish soldiers"),
        (1, "Turkish civilian"),
    ]
    first = found.mentions[0]
    assert first.text == "seven Turkish soldiers and a Turkish civilian were killed"
    assert text[first.start : first.end] == first.text


def test_cumulative_mentions_are_kept_apart() -> None:
    found = read("Six soldiers were killed. The war has killed 380,000 people since 2011.")
    assert found.total == 6
    assert [(m.count, m.cumulative) for m in found.mentions] == [(6, False), (380_000, True)]


# Rules added after measuring on held-out stories (tests/heldout).
CONTEXT_CASES = [
    pytest.param(
        "A bomb killed at least 31 people on Wednesday. The blast followed twin attacks on "
        "Saturday that killed at least 40 people.",
        31,
        id="earlier-attack-it-followed",
    ),
    pytest.param(
        "The agency warned of famine. At least 260,000 people died in that disaster, half "
        "of them children.",
        None,
        id="died-in-that-disaster",
    ),
    pytest.param(
        "Police data showed 2,500 people had been killed in police operations.",
        None,
        id="statistic-is-cumulative",
    ),
    pytest.param(
        "Since taking office in May, the drive has seen more than 900 people killed. Three "
        "men were killed on Sunday.",
        3,
        id="since-taking-office-is-a-period",
    ),
    pytest.param(
        "Since December, floods have killed 246 people and left 2,000 homeless.",
        246,
        id="since-a-month-a-season-is-the-news",
    ),
    pytest.param(
        "Since his inauguration, the crackdown has seen 2,000 people killed. A policeman was "
        "killed on Monday.",
        1,
        id="since-his-inauguration-is-a-period",
    ),
    pytest.param(
        "At least 40 people have been killed since Monday in clashes in the capital.",
        40,
        id="since-a-weekday-is-the-news",
    ),
    pytest.param(
        "The senator spoke about guns. He cited the Orlando shooting, in which a gunman "
        "killed 49 people, as a warning.",
        None,
        id="named-attack-in-which-is-an-earlier-event",
    ),
    pytest.param(
        "His mother Ana was killed 11 years ago by a drunk driver. Ana died of head "
        "injuries at the scene, the court heard on Monday.",
        None,
        id="a-death-told-as-past-stays-past",
    ),
    pytest.param(
        "Two soldiers were killed on Monday. The army says 66 troops have been killed since "
        "the country began its operations there last August.",
        2,
        id="since-operations-began-is-a-period",
    ),
    pytest.param(
        "Since a wave of attacks in February claimed more than 130 lives, the border has "
        "been closed. Eight people were killed in a raid on Tuesday.",
        8,
        id="a-since-clause-is-an-earlier-event",
    ),
    pytest.param(
        "Two men were killed on Friday. Since launching an operation in the north, the "
        "army says it has killed 3,500 militants. At least 583 soldiers have also been killed.",
        2,
        id="a-toll-going-on-from-a-cumulative-one-is-cumulative",
    ),
    pytest.param(
        "A bomb killed 80 people on Thursday. It was the deadliest attack since December "
        "2014, when gunmen stormed a school in the city, killing 154 people.",
        80,
        id="the-event-a-deadliest-compares-with-is-past",
    ),
    pytest.param(
        "Since the launch of the offensive, 900 rebels have been killed.",
        None,
        id="since-the-launch-is-a-period",
    ),
    pytest.param(
        "The gang was formed in the late 1980s, when refugees fled a civil war that left "
        "75,000 people dead.",
        None,
        id="a-decade-is-an-earlier-event",
    ),
    pytest.param(
        "The list did not include a recent attack on a mosque that killed six people.",
        None,
        id="a-recent-attack-is-an-earlier-event",
    ),
    pytest.param(
        "Clashes followed by an air strike killed 12 people on Monday.",
        12,
        id="followed-by-is-not-an-earlier-event",
    ),
    pytest.param(
        "A bomb killed 23 people at a mosque on Friday. It was the deadliest attack in the "
        "city since January, when 40 people died in a bombing near parliament.",
        23,
        id="comma-when-clause-is-an-earlier-event",
    ),
]


@pytest.mark.parametrize(("body", "total"), CONTEXT_CASES)
def test_earlier_events_and_statistics_are_not_news(body: str, total: int | None) -> None:
    assert read(body).total == total


def test_a_headline_restating_a_background_toll_is_background() -> None:
    found = read(
        "Ivan Ivanov was shot dead in the street on Monday. In all, eight Russians have "
        "died over the past five months.",
        headline="Five months, eight Russians dead",
    )
    assert found.total == 1
    assert [(m.count, m.cumulative) for m in found.mentions if m.count == 8] == [
        (8, True),
        (8, True),
    ]


def test_headline_counts_like_the_body() -> None:
    found = read("Rescuers are still searching.", headline="Nearly 250 killed in floods")
    assert (found.total, found.qualifier) == (250, "approx")
