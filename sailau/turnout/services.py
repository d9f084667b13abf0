"""Taking a commission's report of the ballots issued so far, and reading the reports back.

Every report is checked by who may make it (the station's own operators, `perm.TURNOUT`), at an
hour the CEC asks for (`law.turnout_hours.HOURS`) within that hour's window (from the hour until
the next one and a grace: `turnout_hours.window`, on the application's clock), in order with the station's other reports, and
never after its protocol is in: the figure of the day must be given during the day. A report is
written with its audit record and its leaf of the published log in one transaction, and never
replaced."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from sailau import audit, clock
from sailau.accounts import permissions as perm
from sailau.audit.sql import insert_rows
from sailau.elections.models import Election
from sailau.errors import BadInput, Code, Conflict
from sailau.languages import texts
from sailau.law import figures, turnout_hours
from sailau.ledger import outbox
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import Protocol
from sailau.turnout.models import TurnoutReport

T = texts("turnout.services")

MAX_ISSUED = 1_000_000  # beyond any station: a typing slip, not a figure


def report(user, station_id: str, hour: int, issued: int) -> TurnoutReport:
    station = Catalog().station(station_id)
    perm.require(user, perm.TURNOUT, station)
    if not isinstance(hour, int) or not turnout_hours.is_hour(hour):
        raise BadInput(code=Code.TURNOUT_HOUR, field="hour",
                       message=f"hour: {hour!r} is not one of "
                               f"{', '.join(f'{h}:00' for h in turnout_hours.HOURS)}")
    in_its_window(station, hour)
    if isinstance(issued, bool) or not isinstance(issued, int) or not 0 <= issued <= MAX_ISSUED:
        raise BadInput(field="issued",
                       message=f"issued: a whole number from 0 to {MAX_ISSUED:,}, not {issued!r}")
    with transaction.atomic():
        if closed(station_id):
            raise Conflict(code=Code.TURNOUT_CLOSED, field="hour",
                           message=f"station {station_id}: its protocol is in, turnout through "
                                   "the day is closed")
        others = of_station(station_id)
        if hour in others:
            raise Conflict(code=Code.TURNOUT_REPORTED, field="hour",
                           message=f"station {station_id}: {hour}:00 already reported "
                                   f"({others[hour]})")
        before = max((n for h, n in others.items() if h < hour), default=0)
        after = min((n for h, n in others.items() if h > hour), default=None)
        if issued < before or (after is not None and issued > after):
            raise BadInput(code=Code.TURNOUT_ORDER, field="issued",
                           message=f"issued: {issued} at {hour}:00 is out of order with the "
                                   f"station's other reports {sorted(others.items())}")
        try:
            with transaction.atomic():
                write([(station_id, hour, issued, perm.username(user), clock.now())],
                      station.election_id)
        except IntegrityError:  # the same hour by another request at the same moment
            raise Conflict(code=Code.TURNOUT_REPORTED, field="hour",
                           message=f"station {station_id}: {hour}:00 already reported") from None
    return TurnoutReport.objects.get(station_id=station_id, hour=hour)


def in_its_window(station, hour: int) -> None:
    """Refuses a report made outside its hour's window (`turnout_hours.window`), read on the
    application's clock in the installation's time zone, which is the stations' (Kazakhstan
    keeps one time since 1 March 2024)."""
    day = Election.objects.values_list("date", flat=True).get(pk=station.election_id)
    local = timezone.localtime(clock.now(), zoneinfo.ZoneInfo(settings.TIME_ZONE))
    verdict = turnout_hours.when(day, hour, local.replace(tzinfo=None))
    if not verdict:
        return
    start, end = turnout_hours.window(day, hour)
    detail = {"from": start.isoformat(timespec="minutes"),
              "until": end.isoformat(timespec="minutes")}
    if verdict == "early":
        t = f"{start:%H:%M}"
        raise BadInput(code=Code.TURNOUT_EARLY, field="hour", detail=detail, message=T(
            "Turnout as of {hour}:00 cannot be reported yet: it is reported from {t} on "
            "{start:%d.%m.%Y}.").format(hour=hour, start=start, t=t))
    t = f"{end:%H:%M}"
    raise BadInput(code=Code.TURNOUT_LATE, field="hour", detail=detail, message=T(
        "The time to report turnout as of {hour}:00 ended at {t} on {end:%d.%m.%Y}: tell the "
        "territorial election commission.").format(hour=hour, end=end, t=t))


def write(reports: list[tuple], election_id: str) -> None:
    """What a report writes, for one report or a day's in bulk (the demo's): each row, its audit
    record and its leaf of the published log (`turnout`, docs/log-leaves.md, at the time the
    report was received). `reports`: (station, hour, issued, reported by, reported at), checked
    by the caller. Call it in a transaction: all of it is written or none (outside one, SQLite
    also commits each row on its own: the demo's 51,115 took about 5 s more)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("turnout reports are written in the caller's transaction")
    insert_rows(TurnoutReport, ["station", "hour", "issued", "reported_by", "reported_at"],
                reports)
    audit.append_many([(by, "turnout.reported", sid, {"hour": h, "issued": n})
                       for sid, h, n, by, _ in reports])
    received = defaultdict(list)  # a leaf's `at` is its batch's: one batch a time of receipt
    for sid, h, n, _, at in reports:
        received[at].append((election_id, "turnout", f"turnout/{sid}/{h}",
                             {"station": sid, "hour": h, "issued": n}))
    for at, leaves in sorted(received.items()):
        outbox.append_many(leaves, at)


def closed(station_id: str) -> bool:
    """Whether the station's turnout through the day is closed: its protocol is in."""
    return Protocol.objects.filter(station_id=station_id).exists()


def of_station(station_id: str) -> dict[int, int]:
    """hour -> ballots issued by then, as reported."""
    return dict(TurnoutReport.objects.filter(station_id=station_id).values_list("hour", "issued"))


def by_hour(election_id: str, territory: str | None = None) -> list[dict]:
    """Per hour: the stations that reported, their voters on the list and the ballots issued by
    then, summed from the stations' own reports (never retyped); `share` is of the list of the
    stations that reported that hour."""
    rows = TurnoutReport.objects.filter(station__election_id=election_id)
    if territory:
        rows = rows.filter(station__territory_id=territory)
    sums: dict[int, tuple[int, int, int]] = {h: (0, 0, 0) for h in turnout_hours.HOURS}
    # one grouped query: half a million reports at the national size stay in the database
    for row in rows.values("hour").annotate(n=Count("id"), v=Sum("station__registered"),
                                            i=Sum("issued")).order_by("hour"):
        sums[row["hour"]] = (row["n"], row["v"] or 0, row["i"] or 0)
    return [{"hour": h, "stations": n, "voters_on_list": v, "issued": i,
             "share": _four_places(figures.of_list(i, v))} for h, (n, v, i) in sorted(sums.items())]


def _four_places(share: float | None) -> float | None:
    """The API's and the pages' form of the share by the hour: a fraction to four places."""
    return None if share is None else round(share, 4)
