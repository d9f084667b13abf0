"""The published log's part of a publication round: the audit head logged when due, the outbox
integrated into the tree, the checkpoint signed (sailau.ledger), by the log's one writer (the
log's lane while `--follow` runs, for which a round waits; the round itself when no writer
runs: `sailau.ledger.writer`). Run before the station files are written, so that they carry
their protocol's leaf index; the stations whose protocol leaves were sequenced after the
previous manifest's snapshot (by the log's lane, or by the round before) are written again,
with the index: the previous manifest's `log_size` says which."""

from __future__ import annotations

import contextlib
import time
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from sailau import errors
from sailau.ledger import audithead, integrator, outbox, wake
from sailau.ledger.models import Leaf, LogState
from sailau.publish.files import registers

_checked: set[str] = set()  # elections whose published checkpoint this process has checked


def integrate(election_id: str, wait: float = integrator.WAIT_FOR_WRITER) -> None:
    """Sequence what waits and sign the checkpoint: here when this process is the log's writer
    or finds no writer (`sailau.ledger.writer`), else by the writer, for which this waits (at
    most `wait` seconds, then `integrator.WriterLate`)."""
    audithead.log(election_id)
    if election_id in _checked and not outbox.pending(election_id) and _signed(election_id):
        return
    # The first round of a process integrates even with nothing pending: a publisher killed
    # after sequencing and before its checkpoint left the files behind the state.
    integrator.integrate(election_id, wait=wait)
    _checked.add(election_id)


def _signed(election_id: str) -> bool:
    """Every sequenced leaf in the latest checkpoint (a writer killed between the two steps,
    or signing now, leaves it false)."""
    row = LogState.objects.filter(pk=election_id).values_list("size", "checkpoint_size").first()
    return row is None or row[0] == row[1]


def seconds_since_signed(election_id: str) -> float:
    """Since the log's latest checkpoint was signed, by whichever process (the log's lane, a
    batch): the database says, so that two processes keep one pace."""
    at = LogState.objects.filter(pk=election_id).values_list("checkpoint_at", flat=True).first()
    return float("inf") if at is None else (timezone.now() - at).total_seconds()


def stations_sequenced_from(election_id: str, size: int | None) -> set[str]:
    """The stations with a protocol leaf at index `size` or later: sequenced after the snapshot
    of the manifest whose `log_size` is `size`, so their files there (if any) lack the index.
    Read from the database, whichever process sequenced them (the log's lane is one of its
    own); None (no manifest says): none."""
    if size is None:
        return set()
    return {subject.split("/", 1)[0] for subject in Leaf.objects.filter(
        election_id=election_id, kind="protocol", index__gte=size)
        .values_list("subject", flat=True)}


def registers_behind(election_id: str, prev: dict | None) -> bool:
    """Whether the turnout reports' and complaint decisions' files (`registers`) of the manifest
    `prev` are behind the log's latest checkpoint: a round writes them again even when no
    station moved."""
    return registers.due(election_id, prev, checkpoint_size(election_id))


def elections_with_files_behind(election_ids=None) -> set[str]:
    """The elections (of `election_ids`, or all with a log) whose latest manifest shows a
    checkpoint older than a leaf its files show sequenced since (a protocol's, a turnout
    report's, a complaint decision's: `registers.KINDS`): a reason for a round even when no
    station's rows moved."""
    from sailau.publish.storage import store

    rows = LogState.objects.filter(size__gt=0)
    if election_ids is not None:
        rows = rows.filter(pk__in=list(election_ids))
    out = set()
    for eid, size in rows.values_list("election_id", "size"):
        shown = (store.latest_manifest(eid) or {}).get("log_size")
        if shown is not None and shown < size and Leaf.objects.filter(
                election_id=eid, kind__in=("protocol", *registers.KINDS),
                index__gte=shown).exists():
            out.add(eid)
    return out


# Seconds of "integrate, then look again" before a round gives up on a moment in which every
# definitive protocol is in the checkpoint. A round that gives up publishes nothing (the next,
# a moment later, tries again): files showing a protocol no checkpoint has would make an honest
# folder fail `sailau verify`. Integration takes milliseconds, so a burst of arrivals that
# lands in every one of these gaps for seconds is rare; on a loaded machine (the live demo on
# two cores) the first tries can take a second each.
PATIENCE = 3.0
# The same for a whole publication (`snapshots.publish_locked`: `sailau publish`, the first
# round of `--follow`, a structure's change), which is not skipped as lightly: on a loaded
# machine a full publication's first integration alone can take seconds. Past it, `Unsettled`
# all the same: a burst of arrivals that never stops would hold the publication lock, and
# every batch behind it, for the whole night. Longer waits out longer bursts; shorter gives
# the lock back sooner.
FULL_PATIENCE = 60.0


class Unsettled(errors.Unsettled):
    """No moment within `PATIENCE` (`FULL_PATIENCE`) had every definitive protocol in the log's
    checkpoint: nothing was read; the caller publishes in its next round, or says so (a refusal
    of the error model: the API and the CLI say it in kk/ru/en, 503)."""


class Waiting:
    """What a batch's snapshot showed beyond the log's checkpoint (`snapshot_in_the_log` with
    `waiting`): the protocol leaves committed but not yet in the checkpoint of size `size`
    (leaf id -> subject), which `settle` holds to the log once the snapshot is closed."""

    def __init__(self):
        self.size = 0
        self.leaves: dict[int, str] = {}

    def stations(self) -> set[str]:
        return {subject.split("/", 1)[0] for subject in self.leaves.values()}


@contextlib.contextmanager
def snapshot_in_the_log(election_id: str, shown: int | None = None,
                        patience: float = PATIENCE, waiting: Waiting | None = None):
    """`one_snapshot` of a moment at which every definitive protocol the snapshot sees is in the
    log's latest checkpoint; yields the stations whose protocol leaves were sequenced after the
    checkpoint of size `shown` (the previous manifest's `log_size`), read in the snapshot.

    A protocol made definitive between `integrate` and the snapshot's first read would be in the
    station files and the totals, yet in no checkpoint: a reader (`sailau verify`) fetching the
    folder would rightly find a protocol that is not in the log, and tables the log's leaves at
    the manifest's `log_size` do not give. So: integrate, open the snapshot, and if it sees a
    protocol leaf still waiting, close it and integrate again, for at most `patience` seconds;
    then raise `Unsettled`, having read nothing.

    `waiting` (a batch's): such protocols are read all the same, and recorded there with their
    stations among those yielded; the caller closes the snapshot, then `settle`s them before it
    publishes. At a few protocols a second, a moment with none waiting came too seldom: a batch
    in fifty gave up after `patience`, and the files' p95 was seconds. Only a turnout report or
    a decision waiting (a file of them would show a leaf beyond the size) makes it retry. A
    batch asks for the integration and reads meanwhile (`_asked_early`)."""
    from django.db import connection

    from sailau.publish.pipeline.changes import one_snapshot

    # Inside a caller's transaction (a test, the chain) `one_snapshot` adds nothing and the
    # integration saw the caller's leaves: one pass.
    inside = connection.in_atomic_block
    if not (waiting is not None and not inside and _asked_early(election_id)):
        _settle(election_id, time.monotonic() + patience)
    until = time.monotonic() + patience  # after a first integration, however long it took
    while True:
        with one_snapshot():
            beyond = Beyond(0, {}, False) if inside else beyond_checkpoint(election_id)
            if not beyond.protocols:
                # Read inside the snapshot: a station sequenced after this is the next round's
                # (its file here may lack the index; this manifest's log_size says so).
                yield stations_sequenced_from(election_id, shown)
                return
            if waiting is not None and not beyond.registers:
                waiting.size, waiting.leaves = beyond.size, beyond.protocols
                yield stations_sequenced_from(election_id, shown) | waiting.stations()
                return
        if time.monotonic() >= until:
            raise Unsettled(detail={"election": election_id, "seconds": round(patience)})
        _settle(election_id, until)


def _asked_early(election_id: str) -> bool:
    """A batch's snapshot read while the log's writer integrates, rather than after: leaves are
    sequenced in the order they were committed (`integrator.ORDER`), so a leaf committed after
    the snapshot is sequenced after every leaf it saw; what the snapshot sees beyond the
    checkpoint is `waiting` and `settle` holds the files to it. So the batch asks the writer
    (`wake.ask_early`) and drafts its files meanwhile; a national night's batches waited 65 ms
    each for an integration first. Not a process's first round (`integrate` looks at the log's
    state then), nor when there is no writer to ask (`wake.ask_early` says when): this process
    then integrates itself, first."""
    return election_id in _checked and wake.ask_early(election_id)


def settle(election_id: str, waiting: Waiting, patience: float = PATIENCE) -> int | None:
    """After a snapshot that showed protocols beyond the checkpoint (`waiting`), closed: the
    log's writer sequences and signs them, and the size of the log whose leaves the files show
    is returned, the end of the last of them (None: none was waiting, the checkpoint the
    snapshot read is the size). The files are honest at that size only if no other leaf a file
    is held to (a protocol, a turnout report, a decision) came between them, which the snapshot
    did not see. Leaves are sequenced in the order they were committed (`integrator.ORDER`), so
    that never happens on an honest server; should it, the round raises `Unsettled` (the next
    publishes it)."""
    if not waiting.leaves:
        return None
    # Often signed already (the writer, asked early, integrated while the files were drafted):
    # then nothing is asked, and leaves committed since are not waited for.
    size = _signed_size(election_id, waiting, patience)
    if size is None:
        _settle(election_id, time.monotonic() + patience)
        size = _signed_size(election_id, waiting, patience)
    if size is None:
        raise Unsettled(detail={"election": election_id, "seconds": round(patience)})
    return size


def _signed_size(election_id: str, waiting: Waiting, patience: float) -> int | None:
    """The size of the log at the last of the `waiting` leaves once they are sequenced and in
    a signed checkpoint (None while they are not); `Unsettled` if one is gone or another leaf a
    file is held to was sequenced among them (see `settle`)."""
    ids = set(waiting.leaves)
    indexes = dict(Leaf.objects.filter(pk__in=ids).values_list("id", "index"))
    if len(indexes) != len(ids):
        raise Unsettled(detail={"election": election_id, "seconds": round(patience)})
    if None in indexes.values():
        return None
    size = max(indexes.values()) + 1
    if checkpoint_size(election_id) < size:  # sequenced, not yet signed: asked again
        return None
    between = set(Leaf.objects.filter(
        election_id=election_id, kind__in=("protocol", *registers.KINDS),
        index__gte=waiting.size, index__lt=size).values_list("id", flat=True))
    if between != ids:
        raise Unsettled(detail={"election": election_id, "seconds": round(patience)})
    return size


def _settle(election_id: str, until: float) -> None:
    """`integrate`, waiting for the log's writer at most until `until` (then `Unsettled`)."""
    try:
        integrate(election_id, wait=max(0.0, until - time.monotonic()))
    except integrator.WriterLate as exc:
        raise Unsettled(detail={"election": election_id, "writer": str(exc)}) from exc


def checkpoint_size(election_id: str) -> int:
    """The size of the log's latest checkpoint (0 before the first): inside a snapshot, the one
    whose protocols the snapshot's files show (the manifest's `log_size`)."""
    return LogState.objects.filter(pk=election_id).values_list(
        "checkpoint_size", flat=True).first() or 0


class Beyond(NamedTuple):
    """The leaves a file is held to that the log's latest checkpoint lacks (`beyond_checkpoint`)."""

    size: int  # the latest checkpoint's size
    protocols: dict[int, str]  # the protocol leaves: id -> subject
    registers: bool  # a turnout report's or a decision's leaf (`registers.KINDS`) too


def beyond_checkpoint(election_id: str) -> Beyond:
    """The protocol, turnout report and decision leaves not yet in the latest checkpoint
    (waiting, or sequenced by another integrator that has not signed its checkpoint yet), with
    that checkpoint's size. Two queries (in a snapshot, they see the same moment): with the
    size as a number the leaves are read by the outbox's index and the one of positions (0.4 ms
    at national scale). With the size a subquery of the same statement PostgreSQL could not
    know how few leaves lie beyond it and read every leaf of the election: 23 ms idle, and
    11.8 % of the batches' time in a recorded national night."""
    size = checkpoint_size(election_id)
    rows = (Leaf.objects.filter(election_id=election_id, kind__in=("protocol", *registers.KINDS))
            .filter(Q(index__isnull=True) | Q(index__gte=size))
            .values_list("id", "subject", "kind"))
    protocols, others = {}, False
    for leaf, subject, kind in rows:
        if kind == "protocol":
            protocols[leaf] = subject
        else:
            others = True
    return Beyond(size, protocols, others)
