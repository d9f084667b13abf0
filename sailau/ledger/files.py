"""Where the log's files go: `log/` under the election's published folder, next to its snapshot
files (`SAILAU_DATA_DIR/snapshots/<election>/log/`, served at /snapshots/<election>/log/), and,
when the "snapshots" storage is an S3-compatible bucket (sailau.filestores), into the bucket
under the same names, so that a CDN carries the log as it carries the snapshots.

Every file is written whole and replaced atomically on disk; tiles and entry bundles are
deterministic from the sequenced leaves, so a rewrite (after a crash, or by a second
integrator) writes identical bytes."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from sailau.filestores import FOLDERS
from sailau.paths import data_dir, write_atomic

ALIAS = "snapshots"
FOLDER = "log"


def local_dir(election_id: str) -> Path:
    if "/" in election_id or election_id.startswith("."):
        raise ValueError(f"election id {election_id!r} cannot name a directory")
    return data_dir() / FOLDERS[ALIAS] / election_id / FOLDER


def _remote():
    """The snapshots storage when it is not the data directory itself (a bucket), else None."""
    s = storages[ALIAS]
    if isinstance(s, FileSystemStorage) and \
            os.path.abspath(s.location) == os.path.abspath(data_dir() / FOLDERS[ALIAS]):
        return None
    return s


class LogFiles:
    """The log folder of one election; counts what it writes (`written`, in bytes)."""

    def __init__(self, election_id: str):
        self.election_id = election_id
        self.dir = local_dir(election_id)
        self.remote = _remote()
        self.written = 0

    def put(self, name: str, body: bytes) -> None:
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, body)
        if self.remote is not None:
            key = f"{self.election_id}/{FOLDER}/{name}"
            saved = self.remote.save(key, ContentFile(body))
            if saved != key:  # a storage that renames instead of replacing would strand readers
                raise RuntimeError(f"storage {ALIAS!r} stored {key} as {saved}: it must "
                                   "overwrite")
        self.written += len(body)

    @contextlib.contextmanager
    def locked(self):
        """One writer of the log's replaced files (`checkpoint`, `checkpoint.witnessed`) at a
        time, across processes and threads: each writes what the database says once it holds
        the lock, so the last writer is the newest and a reader never sees the log go back (a
        witness shown a smaller checkpoint after a larger one refuses it as a rollback)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir.parent / ".log.lock", "a") as f:  # beside the folder, not published
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def read(self, name: str) -> bytes | None:
        """A file of the log as this server wrote it (None if absent)."""
        try:
            return (self.dir / name).read_bytes()
        except FileNotFoundError:
            return None
