"""The presidential second round ("повторное голосование", "қайта дауыс беру"): when it may be
held, and whether a first round's outcome calls one.

Constitution of the RK (30 August 1995), art. 41 para. 5: when no candidate receives more than
half of the votes, a repeat vote is held between the two candidates who received the most; the
one with more votes is elected. Constitutional Law of the RK "On Elections in the RK", No. 2464,
28 September 1995, art. 63 ("Повторное голосование"): the repeat vote is called by the Central
Election Commission and held within two months of the first round, at the same polling stations
and by the same voter lists (art. 64 para. 2 gives the same two months and the same stations and
lists for repeat elections). Which two candidates go through is the first round's rule set's
outcome (`runoff`); who wins it is the second round's rule set's (`RuleSet.second_round`).

Assumed, said plainly: the term's last day is the day two calendar months after the first
round (the last day of that month when it has no such day), and the second round is held after
the first (never on its day). When the CEC has not named a day, `default_day` proposes the
Sunday two weeks after the first round (9 June 2019 -> 23 June 2019), within the term."""

from __future__ import annotations

import calendar
import datetime as dt

from sailau.errors import Code
from sailau.languages import texts
from sailau.law.errors import LawInputError
from sailau.law.source import Source

T = texts("law.rounds")

TERM_MONTHS = 2
SOURCE = Source("Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September "
                "1995, art. 63 (repeat voting) and art. 64 para. 2; Constitution of the RK, "
                "art. 41 para. 5", None, "the second round: its two candidates and its term")


def _months_later(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day(first_round: dt.date) -> dt.date:
    """The last day on which the second round may be held: two months after the first."""
    return _months_later(first_round, TERM_MONTHS)


def default_day(first_round: dt.date) -> dt.date:
    """The day proposed when none is given: the first Sunday at least 14 days after the first
    round (within the term, which is always longer)."""
    day = first_round + dt.timedelta(days=14)
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


def check_day(first_round: dt.date, day: dt.date) -> None:
    """Refuse a second round's day outside the law's term, saying the term."""
    end = last_day(first_round)
    if first_round < day <= end:
        return
    a, b, d = first_round.isoformat(), end.isoformat(), day.isoformat()
    raise LawInputError(code=Code.SECOND_ROUND_DATE, field="date", message=T(
        "The second round is held after the first ({a}) and within two months, by {b} "
        "(Constitutional Law 'On Elections', art. 63); {d} is outside that term").format(a=a, b=b, d=d),
        detail={"first_round": a, "last_day": b, "date": d})
