"""Tallies: the totals of every level, with stations reported / expected, and the outcome under
the rule set (provisional until every station has reported)."""

from ninja import Router

from sailau import clock
from sailau.elections import areas
from sailau.elections.models import Contest
from sailau.errors import Code, NotFound
from sailau.protocols import tabulation
from sailau.protocols.models import Tally
from sailau.publish.pages import logbanner

router = Router(tags=["tallies"])


def _json(t: Tally) -> dict:
    return {"contest": t.contest_id, "commission": t.commission_id,
            "level": t.commission.level, "figures": t.figures, "choices": t.choices,
            "stations_reported": t.stations_reported, "stations_expected": t.stations_expected,
            "complete": t.complete, "updated_at": t.updated_at.isoformat()}


def _nothing_yet(contest_id: str, commission_id: str) -> Tally | None:
    """Before a contest's first protocol there may be no tally row: a commission that counts
    the contest then has totals of zero, not "no such totals"."""
    from sailau.publish.files.progress import stations_in

    c = Contest.objects.select_related("commission").filter(pk=contest_id).first()
    if c is None:
        return None
    expected = stations_in(c, commission_id).count()
    if not expected:
        return None
    from sailau.elections.models import Commission

    return Tally(contest=c, commission=Commission.objects.get(pk=commission_id),
                 stations_expected=expected, updated_at=clock.now())


@router.get("/{contest}", auth=None, summary="Every level's totals of a contest")
def contest_tallies(request, contest: str, level: str | None = None):
    qs = Tally.objects.filter(contest_id=contest).select_related("commission")
    if level:
        qs = qs.filter(commission__level=level)
    rows = [_json(t) for t in qs.order_by("commission__level", "commission__number")]
    if not rows and not Contest.objects.filter(pk=contest).exists():
        raise NotFound(message=f"no contest {contest!r}", code=Code.UNKNOWN_CONTEST)
    return rows


@router.get("/{contest}/{commission}", auth=None,
            summary="One level's totals; at the contest's own level, the outcome too")
def one(request, contest: str, commission: str):
    t = (Tally.objects.select_related("commission", "contest").filter(
        contest_id=contest, commission_id=commission).first()) or _nothing_yet(contest, commission)
    if t is None:
        raise NotFound(message=f"no totals of {contest} at {commission}", code=Code.UNKNOWN_TALLY)
    out = _json(t)
    # How many of the protocols counted here only the log has signed, not yet the witnesses
    # (a reader of these totals is told, as the pages tell theirs).
    out["witnessed"] = logbanner.witnessed_json(t.contest.election_id,
                                                areas.station_q(t.commission), t.contest_id)
    if t.commission_id == t.contest.commission_id:
        out["outcome"] = tabulation.outcome(t).to_json()
    return out
