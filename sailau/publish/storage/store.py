"""Where snapshots live and how a publication is committed, below both the full publication
(`snapshots`) and the background publisher (`publisher`): the content-addressed objects, the
manifests and their chain (the publication lock and the publisher's state: `publisher_state`).

Layout under $SAILAU_DATA_DIR/snapshots/<election id>/:
    objects/<sha256>.<ext>   every published file, named by its hash, never rewritten;
                             text stored gzip'd (`sailau.tlog.gzipped`), the hash and size
                             being of the bytes before: `read_object` opens either
    manifest.json            the latest manifest (replaced atomically)
    manifests/<seq>.json     the last `KEEP_MANIFESTS` manifests and those superseded in the
                             last `RETAIN` seconds (older bodies are pruned: `retention`)
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

import collections
import contextlib
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sailau.paths import data_dir, write_atomic
from sailau.tlog import filetree, gzipped

# Seconds an unnamed object survives; also how long a superseded manifest stays usable. It is the
# reader's window: `sailau verify` reads the manifest first and every file after, so a run
# must finish within it to finish against the manifest it began with (a run outlived by it
# stops with "the site moved on; retry", exit 2, never a failure: docs/checking-the-log.md).
# Measured on a 2-core machine: a run over HTTP against the live demo of 300 stations takes
# 2-3 s; a national run (10,223 stations, ~34 times the files and leaves) ~80 s at that rate,
# and 685 s was seen on a loaded machine. 30 minutes is over twice that. The cost is disk:
# every version superseded in the window is kept, most of it the national tables, whose large
# ones the lane writes at `timing.LANE_BYTES_PER_SECOND` (64 KiB/s, ~115 MB in 30 minutes,
# less gzip'd; the small ones, `timing.LANE_SMALL`, at `timing.LANE_SMALL_BYTES_PER_SECOND`),
# plus the station files and shards of each round (a few KB each). Manifest bodies
# are kept as long (`retention.prune_bodies`): what an old manifest names is known from its body.
RETAIN = 30 * 60.0

CHAIN = "chain.jsonl"
KEEP_MANIFESTS = 100  # bodies of the latest manifests kept under manifests/, however old
FORMAT = "sailau-snapshot/4"  # (filetree: its root and the size of its shards; 4: log_size)
# The static viewer's files that are also written under their own names beside manifest.json
# (`sitebake.write_entry_points`), so that the folder opens as a site; the mirror copies them.
ENTRY_POINTS = ("index.html", "latin.js", "figures.js", "viewer.js", "viewer.css")
_SEEN: dict[str, tuple] = {}  # shards read or written here, by sha256 (see `filetree.walk`)
_KEYS: dict[str, str] = {}  # name -> `filetree.key(name)`
_SHARDS: dict[str, dict] = {}  # folder -> the tree of shards built last (`filetree.build`'s memo)
# the election's folder -> (`_identity` of its manifest.json, that manifest read)
_LATEST: dict[str, tuple[tuple, dict]] = {}
_STALE: dict[str, tuple[str, frozenset]] = {}  # election -> (its tree's root, names stale)
_SHARD_OBJECTS: dict[str, frozenset[str]] = {}  # shard sha256 -> objects its files need
# Caches are emptied past this many entries: above the names of a country of 100,000 stations
# (~110,000), whose keys were otherwise computed again for every name every round.
_CACHE_MAX = 400_000


def root() -> Path:
    return data_dir() / "snapshots"


def election_dir(election_id: str) -> Path:
    if "/" in election_id or election_id.startswith("."):
        raise ValueError(f"election id {election_id!r} cannot name a directory")
    return root() / election_id


def latest_manifest(election_id: str) -> dict | None:
    """The election's latest manifest with its `files` and `shard_objects` (see above), None
    when there is none or it cannot be read. The publisher reads it a few times a round: the
    walk of a national tree (~4,000 shards) is done once per manifest body and process
    (`_LATEST`, also filled by `commit`), and each caller gets its own `files`."""
    d = election_dir(election_id)
    try:
        body = (d / "manifest.json").read_bytes()
        digest = _identity(d, body)
        known = _LATEST.get(str(d))
        if known is None or known[0] != digest:
            known = _remember(d, digest, with_files(json.loads(body), shard_reader(d)))
    except (FileNotFoundError, ValueError):
        return None
    m = known[1]
    return {**m, "files": dict(m["files"]), "shard_objects": list(m["shard_objects"])}


def stale_names(election_id: str, manifest: dict) -> frozenset[str]:
    """The names `manifest` (with its `files`) marks `"stale"`. Found once per list of files,
    which its root of shards names exactly: at 100,000 stations each look walked 110,000
    entries, a few times a round. `remember_stale` fills it for a manifest just committed.
    `manifest`'s files must be those its shards list (as read or committed, not edited since):
    what is found here is remembered for its root."""
    root = _root(manifest)
    known = _STALE.get(election_id)
    if root is not None and known is not None and known[0] == root:
        return known[1]
    names = frozenset(n for n, e in manifest["files"].items() if e.get("stale"))
    remember_stale(election_id, manifest, names)
    return names


def remember_stale(election_id: str, manifest: dict, names) -> None:
    """`names`: every name `manifest` marks stale, as its writer knows them."""
    if (root := _root(manifest)) is not None:
        if len(_STALE) > 64:  # (a test run publishes thousands of folders in one process)
            _STALE.clear()
        _STALE[election_id] = (root, frozenset(names))


def _root(manifest: dict) -> str | None:
    shards = manifest.get("shards")
    return json.dumps(shards, sort_keys=True) if isinstance(shards, dict) else None


def read_object(path: Path | str, size: int | None = None) -> bytes:
    """The published bytes of a stored object (opened when stored gzip'd). FileNotFoundError
    when it is not there; ValueError (`gzipped.NotGzip`) when its gzip is broken."""
    return gzipped.open_object(Path(path).read_bytes(), size)


def stored_size(election_id: str, name: str, entry: dict) -> int:
    """What the file `name` (its manifest `entry`) weighs as stored; its size when the object
    is not there."""
    try:
        return (election_dir(election_id) / "objects" /
                f"{entry['sha256']}{Path(name).suffix}").stat().st_size
    except (OSError, KeyError):
        return entry.get("size", 0)


def shard_reader(d: Path):
    """`read(sha256)` -> the bytes of a shard of the list of files in the folder `d`."""
    return lambda sha: read_object(d / "objects" / f"{sha}.json")


def _remember(d: Path, identity: tuple, manifest: dict) -> tuple[tuple, dict]:
    if len(_LATEST) > 64:  # (a test run publishes thousands of folders in one process)
        _LATEST.clear()
    _LATEST[str(d)] = (identity, manifest)
    return _LATEST[str(d)]


def _identity(d: Path, body: bytes) -> tuple:
    """What says that a folder's manifest is the one read before: its bytes' hash, when the
    file was written and the objects folder's inode (a folder deleted and published again
    can give a manifest of the same bytes, whose shards are gone)."""
    return (hashlib.sha256(body).hexdigest(), (d / "manifest.json").stat().st_mtime_ns,
            (d / "objects").stat().st_ino)


def with_files(manifest: dict, read) -> dict:
    """`manifest` with `files` and `shard_objects` filled from its tree of shards, each shard's
    bytes given by `read(sha256)` (a manifest of the first format lists its files itself).
    Raises ValueError (`filetree.Malformed`) or FileNotFoundError for a tree that cannot be
    read."""
    if "shards" not in manifest:
        return {**manifest, "files": dict(manifest.get("files") or {}), "shard_objects": []}
    if len(_SEEN) > _CACHE_MAX:
        _SEEN.clear()
    files, digests = filetree.expand(manifest["shards"], read, _SEEN,
                                     filetree.root_digits(manifest.get("format")))
    return {**manifest, "files": files, "shard_objects": digests}


def objects_of(manifest: dict) -> set[str]:
    """The object file names (`<sha256>.<ext>`) a manifest (read by `with_files`) needs: its
    files' and its shards'."""
    return {f"{e['sha256']}{suffix(n)}" for n, e in manifest["files"].items()} | {
        f"{sha}.json" for sha in manifest.get("shard_objects", ())}


def suffix(name: str) -> str:
    """`Path(name).suffix`, from the string: a path object a name cost more than the rest of
    listing 110,000 objects. (Published names never end in a dot, where Python 3.14's `Path`
    answers "." and this "".)"""
    last = name[name.rfind("/") + 1:]
    i = last.rfind(".")
    return last[i:] if 0 < i < len(last) - 1 else ""


def tree_shards(manifest: dict, read) -> frozenset[str]:
    """The sha256 of every shard of a manifest's tree (its body, as stored), each read and
    checked once per process (`filetree.walk` with `_SEEN`). Raises as `with_files` does."""
    if len(_SEEN) > _CACHE_MAX:
        _SEEN.clear()
    return frozenset(d for d, _ in filetree.walk(manifest["shards"], read, _SEEN,
                                                 filetree.root_digits(manifest.get("format"))))


def body_names(body: dict, read) -> tuple[frozenset[str], frozenset[str]]:
    """What a stored manifest body names, for a pruning: the sha256 of its shards (their
    objects found by `objects_of_shards`), and the object file names a body of the first
    format lists itself. Raises as `with_files` does for a shard that cannot be read."""
    if "shards" in body:
        return tree_shards(body, read), frozenset()
    return frozenset(), frozenset(objects_of(with_files(body, read)))


def objects_of_shards(digests, read) -> set[str]:
    """The object file names that the shards `digests` are and that their files need. What each
    shard needs is found once per process (its bytes never change): the manifests of a night
    differ by a few shards, and listing each one's 110,000 files took the national lane most of
    a core at 100,000 stations (`retention`)."""
    out: set[str] = set()
    for digest in digests:
        names = _SHARD_OBJECTS.get(digest)
        if names is None:
            kept = _SEEN.get(digest)
            shard = kept[1] if kept is not None else json.loads(read(digest))
            names = _SHARD_OBJECTS[digest] = frozenset(
                f"{e['sha256']}{suffix(n)}" for n, e in shard.get("files", {}).items())
        out |= names
        out.add(f"{digest}.json")
    # Bounded by what is asked for now: the shards of the kept manifests (~8,000 at 100,000
    # stations, and those the last two minutes replaced).
    if len(_SHARD_OBJECTS) > 2 * len(digests) + 1000:
        for digest in set(_SHARD_OBJECTS) - set(digests):
            del _SHARD_OBJECTS[digest]
    return out


# Objects a background Writer's thread may have still to write before `put` waits for the
# oldest: at 100,000 stations a whole publication's bodies would otherwise all wait in memory
# when the disk is slower than the build.
WRITES_AHEAD = 512


class Writer:
    """Stores objects by hash and collects the logical names of one publication."""

    def __init__(self, election_id: str, log_size: int | None = None,
                 background: bool = False):
        # `background`: objects compressed and written by a thread of the Writer's own while
        # the caller builds the next (zlib and the file system let go of Python's lock), for
        # a whole publication's 10,000 files; `drain` waits for them. A batch's few dozen
        # are written in line.
        self._writes = ThreadPoolExecutor(1) if background else None
        self._pending: collections.deque = collections.deque()
        # The size of the log whose protocols the tables written here show: each table that
        # may be left stale carries it in its entry (docs/snapshot-format.md), so that a
        # verifier can write it again from the log at that size.
        self.log_size = log_size
        self.dir = election_dir(election_id)
        (self.dir / "objects").mkdir(parents=True, exist_ok=True)
        (self.dir / "manifests").mkdir(exist_ok=True)
        self.files: dict[str, dict] = {}
        self.bytes = 0  # published so far, before gzip (a national table's weight: the lane's
        # byte budget)

    def put(self, name: str, body: bytes) -> str:
        digest = hashlib.sha256(body).hexdigest()
        # Same bytes, same name: immutable by construction; reused, so kept a while longer
        # (`retention`: the age that counts is the last use).
        suffix = Path(name).suffix
        path = self.dir / "objects" / f"{digest}{suffix}"
        if self._writes is None:
            _put_object(path, body, suffix)
        else:
            if len(self._pending) >= WRITES_AHEAD:  # the bodies waiting are held in memory
                self._pending.popleft().result()
            self._pending.append(self._writes.submit(_put_object, path, body, suffix))
        self.files[name] = {"sha256": digest, "size": len(body)}
        if self.log_size is not None and may_be_stale(name):
            self.files[name]["log_size"] = self.log_size
        self.bytes += len(body)
        return digest

    def drain(self) -> None:
        """Every object put so far on disk (raising what a write raised); further puts are
        written in line. `commit` drains its writer before it checks the objects."""
        if self._writes is None:
            return
        try:
            for f in self._pending:
                f.result()
        finally:
            self._writes.shutdown(wait=True)  # (one that raised: the rest written or not)
            self._writes, self._pending = None, collections.deque()


def may_be_stale(name: str) -> bool:
    """A table a batch may leave `"stale"` that the log's leaves give (docs/snapshot-format.md:
    a contest's station, progress and per-level tables, the NIST report; not the scans)."""
    parts = name.split("/")
    return name == "nist.json" or (len(parts) == 3 and parts[0] == "contests" and parts[
        2].split(".")[0] in ("stations", "progress", "territorial", "district", "smd"))


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=0).encode()


class ObjectGone(RuntimeError):
    """A publication names an object deleted while it was built (see `retention`)."""


def commit(w: Writer, election_id: str, files: dict, published_at: str, audit: dict,
           log_size: int | None = None, changed=None) -> dict:
    """Write the next manifest of the election (the caller holds the publication lock).
    `log_size`: the size of the log's checkpoint whose protocols the files show (the previous
    manifest's when not given: a merge of national tables changes no station).
    Raises `ObjectGone`, writing nothing, when an object this publication wrote is no longer
    there (a build that outlived `RETAIN`): its caller builds it again. `changed`:
    the names whose entries can differ from the latest manifest's (which `files` was made
    from), or None."""
    w.drain()
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
    if len(_SHARDS) > 64:  # (a test run publishes thousands of folders in one process)
        _SHARDS.clear()
    # The tree kept from this process's last manifest, told which names moved only when no
    # other process (the national lane) has written a manifest since.
    memo = _SHARDS.setdefault(str(w.dir), {})
    # (Forgotten before the tree changes: a commit that fails from here on leaves no hint.)
    built = memo.pop("built", None)
    prev_sha = hashlib.sha256(prev_body).hexdigest() if prev_body is not None else None
    if prev_sha is None or built != prev_sha:
        changed = None
    shards, written = filetree.build(files, _KEYS, memo=memo, changed=changed)
    # Same bytes as before for every shard no name moved in. Those the previous manifest
    # names need no renewal (`retention` keeps what the latest manifest names); the others
    # are written, or renewed when an older manifest had them. (~4,000 shards at national
    # scale: a path and a system call each cost more than the round's own shards.)
    known = _LATEST.get(str(w.dir))
    try:
        same = known is not None and prev_body is not None and \
            known[0] == _identity(w.dir, prev_body)
    except FileNotFoundError:
        same = False
    kept = set(known[1]["shard_objects"]) if same else set()
    objects = f"{w.dir}/objects/"
    for digest, shard in written:
        if digest not in kept:
            _put_object(f"{objects}{digest}.json", shard, ".json")
    manifest = {"format": FORMAT, "election": election_id,
                "sequence": (prev["sequence"] + 1) if prev else 1,
                "published_at": published_at,
                "previous": prev_sha if prev else None,
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
    memo["built"] = hashlib.sha256(body).hexdigest()
    out = {**manifest, "files": dict(files), "shard_objects": [d for d, _ in written]}
    _remember(w.dir, _identity(w.dir, body), out)
    return {**out, "files": dict(files), "shard_objects": list(out["shard_objects"])}


def _put_object(path: Path | str, body: bytes, suffix: str) -> None:
    """An object written once, as `gzipped.pack_object` stores it. When it is there already
    (same name, same bytes), its time is renewed instead, so that `retention` keeps it as long
    as it is used, and nothing is written (nor compressed)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        write_atomic(Path(path), gzipped.pack_object(body, suffix))


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
