"""How much of a night the snapshots keep, in the data directory and in a bucket alike: the
objects that no manifest of the readers' window names are deleted, so that the storage stays
bounded however long the night runs. The rule is written once, here (`window`, `prune`); the
directory and the bucket only list, read and delete (`Place`: `LocalPlace` here,
`mirror.BucketPlace` for object storage).

Why objects and not manifests: every publication adds the objects it rewrote, and the national
lane rewrites the whole country's tables (the NIST report alone is ~25 MB at national scale):
a ten-minute night left 2.2 GiB, almost all of it superseded versions of those tables. What a
reader or `sailau verify` needs is the manifest it fetched and that manifest's objects, for the
time of a download or of a whole national `sailau verify` (`RETAIN`, where that is measured).

The window: a reader may have fetched any manifest that was the latest at some moment of the
last `RETAIN` seconds. So an object is kept when such a manifest names it: the latest, and each
one whose successor was committed within the window (a manifest is the latest until its
successor is written, however long ago it was written itself: one left standing for an hour
and superseded a second ago was fetched a second ago). An object written (or reused, see
`store.Writer.put`) within the window is kept too, which covers a publication being built (the
national lane builds its tables before it takes the publication lock). Everything else is
deleted. The chain of manifests still verifies: `chain.jsonl` keeps every link, the kept
manifest bodies keep theirs, and no check reads an old manifest's objects.

Manifest bodies are kept under `manifests/` while they are in the window, and the last
`store.KEEP_MANIFESTS` however old (`commit.commit` deletes the others at each commit in the
directory, `prune` in a bucket): a body deleted sooner would let its objects go before the
reader who fetched it is done.

A publication whose build outlived `RETAIN` could name an object deleted meanwhile:
`store.commit` refuses it (`store.ObjectGone`) and the next cycle builds it again."""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sailau.publish.storage import store
from sailau.publish.storage.store import RETAIN, objects_of  # noqa: F401 (RETAIN: the window, for readers)

# A kept manifest body never changes (its sequence names it), so what it names is read once
# per process: (place, body name, when written) -> (its shards' sha256, the objects a
# first-format body lists itself). The objects are then found per shard
# (`store.objects_of_shards`), not per body: consecutive bodies share all but a few of their
# ~8,000 shards at 100,000 stations, and listing each body's 110,000 files made a pruning of
# 100 bodies take 35.9 s of CPU there, not 2.9 s.
_NAMED: dict[tuple[str, str, float], tuple[frozenset[str], frozenset[str]]] = {}


def object_names(manifest: dict) -> set[str]:
    """The object file names (`<sha256>.<ext>`) a manifest (as `store` reads it) needs: its
    files and the shards that list them."""
    return objects_of(manifest)


@dataclass(frozen=True)
class Window:
    """What the rule decides for a place's manifest bodies: the bodies (file names under
    `manifests/`) whose objects are kept, and those that may be deleted."""
    naming: list[str]
    deletable: list[str]


def window(latest_sequence: int, bodies: dict[str, float], cutoff: float) -> Window:
    """The rule over the listing of `manifests/` (file name -> when written) of a place whose
    latest manifest has `latest_sequence`, at `cutoff` (now - `RETAIN`). A body names kept
    objects when it is the latest, newer (committed since the latest was read), or superseded
    at or after `cutoff` (its successor written then). It may be deleted when it is none of
    these, is not among the last `store.KEEP_MANIFESTS`, and was itself written before `cutoff`.
    A body with no listed successor (one deleted meanwhile) counts as superseded when it was
    written itself."""
    numbered = sorted((int(n.removesuffix(".json")), n) for n in bodies
                      if n.endswith(".json") and n.removesuffix(".json").isdigit())
    naming, deletable = [], []
    for i, (seq, name) in enumerate(numbered):
        written = bodies[name]
        successor = numbered[i + 1] if i + 1 < len(numbered) else None
        if successor is not None and successor[0] == seq + 1:
            superseded = bodies[successor[1]]
        elif successor is not None or seq < latest_sequence:
            superseded = written  # its successor is gone: as old as it is itself
        else:
            superseded = None
        if seq >= latest_sequence or superseded is None or superseded >= cutoff:
            naming.append(name)
        elif seq <= latest_sequence - store.KEEP_MANIFESTS and written < cutoff:
            deletable.append(name)
    return Window(naming, deletable)


class Place:
    """Where an election's snapshots are stored, as the rule needs it. Object names are bare
    (`<sha256>.<ext>`), body names too (`<sequence>.json`)."""
    key: str  # names the place in this process's memo of bodies

    def latest(self) -> tuple[int, set[str], set[str]] | None:
        """The latest manifest's sequence, its shards' sha256, and the objects it lists
        itself (a first-format body); None when there is none."""
        raise NotImplementedError

    def bodies(self) -> dict[str, float]:
        """`manifests/`: body name -> when written (epoch seconds)."""
        raise NotImplementedError

    def objects(self) -> dict[str, float]:
        """`objects/`: object name -> when written or last reused (epoch seconds)."""
        raise NotImplementedError

    def body(self, name: str) -> dict | None:
        """A manifest body as stored; None when it is gone or unreadable (a reader cannot
        have it either)."""
        raise NotImplementedError

    def shard(self, sha: str) -> bytes:
        """A shard of a list of files, as published (raises when it cannot be read)."""
        raise NotImplementedError

    def delete_object(self, name: str, cutoff: float) -> bool:
        """Delete an object the rule let go; False when it was not deleted (gone already, or
        reused since it was listed)."""
        raise NotImplementedError

    def delete_body(self, name: str) -> None:
        raise NotImplementedError


def prune(place: Place, retain: float | None = None, now: float | None = None,
          bodies_too: bool = True) -> list[str]:
    """Delete from `place` the objects no manifest of the window names that were not written
    or reused in it, and (`bodies_too`) the manifest bodies the window lets go; returns the
    objects deleted. The latest manifest is read before anything is listed: what a
    publication commits meanwhile names objects of that manifest or objects written since,
    both kept. A kept body's shard that cannot be read raises: nothing is deleted then, rather
    than the objects it would have named."""
    latest = place.latest()
    if latest is None:
        return []
    sequence, shards, keep = latest
    retain = store.RETAIN if retain is None else retain  # read now: settings and tests change it
    cutoff = (time.time() if now is None else now) - retain
    listed = place.bodies()
    w = window(sequence, listed, cutoff)
    naming = set()
    for name in w.naming:
        key = (place.key, name, listed[name])
        named = _NAMED.get(key)
        if named is None:
            body = place.body(name)
            named = store.body_names(body, place.shard) if body is not None else (
                frozenset(), frozenset())
            _NAMED[key] = named
        naming.add(key)
        shards |= named[0]
        keep |= named[1]
    for key in [k for k in _NAMED if k[0] == place.key and k not in naming]:
        del _NAMED[key]  # bodies no longer in the window
    keep |= store.objects_of_shards(shards, place.shard)
    gone = [name for name, written in place.objects().items()
            if name not in keep and not name.startswith(".") and written < cutoff]
    gone = [name for name in gone if place.delete_object(name, cutoff)]
    if bodies_too:
        for name in w.deletable:
            place.delete_body(name)
    return gone


class LocalPlace(Place):
    """The election's folder in the data directory (`store.election_dir`)."""

    def __init__(self, election_id: str | None = None, directory: Path | None = None):
        self.election_id = election_id
        self.dir = directory if directory is not None else store.election_dir(election_id)
        self.key = str(self.dir)

    def latest(self):
        m = store.latest_manifest(self.election_id)
        if m is None:
            return None
        # The latest manifest's objects by its shards too (a first-format one lists its files).
        shards = set(m["shard_objects"])
        return m["sequence"], shards, set() if shards else object_names(m)

    def _listing(self, folder: str) -> dict[str, float]:
        out = {}
        with contextlib.suppress(FileNotFoundError), os.scandir(self.dir / folder) as it:
            for entry in it:
                with contextlib.suppress(FileNotFoundError):
                    out[entry.name] = entry.stat().st_mtime
        return out

    def bodies(self):
        return self._listing("manifests")

    def objects(self):
        return self._listing("objects")

    def body(self, name):
        try:
            return json.loads((self.dir / "manifests" / name).read_bytes())
        except (FileNotFoundError, ValueError):
            return None

    def shard(self, sha):
        return store.read_object(self.dir / "objects" / f"{sha}.json")

    def delete_object(self, name, cutoff):
        path = self.dir / "objects" / name
        try:  # its time read again: reused since the listing (`store._put_object`), kept
            if path.stat().st_mtime >= cutoff:
                return False
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def delete_body(self, name):
        with contextlib.suppress(FileNotFoundError):
            (self.dir / "manifests" / name).unlink()


def prune_objects(election_id: str, retain: float | None = None,
                  now: float | None = None) -> int:
    """`prune` in the data directory, objects only (its bodies are pruned at each commit:
    `commit.commit`); returns how many objects were deleted."""
    return len(prune(LocalPlace(election_id), retain, now, bodies_too=False))


def prune_bodies(directory: Path, sequence: int, now: float | None = None) -> None:
    """The manifest bodies of the folder `directory` the window lets go, its latest manifest
    having `sequence` (`store.commit`, which has just written it)."""
    place = LocalPlace(directory=directory)
    cutoff = (time.time() if now is None else now) - store.RETAIN
    for name in window(sequence, place.bodies(), cutoff).deletable:
        place.delete_body(name)
