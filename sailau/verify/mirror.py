"""`sailau mirror URL DIR`: a full offline copy of an election's published folder, kept
incrementally. The log is append-only, so each run fetches only the tiles and entry bundles
that are new since the copy's checkpoint (and the snapshot objects the copy lacks, which are
named by their hash), proves from them that the new tree extends the copy's, checks that every
new entry bundle is what the tiles commit to, and writes the checkpoint last: a copy
interrupted at any moment still has a checkpoint whose every tile and bundle it holds. The copy
is a published folder: `sailau verify DIR` reads it as it reads the server."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sailau.tlog import merkle, tiles
from sailau.verify import logsource, logstate
from sailau.verify.snapshot import read_object, read_tree

WORKERS = 16


@dataclass
class Mirrored:
    size: int
    old_size: int
    fetched: int  # tiles and entry bundles fetched
    files: int  # files written
    bytes: int


class MirrorRefused(Exception):
    """The server's checkpoint does not extend the copy's (rollback, second root, fork, other
    log or key): nothing was written; the evidence folder is named."""


def _local(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def mirror(url: str, folder: Path, log_key: str | None = None) -> Mirrored:
    published, log = logsource.open_published(url)
    local_log = folder / "log"
    old_note = _local(local_log / "checkpoint")
    old_json = _local(local_log / "log.json")
    pinned = json.loads(old_json)["log_key"] if old_json else None
    if log_key and pinned and log_key != pinned:
        raise logstate.StateError(f"--log-key differs from the key of the copy in {folder}")
    key = log_key or pinned
    remote_json = logsource.log_json(log)
    if key is None:
        key = remote_json["log_key"]
        print(f"warning: first copy of this log: its key {key} is taken from "
              f"{log.where('log.json')}", file=sys.stderr)
    data = logsource.fetch_checkpoint(log)
    new = logsource.open_checkpoint(data, key, log.where("checkpoint")).checkpoint
    old = None
    if old_note:
        old = logsource.open_checkpoint(old_note, key, str(local_log / "checkpoint")).checkpoint
    state = old and {"origin": old.origin, "log_key": key, "size": old.size,
                     "root": base64.b64encode(old.root).decode()}
    old_size = old.size if old else 0
    fresh = _fetch(log, [(p, p) for p in _paths(old_size, new.size)])

    def fetch(path: str) -> bytes:
        if path in fresh:
            return fresh[path]
        body = _local(local_log / path)
        if body is None:
            raise logsource.Missing(f"{local_log / path}: absent from the copy")
        return body

    reader = tiles.TileHashReader(new.size, fetch)
    try:
        if merkle.tree_hash(new.size, reader) != new.root:
            raise logsource.Unusable(f"{log.where('tile/')}: the tiles do not give the "
                                     f"checkpoint's root for size {new.size}")
        for level, n, width in tiles.tiles_for(old_size, new.size):
            if level == 0:
                _check_bundle(log, n, width, fresh[tiles.entries_path(n, width)], reader)
    except merkle.ProofError as exc:
        raise logsource.Unusable(f"{log.where('tile/')}: malformed ({exc})") from None

    def prove(size, root):
        proof = merkle.consistency_proof(size, new.size, reader)
        merkle.verify_consistency(size, new.size, root, new.root, proof)

    try:
        logstate.check_next(state, new.origin, key, new.size, new.root, prove)
    except logstate.Refused as exc:
        where = logstate.keep_evidence(folder / "evidence", exc.what, old_note, data, str(exc))
        raise MirrorRefused(f"{exc}; nothing copied; both checkpoints kept in {where}") \
            from None
    written = [0, 0]

    def put(path: Path, body: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        logstate.write_atomic(path, body)
        written[0] += 1
        written[1] += len(body)

    for path, body in sorted(fresh.items()):
        put(local_log / path, body)
    _snapshot(published, folder, put)
    put(local_log / "log.json", json.dumps(remote_json, sort_keys=True, indent=1).encode())
    try:  # the largest checkpoint every witness cosigned (the latest may not carry them all)
        put(local_log / "checkpoint.witnessed", log.read("checkpoint.witnessed"))
    except logsource.Missing:
        pass
    try:  # the archive of older cosignatures: a leaf's time, bounded by the witnesses' clocks
        put(local_log / "cosigned.jsonl", log.read("cosigned.jsonl"))
    except logsource.Missing:
        pass
    put(local_log / "checkpoint", data)  # last: it names only what is already here
    return Mirrored(new.size, old_size, len(fresh), written[0], written[1])


def _paths(old_size: int, new_size: int) -> list[str]:
    out = []
    for level, n, width in tiles.tiles_for(old_size, new_size):
        out.append(tiles.tile_path(level, n, width))
        if level == 0:
            out.append(tiles.entries_path(n, width))
    return out


def _fetch(files: logsource.Files, items: list[tuple[str, str]], read=None) -> dict[str, bytes]:
    """{key: bytes of files' path} for (key, path), in parallel over HTTP; each read by
    `read(path)` (default: as it comes)."""
    read = read or files.read

    def one(item):
        return item[0], read(item[1])
    if files.remote:
        with ThreadPoolExecutor(WORKERS) as pool:
            return dict(pool.map(one, items))
    return dict(map(one, items))


def _check_bundle(log, n: int, width: int, data: bytes, reader) -> None:
    path = tiles.entries_path(n, width)
    entries = tiles.decode_entry_bundle(data)
    if len(entries) != width:
        raise logsource.Unusable(f"{log.where(path)}: {len(entries)} entries, {width} expected")
    hashes = reader.read_hashes([(0, n * 256 + i) for i in range(width)])
    for i, (entry, h) in enumerate(zip(entries, hashes, strict=True)):
        if merkle.leaf_hash(entry) != h:
            raise logsource.Unusable(f"{log.where(path)}: entry {n * 256 + i} is not the leaf "
                                     "the tiles commit to")


def _snapshot(published: logsource.Files, folder: Path, put) -> None:
    """The snapshot files beside the log: the objects the copy lacks (checked against their
    hash, and kept opened: a copy's files are read by any tool and any static server, none
    needing `Content-Encoding`), then chain.jsonl, then the manifest."""
    try:
        manifest_bytes = published.read("manifest.json")
    except logsource.Offline:
        raise
    except logsource.Missing:
        return  # a log published alone
    try:
        manifest = json.loads(manifest_bytes)
        listed, shards = read_tree(published, manifest)
        entries = listed.items()
    except (ValueError, KeyError, TypeError, AttributeError):
        raise logsource.Unusable(f"{published.where('manifest.json')}: not a snapshot "
                                 "manifest") from None
    for sha, body in shards.items():  # the list of files, checked by `read_tree`
        if not (folder / "objects" / f"{sha}.json").exists():
            put(folder / "objects" / f"{sha}.json", body)
    wanted = {}
    for name, entry in entries:
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(sha, str) or len(sha) != 64 or not sha.isalnum():
            continue  # named as such by `sailau verify` on the copy
        path = f"objects/{sha}{Path(name).suffix}"
        if not (folder / path).exists():
            wanted[path] = (sha, entry.get("size"))
    fetched = _fetch(published, [(p, p) for p in sorted(wanted)],
                     lambda p: read_object(published, p, wanted[p][1]))
    for path, body in fetched.items():
        if hashlib.sha256(body).hexdigest() != wanted[path][0]:
            raise logsource.Unusable(f"{published.where(path)}: not the file its name's hash "
                                     "says")
        put(folder / path, body)
    try:
        put(folder / "chain.jsonl", published.read("chain.jsonl"))
    except logsource.Offline:
        raise
    except logsource.Missing:
        pass
    put(folder / "manifest.json", manifest_bytes)
