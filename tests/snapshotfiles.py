"""A published snapshot folder read and rewritten as a reader or a forger with write access
would: the manifest's list of files is a tree of shards among the objects
(`sailau.tlog.filetree`)."""

import hashlib
import json
from pathlib import Path

from sailau.tlog import filetree, gzipped


def read_manifest(folder: Path) -> dict:
    """manifest.json with `files` (every name -> its entry) read from its shards."""
    m = json.loads((folder / "manifest.json").read_bytes())
    if "shards" in m:
        m["files"], _ = filetree.expand(
            m["shards"], lambda sha: opened(folder / "objects" / f"{sha}.json"))
    return m


def write_manifest(folder: Path, m: dict) -> bytes:
    """`m` (as `read_manifest` gives it, its `files` changed) published as manifest.json: its
    shards written among the objects; returns the manifest's bytes."""
    m = dict(m)
    files = m.pop("files")
    m.pop("shard_objects", None)
    m["shards"], written = filetree.build(files)
    for sha, body in written:
        (folder / "objects" / f"{sha}.json").write_bytes(body)
    raw = json.dumps(m, ensure_ascii=False, sort_keys=True, indent=0).encode()
    (folder / "manifest.json").write_bytes(raw)
    return raw


def relink_chain(folder: Path, m: dict, raw: bytes) -> None:
    """The forger's next step: the manifest's copy under manifests/ and the chain's last link
    rewritten to the manifest `raw` (as `write_manifest` returned it)."""
    (folder / "manifests" / f"{m['sequence']:08d}.json").write_bytes(raw)
    lines = (folder / "chain.jsonl").read_bytes().splitlines()
    last = json.loads(lines[-1])
    last["sha256"] = hashlib.sha256(raw).hexdigest()
    lines[-1] = json.dumps(last, sort_keys=True, separators=(",", ":")).encode()
    (folder / "chain.jsonl").write_bytes(b"\n".join(lines) + b"\n")


def object_path(folder: Path, name: str) -> Path:
    """Where the latest manifest's file `name` is stored."""
    entry = read_manifest(folder)["files"][name]
    return folder / "objects" / f"{entry['sha256']}{Path(name).suffix}"


def opened(path: Path) -> bytes:
    """A stored object's published bytes (stored gzip'd when it is text)."""
    return gzipped.open_object(path.read_bytes())


def read_object(folder: Path, name: str) -> bytes:
    """The published bytes of the latest manifest's file `name`."""
    return opened(object_path(folder, name))


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
