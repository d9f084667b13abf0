"""The publication lock and what the background publisher last published, beside the
election's snapshots (`store.election_dir`): one publisher at a time per election, across
processes (`exclusive`, a lock file), and the record a restarted publisher carries on from
(`read_state`, `write_state`: the manifest's sequence, every station's fingerprint in a base
and a journal of each round's changes, the national tables' record).

Layout, beside `store`'s:
    .publisher.lock          the publication lock (`LOCK`)
    .publisher.json          the state (`STATE`)
    .publisher-prints.json   the fingerprints' base (`PRINTS`) and
    .publisher-prints.jsonl  their journal (`JOURNAL`)"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sailau.paths import write_atomic
from sailau.publish.storage.store import election_dir

STATE = ".publisher.json"
LOCK = ".publisher.lock"


@contextlib.contextmanager
def exclusive(election_id: str, wait: bool | float = False) -> Iterator[bool]:
    """Hold the election's publication lock; yields False when another process holds it:
    at once (`wait` False), after `wait` seconds (a number), or never (`wait` True)."""
    d = election_dir(election_id)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / LOCK, "w") as f:
        if not _lock(f, wait):
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _lock(f, wait: bool | float) -> bool:
    if wait is True:
        fcntl.flock(f, fcntl.LOCK_EX)
        return True
    deadline = time.monotonic() + (wait or 0)
    while True:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)


# The state is read and written every round of the background publisher, and its fingerprints
# (one per station, ~1.5 MB at national scale) made it the largest file a round wrote, and a
# second of JSON a minute. So the fingerprints live apart: a base file written now and then
# (`PRINTS`) and a journal of what each publication changed (`JOURNAL`, appended); the state
# names the base's generation. This process keeps what it read or wrote (`_PRINTS`) and reads
# only the journal's new lines. A journal line whose publication died before its state was
# written (its sequence above the state's) is ignored: its successor starts a new generation.
PRINTS = ".publisher-prints.json"
JOURNAL = ".publisher-prints.jsonl"
JOURNAL_MAX = 4 * 2**20  # bytes of journal before the next write starts a new base
_PRINTS: dict[str, dict] = {}  # election -> {generation, sequence, prints, offset}


def published_high(election_id: str) -> dict | None:
    """The highest ids of the tables a station file is made of (`changes.highest_ids`) when the
    batches last wrote the state (None before): the state alone, without the fingerprints."""
    try:
        return json.loads((election_dir(election_id) / STATE).read_bytes()).get("high")
    except (OSError, ValueError):
        return None


def read_state(election_id: str) -> dict | None:
    """What the background publisher last published (see `publisher`): the manifest's
    sequence, every station's fingerprint (`fingerprints`: not to be changed by the caller),
    and the national tables' record."""
    d = election_dir(election_id)
    try:
        state = json.loads((d / STATE).read_bytes())
    except (FileNotFoundError, ValueError):
        return None
    if "fingerprints" in state:  # written before the journal
        return state
    try:
        state["fingerprints"] = _prints(d, election_id, state["generation"], state["sequence"])
    except (OSError, ValueError, KeyError):
        return None  # a full publication follows, and a new base
    return state


def _prints(d: Path, election_id: str, generation: int, sequence: int) -> dict:
    memo = _PRINTS.get(election_id)
    if memo is None or memo["generation"] != generation or memo["sequence"] > sequence:
        base = json.loads((d / PRINTS).read_bytes())
        if base["generation"] != generation:
            raise ValueError("the fingerprints' base belongs to another generation")
        memo = _PRINTS[election_id] = {"generation": generation, "sequence": base["sequence"],
                                       "prints": base["prints"], "offset": 0}
    journal = d / JOURNAL
    if memo["sequence"] < sequence or journal.stat().st_size != memo["offset"]:
        with open(journal, "rb") as f:
            f.seek(memo["offset"])
            tail = f.read()
        prints, offset = dict(memo["prints"]), memo["offset"]
        for line in tail.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break  # being written
            entry = json.loads(line)
            if entry["generation"] != generation or entry["sequence"] > sequence:
                break
            prints.update(entry["changed"])
            for sid in entry["gone"]:
                prints.pop(sid, None)
            offset += len(line)
            memo["sequence"] = entry["sequence"]
        if memo["sequence"] != sequence:
            raise ValueError(f"the fingerprints' journal stops before publication {sequence}")
        memo["prints"], memo["offset"] = prints, offset
    return memo["prints"]


def write_state(election_id: str, manifest: dict, prints: dict[str, str],
                national: dict | None = None, high: dict | None = None,
                full_at: float | None = None, sweep: str | None = None,
                touched=None) -> None:
    """`touched`: the only stations whose fingerprints can differ from the last state's (the
    round's compared and gone ones), so that a round does not compare every station's (100,000
    at national scale); None to compare them all."""
    d = election_dir(election_id)
    memo = _PRINTS.get(election_id)
    journal = d / JOURNAL
    # A delta only from what is on disk now: this process's record of the last state, no line
    # appended by another process since (else a new base).
    try:
        on_disk = json.loads((d / STATE).read_bytes())
        size = journal.stat().st_size
    except (OSError, ValueError):
        on_disk, size = {}, -1
    fresh = (memo is None or size != memo["offset"] or size > JOURNAL_MAX
             or on_disk.get("generation") != memo["generation"]
             or on_disk.get("sequence") != memo["sequence"])
    if not fresh:
        last = memo["prints"]
        if touched is None:
            changed = {sid: fp for sid, fp in prints.items() if last.get(sid) != fp}
            gone = sorted(set(last) - set(prints))
        else:
            changed = {sid: prints[sid] for sid in sorted(touched)
                       if sid in prints and last.get(sid) != prints[sid]}
            gone = sorted(sid for sid in touched if sid in last and sid not in prints)
        fresh = len(changed) + len(gone) > 2000
    if fresh:  # a new generation: the base, an empty journal
        generation = (memo["generation"] + 1) if memo else int(time.time() * 1000)
        write_atomic(d / PRINTS, json.dumps(
            {"generation": generation, "sequence": manifest["sequence"], "prints": prints},
            separators=(",", ":")))
        write_atomic(journal, b"")
        _PRINTS[election_id] = {"generation": generation, "sequence": manifest["sequence"],
                                "prints": dict(prints), "offset": 0}
    elif changed or gone or memo["sequence"] != manifest["sequence"]:
        generation = memo["generation"]
        line = json.dumps({"generation": generation, "sequence": manifest["sequence"],
                           "changed": changed, "gone": gone},
                          separators=(",", ":")).encode() + b"\n"
        with open(journal, "ab") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        memo.update(sequence=manifest["sequence"], prints=dict(prints),
                    offset=memo["offset"] + len(line))
    else:  # the same manifest and fingerprints (a sweep that found nothing): no line
        generation = memo["generation"]
    write_atomic(d / STATE, json.dumps(
        {"sequence": manifest["sequence"], "generation": generation,
         "national": national or {}, "high": high or {}, "full_at": full_at or 0,
         "sweep": sweep or ""},
        separators=(",", ":")))
