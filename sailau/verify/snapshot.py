"""Reading a published snapshot from a folder or a URL, trusting nothing but its bytes.

A snapshot is the directory `sailau publish` writes (`$SAILAU_DATA_DIR/snapshots/<election>/`)
or the same served over HTTP (`http://host/snapshots/<election>/`): `manifest.json`,
`objects/<sha256>.<ext>`, `chain.jsonl` and `manifests/<seq>.json`; a manifest lists its files
through a tree of shards stored among the objects (`sailau.tlog.filetree`, read here level by
level, in parallel over HTTP). No Django here: the verifier runs on a journalist's laptop with
nothing but this package."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from sailau.tlog import filetree, gzipped
from sailau.verify.logsource import Files, Missing, Unusable

WORKERS = 16  # parallel HTTP requests: a national snapshot is ~11,000 files


def read_object(files: Files, relative: str, size=None) -> bytes:
    """An object's published bytes (the ones its name's hash is of): opened when it comes
    gzip'd (`sailau.tlog.gzipped`). Bytes that begin as gzip but do not open (broken, or larger
    than `size`, what its manifest entry says) are returned as they came: the hash check then
    names the file. Missing when it cannot be read."""
    data = files.read(relative)
    try:
        return gzipped.open_object(data, size if isinstance(size, int) else None)
    except gzipped.NotGzip:
        return data


def read_tree(files: Files, manifest: dict) -> tuple[dict[str, dict], dict[str, bytes]]:
    """The files a manifest lists (name -> entry) and the bytes of each shard of its tree by
    sha256: fetched level by level, every shard checked (`filetree.walk`). A manifest of the
    first format lists its files itself. Raises Unusable naming what cannot be read."""
    where = files.where("manifest.json")
    if "shards" not in manifest:
        if not isinstance(manifest.get("files"), dict):
            raise Unusable(f"{where}: not a snapshot manifest (JSON with \"shards\" or "
                           "\"files\")")
        return manifest["files"], {}
    got: dict[str, bytes] = {}
    level = _refs(manifest.get("shards"))
    while level:
        def one(sha):
            try:
                return sha, read_object(files, f"objects/{sha}.json")
            except Missing as exc:
                raise ShardMissing(f"{where}: a shard of its list of files is missing: "
                                   f"{exc}") from None
        if files.remote and len(level) > 1:
            with ThreadPoolExecutor(WORKERS) as pool:
                got.update(pool.map(one, level))
        else:
            got.update(map(one, level))
        children = []
        for sha in level:
            try:
                children += _refs(json.loads(got[sha]).get("shards"))
            except (ValueError, AttributeError):
                pass  # named by the walk below
        level = [sha for sha in dict.fromkeys(children) if sha not in got]
    try:
        listed, _ = filetree.expand(manifest["shards"], got.__getitem__, None,
                                    filetree.root_digits(manifest.get("format")))
    except filetree.Malformed as exc:
        raise Unusable(f"{where}: {exc}") from None
    except KeyError as exc:  # a ref no level read (a malformed parent, named by the walk)
        raise Unusable(f"{where}: shard object {exc} could not be read") from None
    return listed, got


class ShardMissing(Unusable):
    """A shard the manifest names cannot be fetched (a shard present and wrong is `Unusable`)."""


def _refs(shards) -> list[str]:
    """The well-formed sha256s among a manifest's or a shard's `shards` (the walk names the
    others)."""
    if not isinstance(shards, dict):
        return []
    return [ref["sha256"] for ref in shards.values() if isinstance(ref, dict)
            and isinstance(ref.get("sha256"), str) and len(ref["sha256"]) == 64
            and ref["sha256"].isalnum()]


class NoSnapshot(Unusable):
    """No manifest.json there (a log published alone); a manifest that is there but cannot be
    read is `Unusable`, named."""


class MovedOn(Unusable):
    """The run could not finish: a file of the manifest it began with was deleted meanwhile
    and the site's current manifest no longer names it (the publisher's retention, on a run
    longer than the site keeps superseded files). Nothing wrong was found in what was read;
    exit 2, never a failure: see docs/checking-the-log.md, "A live night"."""


TRIES = 3  # manifests tried in turn when the list of files of each vanishes while it is read


def moved_on(what: str) -> str:
    """What a reader is told when the site moved on while a run read it."""
    return (f"the site moved on while I read it; retry ({what}; nothing read was found wrong, "
            "and nothing was checked to the end)")


class Snapshot:
    def __init__(self, location: str, lazy: bool = False):
        """`lazy`: the list of files is not read (one station's check looks its name up with
        `entry`, reading only the shards on its path)."""
        self.location = location
        self.remote = location.startswith(("http://", "https://"))
        if self.remote:
            base = location if location.endswith("/") else location + "/"
            if base.endswith("/manifest.json/"):
                base = base[: -len("manifest.json/")]
            self.base = base
        else:
            path = Path(location)
            if path.name == "manifest.json":
                path = path.parent
            if not path.exists():
                raise Unusable(f"{location}: no such file or folder")
            if not path.is_dir():
                raise Unusable(f"{location}: not a snapshot folder (a folder with manifest.json)")
            self.base = path
        # One reader of published files for the snapshot and the log (`logsource.Files`).
        self.files = Files(str(self.base))
        self.manifest_bytes, self.manifest = self._fetch_manifest()
        if lazy:
            return
        # The list of files, read now, before any check: when a shard of it is deleted while
        # it is read (the site published and pruned meanwhile), the run begins again with the
        # manifest the site shows now; this is the manifest every later check is held to.
        for attempt in range(TRIES):
            try:  # in memory only: the rest of the checks read `manifest["files"]`
                self.manifest = {**self.manifest,
                                 "files": read_tree(self.files, self.manifest)[0]}
                return
            except ShardMissing as exc:  # (a shard present and wrong is named, never retried)
                again = self._fetch_manifest()
                if again[0] == self.manifest_bytes:  # the same manifest: its own fault
                    raise
                if attempt == TRIES - 1:
                    raise MovedOn(moved_on(f"the list of files of {TRIES} manifests in turn "
                                           f"vanished while it was read: {exc}")) from None
                self.manifest_bytes, self.manifest = again

    def _fetch_manifest(self) -> tuple[bytes, dict]:
        """manifest.json as the site shows it now: its bytes and the JSON."""
        try:
            data = self.read("manifest.json")
        except Missing as exc:
            raise NoSnapshot(str(exc)) from None
        try:
            manifest = json.loads(data)
        except ValueError:
            manifest = None
        if not isinstance(manifest, dict) or not isinstance(
                manifest.get("shards", manifest.get("files")), dict):
            raise Unusable(f"{self.where('manifest.json')}: not a snapshot manifest "
                           "(JSON with \"shards\" or \"files\")")
        return data, manifest

    def current(self) -> dict | None:
        """The manifest the site shows now, with its `files`, when it is not the one this run
        began with (None when it is the same). Unusable when it cannot be read."""
        data, manifest = self._fetch_manifest()
        if data == self.manifest_bytes:
            return None
        return {**manifest, "files": read_tree(self.files, manifest)[0]}

    def entry(self, name: str) -> dict | None:
        """One file's entry in the manifest, reading only the shards on its path."""
        if "shards" not in self.manifest:
            return self.manifest["files"].get(name)

        def read(sha: str) -> bytes:
            try:
                return read_object(self.files, f"objects/{sha}.json")
            except Missing as exc:
                raise ShardMissing(f"{self.where('manifest.json')}: a shard of its list of "
                                   f"files is missing: {exc}") from None
        try:
            return filetree.lookup(self.manifest["shards"], name, read,
                                   filetree.root_digits(self.manifest.get("format")))
        except filetree.Malformed as exc:
            raise Unusable(f"{self.where('manifest.json')}: {exc}") from None

    def where(self, relative: str) -> str:
        return self.files.where(relative)

    def read(self, relative: str) -> bytes:
        """The bytes of a file of the snapshot, or Missing naming it and why."""
        return self.files.read(relative)

    def object_path(self, name: str, entry: dict) -> str:
        return f"objects/{entry.get('sha256')}{PurePosixPath(name).suffix}"

    def read_object(self, name: str, entry: dict) -> bytes:
        """The published bytes of the file `name` listed as `entry` (see `read_object`)."""
        return read_object(self.files, self.object_path(name, entry), entry.get("size"))

    def checked_object(self, name: str, entry: dict) -> bytes | None:
        """`read_object`, or None when it cannot be read or is not the bytes its entry's
        sha256 is of: `files.check_files` names those, a later check only skips them."""
        try:
            body = self.read_object(name, entry)
        except Missing:
            return None
        return body if hashlib.sha256(body).hexdigest() == entry.get("sha256") else None

    def objects(self, entries):
        """(name, entry, bytes or Missing) for each (name, entry), in order; fetched in parallel
        over HTTP."""
        def one(item):
            name, entry = item
            try:
                return name, entry, self.read_object(name, entry)
            except Missing as exc:
                return name, entry, exc

        if not self.remote:
            yield from map(one, entries)
            return
        with ThreadPoolExecutor(WORKERS) as pool:
            yield from pool.map(one, entries)
