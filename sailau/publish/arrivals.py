"""Results over time, read from the protocols: when each station's protocol of a contest
became definitive, and the reporting curve (stations reported by time) and every choice's share
as reporting grew, at any commission. Derived from the protocols and the chain's step times,
never typed in.

When a station reported is the first time its protocol of the contest became definitive: the
chain records that step per station in its own clock (`StepTime` "definitive", which the demo
sets to the simulated night) while `Protocol.created_at` is the database's clock. The earlier
of the two is taken; for a station with two contests the step time is the first contest's, so
the later contest may be placed a few minutes early. An amendment does not move the station on
the curve; the figures are always the current ones, so the curve ends at the totals the pages
show. "As of" is the latest definitive protocol, amendments included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sailau.elections import areas
from sailau.elections.models import Commission, Contest
from sailau.protocols.models import Protocol, StepTime


def stations_in(contest: Contest, commission_id: str | None = None):
    """The stations whose protocols of `contest` count at `commission_id` (default: the
    contest's own commission)."""
    qs = areas.stations(contest.commission)
    cid = commission_id or contest.commission_id
    if cid != contest.commission_id:
        below = Commission.objects.filter(id=cid).first()
        qs = qs.filter(areas.station_q(below)) if below is not None else qs.none()
    return qs


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

    @property
    def reported(self) -> int:
        return len(self.arrivals)

    def points(self, limit: int | None = None) -> list[dict]:
        """Cumulative totals after each arrival (or after every k-th, at most `limit`, always
        with the last): {"at", "reported", "expected", "votes": {choice: n}, "invalid",
        "shares": {choice: percent of ballots found}}."""
        n = len(self.arrivals)
        step = max(1, -(-n // limit)) if limit else 1
        return [pt for i, pt, _ in self.cumulate(keep=lambda i: not (i % step and i != n))]

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
            found = sum(votes.values()) + invalid
            yield i, {"at": a.at, "reported": i, "expected": self.expected,
                      "votes": {k: votes.get(k, 0) for k in keys}, "invalid": invalid,
                      "shares": {k: round(100 * votes.get(k, 0) / found, 2) if found else 0.0
                                 for k in keys}}, votes


def _when(contest: Contest, ids) -> tuple[dict, dict]:
    """Per station: when its first version was stored, and its chain step time "definitive"."""
    first = dict(Protocol.objects.filter(contest=contest, version=1, station_id__in=ids)
                 .values_list("station_id", "created_at"))
    steps = dict(StepTime.objects.filter(step="definitive", station_id__in=ids)
                 .values_list("station_id", "at"))
    return first, steps


def arrived(sid, version, created, first, steps) -> tuple[dt.datetime, dt.datetime]:
    """(when the station first reported, when its current protocol became definitive)."""
    at = min(x for x in (first.get(sid, created), steps.get(sid)) if x is not None)
    return at, at if version == 1 else created


def compute(contest: Contest, commission_id: str | None = None) -> tuple[Progress, int]:
    """`progress` from every current protocol, and the highest protocol id it saw."""
    stations = stations_in(contest, commission_id)
    ids = stations.values("id")
    first, steps = _when(contest, ids)
    arrivals, latest, top = [], None, 0
    for pk, sid, version, created, invalid, cho in (
            Protocol.objects.current().filter(contest=contest, station_id__in=ids)
            .values_list("pk", "station_id", "version", "created_at", "figures__invalid",
                         "choices")):
        at, changed = arrived(sid, version, created, first, steps)
        arrivals.append(Arrival(at, sid, invalid or 0, cho))
        latest = changed if latest is None else max(latest, changed)
        top = max(top, pk)
    arrivals.sort(key=lambda a: (a.at, a.station))
    return Progress(contest, stations.count(), tuple(arrivals), latest), top


def compute_as_of(contest: Contest, commission_id: str | None = None) -> dt.datetime | None:
    ids = stations_in(contest, commission_id).values("id")
    first, steps = _when(contest, ids)
    rows = (Protocol.objects.current().filter(contest=contest, station_id__in=ids)
            .values_list("station_id", "version", "created_at"))
    return max((arrived(*r, first, steps)[1] for r in rows), default=None)
