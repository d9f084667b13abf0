"""Input of integrity criterion I23 (ballots issued after the evening report, among peers), in
the shape `sailau.analysis.criteria.evaluate` takes it; read by
`sailau.integrity.service.station_inputs`."""

from django.db.models import Count, Max

from sailau.law.turnout_hours import EVENING_FROM
from sailau.turnout.models import TurnoutReport


def inputs(contest) -> dict:
    """station -> {"hour", "issued"}: each station's report at the law's evening hour."""
    rows = (TurnoutReport.objects.filter(station__election_id=contest.election_id,
                                         hour=EVENING_FROM)
            .values_list("station_id", "issued").iterator(5000))
    return {"evening_reports": {sid: {"hour": EVENING_FROM, "issued": n} for sid, n in rows}}


def cache_part(contest) -> str:
    """A new report makes the report stale (reports are never replaced)."""
    r = TurnoutReport.objects.filter(station__election_id=contest.election_id).aggregate(
        n=Count("id"), last=Max("id"))
    return f"t{r['n']}-{r['last']}"
