"""What the public pages show of a contest: its totals at a commission, shares, turnout and the
outcome from the rule set (provisional until every station has reported)."""

from dataclasses import dataclass

from sailau.elections.models import Contest
from sailau.protocols import tabulation
from sailau.protocols.models import Tally


@dataclass
class Row:
    key: str
    name: str
    color: str
    votes: int
    share: float  # of ballots found (valid + invalid), in percent
    seats: int | None = None


@dataclass
class ContestResult:
    contest: Contest
    tally: Tally | None
    rows: list[Row]
    turnout: float | None
    outcome: dict | None
    provisional: bool


def issued(fig: dict) -> int:
    return fig.get("issued_in_room", 0) + fig.get("issued_mobile", 0) + fig.get("issued_absentee", 0)


def contest_result(contest: Contest, commission_id: str | None = None) -> ContestResult:
    tally = Tally.objects.filter(contest=contest,
                                 commission_id=commission_id or contest.commission_id).first()
    choices = list(contest.choices.select_related("party").order_by("order"))
    cho = tally.choices if tally else {}
    fig = tally.figures if tally else {}
    found = sum(cho.values()) + fig.get("invalid", 0)
    rows = [Row(c.key, c.name(), c.party.color if c.party else "#999999", cho.get(c.key, 0),
                100 * cho.get(c.key, 0) / found if found else 0.0) for c in choices]
    rows.sort(key=lambda r: (r.key == "against_all", -r.votes))
    voters = fig.get("voters_on_list", 0)
    turnout = 100 * issued(fig) / voters if voters else None
    outcome = None
    if tally and tally.stations_reported and commission_id in (None, contest.commission_id):
        outcome = tabulation.outcome(tally).get("result")
        seats = (outcome or {}).get("seats") or {}
        for r in rows:
            if r.key in seats:
                r.seats = seats[r.key]
    return ContestResult(contest, tally, rows, turnout, outcome,
                         provisional=not (tally and tally.complete))
