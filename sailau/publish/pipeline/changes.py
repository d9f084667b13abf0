"""What changed since the last publication: cheap questions to the database about the rows a
station document is made of (protocol versions, step times, scans), for the background
publisher to choose which stations to write again and for a full publication to record what it
published."""

from __future__ import annotations

import contextlib
import threading

WINDOW = 200  # ids looked at again below the highest seen (see `recent_stations`)


def change_mark() -> tuple:
    """For each of the tables a station document is made of (protocol versions, step times,
    scans), its highest id and, on PostgreSQL, how many rows lie in the `WINDOW` ids below it:
    any new row moves it. Asked at each wake-up of the batches (`wake`), at least every
    `timing.FALLBACK`. The count is for PostgreSQL, where a lower id can commit after a higher
    one; it looks as far back as `recent_stations` does, and a row committed further below is
    found by the batches' sweep (`batches._sweep`) whatever the mark says. A count of every row
    walked 630,000 step times at each wake-up (9 ms idle at national scale, 6.2 % of the
    batches' process in a recorded national night); this one reads at most `WINDOW` ids. SQLite has one writer at a
    time, which hands out ids in the order of commits (never again after a delete:
    AUTOINCREMENT), so the highest id says as much there."""
    from django.db import connection
    from django.db.models import Max

    from sailau.protocols.models import Protocol, StepTime
    from sailau.scans.models import Scan

    counted = connection.vendor != "sqlite"
    out = []
    for model in (Protocol, StepTime, Scan):
        high = model.objects.aggregate(m=Max("id"))["m"]
        recent = (model.objects.filter(id__gt=high - WINDOW).count()
                  if counted and high is not None else None)
        out += [recent, high]
    return tuple(out)


def _sources():
    from sailau.protocols.models import Protocol, StepTime
    from sailau.scans.models import Scan

    return (("p", Protocol, ("id",)), ("t", StepTime, ("id", "at")),
            ("s", Scan, ("id", "checked_at")))


def highest_ids() -> dict[str, int]:
    from django.db.models import Max

    return {key: model.objects.aggregate(m=Max("id"))["m"] or 0
            for key, model, _ in _sources()}


def recent_stations(election_id: str, since: dict[str, int]) -> set[str]:
    """Stations with a row added since these highest ids, looking `WINDOW` ids further back:
    on PostgreSQL a lower id can commit after a higher one. (The batches' sweep, every station
    about every `FULL_EVERY` seconds, `batches._sweep`, catches anything older, and rechecked
    scans.)"""
    seen: set[str] = set()
    for key, model, _ in _sources():
        # By id alone, then the election: joined to the stations, SQLite walks the election's
        # stations first (0.4 s a round at 100,000 stations) instead of the few new rows.
        # Unordered: a protocol's default order joins its station and contest to sort.
        seen.update(model.objects.filter(id__gt=max(0, since.get(key, 0) - WINDOW))
                    .order_by().values_list("station_id", flat=True))
    return set(stations_by_id(election_id, seen, "id"))


def stations_by_id(election_id: str, ids, field: str | None = None) -> list:
    """The stations of the election among `ids` (in no order), or their `field` alone. Looked
    up by id alone, their election checked here: with `election_id = ?` beside `id IN (...)`
    SQLite (which has no statistics) took the election's index and walked all of its
    stations, 20-25 ms a round at 100,000 stations, instead of the few asked for."""
    from sailau.elections.models import Station

    ids, out = sorted(set(ids)), []
    for i in range(0, len(ids), 2000):
        chunk = Station.objects.filter(id__in=ids[i:i + 2000]).order_by()
        if field is None:
            out += [s for s in chunk if s.election_id == election_id]
        else:
            out += [v for eid, v in chunk.values_list("election_id", field)
                    if eid == election_id]
    return out


def fingerprints(election_id: str, stations=None) -> dict[str, str]:
    """Per station of the election that has anything (or of `stations`, ids of the election's
    stations): a string that changes whenever its station document can (a version added, a
    step time recorded or corrected, a scan uploaded or rechecked). Counts, not only highest
    ids: on PostgreSQL a lower id can commit later."""
    from django.db.models import Count, Max

    parts: dict[str, list] = {}
    wanted = None if stations is None else sorted(set(stations))
    for key, model, cols in _sources():
        fields = {"n": Count("id"), **{c: Max(c) for c in cols}}
        if wanted is None:
            queries = [model.objects.filter(station__election_id=election_id)]
        elif len(wanted) > 2000:
            # Many stations (a part of the sweep): one range of ids by the station index,
            # rows of stations not asked about left out here. Lists of ids cost a query each
            # 2,000, joined to the stations 0.07 s each at 100,000 stations.
            queries = [model.objects.filter(station_id__gte=wanted[0],
                                            station_id__lte=wanted[-1])]
        else:
            queries = [model.objects.filter(station_id__in=wanted)] if wanted else []
        for qs in queries:
            for row in qs.values("station_id").annotate(**fields).order_by():
                sid = row.pop("station_id")
                parts.setdefault(sid, []).append(f"{key}{sorted(row.items())}")
    if wanted is not None:
        asked = set(wanted)
        return {sid: "|".join(v) for sid, v in parts.items() if sid in asked}
    return {sid: "|".join(v) for sid, v in parts.items()}


_inside = threading.local()


@contextlib.contextmanager
def one_snapshot():
    """Every read inside sees the database at one moment, so that a publication's station files
    and the commission totals above them agree (a protocol committed half-way through would
    otherwise be in the totals and not in its station's file, and `sailau verify` would rightly
    fail on the live site). PostgreSQL: a REPEATABLE READ transaction. SQLite (WAL): a deferred
    read transaction, which never takes the write lock, so writers go on meanwhile (Django's
    own transactions here are IMMEDIATE, which would block them). Nothing inside may write to
    the database (SQLite would then take the write lock). Inside a transaction already (a test,
    the protocol chain) it adds nothing."""
    from django.db import connection, transaction

    if getattr(_inside, "on", False) or connection.in_atomic_block:
        yield
        return
    _inside.on = True
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                with connection.cursor() as c:
                    c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                yield
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            raw = connection.connection
            raw.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                if raw.in_transaction:
                    raw.execute("COMMIT")
        else:
            yield
    finally:
        _inside.on = False
