"""What a log's reader keeps between runs (`--state DIR`), written so that `kill -9` at any
moment leaves either the old state or the new one, never a torn file: each file is written
beside its final name, flushed to disk, renamed over it (atomic on POSIX), and the folder is
flushed so the rename itself survives a power cut.

`state.json` holds the log's origin and key (pinned at first sight), and the last checkpoint
accepted: its size, root and the signed note itself (so that a later fork can be shown with
both notes). Evidence of a refused checkpoint is kept in `evidence/<time>-<what>/` as the two
notes, never overwritten."""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

# What a state file may say it is: none (a reader's state before witnesses were pinned, or a
# witness's), and a reader's with its witnesses pinned (docs/checking-the-log.md).
FORMATS = (None, "sailau-reader-state/2")


class StateError(Exception):
    """The state folder cannot be read or written; the message says what to do."""


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load(folder: Path) -> dict | None:
    """The state kept in `folder`, or None for a first run (no state yet)."""
    path = folder / "state.json"
    try:
        state = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StateError(f"{path}: unreadable ({exc}); restore it from a backup or start again "
                         "with an empty folder (the log will be trusted afresh)") from None
    if not isinstance(state, dict) or not {"origin", "log_key", "size", "root"} <= set(state):
        raise StateError(f"{path}: not a log reader's state")
    # a state without `format` is of the first format (no witnesses pinned): still read
    if state.get("format", FORMATS[0]) not in FORMATS:
        raise StateError(f"{path}: format {state.get('format')!r}, this sailau reads "
                         f"{', '.join(f for f in FORMATS if f)}: a newer sailau wrote it")
    for member in ("witnesses", "first_round_witnesses"):
        if member in state and not (isinstance(state[member], list) and all(
                isinstance(w, str) for w in state[member])):
            raise StateError(f"{path}: {member} is not a list of verifier keys")
    return state


def save(folder: Path, *, origin: str, log_key: str, size: int, root: bytes, note: bytes,
         **extra) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "state.json", json.dumps(
            {"origin": origin, "log_key": log_key, "size": size,
             "root": base64.b64encode(root).decode(), "checkpoint": note.decode(), **extra},
            indent=1, sort_keys=True, ensure_ascii=False).encode() + b"\n")
    except OSError as exc:
        raise StateError(f"{folder}: cannot write the state ({exc.strerror})") from None


def root_of(state: dict) -> bytes:
    return base64.b64decode(state["root"])


def keep_evidence(folder: Path, what: str, old_note: bytes, new_note: bytes,
                  explanation: str) -> Path:
    """Both signed notes of a refused checkpoint, kept in a new folder; returns it."""
    out = folder / "evidence" / f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{what}"
    n = 1
    while out.exists():
        n += 1
        out = out.with_name(f"{out.name.split('~')[0]}~{n}")
    out.mkdir(parents=True)
    write_atomic(out / "accepted-checkpoint", old_note)
    write_atomic(out / "refused-checkpoint", new_note)
    write_atomic(out / "README.txt", (explanation + "\n").encode())
    return out


class Refused(Exception):
    """A checkpoint that must not be accepted after the state's: `what` is one of
    other-log, log-key, rollback, second-root, fork."""

    def __init__(self, what: str, message: str):
        super().__init__(message)
        self.what = what


def check_next(state: dict | None, origin: str, log_key: str, size: int, root: bytes,
               prove) -> None:
    """Refused unless the checkpoint (origin, size, root), signed by `log_key`, may follow the
    one `state` accepted: same log and key, not smaller, the same root at the same size, and
    `prove(old_size, old_root)` (which raises merkle.ProofError when the new tree does not
    extend the old one) passing."""
    from sailau.tlog import merkle

    if state is None:
        return
    if log_key != state["log_key"]:
        raise Refused("log-key", f"the log key changed: {state['log_key']} was pinned, the "
                                 f"checkpoint is signed by {log_key}")
    if origin != state["origin"]:
        raise Refused("other-log", f"a different log: origin {origin!r}, {state['origin']!r} "
                                   "was accepted (a restarted history?)")
    old_size, old_root = state["size"], root_of(state)
    if size < old_size:
        raise Refused("rollback", f"rollback: size {size} after size {old_size} was accepted")
    if size == old_size:
        if root != old_root:
            raise Refused("second-root", f"two roots for size {size}: a split view or a "
                                         "rewritten history")
        return
    try:
        prove(old_size, old_root)
    except merkle.ProofError as exc:
        raise Refused("fork", f"size {size} does not extend size {old_size} accepted before "
                              f"({exc}): history was rewritten") from None
