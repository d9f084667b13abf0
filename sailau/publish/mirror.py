"""Each committed publication copied to the "snapshots" storage when that storage is not the data
directory itself (an S3-compatible bucket, sailau.filestores), so that a CDN or any static
server carries the snapshots and the application server is not in their path.

The publisher keeps working in its directory (`store`: the lock, the state, the chain appended
line by line; `sailau verify DIR` and the database checks read it), and this layer uploads what a
reader needs, in an order that never shows a manifest naming a missing file: the new objects,
then the manifest body and chain.jsonl, the viewer's entry points, and manifest.json last.

Incremental: an object is uploaded when the last manifest this bucket received does not name
it. Objects are content-addressed, so that manifest is the proof of what is there; a publication
that failed halfway left no remote manifest naming what it lacked, and the next one uploads it."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from sailau.publish import store

ALIAS = "snapshots"
ENTRY_POINTS = ("index.html", "viewer.js", "viewer.css")  # sitebake's plain names
_known: dict[str, tuple[object, set[str]]] = {}  # election -> (storage, objects it has)
_lock = threading.Lock()


def remote():
    """The snapshots storage, or None when it is the data directory the publisher writes."""
    s = storages[ALIAS]
    if isinstance(s, FileSystemStorage) and \
            os.path.abspath(s.location) == os.path.abspath(store.root()):
        return None
    return s


def objects_of(manifest: dict) -> set[str]:
    """The object names (`objects/<sha256><ext>`) a manifest's files are stored under."""
    return {f"objects/{f['sha256']}{Path(name).suffix}" for name, f in manifest["files"].items()}


def _put(s, name: str, body: bytes) -> None:
    saved = s.save(name, ContentFile(body))
    if saved != name:  # a storage that renames instead of replacing would strand readers
        s.delete(saved)
        raise RuntimeError(f"storage {ALIAS!r} stored {name} as {saved}: it must overwrite "
                           f"(file_overwrite / allow_overwrite)")


def _remote_objects(s, election_id: str) -> set[str]:
    kept = _known.get(election_id)
    if kept is None or kept[0] is not s:  # first use, or the settings changed (tests)
        try:
            with s.open(f"{election_id}/manifest.json", "rb") as f:
                kept = (s, objects_of(json.loads(f.read())))
        except (FileNotFoundError, ValueError, KeyError):
            kept = (s, set())
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
        for name in new:
            _put(s, f"{election_id}/{name}", (local / name).read_bytes())
        seq = manifest["sequence"]
        body = (local / "manifest.json").read_bytes()
        _put(s, f"{election_id}/manifests/{seq:08d}.json", body)
        _put(s, f"{election_id}/{store.CHAIN}", (local / store.CHAIN).read_bytes())
        for entry in ENTRY_POINTS:
            f = manifest["files"].get(f"site/{entry}")
            if f and f"objects/{f['sha256']}{Path(entry).suffix}" in new:  # changed (or first)
                _put(s, f"{election_id}/{entry}", (local / entry).read_bytes())
        _put(s, f"{election_id}/manifest.json", body)
        have.update(new)
        old = seq - store.KEEP_MANIFESTS
        if old > 0:  # the bucket keeps the same bodies as the directory (`store._prune`)
            s.delete(f"{election_id}/manifests/{old:08d}.json")
    return len(new)


def missing(election_id: str) -> list[str]:
    """What readers of the storage's copy cannot get: its manifest.json, if absent while the
    data directory has one, or each object that manifest names which the storage lacks (deleted
    behind the publisher's back). Empty when the storage is the data directory."""
    s = remote()
    if s is None or store.latest_manifest(election_id) is None:
        return []
    try:
        with s.open(f"{election_id}/manifest.json", "rb") as f:
            manifest = json.loads(f.read())
    except FileNotFoundError:
        return ["manifest.json"]
    there = set(s.listdir(f"{election_id}/objects")[1])
    return sorted(name for name in objects_of(manifest)
                  if name.removeprefix("objects/") not in there)


def url(relative: str) -> str | None:
    """Where a reader gets a snapshot file when it lives in object storage (a public or
    pre-signed URL), or None when the data directory serves it."""
    s = remote()
    if s is None:
        return None
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return s.url(relative)
