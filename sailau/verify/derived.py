"""The downloads a reader takes away (a contest's `choices.csv`, its station tables and its tables
of each level, in CSV, JSON and Parquet) written again from what `sailau verify` has already
held to the log, with the publisher's own layout (`sailau.verify.tables`), and compared with the
published ones by content: a forged CSV with its hash rewritten in the manifest is named with
its first differing row and column.

What they are made from: the station files (each current protocol held to its leaf by
`logleaves.check_station_files`), the sums of every level (from the leaves, `check_totals`), the
commission files (their names, numbers and parents), and `election.json` (the contests and their
choices, held to the log's `contests` leaves by `check_names` below). A table the manifest marks
`"stale"` is behind the station files by design (docs/published-files.md, "Stale tables"): it is
written again from the log at the size its entry names (`at_size`), and compared the same way;
one of a manifest that names no size is noted (a station table's rows held to the log)."""

from __future__ import annotations

import csv
import io

from sailau.verify import at_size, nist_counts, nist_report, tables
from sailau.verify.report import Report

FORMATS = ("csv", "json", "parquet")
# The per-level tables a contest has, by the level of its commission (`downloads.levels_of`).
LEVELS_OF = {"cec": ["territorial", "district"], "territorial": ["territorial", "district"],
             "district": ["district"]}
NAMED_LEVELS = ("territorial", "district")


def check(snap, docs: dict, by_id: dict[str, dict], sums: dict, report: Report,
          leaves=None, witnessed: int | None = None, allow_unwitnessed: bool = False,
          times=None) -> None:
    """Every derived table of every contest of `election.json` against its recomputation; a
    table marked stale, against its recomputation at the log size its entry names (`leaves`:
    `logleaves.Leaves`), or when it names none (an older manifest), a station table's rows
    against the log's versions. A stale table whose protocols rest on leaves beyond
    `witnessed` (the largest checkpoint the required witnesses cosigned) fails as the figures of
    the files do (`trust.check_witnessed`), unless `allow_unwitnessed`. `nist.json`'s own
    fields against the log, its `GeneratedDate` against the witnesses' `times`
    (`witnessed_time.Times`; None: no witness trusted)."""
    election = docs.get("election.json")
    if not isinstance(election, dict):
        return
    files = snap.manifest["files"]
    # a malformed file (an id that is no string) is named by the commission checks, not here
    commissions = {d["id"]: d for n, d in docs.items()
                   if n.startswith("commissions/") and isinstance(d, dict)
                   and isinstance(d.get("id"), str)}
    labels = {cid: tables.names_of(c.get("name")) for cid, c in commissions.items()
              if c.get("level") in NAMED_LEVELS}
    views = at_size.Views(leaves, docs, by_id) if leaves is not None else None
    made: dict = {}  # log size (None: the files') -> (station rows, arrivals) by contest

    def wanted(c: dict, size: int | None) -> dict:
        if size not in made:
            ids = by_id if size is None else views.at(size).by_id
            made[size] = (_station_rows(ids, labels), _arrivals(ids))
        by_contest, arrivals = made[size]
        return _wanted(election, c, commissions, by_contest, arrivals,
                       sums if size is None else views.at(size).sums)

    stale = 0
    unwitnessed: dict[str, int] = {}  # stale table -> protocols it shows beyond `witnessed`

    def witnessed_problem(name: str, size: int | None) -> str | None:
        beyond = 0 if size is None or witnessed is None or size <= witnessed else sum(
            1 for i in views.at(size).indexes if i >= witnessed)
        if not beyond:
            return None
        unwitnessed[name] = beyond
        return None if allow_unwitnessed else (
            f"stale, shown at the log's size {size}: {beyond} protocols it shows rest on "
            f"leaves no witness has cosigned yet (the largest checkpoint the witnesses cosigned "
            f"is size {witnessed}); give --allow-unwitnessed to accept figures only the log "
            "signed")

    for c in election.get("contests", []):
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            continue
        cid = c["id"]
        for name, make in wanted(c, None).items():
            entry = files.get(name)
            if not isinstance(entry, dict):
                continue  # a file not published (an older layout): nothing to hold
            size = _stale_size(name, entry, leaves, report)
            if size is False:
                continue  # beyond the log: named
            if entry.get("stale") and size is None:
                stale += 1
                if leaves is not None and name.endswith(("/stations.csv", "/stations.json")):
                    at_size.check_rows(snap, name, entry, cid, leaves, report)
                continue
            if (problem := witnessed_problem(name, size)) is not None:
                report.fail("derived", name, problem)
                continue
            if size is not None:
                make = wanted(c, size)[name]
            body = snap.checked_object(name, entry)
            if body is None:
                continue  # named by `files.check_files`
            fmt = name.rsplit(".", 1)[1]
            problem = _compare(fmt, body, make[0](fmt, *make[1:]))
            if problem:
                report.fail("derived", name, problem if size is None else
                            f"stale, shown at the log's size {size}; the log's first {size} "
                            f"leaves give otherwise: {problem}")
            else:
                report.ok("derived")
    entry = files.get("nist.json")
    size = _stale_size("nist.json", entry, leaves, report) if isinstance(entry, dict) else None
    if isinstance(entry, dict) and entry.get("stale") and size is None:
        stale += 1
    elif isinstance(entry, dict) and size is not False:
        if (problem := witnessed_problem("nist.json", size)) is not None:
            report.fail("derived", "nist.json", problem)
        else:
            view = views.at(size) if size is not None else at_size.View(by_id, sums)
            doc = nist_counts.check(snap, entry, election, view.by_id, view.sums, report)
            if doc is not None:
                _nist_fields(doc, snap, election, commissions, view, size, leaves, times,
                             report)
    if unwitnessed and allow_unwitnessed:
        report.note("derived", "manifest.json", f"{len(unwitnessed)} tables marked stale show "
                                                f"{max(unwitnessed.values())} or fewer protocols "
                                                "resting on leaves no witness has cosigned yet "
                                                "(--allow-unwitnessed)")
    if stale:
        report.note("derived", "manifest.json", f"{stale} tables marked stale (being rewritten) "
                                                "name no size of the log (a manifest before "
                                                "sailau-snapshot/4): not held to the station "
                                                "files (a station table's rows, to the log's "
                                                "versions)")


def _nist_fields(doc: dict, snap, election: dict, commissions: dict, view, size, leaves,
                 times, report: Report) -> None:
    """`nist.json`'s own fields (`nist_report`) against the log's facts, or election.json's
    (held to the log by `named`) where the log states none; its time against the witnesses,
    at the log size it shows (a stale one's, else the manifest's)."""
    facts = {k: v for k, v in ((leaves.election if leaves is not None and leaves.election
                                else None) or election).items() if k in ("date", "synthetic")}
    cec = next((cid for cid, c in sorted(commissions.items()) if c.get("level") == "cec"), None)
    if cec is not None:
        facts["cec"] = cec
    logged = leaves.contests if leaves is not None and leaves.contests else {
        c.get("id"): c for c in election.get("contests", []) if isinstance(c, dict)}
    wanted = {c.get("id") for c in election.get("contests", []) if isinstance(c, dict)}
    nist_report.check(doc, facts, {k: v for k, v in logged.items() if k in wanted}, view.sums,
                      report)
    if leaves is None:
        return
    counted = view.indexes if size is not None else [i for i, _ in leaves.shown.values()]
    shown = size if size is not None else snap.manifest.get("log_size")
    nist_report.check_time(doc, times, counted, shown if isinstance(shown, int) else None,
                           len(leaves.entries), report)


def _stale_size(name: str, entry: dict, leaves, report: Report):
    """The log size a stale table is held to: None when it is not stale, names none or there
    is no log; False (named) when it names a size the log does not have."""
    size = entry.get("log_size")
    if not entry.get("stale") or leaves is None or size is None:
        return None
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= len(
            leaves.entries):
        report.fail("derived", name, f"stale, shown at the log's size {size!r}, which the log "
                                     f"(size {len(leaves.entries)}) does not have")
        return False
    return size


def _wanted(election: dict, c: dict, commissions: dict, by_contest: dict, arrivals: dict,
            sums: dict) -> dict:
    """Each derived table of the contest `c` and how to write it from one view."""
    cid = c["id"]
    keys = [ch.get("key") for ch in c.get("choices", [])]
    choice_names = {ch.get("key"): tables.names_of(ch.get("name"))
                    for ch in c.get("choices", [])}
    head = (election.get("id"), cid, keys, choice_names)
    wanted = {f"contests/{cid}/choices.csv": (_choices, c)}
    rows = by_contest.get(cid, [])
    for fmt in FORMATS:
        wanted[f"contests/{cid}/stations.{fmt}"] = (_stations, head, rows)
    for level in LEVELS_OF.get(c.get("level"), ["smd"]):
        lrows = _level_rows(cid, level, commissions, sums)
        for fmt in FORMATS:
            wanted[f"contests/{cid}/{level}.{fmt}"] = (_level, head, level, lrows)
    expected = sums.get((cid, c.get("commission")))
    for fmt in ("csv", "json"):
        wanted[f"contests/{cid}/progress.{fmt}"] = (
            _progress, cid, keys, expected.expected if expected else 0, arrivals.get(cid, []))
    return wanted


def _choices(_fmt: str, contest: dict):
    # `order` is the place in election.json's list (held to the log's ballot by `named`),
    # never a member a forged election.json could add to reorder choices.csv alone
    return ("table", tables.choices_header(), [
        tables.choice_cells(ch.get("key"), place, ch.get("party"),
                            tables.names_of(ch.get("name")))
        for place, ch in enumerate(contest.get("choices", []), 1)])


def _stations(fmt: str, head: tuple, rows: list[dict]):
    election, contest, keys, choice_names = head
    if fmt == "json":
        return ("document", tables.stations_document(election, contest, keys, choice_names,
                                                     rows))
    return ("table", tables.stations_header(keys), [tables.station_cells(r, keys) for r in rows])


def _progress(fmt: str, contest: str, keys: list[str], expected: int, arrivals: list):
    """`progress.*`: its times from the station files (when each first became definitive),
    its counts from their current protocols, each held to its leaf."""
    ordered = sorted(arrivals, key=lambda a: (a[0], a[1]))
    points = tables.progress_points([(_iso(at), inv, cho) for at, _sid, inv, cho, _ in ordered],
                                    keys, expected)
    if fmt == "json":
        as_of = max((a[4] for a in arrivals), default=None)
        return ("progress", tables.progress_document(contest, expected, len(arrivals),
                                                     _iso(as_of), points))
    return ("table", tables.progress_header(keys),
            [tables.progress_cells(pt, keys) for pt in points])


def _arrivals(by_id: dict[str, dict]) -> dict[str, list]:
    """contest id → (when the station first reported, station id, invalid ballots, choices,
    when its current protocol became definitive) of each station with a current protocol, as
    `sailau.publish.files.arrivals.arrived` says: the earlier of its first version's storing and its
    step time "definitive"; an amendment does not move it."""
    out: dict[str, list] = {}
    for sid, doc in by_id.items():
        step = _time((doc.get("chronometry") or {}).get("definitive")
                     if isinstance(doc.get("chronometry"), dict) else None)
        for part in doc.get("contests", []):
            p = part.get("protocol")
            if not isinstance(p, dict):
                continue
            created = _time(p.get("created_at"))
            first = next((_time(v.get("created_at")) for v in part.get("versions") or []
                          if isinstance(v, dict) and v.get("version") == 1), None) or created
            at = min((x for x in (first, step) if x is not None), default=None)
            if at is None:
                continue  # a protocol with no time: its rows then differ, and are named
            figures = p.get("figures") if isinstance(p.get("figures"), dict) else {}
            out.setdefault(part.get("contest"), []).append(
                (at, sid, figures.get("invalid") or 0, p.get("choices") or {},
                 at if p.get("version") == 1 else created))
    return out


def _time(text):
    import datetime as dt

    try:
        at = dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return at if at is not None and at.tzinfo is not None else None  # comparable times only


def _iso(at) -> str | None:
    import datetime as dt

    return at.astimezone(dt.UTC).isoformat() if at else None


def _level(fmt: str, head: tuple, level: str, rows: list[dict]):
    election, contest, keys, choice_names = head
    if fmt == "json":
        return ("document", tables.level_document(election, contest, level, keys,
                                                  choice_names, rows))
    return ("table", tables.level_header(keys), [tables.level_cells(r, keys) for r in rows])


def _station_rows(by_id: dict[str, dict], labels: dict) -> dict[str, list[dict]]:
    """contest id → the rows of its station table (its stations with a current protocol), by
    station number."""
    out: dict[str, list[dict]] = {}
    for sid, doc in by_id.items():
        s = (sid, doc.get("number"), doc.get("territory"), doc.get("district"))
        for part in doc.get("contests", []):
            p = part.get("protocol")
            if isinstance(p, dict):
                out.setdefault(part.get("contest"), []).append(tables.station_row(
                    s, labels, p.get("version"), p.get("figures") or {},
                    p.get("choices") or {}))
    for rows in out.values():
        rows.sort(key=lambda r: (_number(r["number"]), str(r["station_id"])))
    return out


def _level_rows(contest: str, level: str, commissions: dict, sums: dict) -> list[dict]:
    out = []
    for c in sorted((c for c in commissions.values() if c.get("level") == level),
                    key=lambda c: (_number(c.get("number")), str(c.get("id")))):
        t = sums.get((contest, c.get("id")))
        if t is None:  # no station of the contest counts there (another SMD)
            continue
        out.append({"commission_id": c["id"], "number": c.get("number"),
                    "name": tables.names_of(c.get("name")), "parent": c.get("parent"),
                    "stations_reported": t.reported, "stations_expected": t.expected,
                    "figures": dict(t.figures), "choices": dict(t.choices)})
    return out


def _number(n) -> int:
    """A number to sort by (a forged file's `"number": null` is named, never a traceback)."""
    return n if isinstance(n, int) else -1


# ------------------------------------------------------------------------------ comparing

def _compare(fmt: str, body: bytes, expected) -> str | None:
    """What differs first between a published file and its recomputation, or None."""
    if expected[0] in ("document", "progress"):
        dumps = tables.json_bytes if expected[0] == "document" else tables.progress_json
        if body == dumps(expected[1]):
            return None
        import json

        try:
            published = json.loads(body)
        except ValueError:
            return "not JSON"
        return _first_difference(published, json.loads(dumps(expected[1])), "") or (
            "not written as the publisher writes it (same content, other bytes)")
    _, header, rows = expected
    if fmt == "csv":
        if body == tables.csv_bytes(header, rows):
            return None
        try:
            published = list(csv.reader(io.StringIO(body.decode())))
        except (UnicodeDecodeError, csv.Error):
            return "not UTF-8 CSV"
        mine = list(csv.reader(io.StringIO(tables.csv_bytes(header, rows).decode())))
        return _first_row(published, mine) or "not written as the publisher writes it"
    return _parquet(body, header, rows)


def _first_row(published: list[list[str]], mine: list[list[str]]) -> str | None:
    """The first row (after the header) and column where two tables differ."""
    header = mine[0] if mine else []
    if not published or published[0] != header:
        got = published[0] if published else []
        col = next((i for i in range(max(len(got), len(header)))
                    if i >= len(got) or i >= len(header) or got[i] != header[i]), 0)
        return (f"header column {col + 1} is {_at(got, col)!r}, the publisher's layout has "
                f"{_at(header, col)!r}")
    for n, (theirs, ours) in enumerate(zip(published[1:], mine[1:]), 1):
        if theirs != ours:
            col = next((i for i in range(max(len(theirs), len(ours)))
                        if _at(theirs, i) != _at(ours, i)), 0)
            return (f"row {n} ({_at(ours, 0) or _at(theirs, 0)}), column "
                    f"{_at(header, col)}: published {_at(theirs, col)!r}, the verified files "
                    f"give {_at(ours, col)!r}")
    if len(published) != len(mine):
        n = min(len(published), len(mine))
        extra = published[n] if len(published) > len(mine) else mine[n]
        return (f"{len(published) - 1} rows, the verified files give {len(mine) - 1} (first "
                f"{'extra' if len(published) > len(mine) else 'missing'} row: {extra[0]!r})")
    return None


def _at(row: list, i: int):
    return row[i] if 0 <= i < len(row) else None


def _parquet(body: bytes, header, rows) -> str | None:
    """A Parquet table by its decoded content (its bytes depend on the library's version)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None  # reported once by the caller's note? the CSV carries the same rows
    try:
        # one thread: ~70 small files, and a pool per file costs more than it saves
        published = pq.ParquetFile(pa.BufferReader(body)).read(use_threads=False)
    except (pa.ArrowException, OSError) as exc:
        return f"not a readable Parquet file ({exc})"
    mine = tables.parquet_table(header, rows)
    if published.equals(mine):
        return None
    if published.column_names != mine.column_names:
        return _first_row([published.column_names], [mine.column_names])
    for col in mine.column_names:
        if published.schema.field(col).type != mine.schema.field(col).type:
            return (f"column {col} is {published.schema.field(col).type}, the publisher's "
                    f"layout has {mine.schema.field(col).type}")
    theirs, ours = published.to_pylist(), mine.to_pylist()
    for n, (a, b) in enumerate(zip(theirs, ours), 1):
        if a != b:
            col = next(k for k in mine.column_names if a.get(k) != b.get(k))
            return (f"row {n} ({b.get(mine.column_names[0])}), column {col}: published "
                    f"{a.get(col)!r}, the verified files give {b.get(col)!r}")
    return f"{len(theirs)} rows, the verified files give {len(ours)}"


def _first_difference(theirs, mine, path: str) -> str | None:
    """The first path at which two JSON values differ."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for k in sorted(set(mine) | set(theirs)):
            if k not in theirs or k not in mine:
                where = f"{path}.{k}" if path else k
                return (f"{where} is missing" if k not in theirs else
                        f"{where} is not in the verified files")
            found = _first_difference(theirs[k], mine[k], f"{path}.{k}" if path else k)
            if found:
                return found
        return None
    if isinstance(mine, list) and isinstance(theirs, list):
        for i, (a, b) in enumerate(zip(theirs, mine)):
            found = _first_difference(a, b, f"{path}[{i}]{_label(b)}")
            if found:
                return found
        if len(theirs) != len(mine):
            return f"{path}: {len(theirs)} items, the verified files give {len(mine)}"
        return None
    if theirs != mine or type(theirs) is not type(mine):
        return f"{path}: published {theirs!r}, the verified files give {mine!r}"
    return None


def _label(item) -> str:
    """A row's id beside its index (`stations[3] (kz...pec.0004)`)."""
    if isinstance(item, dict):
        for k in ("station_id", "commission_id"):
            if isinstance(item.get(k), str):
                return f" ({item[k]})"
    return ""
