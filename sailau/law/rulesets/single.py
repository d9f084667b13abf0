"""Single-winner rule sets: Mazhilis single-member districts 2023, President 2022."""

import datetime as dt

from sailau.law.forms import candidate_form
from sailau.law.outcomes import single_winner
from sailau.law.ruleset import RuleSet
from sailau.law.rulesets.sources import ODIHR_2023, SPEC_RULES
from sailau.law.source import Source

SMD_2023 = RuleSet(
    name="kz-smd-2023", date=dt.date(2023, 3, 19),
    title="Mazhilis and maslikhat single-member districts: first past the post, one round",
    contest_kinds=("single_member",),
    forms={"single_member": candidate_form("single_member", against_all=True)},
    outcomes={"single_member": single_winner.first_past_the_post},
    sources=(SPEC_RULES, ODIHR_2023),
    assumptions=(("A tie for first place is returned as a tie; how the law breaks it is not "
                 "applied here."),
                 ("'Against all' is counted and shown but neither wins the seat nor voids the "
                 "election (we have no source saying otherwise for 2023).")),
    parameters={"seats": 1, "rule": "most votes, one round"},
)

PRESIDENT_2022 = RuleSet(
    name="kz-president-2022", date=dt.date(2022, 11, 20),
    title="President: absolute majority of valid votes, else a runoff of the top two",
    contest_kinds=("president",),
    forms={"president": candidate_form("president", against_all=True)},
    outcomes={"president": single_winner.majority_or_runoff},
    sources=(SPEC_RULES,
             Source("OSCE/ODIHR, Kazakhstan early presidential election 2019, press release "
                    "(Kazakh; seeds/004)", None, "context of presidential elections")),
    assumptions=(("Valid votes are the votes for candidates plus 'against all'; invalid ballots "
                 "are not valid votes."),
                 ("A tie for a runoff place is returned (`tie`) with the places already decided "
                 "in `runoff`; no turnout minimum.")),
    parameters={"majority": "more than 1/2 of valid votes incl. against all",
                "runoff": "top two"},
    second_round="kz-president-2022-round2",
)

PRESIDENT_2022_ROUND2 = RuleSet(
    name="kz-president-2022-round2", date=dt.date(2022, 11, 20),
    title="President, second round: the first round's two leaders, more votes elected",
    contest_kinds=("president",),
    forms={"president": candidate_form("president", against_all=True)},
    outcomes={"president": single_winner.plurality_of_two},
    sources=PRESIDENT_2022.sources,
    assumptions=("Equal votes are returned as a tie; the law's remedy is not applied here.",),
    parameters={"candidates": "the two leaders of the first round", "elected": "more votes"},
)

RULESETS = (SMD_2023, PRESIDENT_2022, PRESIDENT_2022_ROUND2)
