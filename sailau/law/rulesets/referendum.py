"""Referendum rule sets: ordinary question and constitutional change."""

import datetime as dt
from functools import partial

from sailau.law.forms import referendum_form
from sailau.law.outcomes import referendum
from sailau.law.outcomes.referendum import ReferendumRules
from sailau.law.ruleset import RuleSet
from sailau.law.rulesets.sources import ODIHR_2022, REFERENDUM_LAW

KIND = "referendum"
PARTICIPANTS_NOTE = ("Participants are the ballots found: yes + no + both marked + invalid "
                     "(the 2022 official figures add up this way).")


def _referendum(name, date, title, rules, assumptions):
    return RuleSet(
        name=name, date=date, title=title, contest_kinds=(KIND,),
        forms={KIND: referendum_form(KIND)},
        outcomes={KIND: partial(referendum.outcome, rules)},
        sources=(REFERENDUM_LAW, ODIHR_2022), assumptions=(PARTICIPANTS_NOTE, *assumptions),
        parameters={"valid_if": "more than 1/2 of registered took part",
                    "adopted_if": ("more than 1/2 of participants vote yes in at least 2/3 of "
                                   f"the {rules.regions} regions ({rules.regions_required})"
                                   if rules.constitutional else
                                   "more than 1/2 of all participants vote yes")},
    )


REFERENDUM_2022 = _referendum(
    "kz-referendum-2022", dt.date(2022, 6, 5),
    "Republican referendum on an ordinary question",
    ReferendumRules(constitutional=False),
    ["`regions` may hold national figures as one entry or the regions; they are summed.",
     "Adoption is counted over the whole country (no regional condition)."])

CONSTITUTIONAL_2022 = _referendum(
    "kz-referendum-constitutional-2022", dt.date(2022, 6, 5),
    "Republican referendum on changing the Constitution (17 regions, 12 required)",
    ReferendumRules(constitutional=True, regions=17),
    ["Validity is national turnout; adoption also requires validity."])

CONSTITUTIONAL_2026 = _referendum(
    "kz-referendum-constitutional-2026", dt.date(2026, 3, 15),
    "Republican referendum on the Constitution after the June 2022 regional reform (20 regions, "
    "14 required)",
    ReferendumRules(constitutional=True, regions=20),
    [("Same rule as 2022 with the 20 regions existing since June 2022; assumed to have "
     "governed the 15 March 2026 referendum.")])

RULESETS = (REFERENDUM_2022, CONSTITUTIONAL_2022, CONSTITUTIONAL_2026)
