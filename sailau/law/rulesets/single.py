"""Single-winner rule sets: Mazhilis single-member districts 2023 (the President: `president`)."""

import datetime as dt

from sailau.law.forms import candidate_form
from sailau.law.outcomes import single_winner
from sailau.law.ruleset import RuleSet
from sailau.law.rulesets.sources import ELECTIONS_LAW, ODIHR_2023

SMD_2023 = RuleSet(
    name="kz-smd-2023", date=dt.date(2023, 3, 19),
    title="Mazhilis and maslikhat single-member districts: first past the post, one round",
    contest_kinds=("single_member",),
    forms={"single_member": candidate_form("single_member", against_all=True)},
    outcomes={"single_member": single_winner.first_past_the_post},
    sources=(ELECTIONS_LAW, ODIHR_2023),
    assumptions=(("A tie for first place is returned as a tie; how the law breaks it is not "
                 "applied here."),
                 ("'Against all' is counted and shown but neither wins the seat nor voids the "
                 "election (we have no source saying otherwise for 2023).")),
    parameters={"seats": 1, "rule": "most votes, one round"},
)

RULESETS = (SMD_2023,)
