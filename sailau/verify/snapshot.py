"""Reading a published snapshot from a folder or a URL, trusting nothing but its bytes.

A snapshot is the directory `sailau publish` writes (`$SAILAU_DATA_DIR/snapshots/<election>/`)
or the same served over HTTP (`http://host/snapshots/<election>/`): `manifest.json`,
`objects/<sha256>.<ext>`, `chain.jsonl` and `manifests/<seq>.json`. No Django here: the verifier
runs on a journalist's laptop with nothing but this package."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from sailau.verify.logsource import Files, Missing, Unusable

WORKERS = 16  # parallel HTTP requests: a national snapshot is ~11,000 files


class Snapshot:
    def __init__(self, location: str):
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
        try:
            self.manifest_bytes = self.read("manifest.json")
        except Missing as exc:
            raise Unusable(str(exc)) from None
        try:
            manifest = json.loads(self.manifest_bytes)
        except ValueError:
            manifest = None
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
            raise Unusable(f"{self.where('manifest.json')}: not a snapshot manifest "
                           "(JSON with \"files\")")
        self.manifest = manifest

    def where(self, relative: str) -> str:
        return self.files.where(relative)

    def read(self, relative: str) -> bytes:
        """The bytes of a file of the snapshot, or Missing naming it and why."""
        return self.files.read(relative)

    def object_path(self, name: str, entry: dict) -> str:
        return f"objects/{entry.get('sha256')}{PurePosixPath(name).suffix}"

    def objects(self, entries):
        """(name, entry, bytes or Missing) for each (name, entry), in order; fetched in parallel
        over HTTP."""
        def one(item):
            name, entry = item
            try:
                return name, entry, self.read(self.object_path(name, entry))
            except Missing as exc:
                return name, entry, exc

        if not self.remote:
            yield from map(one, entries)
            return
        with ThreadPoolExecutor(WORKERS) as pool:
            yield from pool.map(one, entries)
