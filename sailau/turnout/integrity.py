"""Input of integrity criterion I23 (ballots issued after the evening report, among peers), in
the shape `sailau.analysis.criteria.evaluate` takes it; read by
`sailau.integrity.service.station_inputs`."""

import zoneinfo

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from sailau.elections.models import Election
from sailau.law.turnout_hours import EVENING_FROM, when, window
from sailau.turnout.models import TurnoutReport


def inputs(contest) -> dict:
    """station -> {"hour", "issued", "received"}: each station's report at the law's evening
    hour, and when it was received if that was outside the hour's window (`turnout_hours.window`,
    on the installation's time zone, the stations' as in `services.in_its_window`): {"verdict":
    "late" or "early", "at", "from", "until"} (local, to the minute), else None. A figure given
    after its window could have been written after the evening's ballots were added."""
    day = Election.objects.values_list("date", flat=True).get(pk=contest.election_id)
    start, end = window(day, EVENING_FROM)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = (TurnoutReport.objects.filter(station__election_id=contest.election_id,
                                         hour=EVENING_FROM)
            .values_list("station_id", "issued", "reported_at").iterator(5000))
    out = {}
    for sid, n, at in rows:
        local = timezone.localtime(at, tz).replace(tzinfo=None)
        verdict = when(day, EVENING_FROM, local)
        out[sid] = {"hour": EVENING_FROM, "issued": n, "received": {
            "verdict": verdict, "at": local.isoformat(sep=" ", timespec="minutes"),
            "from": start.isoformat(sep=" ", timespec="minutes"),
            "until": end.isoformat(sep=" ", timespec="minutes")} if verdict else None}
    return {"evening_reports": out}


def cache_part(contest) -> str:
    """A new report makes the report stale (reports are never replaced)."""
    r = TurnoutReport.objects.filter(station__election_id=contest.election_id).aggregate(
        n=Count("id"), last=Max("id"))
    return f"t{r['n']}-{r['last']}"
