"""The results-over-time series kept between renders, so that a page rendered after one new
protocol reads that protocol, not every protocol of the contest again.

Per contest and commission the page cache holds the arrivals (time, station, invalid ballots,
votes), the "as of", the highest protocol id read and the ids read just below it. A render
reads the commission's tally first: while it has not changed since, the series is used as it
is. Otherwise only the current protocols not read yet, from `WINDOW` ids below the highest on,
are read: a station not yet in the series is a new arrival (placed
by its time, which may be earlier than the last one: a station's step time comes from its
first contest), one already there is an amendment (its votes replaced, its place kept).

Ids are handed out before commit, so on PostgreSQL a protocol can become visible after one with
a higher id was read: on election night, with entries committing at once, many renders found
one (the chain inserts the protocol, then waits its turn for the tallies above it). So the
protocols are read from `WINDOW` ids below the highest read, those read before skipped by
their ids (`Series.recent`). The series is also checked against the tally (stations reported,
each choice's votes, invalid ballots), which the same transaction writes: when they disagree
the tally and the new protocols are read once more (a protocol committed between the two
reads), and then the whole series is read again from the protocols (a protocol committed
further below, or the first render of a process). What the check cannot see is an amendment
that changes neither votes nor invalid ballots committed out of order below the window: its
curve is the same, only its "as of" may lag until the next full read."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from sailau.elections.models import Contest
from sailau.protocols.models import Tally
from sailau.publish.files import arrivals as reading
from sailau.publish.files import keptcache

RETRIES = 2  # reads of the tally and the new protocols before reading everything again
# Ids read again below the highest read: a protocol stored that much before another and
# committed after it is still taken as it comes (ids are shared by every contest's protocols;
# 200 are some seconds of a night's entries, and a transaction of the chain lasts well under one).
WINDOW = 200


@dataclass
class Series:
    expected: int
    arrivals: list[reading.Arrival]  # by (time, station)
    as_of: dt.datetime | None
    top: int  # the highest protocol id read
    tally: tuple = ()  # the tally's state the series agreed with
    votes: Counter = field(default_factory=Counter)
    invalid: int = 0
    # `arrivals.figures_matrix` of the arrivals in their order, for `keys`; None until a render
    # needs it, and again whenever an arrival is amended or placed before the last one.
    matrix: object = None
    keys: tuple = ()
    # The ids of the protocols read above `top - WINDOW`: read again with the window, skipped.
    recent: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, p: reading.Progress, read: list[int]) -> Series:
        """The series of `p`, read from the protocols of ids `read`."""
        top = max(read, default=0)
        s = cls(p.expected, list(p.arrivals), p.as_of, top,
                recent={pk for pk in read if pk > top - WINDOW})
        for a in s.arrivals:
            s.votes.update(a.choices)
            s.invalid += a.invalid
        return s

    def agrees(self, tally: tuple) -> bool:
        _, reported, expected, invalid, choices = tally
        return (reported == len(self.arrivals) and expected == self.expected
                and invalid == self.invalid
                and +Counter(choices) == +self.votes)

    def advance(self, contest: Contest, commission_id: str) -> None:
        """Add the current protocols not read yet, from `WINDOW` ids below `top` on: new
        arrivals and amendments."""
        rows = reading.current_after(contest, commission_id, max(0, self.top - WINDOW), "pk",
                                     "station_id", "version", "created_at", "figures__invalid",
                                     "choices", skip=self.recent)
        if not rows:
            return
        # Where the amended stations are (a first version is a new arrival): a walk over the
        # arrivals only when some row amends (100,000 of them on a national contest).
        amended = {r[1] for r in rows if r[2] != 1}
        where = {a.station: i for i, a in enumerate(self.arrivals)
                 if a.station in amended} if amended else {}
        new = [r[1] for r in rows if r[1] not in where]
        known, added = len(self.arrivals), []
        if self.matrix is not None and len(self.matrix) != known:
            self.matrix = None
        first, steps = reading.arrival_times(contest, new)
        for pk, sid, version, created, invalid, cho in rows:
            self.top = max(self.top, pk)
            old = self.arrivals[where[sid]] if sid in where else None
            if old is None:
                at, changed = reading.arrived(sid, version, created, first, steps)
                self.arrivals.append(reading.Arrival(at, sid, invalid or 0, cho))
                added.append(self.arrivals[-1])
                where[sid] = len(self.arrivals) - 1
            else:
                changed = created
                self.votes.subtract(old.choices)
                self.invalid -= old.invalid
                self.arrivals[where[sid]] = reading.Arrival(old.at, sid, invalid or 0, cho)
                if self.matrix is not None:  # a copy: a page being drawn may hold the old one
                    self.matrix = self.matrix.copy()
                    self.matrix[where[sid]] = reading.figures_matrix(
                        [self.arrivals[where[sid]]], list(self.keys))[0]
            self.votes.update(cho)
            self.invalid += invalid or 0
            self.as_of = changed if self.as_of is None else max(self.as_of, changed)
        self.recent = {pk for pk in self.recent | {r[0] for r in rows}
                       if pk > self.top - WINDOW}
        self._place(known, added)

    def _place(self, known: int, added: list) -> None:
        """Keep the arrivals by (time, station), and the matrix with them. On the night a new
        arrival mostly comes after the others, but a station's time is its first contest's
        (and the demo's are simulated): each new one is put in its place, its row with it."""
        def order(a):
            return (a.at, a.station)

        del self.arrivals[known:]
        for a in sorted(added, key=order):
            i = bisect.bisect_right(self.arrivals, order(a), key=order)
            self.arrivals.insert(i, a)
            if self.matrix is not None:
                self.matrix = np.insert(self.matrix, i,
                                        reading.figures_matrix([a], list(self.keys))[0], axis=0)

    def figures(self, keys: list[str]):
        """The matrix of the arrivals for `keys`, built when missing (or for other keys)."""
        if self.matrix is None or self.keys != tuple(keys) \
                or len(self.matrix) != len(self.arrivals):
            self.matrix = reading.figures_matrix(self.arrivals, keys)
            self.keys = tuple(keys)
        return self.matrix


def _tally(contest: Contest, commission_id: str) -> tuple | None:
    """What of the commission's tally the series is checked against, with when it changed."""
    row = (Tally.objects.filter(contest=contest, commission_id=commission_id)
           .values_list("updated_at", "stations_reported", "stations_expected", "figures",
                        "choices").first())
    if row is None:
        return None
    updated, reported, expected, figures, choices = row
    return updated, reported, expected, figures.get("invalid", 0), choices


def _key(kind: str, contest: Contest, commission_id: str) -> str:
    return f"{kind}:{keptcache.digest(kind, contest.election_id, contest.id, commission_id)}"


# The series this process last used, per key: on election night the national page is rendered
# after every protocol, and reading the national series from the shared file cache and writing it
# back (unpickling and pickling ~10,000 arrivals) cost more than advancing it by one protocol.
# The file cache still carries it between processes, written at most every `SHARE_EVERY` seconds
# (an older copy is advanced like any other: it only has more protocols to read), and not more
# often than every `SHARE_COST_FACTOR` times what the last write cost: at 100,000 stations
# pickling the series and writing it was a sixth of a web worker's time on the night, and
# still 7 % of the web workers' time every 15 s (a series per territory and contest, each
# worker its own). The shared copy is read only by a process that has none of its own (a
# worker started or restarted): every two minutes it has at most two minutes to advance.
# A series is advanced in place: one thread at a time for each, not one for all (the national
# page waited behind every territory's page of the worker).
# Kept with the series themselves (`keptcache.memory`), emptied with them.
_locks_lock = threading.Lock()


def _lock_of(key: str) -> threading.Lock:
    locks = keptcache.memory("series locks")
    with _locks_lock:
        return locks.setdefault(key, threading.Lock())


SHARE_EVERY = 120.0
SHARE_COST_FACTOR = 50


def progress(contest: Contest, commission_id: str | None = None) -> reading.Progress:
    at = commission_id or contest.commission_id
    tally = _tally(contest, at)
    if tally is None:  # nothing to check a series against: read it all (nothing reported yet)
        return reading.compute(contest, at)[0]
    cache, key = keptcache._cache(), _key("progress", contest, at)
    kept, shared_at = keptcache.memory("series"), keptcache.memory("series shared at")
    with _lock_of(key):
        s = kept.get(key)
        if s is None:
            s = cache.get(key)
        if s is not None and s.tally == tally:
            kept[key] = s
            return _progress(contest, s)
        full = s is None
        for _ in range(RETRIES if s is not None else 0):
            s.advance(contest, at)
            if s.agrees(tally):
                break
            tally = _tally(contest, at) or tally  # a protocol committed between the two reads
        else:
            s, full = Series.of(*reading.compute(contest, at)), True
        s.tally = tally
        kept[key] = s
        last, cost = shared_at.get(key, (0.0, 0.0))
        if full or time.monotonic() - last >= max(SHARE_EVERY, SHARE_COST_FACTOR * cost):
            t = time.monotonic()
            cache.set(key, s, timeout=None)
            shared_at[key] = (time.monotonic(), time.monotonic() - t)
        return _progress(contest, s)


def _progress(contest: Contest, s: Series) -> reading.Progress:
    p = reading.Progress(contest, s.expected, tuple(s.arrivals), s.as_of)
    return dataclasses.replace(p, matrix=s.figures(p.keys()))


# A kept "as of" is brought up to date from the protocols stored after the highest id it read;
# read again in full this often, for a protocol committed out of id order (PostgreSQL) or a
# step time corrected, which only move it by seconds; and not more often than every
# `AS_OF_COST_FACTOR` times what the last full read cost: the country's at 100,000 stations
# reads every protocol and step time, ~1 s idle and seconds on the night, and the national
# page that asked for it waited as long (its freshness' tail).
AS_OF_FULL_EVERY = 60.0
AS_OF_COST_FACTOR = 300


def as_of(contest: Contest, commission_id: str | None = None) -> dt.datetime | None:
    at = commission_id or contest.commission_id
    tally = _tally(contest, at)
    if tally is None:
        return reading.compute_as_of(contest, at)
    cache, key = keptcache._cache(), _key("as_of", contest, at)
    hit = cache.get(key)
    if hit is not None and hit[0] == tally:
        return hit[1]
    if hit is not None and len(hit) >= 4 and time.time() - hit[3] < max(
            AS_OF_FULL_EVERY, AS_OF_COST_FACTOR * (hit[4] if len(hit) > 4 else 0.0)):
        # Only the district's new protocols (at 100,000 stations a district's all were ~10,000
        # rows a render, a third of a web worker's time on the night).
        later, top = reading.latest_definitive(contest, at, since=hit[2])
        when = max((w for w in (hit[1], later) if w is not None), default=None)
        fresh = (tally, when, top, *hit[3:])
    else:
        t = time.perf_counter()
        when, top = reading.latest_definitive(contest, at)
        fresh = (tally, when, top, time.time(), time.perf_counter() - t)
    cache.set(key, fresh, timeout=None)
    return when
