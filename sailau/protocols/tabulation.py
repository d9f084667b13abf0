"""Totals at every level, computed from the current protocols, never typed in.

`rebuild` recomputes a contest from scratch (imports, repair); `apply` moves the totals of every
level above one station by the difference between its old and new protocol, so making one
protocol definitive costs a handful of row updates, not a recount."""

from collections import Counter, defaultdict

from django.db import transaction

from sailau.elections.models import Commission, Contest, Station
from sailau.protocols.models import Protocol, Tally


def areas(station: Station, contest: Contest) -> list[str]:
    """Ids of the commissions whose totals for `contest` include `station`."""
    if contest.commission.level == Commission.SMD:
        return [contest.commission_id] if station.smd_id == contest.commission_id else []
    return [station.district_id, station.territory_id, contest.commission_id]


def stations_of(contest: Contest):
    qs = Station.objects.filter(election_id=contest.election_id)
    if contest.commission.level == Commission.SMD:
        qs = qs.filter(smd_id=contest.commission_id)
    return qs


@transaction.atomic
def rebuild(contest: Contest) -> int:
    """Recompute every tally of `contest`; returns the number of tallies written."""
    figures: dict[str, Counter] = defaultdict(Counter)
    choices: dict[str, Counter] = defaultdict(Counter)
    expected: Counter = Counter()
    reported: Counter = Counter()
    by_station = {s.id: s for s in stations_of(contest).select_related(None)}
    for s in by_station.values():
        for a in areas(s, contest):
            expected[a] += 1
    rows = Protocol.objects.filter(contest=contest, current=True).values_list(
        "station_id", "figures", "choices")
    for station_id, fig, cho in rows:
        for a in areas(by_station[station_id], contest):
            figures[a].update(fig)
            choices[a].update(cho)
            reported[a] += 1
    Tally.objects.filter(contest=contest).delete()
    Tally.objects.bulk_create([
        Tally(contest=contest, commission_id=a, figures=dict(figures[a]),
              choices=dict(choices[a]), stations_reported=reported[a],
              stations_expected=expected[a])
        for a in expected
    ])
    return len(expected)


def apply(contest: Contest, station: Station, old: Protocol | None, new: Protocol) -> None:
    """Add the difference between `old` (None for a first definitive protocol) and `new` into
    every tally above the station. Call inside the transaction that stores `new`."""
    d_fig = Counter(new.figures)
    d_cho = Counter(new.choices)
    if old is not None:
        d_fig.subtract(old.figures)
        d_cho.subtract(old.choices)
    tallies = Tally.objects.select_for_update().filter(
        contest=contest, commission_id__in=areas(station, contest))
    for t in tallies:
        fig, cho = Counter(t.figures), Counter(t.choices)
        fig.update(d_fig)
        cho.update(d_cho)
        t.figures, t.choices = dict(fig), dict(cho)
        if old is None:
            t.stations_reported += 1
        t.save(update_fields=["figures", "choices", "stations_reported", "updated_at"])
