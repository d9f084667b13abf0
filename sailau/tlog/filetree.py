"""The snapshot manifest's list of files as a tree of shards (format `sailau-snapshot/3` and 4,
docs/snapshot-format.md), written by the publisher and read by `sailau verify`, the mirror and the
static viewer alike. No Django here.

Why a tree: a manifest that lists every file is about 1.3 MB at national scale (10,800 names),
and a busy night publishes one every second or two, each time for a handful of changed files.
In a tree, a publication writes only the shards its changed names fall in (a few KB each) and a
small root; the shards it did not touch keep their bytes, so their objects are reused.

Where a name lives is decided by the name alone, so that a reader finds it without reading the
rest: `key(name)` is the SHA-256 of its UTF-8 bytes in hex. The manifest's `shards` maps the
first hex digit of the keys to a shard; a shard holding more than `SHARD_MAX` names is split by
the next digit into up to 16 shards, and so on. Each shard is a canonical JSON object
stored among the objects under its own SHA-256 (`objects/<sha256>.json`), like any published
file:
    {"format": "sailau-shard/1", "prefix": "3f", "files": {name: entry, ...}}     (a leaf)
    {"format": "sailau-shard/1", "prefix": "3f", "shards": {"3f0": ref, ...}}      (split)
with `ref` = {"sha256": hex, "size": bytes}. The tree of a set of names is unique (a shard is
split exactly when it holds more than `SHARD_MAX` names), so equal lists give equal bytes."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator

from sailau.tlog import canonicaljson

FORMAT = "sailau-shard/1"
# The manifest's shards are keyed by one hex digit (16) and a leaf shard holds at most 32
# names. What a round of the night writes is the root (twice: manifest.json and its copy) and
# every shard on the paths of its changed names: with 256 keys at the root (about 24 KB) and
# leaves of up to 128 names (about 45 at national scale, 5 KB each), that was half of what a
# round published; with 16 and 32 the root is 1.5 KB, a leaf a few names and a path three
# small shards: 129 -> 47 KiB a round of five stations (benchmarks/bench_rounds.py).
ROOT_DIGITS = 1
SHARD_MAX = 32
# Manifest formats and the digits of their root (`sailau-snapshot/2`: 256 keys, leaves up to
# 128 names, published before 25 November 2026; its manifests are still read).
ROOT_DIGITS_OF = {"sailau-snapshot/4": 1, "sailau-snapshot/3": 1, "sailau-snapshot/2": 2}
_HEX = frozenset("0123456789abcdef")


class Malformed(ValueError):
    """A shard that is not what the manifest or its parent says (named in the message)."""


def key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def shard_bytes(shard: dict) -> bytes:
    """A shard's canonical bytes: JSON, keys sorted, no spaces, UTF-8."""
    return canonicaljson.encode(shard)


# ------------------------------------------------------------------------------ writing

def root_digits(manifest_format) -> int:
    """How many hex digits key a manifest's `shards`, by its format; Malformed for a format
    that has no tree of shards."""
    digits = ROOT_DIGITS_OF.get(manifest_format)
    if digits is None:
        raise Malformed(f"manifest.json: format {manifest_format!r} is not one of "
                        f"{', '.join(sorted(ROOT_DIGITS_OF))}")
    return digits


def build(files: dict[str, dict], keys: dict[str, str] | None = None,
          shard_max: int = SHARD_MAX, memo: dict | None = None, changed=None
          ) -> tuple[dict[str, dict], list[tuple[str, bytes]]]:
    """The manifest's `shards` for `files` (name -> entry) and every shard's (sha256, bytes),
    children before their parents. `keys`: a cache of `key(name)` kept between calls.
    `shard_max`: `SHARD_MAX` but in the specification's small example. `memo`: kept by the
    caller between calls for one folder: the tree built last (`_Tree`), so that a call reads
    only the names that changed since and encodes and hashes only the shards on their paths (a
    round of the night changes a few dozen names of 110,000 at 100,000 stations; grouping every
    name again cost a round 0.6 s there). The result is the same as built anew: the tree of a
    set of names is unique. `changed`: the only names that can differ from the files the tree
    in `memo` was last built from (the caller knows: it built `files` from those), so that not
    every name is compared (110,000 at 100,000 stations); None to compare them all."""
    keys = {} if keys is None else keys
    memo = {} if memo is None else memo
    tree = memo.get("tree")
    if tree is None or tree.shard_max != shard_max:
        tree = memo["tree"] = _Tree(shard_max)
        changed = None
    tree.update(files, keys, changed)
    return tree.root(), tree.listing()


@functools.cache
def _roots(digits: int) -> list[str]:
    return [f"{i:0{digits}x}" for i in range(16 ** digits)]


class _Tree:
    """The tree of shards of the last set of files built: each shard by its prefix, a leaf's
    names, how many names are below each, and each shard's encoding as last built."""

    def __init__(self, shard_max: int):
        self.shard_max = shard_max
        self.files: dict[str, dict] = {}
        self.leaves: dict[str, dict[str, dict]] = {}  # prefix -> its names (a leaf shard)
        self.split: set[str] = set()  # prefixes of shards split into shards
        self.count: dict[str, int] = {}  # prefix -> names below it
        # prefix -> (ref, (sha256, bytes)): the pair `listing` gives, made once per encoding (a
        # new tuple for each of ~13,000 shards with every round set off the collector's rounds)
        self.encoded: dict[str, tuple[dict, tuple[str, bytes]]] = {}
        self.order: list[str] = []  # `listing`'s prefixes, sorted when the shards last came or went
        self.ordered: set[str] = set()  # ...and those prefixes, to see whether they still are
        self.dirty: set[str] = set()

    def update(self, files: dict[str, dict], keys: dict[str, str], changed=None) -> None:
        old = self.files
        # The same entry object (carried from the previous manifest) is the same entry; an
        # equal copy is compared.
        if changed is None:
            moved = [name for name, entry in files.items()
                     if (was := old.get(name)) is not entry and was != entry]
            gone = old.keys() - files.keys()
        else:
            moved = [name for name in changed if name in files
                     and (was := old.get(name)) is not files[name] and was != files[name]]
            gone = [name for name in changed if name in old and name not in files]
        for name in gone:
            self._put(name, None, keys)
        for name in moved:
            self._put(name, files[name], keys)
        if changed is None:
            self.files = dict(files)
        else:  # (a copy of every name was as dear as the comparison)
            for name in gone:
                del old[name]
            for name in moved:
                old[name] = files[name]
        self._reshape(keys)
        self._encode()

    def _key(self, name: str, keys: dict[str, str]) -> str:
        k = keys.get(name)
        if k is None:
            k = keys[name] = key(name)
        return k

    def _put(self, name: str, entry: dict | None, keys: dict[str, str]) -> None:
        """One name set to `entry` (None: removed), the counts on its path kept."""
        k = self._key(name, keys)
        leaf_prefix = k[:ROOT_DIGITS]
        while leaf_prefix in self.split:
            leaf_prefix = k[:len(leaf_prefix) + 1]
        leaf = self.leaves.setdefault(leaf_prefix, {})
        delta = (entry is not None) - (name in leaf)
        if entry is None:
            leaf.pop(name, None)
        else:
            leaf[name] = entry
        for n in range(ROOT_DIGITS, len(leaf_prefix) + 1):
            prefix = k[:n]
            self.count[prefix] = self.count.get(prefix, 0) + delta
            self.dirty.add(prefix)

    def _below(self, prefix: str) -> list[str]:
        return [prefix + d for d in "0123456789abcdef"
                if prefix + d in self.split or prefix + d in self.leaves]

    def _reshape(self, keys: dict[str, str]) -> None:
        """A shard is split exactly when it holds more than `shard_max` names: shards that
        fell to it merged (widest first), leaves above it split, empty ones gone."""
        for prefix in sorted((p for p in self.dirty if p in self.split), key=len):
            if prefix in self.split and self.count.get(prefix, 0) <= self.shard_max:
                names: dict[str, dict] = {}
                todo = [prefix]
                while todo:
                    p = todo.pop()
                    todo += self._below(p)
                    names.update(self.leaves.pop(p, {}))
                    self.split.discard(p)
                    if p != prefix:
                        self.count.pop(p, None)
                        self.encoded.pop(p, None)
                        self.dirty.discard(p)
                self.leaves[prefix] = names
        todo = [p for p in self.dirty if p in self.leaves]
        while todo:
            prefix = todo.pop()
            names = self.leaves.get(prefix)
            if names is None:
                continue
            if not names:
                del self.leaves[prefix]
                self.count.pop(prefix, None)
                self.encoded.pop(prefix, None)
                continue
            if len(names) <= self.shard_max:
                continue
            del self.leaves[prefix]
            self.split.add(prefix)
            parts: dict[str, dict[str, dict]] = {}
            for name, entry in names.items():
                parts.setdefault(self._key(name, keys)[:len(prefix) + 1], {})[name] = entry
            for child, part in parts.items():
                self.leaves[child], self.count[child] = part, len(part)
                self.dirty.add(child)
                todo.append(child)

    def _encode(self) -> None:
        """Each shard a changed name's path went through encoded and hashed again, children
        first; the others keep their bytes."""
        for prefix in sorted(self.dirty, key=len, reverse=True):
            if prefix in self.leaves:
                kind, content = "files", self.leaves[prefix]
            elif prefix in self.split:
                kind, content = "shards", {c: self.encoded[c][0] for c in self._below(prefix)}
            else:
                self.encoded.pop(prefix, None)
                continue
            body = shard_bytes({"format": FORMAT, "prefix": prefix, kind: dict(sorted(
                content.items()))})
            digest = hashlib.sha256(body).hexdigest()
            self.encoded[prefix] = ({"sha256": digest, "size": len(body)}, (digest, body))
        self.dirty.clear()

    def root(self) -> dict[str, dict]:
        # (a root's every possible key looked up, in order, rather than every shard's sorted)
        return {p: self.encoded[p][0] for p in _roots(ROOT_DIGITS) if p in self.encoded}

    def listing(self) -> list[tuple[str, bytes]]:
        """Every shard's (sha256, bytes), children before their parents, depth first in hex
        order: the order of the prefixes each followed by a character above every hex digit
        ("0" after "0f", "0f" after "0f3"), kept until a shard comes or goes (a round changes
        the bytes of a few shards, seldom which shards there are). At 100,000 stations a walk
        of the ~13,000 shards with every round was 9 % of the batches' process (py-spy)."""
        encoded = self.encoded
        if encoded.keys() != self.ordered:  # (compared in C: a fraction of a millisecond)
            self.ordered = set(encoded)
            self.order = sorted(encoded, key=lambda p: p + "~")
        return [encoded[p][1] for p in self.order]


# ------------------------------------------------------------------------------ reading

def walk(shards: dict, read: Callable[[str], bytes], seen: dict | None = None,
         digits: int = ROOT_DIGITS) -> Iterator[tuple[str, dict]]:
    """Every shard below the manifest's `shards` as (sha256, parsed shard), each checked (see
    `_shard`). `read(sha256)` gives the bytes of `objects/<sha256>.json`. Raises `Malformed`
    naming the shard. `seen`: sha256 -> ((prefix, size), shard) already checked (kept by the
    caller between calls: a shard's bytes never change, and most of a tree is the same from one
    manifest to the next). `digits`: of the root's keys (`root_digits` of the manifest)."""
    if not isinstance(shards, dict):
        raise Malformed("the manifest's \"shards\" is not an object")
    for p in shards:
        if len(p) != digits or not set(p) <= _HEX:
            raise Malformed(f"manifest.json: shard key {p!r} is not "
                            f"{digits} hex digit{'s' if digits > 1 else ''}")
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


def expand(shards: dict, read: Callable[[str], bytes], seen: dict | None = None,
           digits: int = ROOT_DIGITS) -> tuple[dict[str, dict], list[str]]:
    """Every name of the tree -> its entry, and the sha256 of every shard (see `walk`)."""
    files: dict[str, dict] = {}
    digests = []
    for digest, shard in walk(shards, read, seen, digits):
        digests.append(digest)
        files.update(shard.get("files", {}))
    return files, digests


def lookup(shards: dict, name: str, read: Callable[[str], bytes],
           digits: int = ROOT_DIGITS) -> dict | None:
    """One name's entry, reading only the shards on its path (each checked as `walk` checks
    it); None when the tree does not hold it."""
    k = key(name)
    prefix, where = k[:digits], "manifest.json"
    ref = shards.get(prefix) if isinstance(shards, dict) else None
    while ref is not None:
        shard = _shard(prefix, ref, where, read)
        if "shards" not in shard:
            return shard["files"].get(name)
        where, prefix = f"shard {prefix}", k[:len(prefix) + 1]
        ref = shard["shards"].get(prefix)
    return None
