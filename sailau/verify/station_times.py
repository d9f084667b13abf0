"""The station files' times that stand for a protocol's leaf, held to the witnesses: each
version's `created_at` (in `versions[]`, later versions included, and the current `protocol`'s),
and the station's `chronometry.definitive` and `chronometry.published` (recorded when its first
protocol became definitive and when it was published: the station's first protocol leaf). The
log does not carry these times; the pages show them, and `contests/<id>/progress.*` is made of
some of them (`derived` holds those files to the station files). Each is held to the witnesses'
bounds of the leaf it stands for (`witnessed_time.Times.bounds`), so that an operator who moves
a station's time, in its file and in the progress files alike, is named.
docs/checking-the-log.md, "Times in the station files and the results over time"."""

from __future__ import annotations

import datetime as dt
import json

from sailau.verify.report import Report
from sailau.verify.witnessed_time import Times, _iso

# Seconds allowed past the upper bound: the server's clock and the witnesses' may differ by this
# much. A time moved later by less passes.
CLOCK_SLACK = 60
# Seconds allowed before the lower bound: the clocks' difference plus the longest the log's
# intake may honestly lag a definitive protocol (a loaded writer, a restart of the log's lane
# within its takeover time). Trades precision for honest runs: a time moved earlier by less
# passes; an intake stalled for longer fails as a time moved earlier.
INTAKE_SLACK = 600

FIRST = "versions[version 1].created_at"
STEP = "chronometry.definitive"
PUBLISHED = "chronometry.published"
CURRENT = "protocol.created_at"
# The signature message of a version the server signed at once (docs/log-leaves.md).
SERVER_SIGNED = "sailau-protocol/1"


def check(leaves, times: Times | None, docs: dict, files: dict, report: Report) -> None:
    """Each time of each station file of `docs` that stands for a protocol leaf against the
    bounds of that leaf; `files` is the manifest's list (to name the progress files that show
    the time)."""
    if times is None:
        report.note("time", "stations", "no witnesses trusted: the times of the station files "
                                        "and of the results over time are the server's word, "
                                        "not checked")
        return
    held = 0
    for name, doc in sorted(docs.items()):
        if not name.startswith("stations/") or not isinstance(doc, dict):
            continue
        sid = doc.get("id")
        for field, contest, i, at in _leaf_times(doc, leaves):
            if i is None:
                continue  # a protocol the log lacks: named by `check_station_files`
            held += 1
            after, by = times.bounds(i)
            if field == STEP and _commission_signed(leaves, i):
                after = None  # definitive, then signed by its commission: as long as that took
            problem = _outside(at, after, by, i)
            if problem is None:
                continue
            shown = [n for c in _progress_contests(doc, field, contest)
                     for n in (f"contests/{c}/progress.csv", f"contests/{c}/progress.json")
                     if n in files]
            where = f"shown in {', '.join(shown)}" if shown else "shown on the station's page"
            report.fail("time", f"{name} ({field})",
                        f"station {sid}, contest {contest}, {_iso(int(at.timestamp()))}: "
                        f"{problem}; {where}")
    report.ok("time", held)


def _outside(at: dt.datetime, after: int | None, by: int | None, i: int) -> str | None:
    t = at.timestamp()
    if by is not None and t > by + CLOCK_SLACK:
        return (f"after the witnesses had seen its leaf {i} at {_iso(by)}: a protocol is "
                "definitive and published before it enters the log")
    if after is not None and t < after - INTAKE_SLACK:
        return (f"before the witnesses cosigned the log without its leaf {i} at "
                f"{_iso(after)}: moved earlier")
    return None


def _commission_signed(leaves, i: int) -> bool:
    """Whether the protocol leaf at `i` is signed by a commission (its own key, or the one
    above's): such a version waits for the signature after it became definitive and enters
    the log only when it arrives, so the station's `chronometry.definitive` may honestly come
    any time before its leaf. A server-signed one (`sailau-protocol/1`) enters at once."""
    try:
        signature = json.loads(leaves.entries[i]).get("signature")
    except (ValueError, IndexError, AttributeError):
        return False
    return isinstance(signature, dict) and signature.get("message") not in (None, SERVER_SIGNED)


def _leaf_times(doc: dict, leaves):
    """(field, contest, index of the leaf it stands for or None, time) of each time of a
    station file that stands for a protocol leaf: the station's steps first (held to its first
    protocol leaf, of any contest: the step is the station's, recorded once), then each
    contest's versions and its current protocol."""
    sid = doc.get("id")
    parts = [p for p in doc.get("contests") or [] if isinstance(p, dict)]
    chrono = doc.get("chronometry")
    first = leaves.first_protocol.get(sid) if isinstance(sid, str) else None
    for field in (STEP, PUBLISHED):
        at = _time(chrono.get(field.split(".", 1)[1])) if isinstance(chrono, dict) else None
        if at is not None:
            yield field, _contest_of(leaves, sid, parts, first), first, at
    for part in parts:
        contest = part.get("contest")
        for v in part.get("versions") or []:
            at = _time(v.get("created_at")) if isinstance(v, dict) else None
            if at is not None:
                n = v.get("version")
                yield (f"versions[version {n}].created_at", contest,
                       leaves.versions.get((sid, contest, n)), at)
        p = part.get("protocol")
        at = _time(p.get("created_at")) if isinstance(p, dict) else None
        if at is not None:
            yield CURRENT, contest, leaves.versions.get((sid, contest, p.get("version"))), at


def _contest_of(leaves, sid, parts: list, i: int | None):
    """The contest of the station's leaf at `i` (its first protocol), as its file lists it."""
    for part in parts:
        for v in part.get("versions") or []:
            if isinstance(v, dict) and leaves.versions.get(
                    (sid, part.get("contest"), v.get("version"))) == i:
                return part.get("contest")
    return None


def _progress_contests(doc: dict, field: str, contest) -> list:
    """The contests whose progress files show this time of the station file (`_times`)."""
    return sorted({c for f, c, _v, _at in _times(doc)
                   if f == field and (field == STEP or c == contest)}, key=str)


def _times(doc: dict):
    """(field, contest, version of the leaf it describes, time) of each time a station file
    gives the results over time, as `derived._arrivals` reads them: its first report (the
    earlier of its first version's storing and its step time), and a current amendment's."""
    chrono = doc.get("chronometry")
    step = _time(chrono.get("definitive")) if isinstance(chrono, dict) else None
    for part in doc.get("contests") or []:
        p = part.get("protocol") if isinstance(part, dict) else None
        if not isinstance(p, dict):
            continue
        contest, version = part.get("contest"), p.get("version")
        created = _time(p.get("created_at"))
        first = next((_time(v.get("created_at")) for v in part.get("versions") or []
                      if isinstance(v, dict) and v.get("version") == 1), None)
        first_field, first_version = FIRST, 1
        if first is None:  # no first version listed: the current one's time, as `derived`
            first, first_field, first_version = created, CURRENT, version
        if step is not None and (first is None or step < first):
            yield STEP, contest, first_version, step
        elif first is not None:
            yield first_field, contest, first_version, first
        if version != 1 and created is not None:
            yield CURRENT, contest, version, created


def _time(text) -> dt.datetime | None:
    try:
        at = dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return at if at is not None and at.tzinfo is not None else None
