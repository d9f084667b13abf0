"""The integrator: sequences the outbox into the election's Merkle tree, writes the changed
tiles and entry bundles under `log/`, signs the checkpoint with the log key and publishes it
(`log/checkpoint`, `log/log.json`).

One process at a time does it: the one holding the election's writer lock (`writer`; the log's
lane, `sailau publish --log-lane`, or whoever finds the lock free); anyone else waits for it
(`integrate`). Two steps, each safe to repeat after a crash:

1. **Sequence** (`sequence`): the un-integrated leaves in the order they were committed
   (`ORDER`) get the indexes
   size, size+1, ... and the state row its new size and root, in one transaction whose first
   write is a compare-and-swap: `UPDATE ledger_logstate SET size=new, root=... WHERE
   election_id=... AND size=old`. The writer lock means no second integrator exists; the
   compare-and-swap is the database's own guard should the lock ever be lost (a dropped
   session): of two integrators that read the same `old`, exactly one updates a row; the
   other sees 0 rows, rolls back, assigns nothing and raises `LostRace`. Why this holds:
   - PostgreSQL (READ COMMITTED): the UPDATE locks the row; if another transaction changed it
     meanwhile, the UPDATE waits for that one to end and then re-checks its WHERE on the row's
     new version (size is no longer `old`), so it matches nothing.
   - SQLite: the project opens transactions IMMEDIATE (settings), so a writer takes the
     database's write lock at BEGIN and the UPDATE reads the last committed size; a second
     writer waits for the lock and then reads the new size.
   The leaves' indexes are written in the same transaction (`WHERE index IS NULL`, counted), so
   a `kill -9` leaves either all of a batch sequenced with the state, or none of it.
2. **Publish** (`publish`): from the sequenced state, the tiles and bundles between the last
   published checkpoint and the new size, then the signed checkpoint, then the state's
   `checkpoint_size`. Everything written is a function of the sequenced leaves (Ed25519
   signatures are deterministic too), so a rewrite after a crash writes identical bytes; a
   crash before `checkpoint_size` moves makes the next run write it all again.

The tree's stored hashes are kept per process (`_trees`) and caught up from the database's leaf
hashes; a tree that disagrees with the state's root is rebuilt from all leaves."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from sailau.ledger import logkey, tl, wake, writer
from sailau.ledger.files import LogFiles
from sailau.ledger.models import Cosignature, Leaf, LogState, Witness

BATCH = 10000  # leaves sequenced per transaction
# The order the waiting leaves are sequenced in: the order their transactions committed
# (`Leaf.committed`, PostgreSQL's; null on SQLite, where ids are given in commit order), then
# their ids (a transaction's own leaves, in the order it wrote them). So a snapshot that saw
# some leaves waiting never finds, once they are sequenced, a leaf it did not see among them.
ORDER = ("committed", "id")
WIDTH = 256
_trees: dict[str, object] = {}
# The server's threads share `_trees` (two witnesses' cosignatures at once, each checking its
# checkpoint against the tree): whoever reads or extends a cached tree holds this lock.
_lock = threading.RLock()


@dataclass
class Outcome:
    election_id: str
    sequenced: int  # leaves given an index by this call
    size: int  # the tree's size after it
    published: bool  # a new checkpoint was written
    bytes_written: int
    seconds: float


class LostRace(RuntimeError):
    """Another integrator sequenced the same leaves first (nothing was written): the writer
    lock (`writer`) keeps that from happening; this is the database's word if it ever did."""


def tree(election_id: str, size: int, root: bytes):
    """The election's tree of exactly `size` leaves (stored hashes), from this process's copy
    caught up from the database; rebuilt when it does not give `root`. The caller holds
    `_lock` while it uses the tree."""
    t = _trees.get(election_id)
    if t is None:
        t = _trees[election_id] = tl.MemoryTree()
    elif t.size > size:  # leaves of a lost race, or a state read before another moved it:
        t.truncate(size)  # not the whole tree again (seconds at 200,000 leaves), its first part
    if t.size < size:
        for (h,) in (Leaf.objects.filter(election_id=election_id, index__gte=t.size,
                                         index__lt=size).order_by("index")
                     .values_list("hash").iterator(chunk_size=5000)):
            t.append(bytes(h))
    if t.size != size or (size and tl.tree_hash(size, t) != bytes(root)):
        _trees.pop(election_id, None)
        if t.size != size:
            raise RuntimeError(f"{election_id}: the log's state says {size} leaves, the "
                               f"database holds {t.size} with an index")
        raise RuntimeError(f"{election_id}: the leaves' hashes do not give the log's root")
    return t


def _tree_at(election_id: str, size: int, root: bytes):
    """The cached tree when its first `size` leaves give `root` (it may be past `size`: a newer
    state read by another thread), else the tree of exactly `size` leaves. Under `_lock`."""
    t = _trees.get(election_id)
    if t is not None and t.size >= size and tl.tree_hash(size, t) == bytes(root):
        return t
    return tree(election_id, size, root)


def root_at(election_id: str, size: int, root: bytes, n: int) -> bytes:
    """The root of the first `n` leaves of the log whose state is (`size`, `root`), n <= size."""
    with _lock:
        return tl.tree_hash(n, _tree_at(election_id, size, root))


def consistency_at(election_id: str, size: int, root: bytes, old: int, new: int) -> list[bytes]:
    """The RFC 6962 consistency proof from `old` leaves to `new` (old <= new <= size) of the log
    whose state is (`size`, `root`): what the log sends a witness with a checkpoint."""
    if not 0 < old < new:
        return []
    with _lock:
        return tl.consistency_proof(old, new, _tree_at(election_id, size, root))


def sequence(election_id: str) -> list[tuple[str, str]]:
    """Give the pending leaves their indexes (step 1); the (type, subject) of each. LostRace
    when another integrator moved the state first."""
    state = logkey.state(election_id)
    old = state.size
    pending = list(Leaf.objects.filter(election_id=election_id, index__isnull=True)
                   .order_by(*ORDER).values_list("id", "hash", "kind", "subject")[:BATCH])
    if not pending:
        return []
    with _lock:
        return _sequence(election_id, old, state.root, pending)


def _sequence(election_id: str, old: int, root: bytes, pending: list) -> list[tuple[str, str]]:
    t = tree(election_id, old, root)
    for _, h, _, _ in pending:
        t.append(bytes(h))
    new = old + len(pending)
    try:
        with transaction.atomic():
            moved = LogState.objects.filter(pk=election_id, size=old).update(
                size=new, root=tl.tree_hash(new, t))
            if moved != 1:
                raise LostRace(f"{election_id}: the log moved past size {old}")
            table = connection.ops.quote_name(Leaf._meta.db_table)
            with connection.cursor() as cur:
                cur.executemany(f'UPDATE {table} SET "index" = %s WHERE id = %s '
                                f'AND "index" IS NULL',
                                [(old + i, row[0]) for i, row in enumerate(pending)])
            got = Leaf.objects.filter(election_id=election_id, index__gte=old,
                                      index__lt=new).count()
            if got != len(pending):
                raise LostRace(f"{election_id}: {len(pending) - got} leaves were sequenced "
                               "by another integrator")
    except BaseException:
        # It holds leaves that are not the state's (a failed transaction): they go, the first
        # `old` stay (rebuilding it from every leaf costs seconds at 100,000 stations).
        t.truncate(old)
        raise
    return [(kind, subject) for _, _, kind, subject in pending]


def checkpoint_text(row: LogState, cosignatures: list[str] | None = None) -> str:
    """The checkpoint note as published: the log's signed note, then the cosignature lines of
    its size gathered so far."""
    if cosignatures is None:
        cosignatures = list(Cosignature.objects.filter(
            witness__election_id=row.election_id, size=row.checkpoint_size)
            .order_by("witness__name").values_list("line", flat=True))
    return row.checkpoint + "".join(line if line.endswith("\n") else line + "\n"
                                    for line in cosignatures)


def log_json(row: LogState) -> bytes:
    witnesses = list(Witness.objects.filter(election_id=row.election_id)
                     .values_list("verifier_key", flat=True))
    return json.dumps({"origin": row.origin, "log_key": row.verifier_key,
                       "witnesses": witnesses}, sort_keys=True, indent=1,
                      ensure_ascii=False).encode() + b"\n"


def publish(election_id: str, files: LogFiles | None = None) -> bool:
    """Write what the published folder lacks up to the sequenced size and sign its checkpoint
    (step 2); whether a new checkpoint was signed."""
    files = files or LogFiles(election_id)
    row = logkey.state(election_id)
    if row.checkpoint_size == row.size and row.checkpoint:
        if files.read("checkpoint") != checkpoint_text(row).encode():
            files.put("log.json", log_json(row))  # a crash between the state and the file
            write_checkpoint(election_id, files)
        return False
    with _lock:
        return _publish(election_id, files, row)


def _publish(election_id: str, files: LogFiles, row: LogState) -> bool:
    t = tree(election_id, row.size, row.root)
    old, new = row.checkpoint_size, row.size
    for level, n, width in tl.tiles_for(old, new):
        files.put(tl.tile_path(level, n, width), tl.tile_bytes(level, n, width, t))
    for n in range(old // WIDTH, (new + WIDTH - 1) // WIDTH):
        start = n * WIDTH
        width = min(WIDTH, new - start)
        data = [bytes(d) for d in Leaf.objects.filter(
            election_id=election_id, index__gte=start, index__lt=start + width)
            .order_by("index").values_list("data", flat=True)]
        files.put(tl.entries_path(n, width), tl.pack_entry_bundle(data))
    body = tl.Checkpoint(row.origin, new, tl.tree_hash(new, t)).body()
    note = tl.sign_note(body, [logkey.signer(row)]).decode()
    described = log_json(row)
    if files.read("log.json") != described:  # (the same with every checkpoint but the first)
        files.put("log.json", described)
    # The state first, then the file: a reader may then briefly fetch the previous checkpoint,
    # never one the state has not recorded (the cosignature endpoint checks against it).
    with transaction.atomic():  # a transaction, so that the log's lane is first in line for it
        LogState.objects.filter(pk=election_id, checkpoint_size__lt=new).update(
            checkpoint_size=new, checkpoint=note, checkpoint_at=timezone.now())
    write_checkpoint(election_id, files)  # a faster integrator may have gone further
    return True


def write_checkpoint(election_id: str, files: LogFiles | None = None) -> None:
    """`log/checkpoint` as the database says now, with the cosignatures of its size: read and
    written under the log's file lock (`LogFiles.locked`), never a size below the file's (a
    reader holding an older view of the database leaves the file as it is)."""
    files = files or LogFiles(election_id)
    with files.locked():
        row = LogState.objects.get(pk=election_id)
        text = checkpoint_text(row).encode()
        old = files.read("checkpoint")
        if old is not None and (old == text or (
                _signer(old) == _signer(text) and _size(old) > row.checkpoint_size)):
            return  # (a log begun again, with a new key, replaces the file whatever its size)
        files.put("checkpoint", text)


def _size(note: bytes) -> int:
    try:
        return int(note.split(b"\n")[1])
    except (IndexError, ValueError):
        return -1


def _signer(note: bytes) -> bytes | None:
    """The log's signature line's name and key hash (its first four bytes), None if none."""
    try:
        name, sig = note.split(b"\n\n", 1)[1].split(b"\n", 1)[0].split(b" ")[1:3]
        return name + b" " + base64.b64decode(sig)[:4]
    except (IndexError, ValueError):
        return None


# Seconds `integrate` waits, by default, for the log's writer (another process) to integrate
# what waits. WAIT_POLL: the fallback between two looks at whether it did (two small reads), when
# the writer's answer (`wake`) does not come: none writing yet, a wake-up lost (on SQLite, a
# writer on another machine).
WAIT_FOR_WRITER = 30.0
WAIT_POLL = 0.1


class WriterLate(RuntimeError):
    """The process that writes the log (`writer`) did not integrate what waits within the
    time given: nothing was written here."""


def integrate(election_id: str, files: LogFiles | None = None,
              wait: float = WAIT_FOR_WRITER) -> Outcome:
    """Sequence every pending leaf of the election and publish the checkpoint that covers them,
    as the log's one writer (`writer`): this process when it holds the writer lock or finds it
    free; otherwise the process that holds it, for which this waits (at most `wait` seconds,
    then `WriterLate`) until the leaves waiting now are in a signed checkpoint."""
    began = time.monotonic()
    with writer.holding(election_id) as mine:
        if mine:
            files = files or LogFiles(election_id)
            done = 0
            while True:
                # Nobody else sequences while the lock is held: a `LostRace` here means the
                # lock was lost (a dropped database session) and is raised, never retried.
                batch = sequence(election_id)
                done += len(batch)
                if len(batch) < BATCH:
                    break
            published = publish(election_id, files)
            size = LogState.objects.values_list("size", flat=True).get(pk=election_id)
            return Outcome(election_id, done, size, published, files.written,
                           time.monotonic() - began)
    size = wait_for_writer(election_id, began + wait)
    return Outcome(election_id, 0, size, False, 0, time.monotonic() - began)


def wait_for_writer(election_id: str, until: float) -> int:
    """Wait (until the monotonic clock reads `until`) for the log's writer to sequence the
    leaves waiting now and sign a checkpoint covering them; the checkpoint's size."""
    last = (Leaf.objects.filter(election_id=election_id, index__isnull=True)
            .order_by("-id").values_list("id", flat=True).first())
    need = None  # the size once they are sequenced
    with wake.asking(election_id) as ask:
        while True:
            if need is None and (last is None or not Leaf.objects.filter(
                    election_id=election_id, index__isnull=True, id__lte=last).exists()):
                need = LogState.objects.filter(pk=election_id).values_list(
                    "size", flat=True).first() or 0
            if need is not None:
                signed = LogState.objects.filter(pk=election_id).values_list(
                    "checkpoint_size", flat=True).first() or 0
                if signed >= need:
                    return signed
            left = until - time.monotonic()
            if left <= 0:
                raise WriterLate(f"{election_id}: the log's writer (another process) has not "
                                 "integrated the waiting leaves in time")
            ask(min(WAIT_POLL, left))  # the writer integrates at once, and answers
