"""Who votes in each contest: the `Electorate` table, one (contest, station) row per station
whose protocol counts in the contest, written with the structure.

A structure file may list the pairs itself (its `electorate` table: a kind whose "stations"
are not the voters' polling stations, or a contest over an area the commission tree does not
draw). A contest it lists none for gets the stations of its commission's area (`by_area`:
the whole country for the CEC, a region, a district or city, one single-member district),
computed once here at import, never again by a reader."""

from collections.abc import Iterable

from sailau.elections.models import Commission, Contest, Electorate, Station

BATCH = 5000
# What `by_area` reads of a station.
STATION_COLUMNS = ("id", "commission_id", "territory_id", "district_id", "smd_id",
                   "territorial_smd_id", "district_smd_id")
SMD_COLUMNS = ("smd_id", "territorial_smd_id", "district_smd_id")


def by_area(contests: Iterable[tuple[str, str, str]],
            stations: Iterable[dict]) -> list[tuple[str, str]]:
    """(contest id, station id) for every station in the area of each contest's commission.
    `contests`: (id, commission id, commission level); `stations`: dicts of `STATION_COLUMNS`.
    Plain values in and out: the migration that filled the table for elections stored before it
    calls this too."""
    stations = list(stations)
    index: dict[str, list[str]] = {}
    for s in stations:
        for column in ("commission_id", "territory_id", "district_id", *SMD_COLUMNS):
            if s.get(column):
                index.setdefault(s[column], []).append(s["id"])
    out = []
    for cid, commission, level in contests:
        members = ([s["id"] for s in stations] if level == Commission.CEC
                   else index.get(commission, []))
        out += [(cid, sid) for sid in members]
    return out


def derive(election_id: str, contest_ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """`by_area` for the election's contests (those of `contest_ids` only, if given)."""
    contests = Contest.objects.filter(election_id=election_id)
    if contest_ids is not None:
        contests = contests.filter(id__in=list(contest_ids))
    return by_area(contests.values_list("id", "commission_id", "commission__level"),
                   Station.objects.filter(election_id=election_id).values(*STATION_COLUMNS))


def write(pairs: Iterable[tuple[str, str]]) -> int:
    """Store (contest, station) pairs; pairs stored already are left alone."""
    from sailau.audit.sql import insert_rows

    rows = list(pairs)
    insert_rows(Electorate, ["contest", "station"], rows, ignore_conflicts=True)
    return len(rows)


def write_structure(election_id: str, listed: Iterable[tuple[str, str]]) -> int:
    """The electorate of a structure being imported: the pairs its file lists, and by area for
    every contest it lists none for."""
    listed = list(listed)
    given = {c for c, _ in listed}
    rest = Contest.objects.filter(election_id=election_id).exclude(id__in=given)
    return write(listed + derive(election_id, rest.values_list("id", flat=True)))


def fill(election_id: str, station_ids: Iterable[str] | None = None) -> int:
    """By area, the pairs missing for an election built without a structure import (the test
    factories, which add stations one by one: `station_ids`, those added)."""
    contests = Contest.objects.filter(election_id=election_id).values_list(
        "id", "commission_id", "commission__level")
    stations = Station.objects.filter(election_id=election_id)
    if station_ids is not None:
        stations = stations.filter(id__in=list(station_ids))
    return write(by_area(contests, stations.values(*STATION_COLUMNS)))


def stations(contest: Contest):
    """The stations that vote in `contest`."""
    return Station.objects.filter(electorate__contest=contest)


def contests(station: Station):
    """The contests `station` votes in."""
    return Contest.objects.filter(electorate__station=station)


def votes_in(station_id: str, contest_id: str) -> bool:
    return Electorate.objects.filter(station_id=station_id, contest_id=contest_id).exists()


def of_election(election_id: str) -> dict[str, set[str]]:
    """Station id -> the ids of the contests it votes in, for readers that go over many."""
    out: dict[str, set[str]] = {}
    for cid, sid in Electorate.objects.filter(contest__election_id=election_id).values_list(
            "contest_id", "station_id"):
        out.setdefault(sid, set()).add(cid)
    return out


def of_stations(station_ids) -> dict[str, set[str]]:
    """Station id -> the ids of the contests it votes in, for these stations only (each of them
    a key, an empty set when it votes in none): a batch of the publisher reads its few
    stations', not a country's (100,000 stations: 0.6 s a round)."""
    ids = list(station_ids)
    out: dict[str, set[str]] = {sid: set() for sid in ids}
    for i in range(0, len(ids), 2000):
        for cid, sid in Electorate.objects.filter(station_id__in=ids[i:i + 2000]).values_list(
                "contest_id", "station_id"):
            out[sid].add(cid)
    return out
