"""The national lane: the tables of the whole country (a national contest's station tables
and per-level tables, the NIST report, results over time, the scan archives) rewritten beside
the batches, in a process of its own (`sailau publish --national-lane`, which
`publisher.follow` starts), so that a batch never waits behind a table that costs seconds at
national scale, nor for the interpreter lock while one is built.

A batch only marks them `"stale"` and wakes the lane (`sailau.ledger.wake`), which sleeps until
then, or until its next stale table is due, or `FALLBACK`; each round of the lane
(`rewrite_national`) rewrites the stale ones that are due (`LANE_MIN_INTERVAL`,
`LANE_COST_FACTOR`) within its byte budget (`ByteBudget`) by `national_jobs.rewrite_stale`, and
every `PRUNE_EVERY` seconds the lane deletes the objects no manifest of the readers' window
names (`chores.prune_now`)."""

from __future__ import annotations

import signal
import threading
import time

from sailau.ledger import wake
from sailau.publish.pipeline import chores, national_jobs, snapshots
from sailau.publish.pipeline.batches import table_due

# The intervals, in one place (`timing`); read here under these names, which tests set.
from sailau.publish.pipeline.timing import (
    FALLBACK,
    LANE_BURST,
    LANE_BYTES_PER_SECOND,
    LANE_COST_FACTOR,
    LANE_MIN_INTERVAL,
    LANE_QUIET,
    LANE_SMALL,
    LANE_SMALL_BURST,
    LANE_SMALL_BYTES_PER_SECOND,
)
from sailau.publish.storage import store


class ByteBudget:
    """What the national lane may write of its large tables while protocols arrive:
    `LANE_BYTES_PER_SECOND` on average (a token bucket holding at most `LANE_BURST`). A table
    larger than the bucket is written when the bucket is full, and the debt is paid back before
    the next large one. Turns go to the longest waiting large table first: when it does not
    fit, no other large one goes before it. A table of at most `LANE_SMALL` bytes is counted
    in a bucket of its own (`LANE_SMALL_BYTES_PER_SECOND`, at most `LANE_SMALL_BURST`), in the
    same order: the NIST report (~23 MB at national scale) paying its debt held back every
    smaller table behind it for minutes, and outside any budget the 29 single-member
    districts' station tables and results over time, as heavy together as the party list's,
    were written again with every round of the lane. When the log has not grown for
    `LANE_QUIET` seconds the night has quietened: no budget, so that the tables become exact
    soon after the last protocol."""

    def __init__(self, now: float):
        self.tokens, self.at = float(LANE_BURST), now
        self.small = float(LANE_SMALL_BURST)  # the small tables' bucket
        self.log_size, self.moved_at = None, now
        self.blocked = False  # this round's longest waiting table did not fit
        self.small_blocked = False  # ...nor its longest waiting small one

    def round(self, log_size, now: float) -> None:
        self.tokens = min(float(LANE_BURST), self.tokens + (now - self.at) * LANE_BYTES_PER_SECOND)
        self.small = min(float(LANE_SMALL_BURST),
                         self.small + (now - self.at) * LANE_SMALL_BYTES_PER_SECOND)
        self.at = now
        if log_size != self.log_size:
            self.log_size, self.moved_at = log_size, now
        self.blocked = self.small_blocked = False

    def take(self, size: int, now: float) -> bool:
        if now - self.moved_at >= LANE_QUIET:
            return True
        if size <= LANE_SMALL:
            if self.small_blocked or self.small < min(size, LANE_SMALL_BURST):
                self.small_blocked = True
                return False
            self.small -= size
            return True
        if self.blocked or self.tokens < min(size, LANE_BURST):
            self.blocked = True
            return False
        self.tokens -= size
        return True


_BUDGETS: dict[str, ByteBudget] = {}  # election -> the lane's budget (one lane per process)


def rewrite_national(election_id: str, national: dict | None = None,
                     budget: bool = True) -> tuple[dict | None, dict]:
    """One round of the national lane for the election (see `national_jobs.rewrite_stale`): each
    stale national table at most every `LANE_MIN_INTERVAL` seconds and `LANE_COST_FACTOR` times
    what it cost, so that it takes at most about a third of one core from the web workers, and
    within the lane's byte budget (`ByteBudget`; `budget=False`: without)."""
    national = dict(national or {})
    now = time.time()
    bucket = _BUDGETS.setdefault(election_id, ByteBudget(now))
    latest = snapshots.latest_manifest(election_id)
    bucket.round((latest or {}).get("log_size"), now)
    # What a rewrite will weigh: the files it rewrites as published now (a table never written
    # by this lane is not free), else what it weighed last time. Their size before gzip: what
    # the budget holds back is the work of building them as much as the bytes (stored gzip'd,
    # a tenth; weighed so, the tables were rewritten ten times as often and took a third of a
    # core all night from the batches and the log: snapshot file p95 1.9 -> 3.0 s).
    weighs: dict[str, int] = {}
    for name, entry in (latest or {}).get("files", {}).items():
        if (job := national_jobs.national_job(name)) is not None:
            weighs[job] = weighs.get(job, 0) + entry.get("size", 0)

    def due(name: str) -> bool:
        return table_due(national, name, now, LANE_MIN_INTERVAL, LANE_COST_FACTOR) and (
            not budget or bucket.take(
                weighs.get(name) or national.get(name, {}).get("bytes", 0), now))
    return national_jobs.rewrite_stale(election_id, due=due, national=national, prev=latest)


def _national_lane(election_ids, done: threading.Event, poll: float, say) -> None:
    """The national lane's loop: rounds of `rewrite_national` for every election until `done`,
    and every `PRUNE_EVERY` seconds the objects no manifest of the window names deleted
    (`chores.prune_now`)."""
    from django.db import close_old_connections, connection

    national: dict[str, dict] = {}
    pruned = time.time()
    # Listening before the first round: a batch committed during it wakes the next wait.
    inbox = wake.StageInbox("national")
    try:
        while not done.is_set():
            close_old_connections()
            pause = poll
            began = time.perf_counter()
            for eid in chores.elections(election_ids):
                t = time.perf_counter()
                try:
                    m, national[eid] = rewrite_national(eid, national.get(eid))
                except Exception as exc:  # noqa: BLE001 - one bad round must not end the night
                    say(f"{eid}: national tables not rewritten this round: {exc!r}", flush=True)
                    m = None
                if m:
                    exact = not any(e.get("stale") for e in m["files"].values())
                    say(f"{eid}: manifest {m['sequence']}, national tables "
                        f"{'exact' if exact else 'rewritten, still behind'}, in "
                        f"{time.perf_counter() - t:.2f} s (the publication lock held "
                        f"{national_jobs.held.get(eid, 0):.2f} s)", flush=True)
                pause = min(pause, _next_due(eid, national.get(eid, {})))
            pruned = chores.prune_now(election_ids, pruned, say)
            # The lane as a whole, not only each table, takes at most 1/LANE_COST_FACTOR of a
            # core: woken by every batch's snapshot, with a table of each contest due in turn,
            # it otherwise ran round after round (two thirds of a core in a national night, the
            # web workers' entry p95 6.5 s). The wake-ups that come meanwhile are kept by the
            # inbox and answered after.
            rest = (LANE_COST_FACTOR - 1) * (time.perf_counter() - began)
            if rest > 0.01 and done.wait(rest):
                break
            pause -= rest
            # Until a batch commits a snapshot with tables left stale (`wake`), a stale table
            # comes due, or the fallback (shorter than `PRUNE_EVERY`); SIGTERM ends it within
            # one wait.
            inbox.wait(max(0.0, pause))
    finally:
        inbox.close()
        connection.close()


def _next_due(election_id: str, national: dict) -> float:
    """Seconds until the next stale table of the latest manifest comes due (`table_due` with
    the lane's intervals), `FALLBACK` at most: one due already and not written this round was
    held back by the byte budget, and waits the fallback (never a busy loop). Inf when no
    table is stale."""
    latest = snapshots.latest_manifest(election_id)
    stale = {national_jobs.national_job(n) for n in
             (store.stale_names(election_id, latest) if latest else ())} - {None}
    if not stale:
        return float("inf")
    now, soonest = time.time(), FALLBACK
    for job in stale:
        last = national.get(job)
        if last is not None:
            due = last["at"] + max(LANE_MIN_INTERVAL, LANE_COST_FACTOR * last["cost"]) - now
            if due > 0:
                soonest = min(soonest, due)
    return soonest


def national_lane(election_ids=None, poll: float = FALLBACK, say=print) -> None:
    """The national lane as a process of its own (`sailau publish --national-lane`, which
    `follow` starts): its own interpreter, so that building a table of the whole country
    (seconds of Python at national scale) never holds the batches' interpreter lock. Until
    SIGTERM or Ctrl-C."""
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        _national_lane(election_ids, done, poll, say)
    except KeyboardInterrupt:
        pass
