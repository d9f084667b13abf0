"""Turnout through election day as the public pages show it: per CEC hour, the ballots issued by
then summed from the stations' own reports (`services.by_hour`, never retyped), their share of
the list of the stations that reported that hour, and how many of the area's stations reported.
The election page shows the country's, a territorial commission's page its territory's."""

from __future__ import annotations

from django.db.models import Max

from sailau.elections.models import Station
from sailau.turnout import services
from sailau.turnout.models import TurnoutReport


def state() -> str:
    """What a cached page showing turnout is keyed by: the newest report (reports are only ever
    added, never replaced). One look-up of the primary key's index, for every election at once:
    a report elsewhere only renders the page again."""
    return f"turnout:{TurnoutReport.objects.aggregate(m=Max('id'))['m'] or 0}"


def table(election_id: str, territory: str | None = None) -> dict:
    """{"stations": the area's stations, "reported": whether any reported at all, "hours": per
    CEC hour the stations that reported, their voters on the list, the ballots issued by then
    and the share of that list ("share", a fraction; "percent", the same in per cent; None when
    no station reported), "latest": the last hour any station reported, or None}."""
    stations = Station.objects.filter(election_id=election_id)
    if territory:
        stations = stations.filter(territory_id=territory)
    hours = [{**h, "label": f"{h['hour']}:00",
              "percent": None if h["share"] is None else 100 * h["share"]}
             for h in services.by_hour(election_id, territory)]
    reported = [h for h in hours if h["stations"]]
    return {"stations": stations.count(), "hours": hours, "reported": bool(reported),
            "latest": reported[-1] if reported else None}
