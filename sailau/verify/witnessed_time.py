"""A leaf's time as a reader may rely on it: bounded by the witnesses' cosignature timestamps
of the checkpoints around it (`log/cosigned.jsonl`, `sailau-cosigned/1`, with the cosignatures
on `log/checkpoint` and `log/checkpoint.witnessed`), never by the leaf's own `at`, which is the
server's word. docs/log-format.md, "A leaf's time, as a reader may rely on it".

From those bounds a commission key is registered before the polls closed or late (whatever
its leaf says), or its time is not witnessed; the leaves' `at` is held to the bounds and to
itself, in notes (nothing is decided from it any more)."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass, field

from sailau.law import eligibility
from sailau.tlog import checkpoint, cosigned, merkle, note
from sailau.verify import logsource
from sailau.verify.report import Report

# The time zone the server reads the close in (its TIME_ZONE setting): one for the whole of
# Kazakhstan since 1 March 2024; the tz database gives the offset of earlier dates.
ZONE = "Asia/Almaty"
SLACK = 60  # seconds allowed between the server's clock and the witnesses'
FILE = f"log/{cosigned.FILE}"


@dataclass
class Times:
    """Each trusted witness's kept cosignatures as (size, timestamp), by size; `required` of
    them make a bound."""
    required: int
    by_witness: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _index: dict = field(default_factory=dict, repr=False)

    def add(self, name: str, size: int, t: int) -> None:
        self.by_witness.setdefault(name, []).append((size, t))
        self._index.clear()

    def _prepared(self):
        if not self._index:
            for name, pairs in self.by_witness.items():
                pairs.sort()
                sizes = [s for s, _ in pairs]
                before, top = [], None  # latest time among sizes up to here
                for _, t in pairs:
                    top = t if top is None else max(top, t)
                    before.append(top)
                after, low = [0] * len(pairs), None  # earliest time among sizes from here
                for k in range(len(pairs) - 1, -1, -1):
                    low = pairs[k][1] if low is None else min(low, pairs[k][1])
                    after[k] = low
                self._index[name] = (sizes, before, after)
        return self._index

    def bounds(self, i: int) -> tuple[int | None, int | None]:
        """(after, by) for the leaf at index `i`: the `required`-th latest of the witnesses'
        last timestamps on a tree without it, the `required`-th earliest of their first on a
        tree with it; None where fewer than `required` witnesses give one."""
        lows, highs = [], []
        for sizes, before, after in self._prepared().values():
            k = bisect.bisect_right(sizes, i)  # cosigned sizes <= i: trees without leaf i
            if k:
                lows.append(before[k - 1])
            if k < len(sizes):
                highs.append(after[k])
        n = self.required
        lows.sort(reverse=True)
        highs.sort()
        return (lows[n - 1] if n and len(lows) >= n else None,
                highs[n - 1] if n and len(highs) >= n else None)


def read(opened, entries: list[bytes], report: Report) -> Times | None:
    """The trusted witnesses' cosignatures of this log's checkpoints up to the size checked,
    each verified and its root held to the tree the leaves give; None without witnesses."""
    trusted = opened.trusted
    if trusted is None or not trusted.witnesses:
        return None
    cp = opened.signed.checkpoint
    keys = {v.split("+", 1)[0]: v for v in trusted.witnesses}
    times = Times(max(1, trusted.required))
    lines: list[tuple[str, cosigned.Line | cosigned.ArchiveError]] = []
    try:
        data = opened.log.read(cosigned.FILE)
        lines += [(f"{FILE}, line {n}", line) for n, line in cosigned.read(data)]
    except logsource.Missing:
        report.note("time", FILE, "absent: only the latest checkpoints' cosignatures bound when "
                                  "a leaf entered the log")
    notes = [("log/checkpoint", opened.signed.note)]
    if opened.witnessed_size is not None and opened.witnessed_size < cp.size:
        # the witnessed checkpoint `logcheck` held to the latest (read only when it was used)
        notes.append(("log/checkpoint.witnessed", _note(opened.log, "checkpoint.witnessed")))
    for name, raw in notes:
        lines += [(name, line) for line in _note_lines(raw)]
    tree = merkle.MemoryTree([merkle.leaf_hash(e) for e in entries])
    refused = 0
    for where, line in lines:
        if isinstance(line, cosigned.ArchiveError):
            report.fail("time", where, f"not a {cosigned.FILE} line: {line}")
            continue
        vkey = keys.get(line.witness)
        if vkey is None or line.size > cp.size:
            continue  # a witness this reader does not trust, or beyond what it checks
        try:
            t = line.verify(cp.origin, vkey)
        except (note.NoteError, ValueError) as exc:
            refused += 1
            report.fail("time", where, f"the cosignature of {line.witness} at size "
                                       f"{line.size} does not verify ({exc})")
            continue
        if tree.root(line.size) != line.root:
            report.fail("time", where, f"{line.witness} cosigned another root at size "
                                       f"{line.size} than the log's leaves give: the witnesses "
                                       "were shown another history")
            continue
        times.add(line.witness, line.size, t)
    report.ok("time", sum(len(v) for v in times.by_witness.values()))
    return times


def _note(log, name: str) -> bytes:
    try:
        return log.read(name)
    except logsource.Missing:
        return b""


def _note_lines(data: bytes):
    """The cosignature lines of a checkpoint note, as archive lines (unverified)."""
    text = data.decode("utf-8", "replace")
    body, _, sigs = text.partition("\n\n")
    try:
        cp = checkpoint.Checkpoint.parse(body + "\n")
    except checkpoint.CheckpointError:
        return
    for raw in sigs.splitlines():
        if raw.startswith("\u2014 "):
            try:
                yield cosigned.decode(cosigned.encode(cp.size, cp.root, raw).rstrip(b"\n"))
            except cosigned.ArchiveError:
                continue  # the log's own line, or one open_log has judged already


def polls_closed(election_doc) -> int | None:
    """When the polls closed (Unix seconds), from election.json's date and the law's hour; None
    when the date is not given."""
    day = (election_doc or {}).get("date") if isinstance(election_doc, dict) else None
    try:
        date = dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        return None
    close = dt.datetime.combine(date, eligibility.KZ_1995.polls_close,
                                tzinfo=zoneinfo.ZoneInfo(ZONE))
    return int(close.timestamp())


def decide_keys(leaves, times: Times, closes: int | None, report: Report) -> None:
    """Each key's registration bounded by the witnesses; `late` from those bounds, never from
    the leaf's `at`: registered before the polls closed only when witnessed by then. A leaf
    that says it is not late (`"late": false`) while the witnesses saw the log without it after
    the close was backdated: a failure. A leaf that says nothing of it (a key the server issued
    itself, at a protocol's first signature say) is late by the same bounds, and no failure."""
    if closes is None:
        report.note("time", "election.json", "no election day: whether a key was registered "
                                             "before the polls closed is as its leaf says")
    close_iso = _iso(closes)
    unwitnessed = 0
    for commission, keys in leaves.keys.items():
        for key in keys.values():
            after, by = times.bounds(key.registered)
            key.registered_after, key.registered_by = after, by
            key.time_witnessed = by is not None
            unwitnessed += by is None
            if closes is None:
                continue
            if by is None or by > closes:
                key.late = True
            if after is not None and after > closes + SLACK and key.claims_on_time:
                report.fail("time", f"leaf {key.registered} (commission-key)",
                            f"registers a key of {commission} as before the polls closed "
                            f"({close_iso}), not late, dated {key.registered_at}; but the "
                            f"witnesses cosigned the log without it at {_iso(after)}, after "
                            "the close: the leaf was backdated")
    if unwitnessed:
        report.note("time", "commission keys", f"{unwitnessed} commission keys were registered "
                                               "beyond every checkpoint the witnesses cosigned: "
                                               "their time is not witnessed")


def check_at(leaves, times: Times | None, report: Report) -> None:
    """The leaves' `at` never running backwards, nor outside the witnesses' bounds (by more
    than SLACK): notes, since nothing is decided from `at` any more, and an honest server
    writing from several processes may step back a second."""
    back = late = early = 0
    first: dict[str, str] = {}
    previous = None
    for i, at in enumerate(leaves.at):
        t = _seconds(at)
        if t is None:
            continue
        if previous is not None and t < previous[1] - SLACK:
            back += 1
            first.setdefault("back", f"leaf {i} ({at}) after leaf {previous[0]} "
                                     f"({leaves.at[previous[0]]})")
        previous = (i, t)
        if times is None:
            continue
        after, by = times.bounds(i)
        if by is not None and t > by + SLACK:
            late += 1
            first.setdefault("late", f"leaf {i} ({at}), seen by the witnesses at {_iso(by)}")
        if after is not None and t < after - SLACK:
            early += 1
            first.setdefault("early", f"leaf {i} ({at}), not in the log the witnesses "
                                      f"cosigned at {_iso(after)}")
    for n, what, key in ((back, ("leaves are dated before the leaf ahead of them: the log's "
                          "clock ran backwards"), "back"),
                         (late, "leaves are dated after the witnesses had already seen them",
                          "late"),
                         (early, "leaves are dated before the witnesses saw a log without them",
                          "early")):
        if n:
            report.note("time", "leaves' at", f"{n} {what} (the first: {first[key]})")


@functools.lru_cache(maxsize=4096)
def _seconds(at) -> int | None:
    """A leaf's `at` in Unix seconds (leaves of one batch share it: cached)."""
    if not isinstance(at, str) or not at.endswith("Z"):
        return None
    try:
        return int(dt.datetime.fromisoformat(at).timestamp())
    except ValueError:
        return None


def _iso(t: int | None) -> str | None:
    return None if t is None else \
        dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
