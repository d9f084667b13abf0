"""The tables of the whole country kept up to date station by station, for the national lane.

A contest's station tables (`contests/<id>/stations.{csv,json,parquet}`) and the NIST report
(`nist.json`) list every station: built from scratch they read and decode every current
protocol and serialise every row again, seconds of one core per round at national scale, while
a round of election night brings a few dozen new protocols. Here each station's part (its CSV
line, its JSON object, its table cells, its NIST vote counts) is kept per process, keyed by its
current protocol (id, version, and its figures and choices as the database stores them: an
amendment is a new row, a reused id in a rebuilt database or a row changed in place has other
text) and by what else the part shows (the station's number, region and district, the
contest's choices). A round reads the current protocols as text, decodes only those it has not
seen, and joins the kept parts.

The bytes are those of the full build (`downloads.stations_file`, `nist.report`): the JSON
documents are serialised with their long lists replaced by markers (`Splicer`), which are then
replaced by the kept objects, each serialised alone the way `json.dumps` serialises a list's
items. tests/publish/test_national_tables.py compares both after arrivals, amendments and ties."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import threading

from django.db.models import TextField
from django.db.models.functions import Cast

from sailau.protocols.models import Protocol
from sailau.publish.files import downloads, nist, progress
from sailau.publish.files.election_data import ElectionData

_dumps = downloads._json  # the serialisation of every published JSON file of a snapshot
# A protocol's figures and choices as the database stores them: read as text, they cost a
# fraction of decoding them (20,000 protocols a round), and they are the key of what was
# derived from them, so a protocol changed in place is derived again like an amendment.
FIGURES = Cast("figures", output_field=TextField())
CHOICES = Cast("choices", output_field=TextField())

# Per process: (election, contest) -> (what the parts depend on besides the protocol,
# {station id: (key, cells, csv line, json object)}); election -> NIST parts.
_tables: dict[tuple[str, str], tuple[tuple, dict]] = {}
_nist: dict[str, dict] = {}
_points: dict[tuple[str, str], tuple] = {}
_lock = threading.Lock()  # one round at a time per process (the lane is one thread)


class Splicer:
    """`_dumps(doc)` for a document whose long lists are given as serialised items: each list is
    replaced by a marker string (`mark`), the small document serialised, and each marker
    replaced by `[item,item,...]`, which is what `json.dumps` writes for the list itself."""

    MARK = re.compile("\"\ue000(\\d+)\ue000\"".encode())

    def __init__(self):
        self.lists: list[list[bytes]] = []

    def mark(self, items: list[bytes]) -> str:
        self.lists.append(items)
        return f"\ue000{len(self.lists) - 1}\ue000"

    def dumps(self, doc) -> bytes:
        pieces = self.MARK.split(_dumps(doc))
        found = [int(i) for i in pieces[1::2]]
        if sorted(found) != list(range(len(self.lists))):  # a name with U+E000 in it?
            raise ValueError(f"markers {found} do not match the {len(self.lists)} lists")
        out = [pieces[0]]
        for i, text in zip(found, pieces[2::2]):
            out += [b"[", b",".join(self.lists[i]), b"]", text]
        return b"".join(out)


def _csv_line(cells: list) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue().encode()


def station_tables(data: ElectionData, contest) -> dict[str, bytes]:
    """The contest's station table in every format (`downloads.FORMATS`), as
    `downloads.stations_file` gives them."""
    keys = data.choice_keys[contest.id]
    stations = downloads.contest_stations(contest)
    labels = downloads.station_labels(data)
    depends = (tuple(keys), repr(sorted(labels.items())))
    current = [r for r in Protocol.objects.current().filter(contest=contest)
               .values_list("station_id", "pk", "version", FIGURES, CHOICES)
               if r[0] in stations]
    with _lock:
        name = (data.election.id, contest.id)
        kept_depends, kept = _tables.get(name, (None, {}))
        if kept_depends != depends:
            kept = {}
        rows = {}
        for sid, *key in current:
            key = (*key, stations[sid])
            hit = kept.get(sid)
            if hit is None or hit[0] != key:
                _pk, version, fig, cho, station = key
                row = downloads.station_row(station, labels, version, json.loads(fig),
                                            json.loads(cho))
                cells = downloads.station_cells(row, keys)
                hit = (key, cells, _csv_line(cells), _dumps(row))
            rows[sid] = hit
        _tables[name] = (depends, rows)
    ordered = sorted(rows.values(), key=lambda e: (e[0][4][1], e[0][4][0]))
    header = downloads.stations_header(keys)
    splice = Splicer()
    return {
        "csv": _csv_line(header) + b"".join(e[2] for e in ordered),
        "json": splice.dumps(downloads.stations_json_head(
            data, contest, splice.mark([e[3] for e in ordered]))),
        "parquet": downloads._parquet(header, [e[1] for e in ordered]),
    }


def nist_report(data: ElectionData, generated: dt.datetime | None = None) -> bytes:
    """`nist.json` as `_dumps(nist.report(data, generated))` gives it."""
    e = data.election
    tallies = nist.tallies_of(e)
    stations = nist.station_list(e)
    choices = {c.id: [ch.key for ch in sorted(c.choices.all(), key=lambda ch: ch.order)]
               for c in data.contests}
    current = list(nist.current_protocols(e).values_list(
        "station_id", "contest_id", "pk", "version", CHOICES))
    with _lock:
        kept = _nist.setdefault(e.id, {"places": {}, "counts": {}})
        places = {row: kept["places"].get(row) or _dumps(nist.polling_place(*row))
                  for row in stations}
        want = [(sid, cid, (sid, pk, version, cho, tuple(choices.get(cid, ()))))
                for sid, cid, pk, version, cho in current]
        counts = {}
        for sid, _cid, key in want:
            hit = kept["counts"].get(key)
            if hit is None:
                cho = json.loads(key[3])
                hit = {k: _dumps(nist.vote_count(sid, cho, k)) for k in key[4]}
            counts[key] = hit
        kept["places"], kept["counts"] = places, counts
    by_contest: dict[str, list[dict]] = {}
    for _sid, cid, key in want:
        by_contest.setdefault(cid, []).append(counts[key])
    splice = Splicer()
    contests = []
    for c in data.contests:
        doc = nist._contest(c, tallies, [])  # only the contest's own total in each selection
        of_contest = by_contest.get(c.id, [])
        for sel, k in zip(doc["ContestSelection"], choices[c.id], strict=True):
            sel["VoteCounts"] = splice.mark([_dumps(v) for v in sel["VoteCounts"]]
                                            + [part[k] for part in of_contest])
        contests.append(doc)
    units = [_dumps(u) for u in nist.commission_units(data, tallies, stations)]
    units += [places[row] for row in stations]
    return splice.dumps(nist.document(data, splice.mark(units), contests, tallies, generated))


def progress_files(contest, p) -> dict[str, bytes]:
    """A contest's results over time (`progress.progress_file`) in "csv" and "json", from the
    points of the last round: arrivals are in time order and a new one usually comes last, so
    the points before the first arrival that differs (new, or amended) are kept."""
    keys = progress.choice_keys(contest)
    depends = (tuple(keys), p.expected)
    with _lock:
        name = (contest.election_id, contest.id)
        kept_depends, arrivals, parts = _points.get(name, (None, (), []))
        same = 0
        if kept_depends == depends:
            last = min(len(arrivals), len(p.arrivals))
            while same < last and arrivals[same] == p.arrivals[same]:
                same += 1
        parts = parts[:same]
        votes, invalid = (parts[-1][0], parts[-1][1]) if parts else ({}, 0)
        for _i, pt, running in p.cumulate(same, votes, invalid):
            pt = progress.file_point(pt)
            parts.append((dict(running), pt["invalid"],
                          _csv_line(progress.csv_cells(pt, keys)),
                          progress.json_dumps(pt).replace(b"\n", b"\n  ")))
        _points[name] = (depends, p.arrivals, parts)
    head, _, tail = progress.json_dumps(progress.document(p, [0])).partition(b"[\n  0\n ]")
    points = b"[\n" + b",\n".join(b"  " + part[3] for part in parts) + b"\n ]" if parts else b"[]"
    return {"csv": _csv_line(progress.csv_header(keys)) + b"".join(part[2] for part in parts),
            "json": head + points + tail}


def put_kept_progress_files(contests, put) -> None:
    """`progress.put_files`, from the points kept between rounds (`progress_files`): the same
    bytes, for the national lane."""
    for c in contests:
        files = progress_files(c, progress.progress(c))
        for name, fmt in zip(progress.names(c), ("csv", "json")):
            put(name, files[fmt])
