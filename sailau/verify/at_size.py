"""What the station files and the sums of every level were when the log had `size` leaves: the
view a table left `"stale"` was built from, its manifest entry naming that size (`log_size`,
docs/snapshot-format.md), so that `derived` writes the table again from it and compares.

Each station's protocol is its latest leaf among the log's first `size` leaves (none when it
had none yet); the sums are those of these protocols (`totals.sums`, as for the latest view).
What the log does not hold (where a station lies when the log does not state it, when each
version was stored) is taken from the current station file, which keeps every version's time
(`versions[]`).

A stale station table of a manifest that names no size (before `sailau-snapshot/4`) is held
row by row to the log's versions instead (`check_rows`)."""

from __future__ import annotations

import dataclasses
import json

from sailau.verify import logleaves, totals
from sailau.verify.report import Report


@dataclasses.dataclass
class View:
    by_id: dict[str, dict]  # station id -> its file, with the protocol current at `size`
    sums: dict  # (contest, commission) -> totals.Sum at `size`
    # the leaf index of each protocol the view shows (a table built from it rests on them)
    indexes: list[int] = dataclasses.field(default_factory=list)


class Views:
    """The views at each size asked, made once each (a night's stale tables share a few)."""

    def __init__(self, leaves: logleaves.Leaves, docs: dict, by_id: dict[str, dict]):
        self._leaves, self._docs, self._by_id = leaves, docs, by_id
        self._made: dict[int, View] = {}

    def at(self, size: int) -> View:
        if size not in self._made:
            self._made[size] = _view(self._leaves, self._docs, self._by_id, size)
        return self._made[size]


def _view(leaves: logleaves.Leaves, docs: dict, by_id: dict[str, dict], size: int) -> View:
    found: dict[tuple, int] = {}
    for (sid, contest, _version), i in leaves.versions.items():
        if i < size and found.get((sid, contest), -1) < i:
            found[(sid, contest)] = i
    latest = {k: (i, json.loads(leaves.entries[i])) for k, i in found.items()}
    then = dataclasses.replace(leaves, latest=latest)
    # The sums' own findings were made of the latest view: none is repeated here.
    sums = totals.sums(logleaves.election_of(then, docs.get("election.json")),
                       logleaves.stations_of(then, by_id), Report(""))
    files = {sid: {**doc, "contests": [
        {**part, "protocol": _protocol(part, latest.get((sid, part.get("contest"))))}
        for part in doc.get("contests", []) if isinstance(part, dict)]}
        for sid, doc in by_id.items()}
    return View(files, sums, sorted(found.values()))


def _protocol(part: dict, found: tuple[int, dict] | None) -> dict | None:
    """The station file's protocol as it was: the current one when it is the version the log
    had at that size (already held to its leaf), else that version's leaf, with the lines of
    the current one (a line the form has and the protocol left empty stays empty) and the time
    the file's `versions[]` gives it."""
    if found is None:
        return None
    leaf = found[1]
    now = part.get("protocol")
    if isinstance(now, dict) and now.get("version") == leaf.get("version"):
        return now
    figures = dict(leaf.get("figures") or {})
    lines = now.get("figures") if isinstance(now, dict) else None
    if isinstance(lines, dict):
        figures = {**dict.fromkeys(lines), **figures}
    stored = next((v for v in part.get("versions") or [] if isinstance(v, dict)
                   and v.get("version") == leaf.get("version")), {})
    return {"version": leaf.get("version"), "figures": figures,
            "choices": dict(leaf.get("choices") or {}), "created_at": stored.get("created_at")}


def check_rows(snap, name: str, entry: dict, contest: str, leaves, report: Report) -> None:
    """A stale station table naming no log size (a manifest before `sailau-snapshot/4`) may lag
    the log, never invent: each row is a protocol version the log has (the leaf of that
    station, contest and version), with its figures and choices."""

    body = snap.checked_object(name, entry)
    if body is None:
        return  # named by `files.check_files`
    try:
        if name.endswith(".csv"):
            lines, rows = totals._csv_rows(body.decode())
        else:
            lines, rows = None, [(r.get("station_id"), r.get("version"), r.get("figures"),
                                  r.get("choices")) for r in json.loads(body)["stations"]]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        report.fail("derived", name, "stale, and not a station table")
        return
    for sid, version, fig, cho in rows:
        i = leaves.versions.get((sid, contest, version))
        if i is None:
            report.fail("derived", f"{name} (station {sid})", f"stale, and its version "
                                                               f"{version!r} is in no leaf")
            return
        leaf = json.loads(leaves.entries[i])
        if lines is not None:  # a CSV has the lines the form can have, as columns
            leaf = {**leaf, "figures": {k: v for k, v in leaf["figures"].items() if k in lines}}
        shown = {"version": version, "figures": dict(fig or {}), "choices": dict(cho or {})}
        if (diff := logleaves.differs(shown, leaf)) is not None:
            report.fail("derived", f"{name} (station {sid})",
                        f"stale, and its {diff} differ from leaf {i} (version {version})")
            return
    report.ok("derived")
