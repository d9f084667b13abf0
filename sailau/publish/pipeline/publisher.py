"""Incremental publication while protocols arrive: one background publisher per election.

`sailau serve` starts `sailau publish --follow`, which loops: a cheap question to the database
("did any protocol, step time or scan row change?"), and when something did, a fingerprint of
each station with new rows, and of a share of the others in turn (`_sweep`: every station about
every `FULL_EVERY` seconds, longer past `SWEEP_PER_SECOND`), saying how many protocol versions, step times and scans it has and
their highest ids, compared with the fingerprints of the last publication, and the stations whose
leaves the log sequenced (the chain told it). Only the stations whose fingerprint moved
are written again, with every commission above them and the tables of their contests, then one
new manifest that keeps every other file of the previous one. A protocol made definitive is in
the snapshot files within about one cycle (the poll interval plus the cost of one batch), and
however many protocols arrive at once, each cycle costs one batch, never a full republication per
protocol.

One publisher at a time per election, across processes, by a lock file (like the integrity
report's recompute): a second `serve` or a `sailau publish` run while one follows waits or skips.
What was published is remembered beside the manifest (`.publisher.json`: the manifest's sequence;
the fingerprints in a base and a journal of each round's changes, `store.write_state`), so a
restarted publisher carries on from there; when that record is missing, cut short or belongs to
another manifest, the next cycle is a full publication.

Tables of the whole country (a national contest's station table, the NIST report) cost time in
proportion to the election, seconds each at national scale. `follow` leaves them to a second
lane, a process beside the batches (`national_lane`, `rewrite_national`,
`snapshots.rewrite_stale`): a batch only marks them `"stale": true`, so that it never waits
behind them, nor for the interpreter lock while one is built. The lane also deletes, every
`PRUNE_EVERY` seconds, the objects no manifest of the readers' window names (`retention`), so
that the snapshot directory stays bounded through the night (and the bucket's copy, `mirror`).
Called alone (a test, or inside a transaction), `publish_changes` rewrites them in a batch when
their last rewrite is older than a few times what it cost (`_due`), and marks them stale until
then, as `verify_snapshots` expects. The intervals all these keep are in one place: `timing`."""

from __future__ import annotations

import signal
import subprocess
import threading
import time

from sailau.filestores import failures
from sailau.ledger import audithead, outbox, push, wake, writer
from sailau.publish.pipeline import logstep, snapshots
from sailau.publish.pipeline.changes import (
    change_mark,
    fingerprints,
    highest_ids,
    recent_stations,
)

# The intervals, in one place (`timing`); read here under these names, which tests set.
from sailau.publish.pipeline.timing import (
    AUDIT_HEAD_EVERY,
    FULL_EVERY,
    HOUSEKEEPING_EVERY,
    LANE_BURST,
    LANE_BYTES_PER_SECOND,
    LANE_COST_FACTOR,
    LANE_MIN_INTERVAL,
    LANE_QUIET,
    LANE_SMALL,
    LOG_MIN_GAP,
    LOG_POLL,
    MIN_GAP,
    NATIONAL_COST_FACTOR,
    NATIONAL_MIN_INTERVAL,
    POLL,
    PRUNE_EVERY,
    PUSH_POLL,
    SWEEP_PER_SECOND,
)
from sailau.publish.storage import mirror, retention, store
from sailau.publish.storage.store import STATE, exclusive, read_state, write_state  # noqa: F401

# ------------------------------------------------------------------------------ one cycle

def _due(national: dict, name: str, now: float, interval: float | None = None,
         factor: float | None = None) -> bool:
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
    whole country are left to the national lane (`rewrite_national`), never written here."""
    with exclusive(election_id) as mine:
        if not mine:
            return False
        # The outbox into the log first (sailau.ledger): the chain told us what changed; the
        # stations whose protocol leaves it sequenced are written again with their index.
        state = read_state(election_id)
        prev = snapshots.latest_manifest(election_id)
        if state is None or prev is None or state.get("sequence") != prev["sequence"]:
            return snapshots.publish_locked(election_id)
        # One moment of the database for the fingerprints, the files and the totals above
        # them (see `one_snapshot`), every protocol of it in the log's checkpoint; what arrives
        # meanwhile is the next batch's.
        with logstep.snapshot_in_the_log(election_id, prev.get("log_size")) as logged:
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
            if not changed and (defer_national or not (stale_national and (
                    force_national or any(_due(national, n, now) for n in stale_national)))):
                if full_at == now:  # how far the sweep went is remembered
                    write_state(election_id, prev, prints, national, high, full_at, cursor,
                                touched)
                return None
            manifest, national = snapshots.republish_stations(
                election_id, changed, prev,
                due=lambda name: force_national or _due(national, name, time.time()),
                national=national, throttle_districts=True, defer_national=defer_national,
                prints=prints)
            write_state(election_id, manifest, prints, national, high, full_at, cursor,
                        touched)
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


class ByteBudget:
    """What the national lane may write of its large tables while protocols arrive:
    `LANE_BYTES_PER_SECOND` on average (a token bucket holding at most `LANE_BURST`). A table
    larger than the bucket is written when the bucket is full, and the debt is paid back before
    the next large one. Turns go to the longest waiting large table first: when it does not
    fit, no other large one goes before it. A table of at most `LANE_SMALL` bytes is not
    counted and never waits: the NIST report (~23 MB at national scale) paying its debt held
    back every smaller table behind it for minutes. When the log has not grown for
    `LANE_QUIET` seconds the night has quietened: no budget, so that the tables become exact
    soon after the last protocol."""

    def __init__(self, now: float):
        self.tokens, self.at = float(LANE_BURST), now
        self.log_size, self.moved_at = None, now
        self.blocked = False  # this round's longest waiting table did not fit

    def round(self, log_size, now: float) -> None:
        self.tokens = min(float(LANE_BURST), self.tokens + (now - self.at) * LANE_BYTES_PER_SECOND)
        self.at = now
        if log_size != self.log_size:
            self.log_size, self.moved_at = log_size, now
        self.blocked = False

    def take(self, size: int, now: float) -> bool:
        if size <= LANE_SMALL or now - self.moved_at >= LANE_QUIET:
            return True
        if self.blocked or self.tokens < min(size, LANE_BURST):
            self.blocked = True
            return False
        self.tokens -= size
        return True


_BUDGETS: dict[str, ByteBudget] = {}  # election -> the lane's budget (one lane per process)


def rewrite_national(election_id: str, national: dict | None = None,
                     budget: bool = True) -> tuple[dict | None, dict]:
    """One round of the national lane for the election (see `snapshots.rewrite_stale`): each
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
        if (job := snapshots.national_job(name)) is not None:
            weighs[job] = weighs.get(job, 0) + entry.get("size", 0)

    def due(name: str) -> bool:
        return _due(national, name, now, LANE_MIN_INTERVAL, LANE_COST_FACTOR) and (
            not budget or bucket.take(
                weighs.get(name) or national.get(name, {}).get("bytes", 0), now))
    return snapshots.rewrite_stale(election_id, due=due, national=national, prev=latest)


def _elections(election_ids) -> list[str]:
    from sailau.elections.models import Election

    return list(election_ids or Election.objects.values_list("id", flat=True))


def _national_lane(election_ids, done: threading.Event, poll: float, say) -> None:
    """The national lane's loop: rounds of `rewrite_national` for every election until `done`,
    and every `PRUNE_EVERY` seconds the objects no manifest of the window names deleted
    (`retention`)."""
    from django.db import close_old_connections, connection

    national: dict[str, dict] = {}
    pruned = time.time()
    try:
        while not done.is_set():
            close_old_connections()
            for eid in _elections(election_ids):
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
                        f"{time.perf_counter() - t:.2f} s", flush=True)
            pruned = _prune_now(election_ids, pruned, say)
            done.wait(poll)
    finally:
        connection.close()


def log_lane(election_ids=None, say=print) -> None:
    """The log's lane as a process of its own (`sailau publish --log-lane`, which `follow`
    starts), the log's one writer (`sailau.ledger.writer`: a second lane waits, and takes over
    when the first dies): every election with leaves waiting is integrated (`logstep.integrate`:
    sequenced, tiles and checkpoint written) when the latest checkpoint is `LOG_MIN_GAP` old,
    whatever the batches, which wait for it, are doing. Its own interpreter: in a thread of the
    batches' process it waited for their interpreter lock, and a leaf for its checkpoint, up to
    seconds at national scale. Until SIGTERM or Ctrl-C."""
    from django.db import close_old_connections, connection

    from sailau.sqlitedb.base import first_in_line

    first_in_line()  # on SQLite, the lane's short writes before the operators' (sailau.sqlitedb)
    done, signed = threading.Event(), threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    for eid in _elections(election_ids):  # at once, so that the batches wait for this lane
        writer.say_once(eid, writer.hold(eid), say)
    pusher = threading.Thread(target=_push_lane, args=(election_ids, done, signed, say),
                              name="witness-push", daemon=True)
    pusher.start()
    failing, asked, inbox, pause = None, set(), wake.Inbox(), 0.0
    try:
        while not done.is_set():
            close_old_connections()
            try:
                did, pause = _log_turn(election_ids, say, asked)
                if did:
                    signed.set()
                failing = None
            except Exception as exc:  # noqa: BLE001 - the next turn integrates again
                if failing != repr(exc):  # said once, not ten times a second
                    say(f"the log's lane: not integrated: {exc!r}", flush=True)
                failing = repr(exc)
            for eid in writer.held():
                inbox.open(eid)
                inbox.answer(eid)  # the rounds that asked look at the database again
            # Woken by a leaf committed or a round asking (`wake`), else after the fallback.
            asked = inbox.wait(pause)
    except KeyboardInterrupt:
        pass
    finally:
        inbox.close()
        writer.release_all()
        connection.close()


def _push_lane(election_ids, done: threading.Event, signed: threading.Event, say) -> None:
    """The reachable witnesses asked to cosign each checkpoint (sailau.ledger.push) of the
    elections whose log this process writes, as soon as it signs one, and every `PUSH_POLL`
    seconds else (a checkpoint a batch signed while no writer ran). A thread of its own: a
    witness's answer never delays the next integration; the cosignatures' rows are stored by
    another (`push.RowWriter`), so that the database's write lock they wait for on SQLite never
    delays asking the witnesses about the next checkpoint."""
    from django.db import close_old_connections, connection

    failing = None
    rows = push.RowWriter(say)
    try:
        while not done.is_set():
            signed.wait(PUSH_POLL)
            signed.clear()
            mine = writer.held()
            if not mine:  # a standby: the writer asks them
                continue
            close_old_connections()
            try:
                push.push_waiting(sorted(mine), say=say, later=rows)
                failing = None
            except Exception as exc:  # noqa: BLE001 - the next checkpoint is asked again
                if failing != repr(exc):
                    say(f"the log's lane: witnesses not asked: {exc!r}", flush=True)
                failing = repr(exc)
    finally:
        rows.close()
        connection.close()


def integrate_waiting(election_ids=None, say=None) -> list[str]:
    """One turn of the log's lane (`_log_turn`, no round asking); the elections integrated."""
    return _log_turn(election_ids, say, set())[0]


def _log_turn(election_ids, say, asked: set[str]) -> tuple[list[str], float]:
    """The elections (of `election_ids`, or all) with leaves waiting, or sequenced and not yet
    signed, whose log this process writes (taking the writer lock if it is free), integrated if
    a round `asked` for a checkpoint or none was signed in the last `LOG_MIN_GAP` seconds;
    which, and how long the lane may sleep before the next turn if nothing wakes it."""
    from django.db.models import F

    from sailau.ledger.models import LogState

    wanted = set(election_ids or ())
    unsigned = LogState.objects.filter(size__gt=F("checkpoint_size")).values_list(
        "election_id", flat=True)
    done, pause = [], LOG_POLL
    for eid in sorted(set(outbox.pending()) | set(unsigned)):
        if wanted and eid not in wanted:
            continue
        mine = writer.hold(eid)
        if say is not None:
            writer.say_once(eid, mine, say)
        if not mine:
            continue
        since = logstep.seconds_since_signed(eid)
        if eid in asked or since >= LOG_MIN_GAP:
            logstep.integrate(eid)
            done.append(eid)
        else:  # woken again when the gap is over
            pause = min(pause, LOG_MIN_GAP - since)
    return done, pause


def _prune_now(election_ids, last: float, say) -> float:
    """`retention.prune_objects` (and `mirror.prune` for object storage) for every election,
    and the abandoned video uploads swept, when the last pruning is `PRUNE_EVERY` old; returns
    when it last ran."""
    if time.time() - last < PRUNE_EVERY:
        return last
    for eid in _elections(election_ids):
        try:
            retention.prune_objects(eid)
            mirror.prune(eid)  # the object storage's copy, by the same rule
        except (*failures(), ValueError) as exc:  # a full disk or a bucket down must not end
            # the night either, nor a kept shard unreadable (nothing is deleted then)
            say(f"{eid}: superseded objects not pruned: {exc!r}", flush=True)
    try:  # the video uploads abandoned mid-way: their staged bytes on this node's disk
        from sailau.video.retention import sweep_uploads

        for name in sweep_uploads():
            say(f"{name}: abandoned, its staged bytes removed", flush=True)
    except (*failures(), ValueError) as exc:
        say(f"abandoned uploads not swept: {exc!r}", flush=True)
    return time.time()


def national_lane(election_ids=None, poll: float = POLL, say=print) -> None:
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


def _start_lane(election_ids, which: str = "--national-lane"):
    """`sailau publish --national-lane` (or `--log-lane`) beside this process, ended with it
    (even by kill -9: the kernel is asked to end it when its parent dies)."""
    import sys

    from sailau.background import kill_me_with_parent

    return subprocess.Popen([sys.executable, "-m", "sailau", "publish", which,
                             *(election_ids or [])],
                            preexec_fn=kill_me_with_parent)  # noqa: PLW1509 - no thread yet


def follow(election_ids=None, stop=None, poll: float = POLL, say=print,
           lane: bool | None = None) -> None:
    """Publish every election's changes as they come, until `stop()` is true (or SIGTERM /
    Ctrl-C). `election_ids=None` follows every election in the database, including new ones.

    Three lanes: this loop publishes the batches of changed stations (their files, the levels
    above them, their contests' level tables); a process (`lane`, the default outside a
    transaction: `national_lane`) rewrites the tables of the whole country beside it, so that a
    batch never waits seconds behind a national table, nor for the interpreter lock while one
    is built; and another (`log_lane`) integrates the log between batches. Inside a
    transaction (a test's), one loop does all three, as `publish_changes` alone does, and
    prunes the superseded objects too."""
    from django.db import close_old_connections, connection

    stopping = []
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    if lane is None:
        lane = not connection.in_atomic_block
    # The national lane's process starts when there is work for it (a batch published, or a
    # table left stale by the previous run), not with the server, whose start it would slow;
    # the log's at once: a witness waits for the first checkpoint.
    second = None
    logs = _start_lane(election_ids, "--log-lane") if lane else None
    mark, looked, pruned, kept, headed = None, 0.0, time.time(), None, 0.0
    waiting_for: set[str] = set()  # elections whose lock another process holds, said once
    try:
        while not stopping and not (stop and stop()):
            if not connection.in_atomic_block:  # (a test's transaction is kept)
                close_old_connections()  # a connection the database dropped is reopened
            if kept is None or time.monotonic() - kept >= HOUSEKEEPING_EVERY:
                kept = time.monotonic()
                housekeeping(say)
            start = time.perf_counter()
            current = change_mark()
            ids = _elections(election_ids)
            # Leaves waiting in the outbox (a complaint decided, a role granted: no station
            # moved) and audit heads due are a reason to publish too.
            waiting = set(outbox.pending()) | logstep.elections_with_files_behind(election_ids)
            if time.monotonic() - headed >= AUDIT_HEAD_EVERY:
                headed = time.monotonic()
                waiting |= {eid for eid in ids if audithead.log(eid)}
            worked = busy = False
            # Also when nothing moved: national tables left stale come due after a while
            # (the lane's own work when there is one).
            again = not lane and time.time() - looked >= NATIONAL_MIN_INTERVAL
            if current != mark or again:
                looked = time.time()
            for eid in ids:
                if current == mark and eid not in waiting and not (again and _any_stale(eid)):
                    continue
                t = time.perf_counter()
                try:
                    m = publish_changes(eid, defer_national=lane)
                except (store.ObjectGone, logstep.Unsettled) as exc:  # again next cycle
                    say(f"{exc}; publishing again", flush=True)
                    m, current = None, None
                busy |= m is False
                _say_waiting(eid, m is False, waiting_for, say)
                if m:
                    worked = True
                    say(f"{eid}: manifest {m['sequence']}, {len(m['files'])} files, in "
                        f"{time.perf_counter() - t:.2f} s", flush=True)
            if lane and second is None and (worked or (mark is None and any(
                    _any_stale(eid) for eid in ids))):
                second = _start_lane(election_ids)
            if not busy:  # another process publishing: look again next time
                mark = current
            if not lane:
                pruned = _prune_now(election_ids, pruned, say)
            time.sleep(max(0.0, MIN_GAP - (time.perf_counter() - start)) if worked else poll)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (second, logs):
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _say_waiting(eid: str, blocked: bool, waiting_for: set[str], say) -> None:
    """A second publisher (another `sailau serve`, a `sailau publish --follow` left running)
    used to wait without a word: it says once that it waits for the lock, and once that it
    has it."""
    if blocked and eid not in waiting_for:
        waiting_for.add(eid)
        say(f"{eid}: waiting for the publication lock, which another publisher holds "
            f"({store.election_dir(eid) / store.LOCK}); publishing as soon as it is free",
            flush=True)
    elif not blocked and eid in waiting_for:
        waiting_for.discard(eid)
        say(f"{eid}: the publication lock is free; publishing", flush=True)


def housekeeping(say=print) -> None:
    """Chores that need a loop running as long as the site serves; the publisher's is the one
    `sailau serve` always starts. Volunteers' tasks not typed in time give their slot to
    another volunteer (`sailau.evidence.dispatch.release_stale`): without this, an image handed
    to someone who closed the page would wait for ever for its second reading."""
    from sailau.evidence import dispatch

    try:
        released = dispatch.release_stale()
    except Exception as exc:  # noqa: BLE001 - a chore must not end the publication
        say(f"stale volunteers' tasks not released this round: {exc!r}", flush=True)
        return
    if released:
        say(f"{released} volunteers' tasks not typed in time given to others", flush=True)


def _any_stale(election_id: str) -> bool:
    m = snapshots.latest_manifest(election_id)
    return bool(m and store.stale_names(election_id, m))
