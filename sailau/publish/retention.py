"""How much of a night the snapshot directory keeps: the objects that no recent manifest names
are deleted, so that the directory stays bounded however long the night runs.

Why objects and not manifests: the manifest bodies are already pruned to the last
`store.KEEP_MANIFESTS` (the chain file keeps each link's hash), but every publication adds the
objects it rewrote, and the national lane rewrites the whole country's tables (the NIST report
alone is ~25 MB at national scale) every few seconds: a ten-minute night left 2.2 GiB, almost
all of it superseded versions of those tables. What a reader or `sailau verify` needs is the
latest manifest's objects; a reader who fetched an older manifest needs its objects for the
time of a download, or of a whole national `sailau verify` (see `RETAIN`). So an object is kept when the latest manifest names it, when a manifest
committed in the last `RETAIN` seconds names it, or when it was written (or reused, see
`store.Writer.put`) in the last `RETAIN` seconds, which covers a publication being built (the
national lane builds its tables before it takes the publication lock). Everything else is
deleted. The chain of manifests still verifies: `chain.jsonl` keeps every link, the kept
manifest bodies keep theirs, and no check reads an old manifest's objects.

Manifest bodies are kept under `manifests/` for `RETAIN` too (and the last
`store.KEEP_MANIFESTS` however old): a body deleted sooner would let its objects go before
`RETAIN`.

A publication whose build outlived `RETAIN` could name an object deleted meanwhile:
`store.commit` refuses it (`store.ObjectGone`) and the next cycle builds it again."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from sailau.publish.store import (
    RETAIN,
    body_names,
    election_dir,
    latest_manifest,
    objects_of,
    objects_of_shards,
    shard_reader,
)

# The readers' window (`store.RETAIN`, where its trade-off is said): an object no manifest of
# the window names is removed.
PRUNE_EVERY = 20.0  # seconds between two prunings by the background publisher

# A kept manifest body never changes (its sequence names it), so what it names is read once
# per process: (path, size, mtime) -> (its shards' sha256, the objects a first-format body
# lists itself). The objects are then found per shard (`store.objects_of_shards`), not per
# body: consecutive bodies share all but a few of their ~8,000 shards at 100,000 stations.
_NAMED: dict[tuple[str, int, int], tuple[frozenset[str], frozenset[str]]] = {}


def object_names(manifest: dict) -> set[str]:
    """The object file names (`<sha256>.<ext>`) a manifest (as `store` reads it) needs: its
    files and the shards that list them."""
    return objects_of(manifest)


def _named_by_body(path: Path, st: os.stat_result) -> tuple[frozenset[str], frozenset[str]]:
    """A kept body's shards (and the objects a first-format body lists itself); nothing when
    the body is gone meanwhile (`store._prune`). A shard of it that cannot be read
    raises: the pruning stops, rather than delete what that shard would have named."""
    key = (str(path), st.st_size, st.st_mtime_ns)
    named = _NAMED.get(key)
    if named is None:
        read = shard_reader(path.parent.parent)
        try:
            body = json.loads(path.read_bytes())
        except FileNotFoundError:
            return frozenset(), frozenset()
        named = _NAMED[key] = body_names(body, read)
    return named


def prune_objects(election_id: str, retain: float = RETAIN, now: float | None = None) -> int:
    """Delete the election's objects that neither the latest manifest nor one committed in the
    last `retain` seconds names, and that were not written or reused in that time; returns how
    many. Needs no lock: what a publication committed meanwhile names either objects of the
    latest manifest read here or objects written since, both kept. A kept manifest's shard
    that cannot be read raises (`_named_by_body`): nothing is deleted then, rather than the
    objects it would have named."""
    d = election_dir(election_id)
    latest = latest_manifest(election_id)  # read before the directory is listed
    if latest is None:
        return 0
    cutoff = (time.time() if now is None else now) - retain
    # The latest manifest's objects by its shards too (a first-format one lists its files).
    shards = set(latest["shard_objects"])
    keep = set() if shards else object_names(latest)
    recent = set()
    with contextlib.suppress(FileNotFoundError), os.scandir(d / "manifests") as it:
        for entry in it:
            with contextlib.suppress(FileNotFoundError):
                st = entry.stat()
                if entry.name.endswith(".json") and st.st_mtime >= cutoff:
                    recent.add(entry.path)
                    body_shards, listed = _named_by_body(Path(entry.path), st)
                    shards |= body_shards
                    keep |= listed
    for key in [k for k in _NAMED if k[0] not in recent]:  # bodies no longer recent
        del _NAMED[key]
    keep |= objects_of_shards(shards, shard_reader(d))
    removed = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(d / "objects") as it:
        for entry in it:
            if entry.name in keep or entry.name.startswith("."):
                continue
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
    return removed
