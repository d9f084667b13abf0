"""Party-list rule sets: Mazhilis 2021 and 2023, maslikhats 2023, Kurultai 2026."""

import datetime as dt
from fractions import Fraction
from functools import partial

from sailau.law.forms import candidate_form
from sailau.law.outcomes import party_list
from sailau.law.outcomes.party_list import PARTICIPANTS, PARTIES_AND_AGAINST_ALL, PartyListRules
from sailau.law.ruleset import RuleSet
from sailau.law.rulesets.sources import (
    CEC_2023,
    ELECTIONS_LAW,
    ELECTIONS_LAW_97,
    KURULTAI_2026,
    KURULTAI_QUOTAS,
    METHOD_2021,
    ODIHR_2023,
    RESULT_2021,
    REUTERS_2012,
)

KIND = "party_list"
QUOTA = Fraction(3, 10)


def _party_list(name, date, title, rules: PartyListRules, sources, assumptions):
    return RuleSet(
        name=name, date=date, title=title, contest_kinds=(KIND,),
        forms={KIND: candidate_form(KIND, against_all=rules.against_all)},
        outcomes={KIND: partial(party_list.outcome, rules)},
        sources=tuple(sources), assumptions=tuple(assumptions),
        parameters={"seats": rules.seats if rules.seats is not None else "from the input",
                    "threshold": rules.threshold, "threshold_of": rules.threshold_base,
                    "runner_up_rule": rules.runner_up,
                    "quota_on_seats": rules.quota_share if rules.quota_share else "none"},
    )


COMMON_2023 = [
    ("Equal remainders are resolved by the registration order of the lists when it is in the "
    "input; without it the tie is returned open and its seats are left unallocated."),
    ("The 30% quota is checked on the first candidates of each list (one per seat, list order) and "
    "reported; it does not reorder lists."),
    ("If fewer than two lists reach the threshold, no runner-up is added: we have not confirmed "
    "that the 2009 runner-up provision survived the 2022 amendments. The result says so in notes."),
]

MAZHILIS_2023 = _party_list(
    "kz-mazhilis-2023", dt.date(2023, 3, 19),
    "Mazhilis, party-list part (69 seats), from the 2022 amendments",
    PartyListRules(seats=69, threshold=Fraction(5, 100), threshold_base=PARTIES_AND_AGAINST_ALL,
                   against_all=True, runner_up=False, quota_share=QUOTA),
    [ELECTIONS_LAW, ODIHR_2023, CEC_2023], COMMON_2023)

MASLIKHAT_2023 = _party_list(
    "kz-maslikhat-2023", dt.date(2023, 3, 19),
    "Maslikhats of regions, cities of republican significance and the capital: party-list half",
    PartyListRules(seats=None, threshold=Fraction(5, 100), threshold_base=PARTIES_AND_AGAINST_ALL,
                   against_all=True, runner_up=False, quota_share=QUOTA),
    [ELECTIONS_LAW, ODIHR_2023],
    ["The list seats (half of the maslikhat) are given in the input as `seats`."] + COMMON_2023)

MAZHILIS_2021 = _party_list(
    "kz-mazhilis-2021", dt.date(2021, 1, 10),
    "Mazhilis, 98 party-list seats, law as amended in 2009 (before the 2022 reform)",
    PartyListRules(seats=98, threshold=Fraction(7, 100), threshold_base=PARTICIPANTS,
                   against_all=False, runner_up=True, quota_share=None),
    [ELECTIONS_LAW_97, METHOD_2021, RESULT_2021, REUTERS_2012, ODIHR_2023],
    [("The 7% is a share of all who took part, as the law's text says (voters who received "
     "ballots: votes for the lists plus `invalid`, which must then hold every ballot taken "
     "that is not a vote for a list). The CEC's published 2021 percentages are over the votes "
     "for parties instead; the seats come out the same either way in 2021."),
     ("If only one list reaches 7%, the list with the next most votes is admitted and the seats "
     "are shared by the same quota. The unofficial translation we found (of an earlier text) also "
     "multiplies that list's quotient by a correction index of 0.7; we could not confirm it was in "
     "force in 2021 and do not apply it. The 2021 result (three lists passed) does not test this."),
     "A tie for the runner-up place is returned open; if no list reaches 7%, nothing is allocated.",
     "Equal remainders go to the earlier-registered list (as in 2023; assumed for 2021).",
     "The ballot had no 'against all' line in January 2021."])

KURULTAI_2026 = _party_list(
    "kz-kurultai-2026", dt.date(2026, 7, 1),
    "Kurultai (unicameral parliament), 145 seats, proportional, one national constituency",
    PartyListRules(seats=145, threshold=Fraction(5, 100), threshold_base=PARTIES_AND_AGAINST_ALL,
                   against_all=True, runner_up=False, quota_share=QUOTA),
    [KURULTAI_2026, KURULTAI_QUOTAS, ELECTIONS_LAW],
    ["Known: 145 seats, proportional representation, one national constituency.",
     ("ASSUMED until the constitutional law on elections to the Kurultai is known: the 2023 "
     "Mazhilis method (5% of votes for parties plus 'against all', Hare quota, largest "
     "remainders, ties to the earlier-registered list) and the 30% combined quota on seats.")]
    + COMMON_2023[1:])

RULESETS = (MAZHILIS_2021, MAZHILIS_2023, MASLIKHAT_2023, KURULTAI_2026)
