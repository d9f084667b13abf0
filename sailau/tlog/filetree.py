"""The snapshot manifest's list of files as a tree of shards (format `sailau-snapshot/2`,
docs/snapshot-format.md), written by the publisher and read by `sailau verify`, the mirror and the
static viewer alike. No Django here.

Why a tree: a manifest that lists every file is about 1.3 MB at national scale (10,800 names),
and a busy night publishes one every second or two, each time for a handful of changed files.
In a tree, a publication writes only the shards its changed names fall in (a few KB each) and a
small root; the shards it did not touch keep their bytes, so their objects are reused.

Where a name lives is decided by the name alone, so that a reader finds it without reading the
rest: `key(name)` is the SHA-256 of its UTF-8 bytes in hex. The manifest's `shards` maps the
first two hex digits of the keys to a shard; a shard holding more than `SHARD_MAX` names is
split by the next digit into up to 16 shards, and so on. Each shard is a canonical JSON object
stored among the objects under its own SHA-256 (`objects/<sha256>.json`), like any published
file:
    {"format": "sailau-shard/1", "prefix": "3f", "files": {name: entry, ...}}     (a leaf)
    {"format": "sailau-shard/1", "prefix": "3f", "shards": {"3f0": ref, ...}}      (split)
with `ref` = {"sha256": hex, "size": bytes}. The tree of a set of names is unique (a shard is
split exactly when it holds more than `SHARD_MAX` names), so equal lists give equal bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator

FORMAT = "sailau-shard/1"
ROOT_DIGITS = 2  # the manifest's shards are keyed by two hex digits (at most 256)
SHARD_MAX = 128  # names a leaf shard may hold; one more and it is split by the next digit
_HEX = frozenset("0123456789abcdef")


class Malformed(ValueError):
    """A shard that is not what the manifest or its parent says (named in the message)."""


def key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def shard_bytes(shard: dict) -> bytes:
    """A shard's canonical bytes: JSON, keys sorted, no spaces, UTF-8."""
    return json.dumps(shard, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# ------------------------------------------------------------------------------ writing

def build(files: dict[str, dict], keys: dict[str, str] | None = None,
          shard_max: int = SHARD_MAX) -> tuple[dict[str, dict], list[tuple[str, bytes]]]:
    """The manifest's `shards` for `files` (name -> entry) and every shard's (sha256, bytes),
    children before their parents. `keys`: a cache of `key(name)` kept between calls.
    `shard_max`: `SHARD_MAX` but in the specification's small example."""
    keys = {} if keys is None else keys
    by_prefix: dict[str, dict[str, dict]] = {}
    for name, entry in files.items():
        k = keys.get(name)
        if k is None:
            k = keys[name] = key(name)
        by_prefix.setdefault(k[:ROOT_DIGITS], {})[name] = entry
    out: list[tuple[str, bytes]] = []
    root = {p: _node(p, by_prefix[p], keys, out, shard_max) for p in sorted(by_prefix)}
    return root, out


def _node(prefix: str, files: dict[str, dict], keys: dict[str, str],
          out: list[tuple[str, bytes]], shard_max: int) -> dict:
    if len(files) <= shard_max:
        shard = {"format": FORMAT, "prefix": prefix, "files": dict(sorted(files.items()))}
    else:
        parts: dict[str, dict[str, dict]] = {}
        for name, entry in files.items():
            parts.setdefault(keys[name][:len(prefix) + 1], {})[name] = entry
        shard = {"format": FORMAT, "prefix": prefix,
                 "shards": {p: _node(p, parts[p], keys, out, shard_max) for p in sorted(parts)}}
    body = shard_bytes(shard)
    digest = hashlib.sha256(body).hexdigest()
    out.append((digest, body))
    return {"sha256": digest, "size": len(body)}


# ------------------------------------------------------------------------------ reading

def walk(shards: dict, read: Callable[[str], bytes], seen: dict | None = None
         ) -> Iterator[tuple[str, dict]]:
    """Every shard below the manifest's `shards` as (sha256, parsed shard), each checked (see
    `_shard`). `read(sha256)` gives the bytes of `objects/<sha256>.json`. Raises `Malformed`
    naming the shard. `seen`: sha256 -> ((prefix, size), shard) already checked (kept by the
    caller between calls: a shard's bytes never change, and most of a tree is the same from one
    manifest to the next)."""
    if not isinstance(shards, dict):
        raise Malformed("the manifest's \"shards\" is not an object")
    for p in shards:
        if len(p) != ROOT_DIGITS or not set(p) <= _HEX:
            raise Malformed(f"manifest.json: shard key {p!r} is not {ROOT_DIGITS} hex digits")
    todo = [(p, ref, "manifest.json") for p, ref in sorted(shards.items(), reverse=True)]
    while todo:
        prefix, ref, where = todo.pop()
        kept = seen.get(ref.get("sha256")) if seen is not None and isinstance(ref, dict) \
            else None
        if kept is not None and kept[0] == (prefix, ref.get("size")):
            shard = kept[1]
        else:
            shard = _shard(prefix, ref, where, read)
            if seen is not None:
                seen[ref["sha256"]] = ((prefix, ref["size"]), shard)
        todo += [(p, r, f"shard {prefix}")
                 for p, r in sorted(shard.get("shards", {}).items(), reverse=True)]
        yield ref["sha256"], shard


def _shard(prefix: str, ref, where: str, read: Callable[[str], bytes]) -> dict:
    """The shard `where` hangs at `prefix`, checked: its bytes against `ref`, its format and
    prefix against where it hangs, its children's keys or its names against its prefix."""
    if not (isinstance(ref, dict) and isinstance(ref.get("sha256"), str)
            and len(ref["sha256"]) == 64 and set(ref["sha256"]) <= _HEX):
        raise Malformed(f"{where}: shard {prefix} has no valid sha256")
    digest = ref["sha256"]
    here = f"shard {prefix} (objects/{digest}.json)"
    body = read(digest)
    if hashlib.sha256(body).hexdigest() != digest:
        raise Malformed(f"{here} does not have its SHA-256")
    if ref.get("size") != len(body):
        raise Malformed(f"{here}: {len(body)} bytes, {where} says {ref.get('size')!r}")
    try:
        shard = json.loads(body)
    except ValueError:
        raise Malformed(f"{here} is not JSON") from None
    if not isinstance(shard, dict) or shard.get("format") != FORMAT \
            or shard.get("prefix") != prefix:
        raise Malformed(f"{here} is not a {FORMAT} shard with prefix {prefix!r}")
    if "shards" in shard:
        children = shard["shards"]
        if not isinstance(children, dict) or not children or any(
                len(p) != len(prefix) + 1 or not p.startswith(prefix) or p[-1] not in _HEX
                for p in children):
            raise Malformed(f"{here}: its shards are not keyed by {prefix} and one more hex "
                            "digit")
        return shard
    names = shard.get("files")
    if not isinstance(names, dict) or not all(isinstance(e, dict) for e in names.values()):
        raise Malformed(f"{here} has no files")
    for name in names:
        if not key(name).startswith(prefix):
            raise Malformed(f"{here} holds {name}, whose key does not start with {prefix}")
    return shard


def expand(shards: dict, read: Callable[[str], bytes], seen: dict | None = None
           ) -> tuple[dict[str, dict], list[str]]:
    """Every name of the tree -> its entry, and the sha256 of every shard (see `walk`)."""
    files: dict[str, dict] = {}
    digests = []
    for digest, shard in walk(shards, read, seen):
        digests.append(digest)
        files.update(shard.get("files", {}))
    return files, digests


def lookup(shards: dict, name: str, read: Callable[[str], bytes]) -> dict | None:
    """One name's entry, reading only the shards on its path (each checked as `walk` checks
    it); None when the tree does not hold it."""
    k = key(name)
    prefix, where = k[:ROOT_DIGITS], "manifest.json"
    ref = shards.get(prefix) if isinstance(shards, dict) else None
    while ref is not None:
        shard = _shard(prefix, ref, where, read)
        if "shards" not in shard:
            return shard["files"].get(name)
        where, prefix = f"shard {prefix}", k[:len(prefix) + 1]
        ref = shard["shards"].get(prefix)
    return None
