"""Publication while protocols arrive: `sailau serve` starts `sailau publish --follow`
(`follow`), which runs the three lanes of election night for every election:

- the batches, in this process, woken by the writes that concern them (`sailau.ledger.wake`:
  a leaf committed, a step time or a scan, a checkpoint signed; else every `FALLBACK`): a
  cheap question to the database ("did any protocol, step time or scan row change?") and, when
  something did, one round (`batches.publish_changes`) that writes the stations whose
  fingerprint moved, the commissions above them and their contests' tables, and one new
  manifest, at most every `MIN_GAP`. A protocol made definitive is in the snapshot files
  within about one batch after its commit;
- the national lane (`national_lane`, a process `follow` starts when there is work for it):
  the tables of the whole country, which a batch only marks stale (and wakes it);
- the log's lane (`log_lane`, a process `follow` starts at once): the log's one writer, which
  sequences the outbox, signs checkpoints and asks the witnesses to cosign them.

One publisher at a time per election, across processes, by a lock file (like the integrity
report's recompute): a second `serve` or a `sailau publish` run while one follows waits or
skips, and says so once (`_say_waiting`). The intervals all these keep are in one place:
`timing`; the chores they share (pruning, housekeeping) are `chores`."""

from __future__ import annotations

import signal
import subprocess
import threading
import time

from sailau.ledger import audithead, outbox, wake
from sailau.publish.pipeline import chores, logstep
from sailau.publish.pipeline.batches import publish_changes
from sailau.publish.pipeline.changes import change_mark

# The intervals, in one place (`timing`); read here under these names, which tests set.
from sailau.publish.pipeline.timing import (
    AUDIT_HEAD_EVERY,
    FALLBACK,
    HOUSEKEEPING_EVERY,
    MIN_GAP,
    NATIONAL_MIN_INTERVAL,
)
from sailau.publish.storage import publisher_state, store

LOG_LANES = 2  # the log's writer and a standby (`follow`); tests that count processes set 1


def _start_lane(election_ids, which: str = "--national-lane"):
    """`sailau publish --national-lane` (or `--log-lane`) beside this process, ended with it
    (even by kill -9: the kernel is asked to end it when its parent dies)."""
    import sys

    from sailau.background import kill_me_with_parent

    return subprocess.Popen([sys.executable, "-m", "sailau", "publish", which,
                             *(election_ids or [])],
                            preexec_fn=kill_me_with_parent)  # noqa: PLW1509 - no thread yet


def follow(election_ids=None, stop=None, poll: float = FALLBACK, say=print,
           lane: bool | None = None) -> None:
    """Publish every election's changes as they come, until `stop()` is true (or SIGTERM /
    Ctrl-C). `election_ids=None` follows every election in the database, including new ones.

    Three lanes: this loop publishes the batches of changed stations (their files, the levels
    above them, their contests' level tables); a process (`lane`, the default outside a
    transaction: `national_lane.national_lane`) rewrites the tables of the whole country
    beside it, so that a batch never waits seconds behind a national table, nor for the
    interpreter lock while one is built; and another (`log_lane.log_lane`) integrates the log
    between batches. Inside a transaction (a test's), one loop does all three, as
    `publish_changes` alone does, and prunes the superseded objects too."""
    from django.db import OperationalError, close_old_connections, connection

    stopping = []
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    if lane is None:
        lane = not connection.in_atomic_block
    # The national lane's process starts when there is work for it (a batch published, or a
    # table left stale by the previous run), not with the server, whose start it would slow;
    # the log's at once: a witness waits for the first checkpoint.
    second = None
    # Two log lanes: the first holds the writer lock, the second waits and takes it within
    # `FALLBACK` when the first dies, so that a killed writer stops the witnesses' cosigning for
    # a second, not for a new interpreter's start (seconds, tens on a loaded machine).
    logs = [_start_lane(election_ids, "--log-lane") for _ in range(LOG_LANES)] if lane else []
    mark, looked, pruned, kept, headed = None, 0.0, time.time(), None, 0.0
    # Listening before the first look: a write committed during a round wakes the next wait.
    inbox = wake.StageInbox("batches")
    waiting_for: set[str] = set()  # elections whose lock another process holds, said once
    try:
        while not stopping and not (stop and stop()):
            if not connection.in_atomic_block:  # (a test's transaction is kept)
                close_old_connections()  # a connection the database dropped is reopened
            if kept is None or time.monotonic() - kept >= HOUSEKEEPING_EVERY:
                kept = time.monotonic()
                chores.housekeeping(say)
            start = time.perf_counter()
            try:
                current = change_mark()
                ids = chores.elections(election_ids)
                # Leaves waiting in the outbox (a complaint decided, a role granted: no station
                # moved) and audit heads due are a reason to publish too.
                waiting = (set(outbox.pending())
                           | logstep.elections_with_files_behind(election_ids))
                if time.monotonic() - headed >= AUDIT_HEAD_EVERY:
                    headed = time.monotonic()
                    waiting |= {eid for eid in ids if audithead.log(eid)}
            except OperationalError as exc:  # busy past its timeout, or the connection lost
                say(f"the database did not answer: {exc}; looking again", flush=True)
                inbox.wait(poll)
                continue
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
                # Again next cycle; a database that did not answer (SQLite's write lock busy
                # past its timeout under load, a dropped PostgreSQL connection) once ended the
                # publisher, and with it every file of the night.
                except (store.ObjectGone, logstep.Unsettled, OperationalError) as exc:
                    say(f"{exc}; publishing again", flush=True)
                    m, current, worked = None, None, True  # (again after the gap)
                busy |= m is False
                _say_waiting(eid, m is False, waiting_for, say)
                if m:
                    worked = True
                    say(f"{eid}: manifest {m['sequence']}, {len(m['files'])} files, in "
                        f"{time.perf_counter() - t:.2f} s", flush=True)
            if lane and second is None and (worked or (mark is None and any(
                    _any_stale(eid) for eid in ids))):
                second = _start_lane(election_ids)
            # A lane that died (killed, out of memory) is started again: meanwhile the batches
            # write the log themselves (its lock free), but nobody asks the witnesses to
            # cosign, and the national tables stay stale.
            logs = [_restarted(p, election_ids, "--log-lane", say) for p in logs]
            second = _restarted(second, election_ids, "--national-lane", say)
            if not busy:  # another process publishing: look again next time
                mark = current
            if not lane:
                pruned = chores.prune_now(election_ids, pruned, say)
            if worked:  # a publication at most every MIN_GAP; what came meanwhile is waiting
                time.sleep(max(0.0, MIN_GAP - (time.perf_counter() - start)))
            if current is not None:  # (None: a round unsettled, again after the gap)
                # Until a write that concerns the batches commits (`wake`), or the fallback,
                # shorter than every chore's interval above.
                inbox.wait(poll)
    except KeyboardInterrupt:
        pass
    finally:
        inbox.close()
        for process in (second, *logs):
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _restarted(process, election_ids, which: str, say):
    """`process` (a lane), or a new one in its place when it has ended."""
    if process is None or process.poll() is None:
        return process
    say(f"the lane `sailau publish {which}` ended (exit {process.returncode}); starting it "
        "again", flush=True)
    return _start_lane(election_ids, which)


def _say_waiting(eid: str, blocked: bool, waiting_for: set[str], say) -> None:
    """A second publisher (another `sailau serve`, a `sailau publish --follow` left running)
    used to wait without a word: it says once that it waits for the lock, and once that it
    has it."""
    if blocked and eid not in waiting_for:
        waiting_for.add(eid)
        say(f"{eid}: waiting for the publication lock, which another publisher holds "
            f"({store.election_dir(eid) / publisher_state.LOCK}); publishing as soon as it is free",
            flush=True)
    elif not blocked and eid in waiting_for:
        waiting_for.discard(eid)
        say(f"{eid}: the publication lock is free; publishing", flush=True)


def _any_stale(election_id: str) -> bool:
    m = store.latest_manifest(election_id)
    return bool(m and store.stale_names(election_id, m))
