"""`log/cosigned.jsonl` (`sailau-cosigned/1`, docs/log-format.md): the archive of the
witnesses' cosignatures of older checkpoints, one line per witness and checkpoint kept, so that
a reader can bound when each leaf entered the log by the witnesses' clocks, not the server's.

Written by the log (`sailau.ledger.cosign`), read by `sailau verify` (`sailau.verify.
witnessed_time`): both go through this module, so the bytes are the format's."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from sailau.tlog import canonicaljson, checkpoint, cosignature

FILE = "cosigned.jsonl"
VERSION = 1
KEEP_EVERY = 60  # seconds of a witness's clock between two lines kept for it


class ArchiveError(ValueError):
    """A line that is not a `sailau-cosigned/1` line."""


@dataclass(frozen=True)
class Line:
    size: int
    root: bytes
    cosignature: str  # "— <name> <base64>", as in the note

    @property
    def witness(self) -> str:
        return self.cosignature.split(" ")[1]

    def timestamp(self) -> int:
        """The witness's timestamp as the line states it (unverified: see `verify`)."""
        raw = base64.b64decode(self.cosignature.split(" ")[2])
        return int.from_bytes(raw[4:12], "big")

    def body(self, origin: str) -> str:
        return checkpoint.Checkpoint(origin, self.size, self.root).body()

    def verify(self, origin: str, verifier_key: str) -> int:
        """The witness's timestamp once its cosignature of this checkpoint verifies with
        `verifier_key`; note.NoteError when it does not."""
        return cosignature.verify_cosignature(self.body(origin), self.cosignature,
                                              verifier_key)


def encode(size: int, root: bytes, line: str) -> bytes:
    """One line of the archive, its newline included."""
    return canonicaljson.encode({"v": VERSION, "size": size,
                                 "root": base64.b64encode(root).decode(),
                                 "cosignature": line.strip()}) + b"\n"


def decode(raw: bytes) -> Line:
    """One line (without its newline); ArchiveError saying what is wrong."""
    try:
        doc = json.loads(raw)
    except ValueError:
        raise ArchiveError("not JSON") from None
    if not isinstance(doc, dict) or set(doc) != {"v", "size", "root", "cosignature"}:
        raise ArchiveError("not an object of v, size, root and cosignature")
    if doc["v"] != VERSION:
        raise ArchiveError(f"version {doc['v']!r}, not {VERSION}")
    size, root, line = doc["size"], doc["root"], doc["cosignature"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ArchiveError(f"size {size!r} is not a positive integer")
    try:
        root_bytes = base64.b64decode(root, validate=True) if isinstance(root, str) else b""
    except binascii.Error:
        root_bytes = b""
    if len(root_bytes) != 32:
        raise ArchiveError("root is not 32 bytes in base64")
    parts = line.split(" ") if isinstance(line, str) else []
    if len(parts) != 3 or parts[0] != "\u2014":
        raise ArchiveError("cosignature is not a line `— <name> <base64>`")
    try:
        if len(base64.b64decode(parts[2], validate=True)) != 76:
            raise ArchiveError("cosignature is not key ID, timestamp and signature")
    except binascii.Error:
        raise ArchiveError("cosignature is not base64") from None
    if encode(size, root_bytes, line) != raw + b"\n":
        raise ArchiveError("not in canonical form")
    return Line(size, root_bytes, line)


def read(data: bytes):
    """(line number from 1, Line or ArchiveError) for each line of the file."""
    for n, raw in enumerate(data.split(b"\n"), 1):
        if raw:
            try:
                yield n, decode(raw)
            except ArchiveError as exc:
                yield n, exc


def last_kept(data: bytes) -> dict[str, int]:
    """Each witness's timestamp on its last line kept (by name), for the writer's thinning."""
    out: dict[str, int] = {}
    for _, line in read(data):
        if isinstance(line, Line):
            out[line.witness] = max(out.get(line.witness, 0), line.timestamp())
    return out

