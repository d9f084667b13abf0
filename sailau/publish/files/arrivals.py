"""Results over time, read from the protocols: when each station's protocol of a contest
became definitive, and the reporting curve (stations reported by time) and every choice's share
as reporting grew, at any commission. Derived from the protocols and the chain's step times,
never typed in.

When a station reported is the first time its protocol of the contest became definitive: the
chain records that step per station in its own clock (`StepTime` "definitive", which the demo's
build sets to its replayed night, ending when it routed them: `demo.chain.Night`) while
`Protocol.created_at` is the database's clock. The earlier of the two is taken; for a station
with two contests the step time is the first contest's, so the later contest may be placed a
few minutes early. An amendment does not move the station on the curve; the figures are always
the current ones, so the curve ends at the totals the pages show. "As of" is the latest
definitive protocol, amendments included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sailau.elections import areas, electorate
from sailau.elections.models import Commission, Contest
from sailau.law import figures
from sailau.protocols.models import Protocol, StepTime


def stations_in(contest: Contest, commission_id: str | None = None):
    """The stations whose protocols of `contest` count at `commission_id` (default: the
    contest's own commission)."""
    qs = electorate.stations(contest)
    cid = commission_id or contest.commission_id
    if cid != contest.commission_id:
        below = Commission.objects.filter(id=cid).first()
        qs = qs.filter(areas.station_q(below)) if below is not None else qs.none()
    return qs


def current_after(contest: Contest, commission_id: str | None, since: int, *fields,
                  skip: set[int] | frozenset = frozenset()) -> list:
    """`fields` (the first of them "pk", the second "station_id") of the current protocols of
    `contest` stored after id `since` at the stations counted at `commission_id`, but for
    those whose id is in `skip` (read before). Read by id first, then only those stations
    looked up: a filter on the contest's stations in SQL made SQLite seek every one of them
    (0.1-1 s a render at 100,000 stations for a handful of new protocols). `since` 0 reads
    them all, filtered in SQL."""
    qs = Protocol.objects.current().filter(contest=contest, pk__gt=since)
    if since == 0:
        return [r for r in qs.filter(station_id__in=stations_in(contest, commission_id)
                                     .values("id")).values_list(*fields) if r[0] not in skip]
    rows = [r for r in qs.values_list(*fields) if r[0] not in skip]
    sids = sorted({r[1] for r in rows})
    inside: set[str] = set()
    for i in range(0, len(sids), 2000):
        inside.update(stations_in(contest, commission_id).filter(id__in=sids[i:i + 2000])
                      .values_list("id", flat=True))
    return [r for r in rows if r[1] in inside]


class Arrival(NamedTuple):  # a tuple: the kept series of 10,000 of them unpickles fast
    at: dt.datetime  # when the station first reported
    station: str
    invalid: int  # the protocol's invalid ballots, part of the ballots found
    choices: dict


@dataclass(frozen=True)
class Progress:
    contest: Contest
    expected: int
    arrivals: tuple[Arrival, ...]  # by time
    as_of: dt.datetime | None  # the latest definitive protocol (amendments included)
    # The arrivals' figures as a matrix (`figures_matrix`), kept with the series between renders
    # (`progress_series`): the page's 48 points are then read from its running sums instead of
    # adding up every arrival's votes again (~0.1 s a render at national scale).
    matrix: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def reported(self) -> int:
        return len(self.arrivals)

    def keys(self) -> list[str]:
        return [c.key for c in sorted(self.contest.choices.all(), key=lambda c: c.order)]

    def points(self, limit: int | None = None) -> list[dict]:
        """Cumulative totals after each arrival (or after every k-th, at most `limit`, always
        with the last): {"at", "reported", "expected", "votes": {choice: n}, "invalid",
        "shares": {choice: percent of ballots found}}."""
        n = len(self.arrivals)
        step = max(1, -(-n // limit)) if limit else 1
        keep = list(range(step, n + 1, step))  # every step-th, and the last
        if n and (not keep or keep[-1] != n):
            keep.append(n)
        keys = self.keys()
        if self.matrix is not None and limit and self.matrix.shape == (n, len(keys) + 2):
            return self._points_from_matrix(keep, keys)
        return [pt for i, pt, _ in self.cumulate(keep=lambda i: not (i % step and i != n))]

    def _points_from_matrix(self, keep: list[int], keys: list[str]) -> list[dict]:
        """`points` from the running sums of `matrix`: the same dicts, the same floats (the
        shares are computed from Python ints, as `cumulate` computes them)."""
        sums = np.cumsum(self.matrix, axis=0)[np.asarray(keep, dtype=np.int64) - 1]
        out = []
        for i, row in zip(keep, sums.tolist()):
            votes = dict(zip(keys, row[:len(keys)]))
            invalid = row[-1]
            # Every vote column, the other keys' included (`figures_matrix`), and the invalid.
            found = figures.counted({"invalid": invalid}, dict(enumerate(row[:-1])))
            out.append({"at": self.arrivals[i - 1].at, "reported": i, "expected": self.expected,
                        "votes": votes, "invalid": invalid,
                        "shares": {k: figures.published_share(v, found)
                                   for k, v in votes.items()}})
        return out

    def cumulate(self, start: int = 0, votes: dict | None = None, invalid: int = 0,
                 keep=lambda i: True):
        """(i, point, the running votes of every key) after each arrival from the `start`-th on
        (`keep(i)` says which), from the running `votes` and `invalid` before it: what
        `points` is made of, and where a kept series of points carries on from
        (`national_tables.progress_files`)."""
        votes = dict(votes or {})
        keys = [c.key for c in sorted(self.contest.choices.all(), key=lambda c: c.order)]
        for i, a in enumerate(self.arrivals[start:], start + 1):
            for k, v in a.choices.items():  # plain dict: Counter.update costs more
                votes[k] = votes.get(k, 0) + v
            invalid += a.invalid
            if not keep(i):
                continue
            found = figures.counted({"invalid": invalid}, votes)
            yield i, {"at": a.at, "reported": i, "expected": self.expected,
                      "votes": {k: votes.get(k, 0) for k in keys}, "invalid": invalid,
                      "shares": {k: figures.published_share(votes.get(k, 0), found)
                                 for k in keys}}, votes


def figures_matrix(arrivals, keys: list[str]) -> np.ndarray:
    """One row per arrival: its votes for each of `keys`, for any other key (none on a valid
    protocol, but `cumulate` counts them among the ballots found), and its invalid ballots."""
    rows = []
    for a in arrivals:
        row = [a.choices.get(k, 0) for k in keys]
        rows.append(row + [sum(a.choices.values()) - sum(row), a.invalid])
    return np.asarray(rows, dtype=np.int64).reshape(len(rows), len(keys) + 2)


def arrival_times(contest: Contest, ids) -> tuple[dict, dict]:
    """Per station of `ids`: when its first version was stored, and its chain step time
    "definitive" (what `arrived` reads)."""
    first = dict(Protocol.objects.filter(contest=contest, version=1, station_id__in=ids)
                 .values_list("station_id", "created_at"))
    steps = dict(StepTime.objects.filter(step="definitive", station_id__in=ids)
                 .values_list("station_id", "at"))
    return first, steps


def arrived(sid, version, created, first, steps) -> tuple[dt.datetime, dt.datetime]:
    """(when the station first reported, when its current protocol became definitive)."""
    at = min(x for x in (first.get(sid, created), steps.get(sid)) if x is not None)
    return at, at if version == 1 else created


def compute(contest: Contest, commission_id: str | None = None) -> tuple[Progress, list[int]]:
    """`progress` from every current protocol, and the ids of the protocols it read."""
    stations = stations_in(contest, commission_id)
    ids = stations.values("id")
    first, steps = arrival_times(contest, ids)
    arrivals, latest, read = [], None, []
    for pk, sid, version, created, invalid, cho in (
            Protocol.objects.current().filter(contest=contest, station_id__in=ids)
            .values_list("pk", "station_id", "version", "created_at", "figures__invalid",
                         "choices")):
        at, changed = arrived(sid, version, created, first, steps)
        arrivals.append(Arrival(at, sid, invalid or 0, cho))
        latest = changed if latest is None else max(latest, changed)
        read.append(pk)
    arrivals.sort(key=lambda a: (a.at, a.station))
    return Progress(contest, stations.count(), tuple(arrivals), latest), read


def compute_as_of(contest: Contest, commission_id: str | None = None) -> dt.datetime | None:
    return latest_definitive(contest, commission_id)[0]


def latest_definitive(contest: Contest, commission_id: str | None = None, since: int = 0
                      ) -> tuple[dt.datetime | None, int]:
    """When the latest of the current protocols stored after id `since` became definitive
    (`arrived`; an amendment's own time, a first version's the earlier of its storing and
    its step time), and the highest id read. Only their step times are read, not every
    station's first version: a national page asks this of the district whose tally moved."""
    rows = current_after(contest, commission_id, since, "pk", "station_id", "version",
                         "created_at")
    firsts = [sid for _, sid, version, _ in rows if version == 1]
    steps = StepTime.objects.filter(step="definitive")
    steps = dict((steps.filter(station_id__in=stations_in(contest, commission_id).values("id"))
                  if since == 0 else steps.filter(station_id__in=firsts))
                 .values_list("station_id", "at"))
    when = max((arrived(sid, version, created, {}, steps)[1]
                for _, sid, version, created in rows), default=None)
    return when, max((r[0] for r in rows), default=since)
