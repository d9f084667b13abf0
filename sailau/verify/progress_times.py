"""The times of the results over time (`contests/<id>/progress.*`) held to the witnesses.

Those times come from the station files (when each station's protocol first became definitive:
its first version's `created_at`, its `chronometry.definitive`; an amendment's `created_at` for
`as_of`), which the log does not carry. `derived` already holds the progress files to the
station files; here each of those times is held to the witnesses' bounds of the protocol leaf
it describes (`witnessed_time.Times.bounds`), so that an operator who moves a station's time in
both the station file and the progress files is named. docs/checking-the-log.md, "Times in the
results over time"."""

from __future__ import annotations

import datetime as dt

from sailau.verify.report import Report
from sailau.verify.witnessed_time import Times, _iso

# Seconds allowed past the upper bound: the server's clock and the witnesses' may differ by this
# much. A time moved later by less passes.
PROGRESS_SLACK = 60
# Seconds allowed before the lower bound: the clocks' difference plus the longest the log's
# intake may honestly lag a definitive protocol (a loaded writer, a restart of the log's lane
# within its takeover time). Trades precision for honest runs: a time moved earlier by less
# passes; an intake stalled for longer fails as a time moved earlier.
INTAKE_SLACK = 600

FIRST = "versions[version 1].created_at"
STEP = "chronometry.definitive"
CURRENT = "protocol.created_at"


def check(leaves, times: Times | None, docs: dict, files: dict, report: Report) -> None:
    """Each progress time of each station file of `docs` against the bounds of its leaf;
    `files` is the manifest's list (to name the progress files that show the time)."""
    if times is None:
        report.note("time", "progress", "no witnesses trusted: the times of the results over "
                                        "time are the server's word, not checked")
        return
    held = 0
    for name, doc in sorted(docs.items()):
        if not name.startswith("stations/") or not isinstance(doc, dict):
            continue
        sid = doc.get("id")
        for field, contest, version, at in _times(doc):
            # the step is the station's, recorded when its first protocol (of any contest)
            # became definitive: held to that leaf, not to a later contest's
            i = leaves.first_protocol.get(sid) if field == STEP else leaves.versions.get(
                (sid, contest, version))
            if i is None:
                continue  # a protocol the log lacks: named by `check_station_files`
            held += 1
            problem = _outside(at, *times.bounds(i), i)
            if problem is None:
                continue
            shown = [n for n in (f"contests/{contest}/progress.csv",
                                 f"contests/{contest}/progress.json") if n in files]
            report.fail("time", f"{name} ({field})",
                        f"station {sid}, contest {contest}, {_iso(int(at.timestamp()))}: "
                        f"{problem}; shown in {', '.join(shown) or 'no progress file'}")
    report.ok("time", held)


def _outside(at: dt.datetime, after: int | None, by: int | None, i: int) -> str | None:
    t = at.timestamp()
    if by is not None and t > by + PROGRESS_SLACK:
        return (f"after the witnesses had seen its leaf {i} at {_iso(by)}: a protocol is "
                "definitive before it enters the log")
    if after is not None and t < after - INTAKE_SLACK:
        return (f"before the witnesses cosigned the log without its leaf {i} at "
                f"{_iso(after)}: moved earlier")
    return None


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
