"""The published log's part of a publication round: the audit head logged when due, the outbox
integrated into the tree, the checkpoint signed (sailau.ledger). Run before the station files
are written, so that they carry their protocol's leaf index; returns the stations whose
protocol leaves were just sequenced, which the round must write again (their files were
written, or are being written, without the index)."""

from __future__ import annotations

import contextlib
import threading
import time

from django.db.models import Q

from sailau.ledger import audithead, integrator, outbox
from sailau.ledger.models import Leaf, LogState

_checked: set[str] = set()  # elections whose published checkpoint this process has checked
# Stations whose protocol leaves this process sequenced and whose files no round has written
# since (`integrate` adds, `sequenced_since` takes): the log's lane (`publisher.follow`)
# integrates between the batches, whose next round writes those files again with the index.
_sequenced: dict[str, set[str]] = {}
_last: dict[str, float] = {}  # election -> when this process last integrated it (monotonic)
_guard = threading.Lock()


def integrate(election_id: str) -> set[str]:
    """Sequence what waits and sign the checkpoint; the stations whose protocol leaves this
    call sequenced."""
    audithead.log(election_id)
    if not outbox.pending(election_id) and election_id in _checked:
        return set()
    # The first round of a process integrates even with nothing pending: a publisher killed
    # after sequencing and before its checkpoint left the files behind the state.
    out = integrator.integrate(election_id)
    _checked.add(election_id)
    stations = {subject.split("/", 1)[0] for kind, subject in out.subjects
                if kind == "protocol"}
    with _guard:
        _sequenced.setdefault(election_id, set()).update(stations)
        _last[election_id] = time.monotonic()
    return stations


def sequenced_since(election_id: str) -> set[str]:
    """The stations whose protocol leaves were sequenced in this process since the last call
    (by a batch or by the log's lane)."""
    with _guard:
        return _sequenced.pop(election_id, set())


def elections_with_files_behind() -> set[str]:
    """The elections with stations sequenced here whose files no round has written since: a
    reason for a round even when nothing else moved."""
    with _guard:
        return {eid for eid, stations in _sequenced.items() if stations}


def seconds_since_integrated(election_id: str) -> float:
    with _guard:
        return time.monotonic() - _last.get(election_id, float("-inf"))


PATIENCE = 0.3  # seconds of "integrate, then look again" before a snapshot is taken as it is


@contextlib.contextmanager
def snapshot_in_the_log(election_id: str):
    """`one_snapshot` of a moment at which every definitive protocol the snapshot sees is in the
    log's latest checkpoint; yields the stations whose protocol leaves were sequenced meanwhile.

    A protocol made definitive between `integrate` and the snapshot's first read would be in the
    station files and the totals, yet in no checkpoint: a reader (`sailau verify`) fetching the
    folder before the next round would rightly find a protocol that is not in the log. So:
    integrate, open the snapshot, and if it sees a protocol leaf still waiting, close it and
    integrate again, for at most `PATIENCE` seconds (under a burst of arrivals a new protocol
    may come in every round: the round then goes ahead, and the next one, a moment later,
    catches its files up; `sailau demo` runs a last round as it stops)."""
    from django.db import connection

    from sailau.publish.changes import one_snapshot

    # Inside a caller's transaction (a test, the chain) `one_snapshot` adds nothing and the
    # integration saw the caller's leaves: one pass.
    inside = connection.in_atomic_block
    integrate(election_id)
    until = time.monotonic() + PATIENCE  # after the first integration, however long it took
    while True:
        last = inside or time.monotonic() >= until
        with one_snapshot():
            if last or not _protocols_waiting(election_id):
                # Taken inside the snapshot: a station sequenced after this is the next
                # round's (its file here may lack the index; the next one carries it).
                taken = sequenced_since(election_id)
                try:
                    yield taken
                except BaseException:  # the round did not write them: the next one must
                    with _guard:
                        _sequenced.setdefault(election_id, set()).update(taken)
                    raise
                return
        integrate(election_id)


def checkpoint_size(election_id: str) -> int:
    """The size of the log's latest checkpoint (0 before the first): inside a snapshot, the one
    whose protocols the snapshot's files show (the manifest's `log_size`)."""
    return LogState.objects.filter(pk=election_id).values_list(
        "checkpoint_size", flat=True).first() or 0


def _protocols_waiting(election_id: str) -> bool:
    """A protocol leaf not yet in the latest checkpoint (waiting, or sequenced by another
    integrator that has not signed its checkpoint yet)."""
    return Leaf.objects.filter(election_id=election_id, kind="protocol").filter(
        Q(index__isnull=True) | Q(index__gte=checkpoint_size(election_id))).exists()
