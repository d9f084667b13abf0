"""Each committed publication copied to the "snapshots" storage when that storage is not the data
directory itself (an S3-compatible bucket, sailau.filestores), so that a CDN or any static
server carries the snapshots and the application server is not in their path.

The publisher keeps working in its directory (`store`: the lock, the state, the chain appended
line by line; `sailau verify DIR` and the database checks read it), and this layer uploads what a
reader needs, in an order that never shows a manifest naming a missing file: the new objects,
then the manifest body and chain.jsonl, the viewer's entry points, and manifest.json last.

Incremental: an object is uploaded when the last manifest this bucket received does not name
it. Objects are content-addressed, so that manifest is the proof of what is there; a publication
that failed halfway left no remote manifest naming what it lacked, and the next one uploads it.

Bounded: `prune` removes from the storage the objects and manifest bodies that the readers'
window lets go, by the one rule the directory is pruned by (`retention.prune`, on the bucket's
own manifest.json, manifest bodies and times)."""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from sailau.filestores import direct_url
from sailau.publish.storage import retention, store
from sailau.tlog import gzipped

ALIAS = "snapshots"
UPLOADERS = 8  # objects uploaded at once (benchmarks/bench_storage.py compares with 1)
# election -> (storage, the objects it has, when that was read from its manifest.json). What
# another process prunes from the bucket is not told here: the set is read again once older
# than half the readers' window, within which no object the bucket's manifest named, nor one
# uploaded since, can be pruned (`retention.window`), so that an object named again is never
# taken for present when it was pruned.
_known: dict[str, tuple[object, set[str], float]] = {}
KNOWN_FOR = store.RETAIN / 2
_lock = threading.Lock()


def remote():
    """The snapshots storage, or None when it is the data directory the publisher writes."""
    s = storages[ALIAS]
    if isinstance(s, FileSystemStorage) and \
            os.path.abspath(s.location) == os.path.abspath(store.root()):
        return None
    return s


def objects_of(manifest: dict) -> set[str]:
    """The object names (`objects/<sha256><ext>`) a manifest (as `store` reads it: with its
    `files`) needs: its files' and its shards'."""
    return {f"objects/{name}" for name in store.objects_of(manifest)}


def _manifest(s, name: str) -> dict | None:
    """A manifest in the storage, with its files read from the storage's shards (`store`);
    None when it is not there or cannot be read."""
    election_id = name.split("/", 1)[0]

    def read(sha: str) -> bytes:
        return _read_object(s, f"{election_id}/objects/{sha}.json")

    body = _read_json(s, name)
    try:
        return store.with_files(body, read) if body is not None else None
    except (FileNotFoundError, ValueError):
        return None


def _put(s, name: str, body: bytes) -> None:
    saved = s.save(name, ContentFile(body))
    if saved != name:  # a storage that renames instead of replacing would strand readers
        s.delete(saved)
        raise RuntimeError(f"storage {ALIAS!r} stored {name} as {saved}: it must overwrite "
                           f"(file_overwrite / allow_overwrite)")


def _put_all(s, pairs: list[tuple[str, Path]]) -> None:
    """Upload (name, file) pairs, UPLOADERS at a time: each PUT waits mostly on the network and
    the server, so a few in flight hide that wait (boto3's clients are thread-safe, and
    django-storages keeps one connection per thread). The first failure is raised once all
    have ended, before anything names these objects."""
    if len(pairs) <= 1 or UPLOADERS <= 1:
        for name, path in pairs:
            _put(s, name, path.read_bytes())
        return
    with ThreadPoolExecutor(max_workers=UPLOADERS) as pool:
        for f in [pool.submit(lambda n, p: _put(s, n, p.read_bytes()), n, p) for n, p in pairs]:
            f.result()


def _remote_objects(s, election_id: str) -> set[str]:
    kept = _known.get(election_id)
    now = time.time()
    if kept is None or kept[0] is not s or now - kept[2] > KNOWN_FOR:  # (s: tests change it)
        manifest = _manifest(s, f"{election_id}/manifest.json")
        kept = (s, objects_of(manifest) if manifest else set(), now)
        _known[election_id] = kept
    return kept[1]


def upload(election_id: str, manifest: dict) -> int:
    """Copy this publication (committed in `store.election_dir`) to the remote storage; returns
    how many objects were uploaded (0 when the storage is the data directory)."""
    s = remote()
    if s is None:
        return 0
    local = store.election_dir(election_id)
    with _lock:
        have = _remote_objects(s, election_id)
        wanted = objects_of(manifest)
        new = sorted(wanted - have)
        _put_all(s, [(f"{election_id}/{name}", local / name) for name in new])
        seq = manifest["sequence"]
        body = (local / "manifest.json").read_bytes()
        _put(s, f"{election_id}/manifests/{seq:08d}.json", body)
        _put(s, f"{election_id}/{store.CHAIN}", (local / store.CHAIN).read_bytes())
        for entry in store.ENTRY_POINTS:
            f = manifest["files"].get(f"site/{entry}")
            if f and f"objects/{f['sha256']}{Path(entry).suffix}" in new:  # changed (or first)
                _put(s, f"{election_id}/{entry}", (local / entry).read_bytes())
        _put(s, f"{election_id}/manifest.json", body)
        have.update(new)
    return len(new)


def _listing(s, folder: str) -> dict[str, float]:
    """Each file directly in `folder` of the storage -> when it was written (epoch seconds). A
    bucket is listed a thousand keys a request, not asked object by object."""
    if getattr(s, "bucket_name", None):
        prefix = f"{s.location}/{folder}/" if s.location else f"{folder}/"
        return {o.key[len(prefix):]: o.last_modified.timestamp()
                for o in s.bucket.objects.filter(Prefix=prefix) if "/" not in o.key[len(prefix):]}
    try:
        names = s.listdir(folder)[1]
    except FileNotFoundError:
        return {}
    return {n: s.get_modified_time(f"{folder}/{n}").timestamp() for n in names}


def _shard_refs(manifest: dict) -> list[str]:
    """The sha256 of the shards a manifest itself names (its tree's first level)."""
    return [ref.get("sha256") for ref in (manifest.get("shards") or {}).values()
            if isinstance(ref, dict)]


def _read_object(s, name: str) -> bytes:
    """An object of the storage as published (opened when stored gzip'd: `store.read_object`)."""
    with s.open(name, "rb") as f:
        return gzipped.open_object(f.read())


def _read_json(s, name: str) -> dict | None:
    try:
        with s.open(name, "rb") as f:
            return json.loads(f.read())
    except (FileNotFoundError, ValueError):
        return None


class BucketPlace(retention.Place):
    """The election's folder in the snapshots storage, as `retention.prune` reads it."""

    def __init__(self, s, election_id: str):
        self.s, self.eid = s, election_id
        self.key = f"{ALIAS}:{getattr(s, 'location', '')}:{election_id}"

    def latest(self):
        m = _manifest(self.s, f"{self.eid}/manifest.json")
        if m is None:
            return None
        shards = set(m["shard_objects"])
        return m["sequence"], shards, set() if shards else store.objects_of(m)

    def bodies(self):
        return _listing(self.s, f"{self.eid}/manifests")

    def objects(self):
        return _listing(self.s, f"{self.eid}/objects")

    def body(self, name):
        return _read_json(self.s, f"{self.eid}/manifests/{name}")

    def shard(self, sha):
        return _read_object(self.s, f"{self.eid}/objects/{sha}.json")

    def delete_object(self, name, cutoff):
        # (A bucket's object is never renewed in place: an upload names it again or not.)
        self.s.delete(f"{self.eid}/objects/{name}")
        return True

    def delete_body(self, name):
        self.s.delete(f"{self.eid}/manifests/{name}")


def prune(election_id: str, retain: float | None = None, now: float | None = None) -> int:
    """`retention.prune` in the storage: its objects and manifest bodies that no manifest of the
    readers' window names; returns how many objects (0 when the storage is the data directory,
    which `retention.prune_objects` prunes). Under the upload lock, so that what the next
    upload takes for present is what remains."""
    s = remote()
    if s is None:
        return 0
    with _lock:
        gone = retention.prune(BucketPlace(s, election_id), retain, now)
        kept = _known.get(election_id)
        if kept is not None and kept[0] is s:
            kept[1].difference_update(f"objects/{n}" for n in gone)  # named again: uploaded
    return len(gone)


def missing(election_id: str) -> list[str]:
    """What readers of the storage's copy cannot get: its manifest.json, if absent while the
    data directory has one, or each object that manifest names which the storage lacks (deleted
    behind the publisher's back). Empty when the storage is the data directory."""
    s = remote()
    if s is None or store.latest_manifest(election_id) is None:
        return []
    body = _read_json(s, f"{election_id}/manifest.json")
    if body is None:
        return ["manifest.json"]
    there = set(s.listdir(f"{election_id}/objects")[1])
    try:
        manifest = store.with_files(body, lambda sha: _read_object(
            s, f"{election_id}/objects/{sha}.json"))
    except (FileNotFoundError, ValueError):  # a shard the storage lacks (or altered)
        return sorted(f"objects/{sha}.json" for sha in _shard_refs(body)
                      if f"{sha}.json" not in there) or ["manifest.json"]
    return sorted(name for name in objects_of(manifest)
                  if name.removeprefix("objects/") not in there)


def published_manifest(election_id: str) -> dict | None:
    """The election's latest publication: the publisher's own copy when this process shares its
    data directory, else the one in the bucket (a web server that only reads what was
    published, as a deployment with separate publisher and web hosts has it)."""
    local = store.latest_manifest(election_id)
    if local is not None:
        return local
    s = remote()
    return _manifest(s, f"{election_id}/manifest.json") if s is not None else None


def object_url(election_id: str, name: str, entry: dict, *, filename: str,
               attachment: bool) -> str | None:
    """The bucket's URL of a published file (`name` as the manifest lists it, `entry` its
    record), to be fetched there under `filename`; None when the data directory serves it."""
    s = remote()
    if s is None:
        return None
    return direct_url(s, f"{election_id}/objects/{entry['sha256']}{Path(name).suffix}",
                      filename=filename, attachment=attachment)


def url(relative: str) -> str | None:
    """Where a reader gets a snapshot file when it lives in object storage (a public or
    pre-signed URL), or None when the data directory serves it."""
    s = remote()
    if s is None:
        return None
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return s.url(relative)
