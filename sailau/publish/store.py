"""Where snapshots live and how a publication is committed, below both the full publication
(`snapshots`) and the background publisher (`publisher`): the content-addressed objects, the
manifests and their chain, the publication lock and the publisher's state.

Layout under $SAILAU_DATA_DIR/snapshots/<election id>/:
    objects/<sha256>.<ext>   every published file, named by its hash, never rewritten
    manifest.json            the latest manifest (replaced atomically)
    manifests/<seq>.json     the last `KEEP_MANIFESTS` manifests (older bodies are pruned)
    chain.jsonl              one line per manifest ever published: its sequence, SHA-256, the
                             previous manifest's SHA-256, when, and the audit log's head
A manifest maps stable logical names to {sha256, size} through a tree of shards stored among
the objects (`sailau.tlog.filetree`, docs/snapshot-format.md), and names the previous
manifest's hash. A publication writes the root (a few tens of KB at national scale) and the
shards its changed names fall in; the chain file keeps what proves the sequence (each link and
each audit head) in about 250 bytes a publication. A kept copy of any old manifest still proves
itself: its hash is in the chain.

In this process a manifest read or committed here also carries, beside what was published,
`files` (every name -> its entry, the tree read) and `shard_objects` (the sha256 of each shard),
so that callers need not read the tree themselves. Neither is ever written."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from sailau.paths import data_dir, write_atomic
from sailau.tlog import filetree

STATE = ".publisher.json"
LOCK = ".publisher.lock"
CHAIN = "chain.jsonl"
KEEP_MANIFESTS = 100  # bodies of the latest manifests kept under manifests/
FORMAT = "sailau-snapshot/2"
_SEEN: dict[str, tuple] = {}  # shards read or written here, by sha256 (see `filetree.walk`)
_KEYS: dict[str, str] = {}  # name -> `filetree.key(name)`
_CACHE_MAX = 50_000


def root() -> Path:
    return data_dir() / "snapshots"


def election_dir(election_id: str) -> Path:
    if "/" in election_id or election_id.startswith("."):
        raise ValueError(f"election id {election_id!r} cannot name a directory")
    return root() / election_id


def latest_manifest(election_id: str) -> dict | None:
    """The election's latest manifest with its `files` and `shard_objects` (see above), None
    when there is none or it cannot be read."""
    d = election_dir(election_id)
    try:
        return with_files(json.loads((d / "manifest.json").read_bytes()),
                          lambda sha: (d / "objects" / f"{sha}.json").read_bytes())
    except (FileNotFoundError, ValueError):
        return None


def with_files(manifest: dict, read) -> dict:
    """`manifest` with `files` and `shard_objects` filled from its tree of shards, each shard's
    bytes given by `read(sha256)` (a manifest of the first format lists its files itself).
    Raises ValueError (`filetree.Malformed`) or FileNotFoundError for a tree that cannot be
    read."""
    if "shards" not in manifest:
        return {**manifest, "files": dict(manifest.get("files") or {}), "shard_objects": []}
    if len(_SEEN) > _CACHE_MAX:
        _SEEN.clear()
    files, digests = filetree.expand(manifest["shards"], read, _SEEN)
    return {**manifest, "files": files, "shard_objects": digests}


def objects_of(manifest: dict) -> set[str]:
    """The object file names (`<sha256>.<ext>`) a manifest (read by `with_files`) needs: its
    files' and its shards'."""
    return {f"{e['sha256']}{Path(n).suffix}" for n, e in manifest["files"].items()} | {
        f"{sha}.json" for sha in manifest.get("shard_objects", ())}


class Writer:
    """Stores objects by hash and collects the logical names of one publication."""

    def __init__(self, election_id: str):
        self.dir = election_dir(election_id)
        (self.dir / "objects").mkdir(parents=True, exist_ok=True)
        (self.dir / "manifests").mkdir(exist_ok=True)
        self.files: dict[str, dict] = {}
        self.bytes = 0  # put so far (what a national table weighs: the lane's byte budget)

    def put(self, name: str, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        # Same bytes, same name: immutable by construction; reused, so kept a while longer
        # (`retention`: the age that counts is the last use).
        _put_object(self.dir / "objects" / f"{digest}{Path(name).suffix}", body)
        self.files[name] = {"sha256": digest, "size": len(body)}
        self.bytes += len(body)
        return digest


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=0).encode()


class ObjectGone(RuntimeError):
    """A publication names an object deleted while it was built (see `retention`)."""


def commit(w: Writer, election_id: str, files: dict, published_at: str, audit: dict,
           log_size: int | None = None) -> dict:
    """Write the next manifest of the election (the caller holds the publication lock).
    `log_size`: the size of the log's checkpoint whose protocols the files show (the previous
    manifest's when not given: a merge of national tables changes no station).
    Raises `ObjectGone`, writing nothing, when an object this publication wrote is no longer
    there (a build that outlived `retention.RETAIN`): its caller builds it again."""
    for name, entry in w.files.items():
        if not (w.dir / "objects" / f"{entry['sha256']}{Path(name).suffix}").exists():
            raise ObjectGone(f"{election_id}: {name}: object {entry['sha256']} was pruned "
                             "while the publication was built")
    prev_body = None
    with contextlib.suppress(FileNotFoundError):
        prev_body = (w.dir / "manifest.json").read_bytes()
    try:
        prev = json.loads(prev_body) if prev_body else None
    except ValueError:
        prev = None
    if len(_KEYS) > _CACHE_MAX:
        _KEYS.clear()
    shards, written = filetree.build(files, _KEYS)
    for digest, shard in written:  # same bytes as before for every shard no name moved in
        _put_object(w.dir / "objects" / f"{digest}.json", shard)
    manifest = {"format": FORMAT, "election": election_id,
                "sequence": (prev["sequence"] + 1) if prev else 1,
                "published_at": published_at,
                "previous": hashlib.sha256(prev_body).hexdigest() if prev else None,
                "audit": audit,
                "shards": shards}
    if log_size is None and prev:
        log_size = prev.get("log_size")
    if log_size is not None:
        manifest["log_size"] = log_size
    body = manifest_bytes(manifest)
    write_atomic(w.dir / "manifests" / f"{manifest['sequence']:08d}.json", body)
    _append_chain(w.dir, {"sequence": manifest["sequence"],
                          "sha256": hashlib.sha256(body).hexdigest(),
                          "previous": manifest["previous"], "published_at": published_at,
                          "audit": audit})
    write_atomic(w.dir / "manifest.json", body)
    _prune(w.dir, manifest["sequence"])
    return {**manifest, "files": dict(files), "shard_objects": [d for d, _ in written]}


def _put_object(path: Path, body: bytes) -> None:
    """An object written once: when it is there already (same name, same bytes), its time is
    renewed instead, so that `retention` keeps it as long as it is used."""
    try:
        os.utime(path)
    except FileNotFoundError:
        write_atomic(path, body)


def _append_chain(directory: Path, link: dict) -> None:
    # Appended, not rewritten: it grows through the night. A publication that died after this
    # line and before manifest.json leaves a line its successor repeats with the same sequence;
    # `read_chain` keeps the last line of each sequence.
    with open(directory / CHAIN, "ab") as f:
        f.write(json.dumps(link, sort_keys=True, separators=(",", ":")).encode() + b"\n")
        f.flush()
        os.fsync(f.fileno())


def read_chain(lines: bytes) -> list[dict]:
    """The links of a chain file this server wrote, by sequence (a sequence written twice keeps
    its last line). `sailau verify` has its own reader, which trusts nothing it reads."""
    by_sequence = {link["sequence"]: link
                   for link in map(json.loads, filter(bytes.strip, lines.splitlines()))}
    return [by_sequence[k] for k in sorted(by_sequence)]


def chain(election_id: str) -> list[dict]:
    try:
        return read_chain((election_dir(election_id) / CHAIN).read_bytes())
    except FileNotFoundError:
        return []


def _prune(directory: Path, sequence: int) -> None:
    for path in (directory / "manifests").glob("*.json"):
        if path.stem.isdigit() and int(path.stem) <= sequence - KEEP_MANIFESTS:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


# ------------------------------------------------------------- the lock and the publisher's state

@contextlib.contextmanager
def exclusive(election_id: str, wait: bool = False) -> Iterator[bool]:
    """Hold the election's publication lock; yields False (without waiting, unless `wait`)
    when another process holds it."""
    d = election_dir(election_id)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / LOCK, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def read_state(election_id: str) -> dict | None:
    """What the background publisher last published (see `publisher`)."""
    try:
        return json.loads((election_dir(election_id) / STATE).read_bytes())
    except (FileNotFoundError, ValueError):
        return None


def write_state(election_id: str, manifest: dict, prints: dict[str, str],
                national: dict | None = None, high: dict | None = None,
                full_at: float | None = None) -> None:
    write_atomic(election_dir(election_id) / STATE, json.dumps(
        {"sequence": manifest["sequence"], "fingerprints": prints,
         "national": national or {}, "high": high or {}, "full_at": full_at or 0},
        separators=(",", ":")))
