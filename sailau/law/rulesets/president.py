"""The President of the Republic, elected by the whole country, per period of the law: 2011,
2015 and 2019 (no "against all" line on the ballot) and 2022 ("against all" back on every
ballot since the law of 25 May 2021). Each first round names the rule set of its second round.

The majority (Constitution art. 41 p. 5; Constitutional Law "On Elections" No. 2464 art. 9
p. 1(2)) is "more than fifty per cent of the votes of the voters who took part in the voting".
The ballots that counts are the valid ballots (the candidates' votes and, where the ballot has
it, "against all": `figures.valid`, the President's `share_base` in `kinds`), the only base on
which the CEC's announced shares of 2011, 2019 and 2022 come out, and with which those of 2015
agree (tests/law/test_law_president.py).
"""

import datetime as dt
from functools import partial

from sailau.law.forms import candidate_form
from sailau.law.outcomes import single_winner
from sailau.law.ruleset import RuleSet
from sailau.law.rulesets.sources import (
    AGAINST_ALL_2021,
    AGAINST_ALL_COUNT_2022,
    BALLOT_2011,
    CEC_PRESIDENT_2011,
    CEC_PRESIDENT_2015,
    CEC_PRESIDENT_2019,
    CEC_PRESIDENT_2022,
    CONSTITUTION_41,
    ELECTIONS_LAW_9,
    ELECTIONS_LAW_44,
    TERM_2022,
)

KIND = "president"
DAY = dt.timedelta(days=1)

# Where a period starts. The 2011, 2015 and 2019 elections ran under one wording of the
# majority and one ballot without "against all"; the amendments in between are not itemised
# here, so each of those periods runs from its election day to the day before the next one.
# "Against all" came back with the Constitutional Law amending the law on elections that the
# President signed on 25 May 2021 ("against all" on the ballots of every level, the party
# threshold down to 5 %); the CEC's ballot forms with the line followed on 22 June 2021 (CEC
# resolution No. 4/408) and the first election on them was that of rural akims on 25 July
# 2021. The period starts the day the law was signed: its entry into force after publication
# is not sourced here, and no presidential election fell in between.
FROM_2011 = dt.date(2011, 4, 3)
FROM_2015 = dt.date(2015, 4, 26)
FROM_2019 = dt.date(2019, 6, 9)
FROM_2021 = dt.date(2021, 5, 25)

LAW_SOURCES = (CONSTITUTION_41, ELECTIONS_LAW_9, ELECTIONS_LAW_44)
MAJORITY = ("The law's majority is more than half of 'the votes of the voters who took part in "
            "the voting' (Constitution art. 41 p. 5; law No. 2464 art. 9 p. 1(2)); the texts read "
            "here do not say which ballots count them. The CEC announces those who took part as "
            "the voters who received ballots (2022: 8,300,046) or the ballots found (2019: "
            "9,274,110), but its announced shares of 2011, 2019 and 2022 (and 2015, one count "
            "not found) are of the valid ballots: the candidates' votes{aa}. On the ballots issued or found "
            "none of them comes out (tests/law/test_law_president.py). The rule set decides as "
            "the CEC did: more than half of the valid ballots. Near one half the readings can "
            "disagree: a candidate with more than half of the valid ballots but not of the "
            "ballots found is elected here, as the CEC's practice reads the law.")
NO_AGAINST_ALL = ("The ballot has no 'against all' line (the law signed on 25 May 2021 put it "
                  "back on the ballots of every level): the protocol form has none and an "
                  "'against all' figure is refused.")
TIES = ("A tie for a runoff place is returned (`tie`) with the places already decided in "
        "`runoff`; no turnout minimum.")
ROUND2 = ("The second round is held within the period of its first round; equal votes are "
          "returned as a tie, the law's remedy is not applied here.")


def _pair(year: int, start: dt.date, until: dt.date | None, against_all: bool,
          results: tuple, notes: tuple[str, ...] = ()) -> tuple[RuleSet, RuleSet]:
    """A first round and its second round, governing the same period."""
    name = f"kz-president-{year}"
    form = candidate_form(KIND, against_all=against_all)
    base = "valid ballots (candidates + against all)" if against_all else "valid ballots"
    first = RuleSet(
        name=name, date=start, until=until,
        title=(f"President ({year}): more than half of the {base}, else a runoff of the "
               "top two"),
        contest_kinds=(KIND,), forms={KIND: form},
        outcomes={KIND: partial(single_winner.majority_or_runoff, against_all=against_all)},
        sources=(*LAW_SOURCES, *(() if against_all else (AGAINST_ALL_2021,)), *results),
        assumptions=(MAJORITY.format(aa=" and 'against all'" if against_all else ""),
                     *(() if against_all else (NO_AGAINST_ALL,)), TIES, *notes),
        parameters={"majority": f"more than 1/2 of the {base}", "runoff": "top two",
                    "against_all": "on the ballot" if against_all else "not on the ballot"},
        second_round=f"{name}-round2",
    )
    second = RuleSet(
        name=f"{name}-round2", date=start, until=until,
        title=f"President ({year}), second round: the first round's two leaders, more votes "
              "elected",
        contest_kinds=(KIND,), forms={KIND: form},
        outcomes={KIND: partial(single_winner.plurality_of_two, against_all=against_all)},
        sources=(CONSTITUTION_41, ELECTIONS_LAW_9,
                 *(() if against_all else (AGAINST_ALL_2021,))),
        assumptions=(ROUND2, *(() if against_all else (NO_AGAINST_ALL,))),
        parameters={"candidates": "the two leaders of the first round", "elected": "more votes"},
    )
    return first, second


PRESIDENT_2011, PRESIDENT_2011_ROUND2 = _pair(2011, FROM_2011, FROM_2015 - DAY, False,
                                              (CEC_PRESIDENT_2011, BALLOT_2011))
PRESIDENT_2015, PRESIDENT_2015_ROUND2 = _pair(2015, FROM_2015, FROM_2019 - DAY, False,
                                              (CEC_PRESIDENT_2015,))
PRESIDENT_2019, PRESIDENT_2019_ROUND2 = _pair(2019, FROM_2019, FROM_2021 - DAY, False,
                                              (CEC_PRESIDENT_2019,))
PRESIDENT_2022, PRESIDENT_2022_ROUND2 = _pair(
    2022, FROM_2021, None, True, (AGAINST_ALL_2021, AGAINST_ALL_COUNT_2022,
                                  TERM_2022, CEC_PRESIDENT_2022),
    (("Its base was first stated here as 'valid votes (candidates + against all)' without a "
     "source; the law's words are 'voters who took part', and the CEC's 2022 shares are of the "
     "same valid ballots: the decision is unchanged, now sourced."),
    ("'Against all' is a valid ballot in the base of the majority, as in the CEC's 2022 shares "
     "(81.31 % = 6,456,393 of 7,940,478 valid ballots, 'against all' included), although the "
     "Minister of Justice said in August 2022 that it counts in the turnout only; it neither "
     "wins nor voids the election."),
     ("Its period starts with the law of 25 May 2021 that put 'against all' back on the "
     "ballot; the single seven-year term (Constitution as amended on 17 September 2022) does not "
     "change the count.")))

RULESETS = (PRESIDENT_2011, PRESIDENT_2011_ROUND2, PRESIDENT_2015, PRESIDENT_2015_ROUND2,
            PRESIDENT_2019, PRESIDENT_2019_ROUND2, PRESIDENT_2022, PRESIDENT_2022_ROUND2)
