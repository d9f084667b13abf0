"""What the public pages show of a contest: its totals at a commission, shares, turnout, how many
stations have reported and as of when, and the outcome from the rule set (provisional until
every station has reported).

Correct at every state of the night: before the first protocol (there may be no tally row yet,
or one with nothing reported), part way, on a tie and at 100 %."""

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from sailau.elections.models import Contest
from sailau.law import figures
from sailau.law.figures import share
from sailau.law.outcomes.types import (
    REGIONS_COUNT,
    Computed,
    ContestOutcome,
    NotComputable,
    ReferendumOutcome,
    SingleWinnerOutcome,
)
from sailau.protocols import tabulation
from sailau.protocols.models import Tally
from sailau.publish.files import progress as prog
from sailau.publish.pages import hemicycle, progress_chart
from sailau.publish.pages.colors import choice_colors

# What a single-member district (or any one-seat contest) shows.
NO_VOTES = "none"  # nothing reported yet
LEADING = "leading"  # provisional: somebody has most votes so far
ELECTED = "elected"  # every station reported and the rule set elects somebody
TIE = "tie"  # equal first places (provisional or final)
RUNOFF = "runoff"  # every station reported, nobody has a majority: a second round


@dataclass
class Row:
    key: str
    name: str
    color: str
    votes: int
    share: float  # in percent of the contest kind's share base (`figures.base`)
    seats: int | None = None


@dataclass
class ContestResult:
    contest: Contest
    tally: Tally | None
    rows: list[Row]
    turnout: float | None
    outcome: ContestOutcome | None
    reported: int
    expected: int
    as_of: dt.datetime | None  # the latest definitive protocol counted here
    progress: prog.Progress | None = None
    chart: dict | None = None  # progress_chart.chart(): the curve and shares over time, drawn
    parliament: dict | None = None  # hemicycle.chart(): the seats allocated so far, drawn
    status: str | None = None  # for one-seat contests: NO_VOTES, LEADING, ELECTED, TIE, RUNOFF
    leader: Row | None = None
    runoff: list[Row] = field(default_factory=list)
    tied: list[Row] = field(default_factory=list)
    share_base: str = figures.FOUND  # what `Row.share` is of: the footnote says it in words
    measure: dict | None = None  # for a question: its outcome and the rule that decided it
    # A question's ballots in its share base that are no answer's votes (marked both yes and
    # no, invalid), each with its share: the table then adds up to every participant, the law's
    # base (`figures.counted`), and a reader sees where the rest of the hundred is.
    others: list[Row] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.reported == self.expected

    @property
    def provisional(self) -> bool:
        return not self.complete

    @property
    def result(self):
        """The typed outcome (`PartyListOutcome`, ...) when the rule set could compute one."""
        return self.outcome.result if isinstance(self.outcome, Computed) else None


OTHER_COLOR = "#999999"  # the bars of ballots that are no answer's votes


def contest_result(contest: Contest, commission_id: str | None = None,
                   over_time: bool = False) -> ContestResult:
    """`over_time`: also the reporting curve and shares as reporting grew (`progress`)."""
    at = commission_id or contest.commission_id
    tally = Tally.objects.filter(contest=contest, commission_id=at).first()
    choices = list(contest.choices.select_related("party").order_by("order"))
    cho = tally.choices if tally else {}
    fig = tally.figures if tally else {}
    # The share is of the base the contest's law decides on (the President: the valid ballots).
    of = contest.contest_kind.share_base
    total = figures.base(fig, cho, of)
    colors = choice_colors(choices)
    rows = [Row(c.key, c.name(), colors[c.key], cho.get(c.key, 0),
                share(cho.get(c.key, 0), total)) for c in choices]
    rows.sort(key=lambda r: (r.key == "against_all", -r.votes))
    turnout = figures.turnout(fig)
    # The whole curve only where it is drawn; elsewhere only its "as of".
    p = prog.progress(contest, at) if over_time else None
    when = p.as_of if p else prog.as_of(contest, at)
    # A tally that does not exist yet is a tally with nothing reported.
    expected = (tally.stations_expected if tally
                else p.expected if p else prog.stations_in(contest, at).count())
    out = ContestResult(contest, tally, rows, turnout, None, tally.stations_reported if tally
                        else 0, expected, when, p, share_base=of)
    if tally and tally.stations_reported and at == contest.commission_id:
        out.outcome = tabulation.outcome(tally)
        seats = getattr(out.result, "seats", None) or {}
        for r in rows:
            if r.key in seats:
                r.seats = seats[r.key]
        if seats:
            out.parliament = hemicycle.chart([(r.name, r.color, r.seats or 0) for r in rows])
    # A contest counted at one station (a Senate seat's joint session) has no curve to draw:
    # its one protocol is its whole result.
    if over_time and expected > 1:
        out.chart = progress_chart.chart(p, {r.key: r.name for r in rows})
    # One seat reads leading, then elected, tie or runoff (a question reads adopted or not).
    if contest.contest_kind.one_seat(contest.seats) or isinstance(out.result, SingleWinnerOutcome):
        _one_seat(out)
    elif contest.contest_kind.measure and out.outcome is not None:
        out.measure = _measure(out)
    if contest.contest_kind.measure and of == figures.FOUND:
        form = contest.form
        out.others = [Row(k, form.line(k).label, OTHER_COLOR, figures.line(fig, k),
                          share(figures.line(fig, k), total))
                      for k in figures.NOT_VOTES if k in form.keys]
    return out


def _measure(r: ContestResult) -> dict:
    """A question's outcome as its page says it, with the rule that decided it: valid when more
    than half of the voters on the lists took part; adopted when valid and "yes" has more than
    half of the participants in the whole country, or for a change of the Constitution in
    `required` of the `regions`. Not decided: why (`reason`: the law counts `counted` regions,
    the structure has `given`; or the rule set refuses these totals)."""
    res = r.result
    yes = next((row for row in r.rows if row.key == "yes"), None)
    out = {"yes": yes.name if yes else "", "decided": isinstance(res, ReferendumOutcome)}
    if isinstance(r.outcome, NotComputable):
        reason = r.outcome.reason
        out.update(regions=reason.get("code") == REGIONS_COUNT,
                   counted=reason.get("counted"), given=reason.get("given"))
        return out
    out.update(valid=res.valid, adopted=res.adopted, turnout=_percent(res.turnout),
               yes_share=_percent(res.yes_share), constitutional=res.regions_required > 0,
               regions=len(res.regions), with_majority=res.regions_with_yes_majority,
               required=res.regions_required)
    return out


def _percent(exact: str | None) -> float | None:
    """A share the law gives exactly ("p/q") in percent."""
    return float(100 * Fraction(exact)) if exact else None


def _one_seat(r: ContestResult) -> None:
    """Leading until the contest is complete; then elected, tie or runoff as the rule set says.
    A tie for first place is shown as a tie at any stage."""
    by_key = {row.key: row for row in r.rows}
    candidates = [row for row in r.rows if row.key != "against_all"]
    if not r.reported or not candidates or not candidates[0].votes:
        r.status = NO_VOTES
        return
    res = r.result if isinstance(r.result, SingleWinnerOutcome) else None
    top = [row for row in candidates if row.votes == candidates[0].votes]
    if len(top) > 1:
        r.status, r.tied = TIE, top
    elif r.provisional or res is None:
        r.status, r.leader = LEADING, top[0]
    elif res.elected:
        r.status, r.leader = ELECTED, by_key.get(res.elected, top[0])
    elif res.runoff is not None:
        r.status = RUNOFF
        r.runoff = [by_key[k] for k in res.runoff if k in by_key]
        r.tied = [by_key[k] for k in res.tie if k in by_key]
    else:
        r.status, r.tied = TIE, [by_key[k] for k in res.tie if k in by_key]
