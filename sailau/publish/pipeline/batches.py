"""One round of the batches (`publish_changes`): what changed since the last publication,
written as one new manifest that keeps every other file of the previous one.

A round asks the database a cheap question first (`changes.change_mark`, by `publisher.follow`)
and, when something moved, takes a fingerprint of each station with new rows and of a share of
the others in turn (`_sweep`: every station about every `FULL_EVERY` seconds, longer past
`SWEEP_PER_SECOND`), saying how many protocol versions, step times and scans it has and their
highest ids, compared with the fingerprints of the last publication, and the stations whose
leaves the log sequenced (the chain told it). Only the stations whose fingerprint moved are
written again, with every commission above them and the tables of their contests
(`snapshots.republish_stations`). However many protocols arrive at once, each round costs one
batch, never a full republication per protocol.

One publisher at a time per election, across processes, by a lock file
(`publisher_state.exclusive`). What was published is remembered beside the manifest
(`.publisher.json`: the manifest's sequence; the fingerprints in a base and a journal of each
round's changes, `publisher_state.write_state`), so a restarted publisher carries on from
there; when that record is missing, cut short or belongs to another manifest, the round is a
full publication.

The tables of the whole country are the national lane's (`national_lane`) while `follow` runs:
a batch only marks them `"stale": true`, and wakes the lane (`sailau.ledger.wake`). Called
alone (a test, or inside a transaction), `publish_changes` rewrites them in a batch when their
last rewrite is older than a few times what it cost (`table_due`), and marks them stale until
then, as `snapshot_check.verify_snapshots` expects."""

from __future__ import annotations

import time

from sailau.ledger import wake
from sailau.publish.pipeline import logstep, snapshots
from sailau.publish.pipeline.changes import fingerprints, highest_ids, recent_stations

# The intervals, in one place (`timing`); read here under these names, which tests set.
from sailau.publish.pipeline.timing import (
    FULL_EVERY,
    LOCK_PATIENCE,
    NATIONAL_COST_FACTOR,
    NATIONAL_MIN_INTERVAL,
    SWEEP_PER_SECOND,
)
from sailau.publish.storage import store
from sailau.publish.storage.publisher_state import exclusive, read_state, write_state


def table_due(national: dict, name: str, now: float, interval: float | None = None,
              factor: float | None = None) -> bool:
    """Whether the national table `name` is due again: never written as far as `national`
    says, or written longer ago than both `interval` seconds and `factor` times what it cost
    (the batches' `NATIONAL_MIN_INTERVAL` and `NATIONAL_COST_FACTOR` unless given)."""
    last = national.get(name)
    if last is None:
        return True
    interval = NATIONAL_MIN_INTERVAL if interval is None else interval
    factor = NATIONAL_COST_FACTOR if factor is None else factor
    return now - last["at"] >= max(interval, factor * last["cost"])


def publish_changes(election_id: str, force_national: bool = False,
                    defer_national: bool = False) -> dict | bool | None:
    """Publish what changed since the last publication; the new manifest, None when nothing
    changed, False when another process is publishing. `defer_national`: the tables of the
    whole country are left to the national lane (`national_lane.rewrite_national`), never
    written here. Another process's hold of the lock is waited for `LOCK_PATIENCE`."""
    with exclusive(election_id, wait=LOCK_PATIENCE) as mine:
        if not mine:
            return False
        # The outbox into the log first (sailau.ledger): the chain told us what changed; the
        # stations whose protocol leaves it sequenced are written again with their index.
        state = read_state(election_id)
        prev = snapshots.latest_manifest(election_id)
        if state is None or prev is None or state.get("sequence") != prev["sequence"]:
            return snapshots.publish_locked(election_id)
        # One moment of the database for the fingerprints, the files and the totals above
        # them (see `one_snapshot`); what arrives meanwhile is the next batch's. Protocols it
        # sees that the log's checkpoint lacks yet are shown all the same, once the log has
        # them (`waiting`, `logstep.settle`), rather than looking again for a moment with none.
        waiting = logstep.Waiting()
        with logstep.snapshot_in_the_log(election_id, prev.get("log_size"),
                                         waiting=waiting) as logged:
            old, now = state["fingerprints"], time.time()
            high = highest_ids()
            if not state.get("high"):
                touched = None  # every station compared
                prints, full_at, cursor, swept = fingerprints(election_id), now, "", True
                changed = sorted(sid for sid, fp in prints.items() if old.get(sid) != fp)
                changed += sorted(sid for sid in old if sid not in prints)  # a rebuilt demo
            else:
                sweep, cursor, swept = _sweep(election_id, state, now)
                swept_ids = set(sweep)
                recent = {**fingerprints(election_id, sweep), **fingerprints(
                    election_id, recent_stations(election_id, state["high"]) - swept_ids)}
                prints = {**old, **recent}
                changed = sorted(sid for sid, fp in recent.items() if old.get(sid) != fp)
                # A swept station that had rows and has none now; at the end of a sweep, a
                # station no longer in the election (a rebuilt demo).
                gone = {sid for sid in swept_ids if sid in old and sid not in recent}
                if swept:
                    gone |= set(old) - set(_STATION_IDS.get(election_id, ()))
                for sid in gone:
                    prints.pop(sid, None)
                changed += sorted(gone - set(changed))
                full_at = now if sweep else state.get("full_at", 0)
                touched = set(recent) | gone
            changed += sorted(logged - set(changed))
            national = state.get("national", {})
            stale_national = store.stale_names(election_id, prev)
            # A turnout report or a complaint decision moves no station: its files are due
            # all the same (`registers.due`), else they waited for the next protocol.
            if not changed and not logstep.registers_behind(election_id, prev) and (
                    defer_national or not (stale_national and (force_national or any(
                        table_due(national, n, now) for n in stale_national)))):
                if full_at == now:  # how far the sweep went is remembered
                    write_state(election_id, prev, prints, national, high, full_at, cursor,
                                touched)
                return None
            draft = snapshots.draft_stations(
                election_id, changed, prev,
                due=lambda name: force_national or table_due(national, name, time.time()),
                national=national, throttle_districts=True, defer_national=defer_national,
                prints=prints)
        # The snapshot closed: the log sequences what it saw waiting, then the files go out.
        manifest = snapshots.finish(draft, logstep.settle(election_id, waiting))
        write_state(election_id, manifest, prints, draft.national, high, full_at, cursor,
                    touched)
        if defer_national and store.stale_names(election_id, manifest):
            wake.stage_written("national")  # a snapshot committed with tables for the lane
        return manifest


_STATION_IDS: dict[str, list[str]] = {}  # election -> its stations' ids, sorted (see `_sweep`)


def _sweep(election_id: str, state: dict, now: float) -> tuple[list[str], str, bool]:
    """The stations whose fingerprints a round compares beyond the recent ones, so that every
    station is compared about every `FULL_EVERY` seconds, or `SWEEP_PER_SECOND` stations a
    second in a larger election (a scan rechecked or a step time
    corrected adds no row; on PostgreSQL a row can commit below the recent window): the share
    of the election's stations that the time since the last round's sweep (`full_at`) is of
    `FULL_EVERY`, from the one after the last swept (`sweep`, a station id). A comparison of
    every station at once cost a round 2 s every 30 s at 100,000 stations; in parts, each
    round pays its share. Returns the stations, the cursor to keep, and whether the sweep
    reached the end (the next begins again, with the election's stations read anew)."""
    import bisect
    import math

    from sailau.elections.models import Station

    cursor = state.get("sweep") or ""
    ids = _STATION_IDS.get(election_id)
    if ids is None or not cursor:
        ids = _STATION_IDS[election_id] = sorted(
            Station.objects.filter(election_id=election_id).values_list("id", flat=True))
    period = max(FULL_EVERY, len(ids) / SWEEP_PER_SECOND)
    share = min(1.0, max(0.0, now - state.get("full_at", 0)) / period)
    start = bisect.bisect_right(ids, cursor) if cursor else 0
    part = ids[start:start + math.ceil(share * len(ids))]
    if start + len(part) >= len(ids):
        return part, "", True
    return part, (part[-1] if part else cursor), False
