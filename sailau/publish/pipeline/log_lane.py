"""The log's lane: the log's one writer (`sailau.ledger.writer`) as a process of its own
(`sailau publish --log-lane`, which `publisher.follow` starts). Woken by a leaf committed to the
outbox or a round asking for a checkpoint (`sailau.ledger.wake`; else every `FALLBACK`), it
integrates every election with leaves waiting (`logstep.integrate`: sequenced, tiles, a signed
checkpoint), wakes the batches, and asks the witnesses to cosign each checkpoint it signs
(`sailau.ledger.push`, in a thread)."""

from __future__ import annotations

import signal
import threading

from sailau.ledger import outbox, push, wake, writer
from sailau.publish.pipeline import chores, logstep

# The intervals, in one place (`timing`); read here under these names, which tests set.
from sailau.publish.pipeline.timing import FALLBACK, LOG_MIN_GAP, PUSH_POLL


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
    for eid in chores.elections(election_ids):  # at once, so that the batches wait for this lane
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
    done, pause = [], FALLBACK
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
    if done:  # a checkpoint signed: the batches write again the stations it sequenced, with
        wake.stage_written("batches")  # their index (`logstep.elections_with_files_behind`)
    return done, pause
