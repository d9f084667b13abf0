"""The Senate, elected indirectly: for each region, city of republican significance and the
capital, the deputies of all its maslikhats vote at a joint session (Constitution, arts. 50-51).
Each region's seat up for election is a contest of its own, whose one "station" is the joint
session and whose voters on the list are the electors (`sailau.law.kinds.SENATE`)."""

import datetime as dt

from sailau.law.forms import candidate_form
from sailau.law.outcomes import single_winner
from sailau.law.ruleset import RuleSet
from sailau.law.source import Source

KIND = "senate"

CONSTITUTION = Source(
    "Constitution of the Republic of Kazakhstan, arts. 50-51 (as amended 2022)",
    "https://adilet.zan.kz/eng/docs/K950001000_",
    "the Senate's elected deputies: two for each region, city of republican significance and "
    "the capital, elected at a joint session of the deputies of all the maslikhats of that "
    "region, city or capital; half of them renewed every three years")
ELECTIONS_LAW = Source(
    "Constitutional Law 'On Elections in the Republic of Kazakhstan' of 28 September 1995 "
    "No. 2464, art. 3 para 2, art. 9 para 1(2), and the chapter on elections of Senate "
    "deputies (unofficial English translation, IFES/TEPJF thesaurus; text at adilet.zan.kz)",
    "https://adilet.zan.kz/eng/docs/Z950002464_",
    "indirect suffrage by secret ballot; elected with more than fifty percent of the votes of "
    "the electors who took part, else a repeat vote in which the one with more votes than the "
    "other is elected; the joint session's vote counts when more than fifty percent of the "
    "electors take part")
CEC_SENATE_2023 = Source(
    "Central Election Commission, results of the Senate elections of 14 January 2023 (as "
    "reported by Jibek Joly TV, 'Kazakh Central Election Commission sums up Senate election "
    "results')",
    "https://jjtv.kz/en/news/politics/27972-kazakh-central-election-commission-sums-up-senate-"
    "election-results",
    "a real case: 20 seats (17 regions, Astana, Almaty, Shymkent), 3,167 maslikhat deputies "
    "on the lists of electors, 2,904 took part, 55 candidates on the ballots; candidates with "
    "more than 50 percent of the votes declared elected")

ASSUMPTIONS = (
    ("The law's quorum counts the electors present at the joint session; the protocol carries "
    "the electors on the list (line 1), so the vote counts here when more than half of the "
    "electors on the list took part (ballots found in the box)."),
    ("Those who took part are those whose ballots were found (votes for candidates and invalid "
    "ballots); a candidate needs more than half of them."),
    ("One seat per contest: a region's seats up for election at the same time (both, when the "
    "region is new) are contests of their own."),
    "The ballot has no 'against all' line (none is reported for the 2023 Senate election).",
    ("The repeat vote is a contest of its own under kz-senate-2023-repeat: of its two "
    "candidates, the one with more votes is elected; a tie is reported."),
    ("We did not have the text of the Senate chapter of the law: its rules here are read from the "
    "sources named, and not checked against a certified Kazakh text."),
)

SENATE_2023 = RuleSet(
    name="kz-senate-2023", date=dt.date(2023, 1, 14),
    title=("Senate: the maslikhat deputies of a region at a joint session; more than half of "
           "the votes of the electors who took part, else a repeat vote of the top two"),
    contest_kinds=(KIND,),
    forms={KIND: candidate_form(KIND, against_all=False)},
    outcomes={KIND: single_winner.majority_of_electors},
    sources=(CONSTITUTION, ELECTIONS_LAW, CEC_SENATE_2023),
    assumptions=ASSUMPTIONS,
    parameters={"seats": 1, "quorum": "more than 1/2 of the electors take part",
                "majority": "more than 1/2 of the electors who took part",
                "else": "repeat vote of the top two"},
)

SENATE_REPEAT_2023 = RuleSet(
    name="kz-senate-2023-repeat", date=dt.date(2023, 1, 14),
    title="Senate, repeat vote: of the two candidates, the one with more votes",
    contest_kinds=(KIND,),
    forms={KIND: candidate_form(KIND, against_all=False)},
    outcomes={KIND: single_winner.first_past_the_post},
    sources=(ELECTIONS_LAW,),
    assumptions=ASSUMPTIONS[3:],
    parameters={"seats": 1, "rule": "more votes than the other candidate"},
)

RULESETS = (SENATE_2023, SENATE_REPEAT_2023)
