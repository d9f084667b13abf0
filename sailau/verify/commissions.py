"""Each district's and single-member district's file held to the station files below it: its
`station_runs` are the stations whose files name it (`district`, or one of `smd`,
`territorial_smd`, `district_smd`), and its `reported_runs` are, per contest, those of them
with a definitive protocol in it (both runs of numbers: `runs.py`). Pages and the static viewer
list a commission's stations from these two fields alone, so a file that drops a station or
claims one reported is named here; the totals beside them are `totals.check_levels`'.

Which station files are "below" a commission is what the station files say (the log does not
state where a station lies); which protocols are definitive is the log's latest leaf of each
station shown by the files, or, for an election published before the log, the station files'
current protocols (docs/published-files.md, "Which stations count where")."""

from __future__ import annotations

from collections import defaultdict

from sailau.verify.report import Report
from sailau.verify.runs import from_runs, malformed, number, outside

OLDER = ("station_numbers", "reported", "stations")  # the layouts before runs
from sailau.verify.totals import SMD_KEYS

# The fields of a station file that place it under a commission of each listing level.
PLACED_BY = {"district": ("district",), "smd": SMD_KEYS}
CHECK = "stations"


def current_of_files(by_file: dict[str, dict]) -> set[tuple[str, str]]:
    """(station id, contest) of each current protocol the station files show: what is
    definitive for an election published before the log."""
    out = set()
    for sid, doc in by_file.items():
        parts = doc.get("contests")
        for part in parts if isinstance(parts, list) else ():
            if isinstance(part, dict) and part.get("protocol") and isinstance(
                    part.get("contest"), str):
                out.add((sid, part.get("contest")))
    return out


def _placed(docs: dict, report: Report) -> dict[tuple, list[int]]:
    """(level, commission id) -> the numbers of the station files that name it, ascending; a
    station file whose number is not its file's name is named (a list of numbers points at
    `stations/<number>.json`)."""
    under: dict[tuple, list[int]] = defaultdict(list)
    for name, doc in docs.items():
        if not name.startswith("stations/") or not isinstance(doc, dict) or "id" not in doc:
            continue
        n = doc.get("number")
        if not number(n) or name != f"stations/{n}.json":
            report.fail(CHECK, name, f"its number is {n!r}, its file's name says otherwise")
            continue
        for level, fields in PLACED_BY.items():
            for f in fields:
                if isinstance(doc.get(f), str):
                    under[(level, doc[f])].append(n)
    for numbers in under.values():
        numbers.sort()
    return under


def _older(doc: dict) -> tuple:
    """`station_numbers` and `reported` of a file published before runs: as lists of numbers,
    or (the format before those) a row per station, `stations[].number` and `.reported`."""
    numbers, reported = doc.get("station_numbers"), doc.get("reported")
    if numbers is None and reported is None and isinstance(doc.get("stations"), list):
        rows = [r for r in doc["stations"] if isinstance(r, dict)]
        if len(rows) == len(doc["stations"]):
            numbers = [r.get("number") for r in rows]
            reported = defaultdict(list)
            for r in rows:
                for contest in r.get("reported") if isinstance(r.get("reported"), list) else ():
                    reported[contest].append(r.get("number"))
    return numbers, reported


def _runs(name: str, doc: dict, limit: int, votes: set, report: Report
          ) -> tuple[list[int], dict] | None:
    """`station_runs` and `reported_runs` as numbers, or None with what is wrong named. Each
    reported run must lie within the stations' runs, and each contest be one a station below
    votes in, before anything is expanded: a small forged file must not make the verifier
    list millions of numbers (`limit`: the record's station files)."""
    if mixed := [f for f in OLDER if f in doc]:
        report.fail(CHECK, name, f"has station_runs or reported_runs and also {mixed[0]} (the "
                                 "layout before runs): a reader of either would read other lists")
        return None
    runs, by_contest = doc.get("station_runs"), doc.get("reported_runs")
    numbers = from_runs(runs, limit) if runs is not None else "is missing"
    if isinstance(numbers, str):
        report.fail(CHECK, name, f"station_runs {numbers}")
        return None
    if not isinstance(by_contest, dict):
        report.fail(CHECK, name, "reported_runs is missing or not a map of contest to runs")
        return None
    reported = {}
    for contest, listed in sorted(by_contest.items(), key=lambda kv: str(kv[0])):
        where = f"{name} ({contest})"
        if contest not in votes:
            report.fail(CHECK, where, "reported_runs names a contest none of its stations votes "
                                      "in")
            return None
        if (wrong := malformed(listed)) is not None:
            report.fail(CHECK, where, f"reported_runs {wrong}")
            return None
        if (n := outside(listed, numbers)) is not None:
            report.fail(CHECK, f"{name} (station {n}, {contest})",
                        "listed as reported, but not among its stations (station_runs)")
            return None
        reported[contest] = from_runs(listed, len(numbers))
    return numbers, reported


def _listed(name: str, doc: dict, limit: int, votes: set, report: Report
            ) -> tuple[list[int], dict] | None:
    """The file's stations and, per contest, those reported (from runs: `_runs`, or an older
    file's lists: `_older`), or None with the malformed one named."""
    if "station_runs" in doc or "reported_runs" in doc:
        return _runs(name, doc, limit, votes, report)
    numbers, reported = _older(doc)
    if not isinstance(numbers, list):
        report.fail(CHECK, name, "station_numbers is not a list" if "station_numbers" in doc
                    else "station_runs is missing (a district's or single-member district's "
                         "file lists its stations)")
        return None
    if not isinstance(reported, dict):
        report.fail(CHECK, name, "reported is missing or not a map of contest to numbers")
        return None
    bad = next((n for n in numbers if not number(n)), None)
    if bad is not None:
        report.fail(CHECK, name, f"station_numbers holds {bad!r}, not a station's number")
        return None
    if numbers != sorted(set(numbers)):
        report.fail(CHECK, name, "station_numbers is not ascending, or lists a station twice")
        return None
    for contest, listed in sorted(reported.items(), key=lambda kv: str(kv[0])):
        if not isinstance(listed, list) or not all(number(n) for n in listed):
            report.fail(CHECK, f"{name} ({contest})", "reported is not a list of station "
                                                      "numbers")
            return None
    return numbers, reported


def check_station_lists(docs: dict, by_file: dict[str, dict],
                        current: set[tuple[str, str]], report: Report) -> None:
    """Every commission file's stations and those reported against the station files
    (`by_file`: by station id) and the definitive protocols (`current`: station id, contest).
    Each station listed and not below, below and not listed, listed reported without a
    definitive protocol or not listed with one is named, with its commission and contest."""
    under = _placed(docs, report)
    number_of = {sid: d.get("number") for sid, d in by_file.items()}
    # (level, commission id) -> the contests its stations vote in (their files' `contests`)
    votes: dict[tuple, set[str]] = defaultdict(set)
    for doc in by_file.values():
        parts = doc.get("contests") if isinstance(doc.get("contests"), list) else ()
        mine = {p.get("contest") for p in parts if isinstance(p, dict)}
        for level, fields in PLACED_BY.items():
            for f in fields:
                if isinstance(doc.get(f), str):
                    votes[(level, doc[f])] |= mine
    # (level, commission id) -> contest -> numbers with a definitive protocol
    done: dict[tuple, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for sid, contest in current:
        doc = by_file.get(sid)
        if doc is None or not number(number_of.get(sid)):
            continue
        for level, fields in PLACED_BY.items():
            for f in fields:
                if isinstance(doc.get(f), str):
                    done[(level, doc[f])][contest].add(number_of[sid])
    files = set()
    for name in sorted(n for n in docs if n.startswith("commissions/")):
        doc, cid = docs[name], name.removeprefix("commissions/").removesuffix(".json")
        files.add(cid)
        if not isinstance(doc, dict):
            continue  # named by the totals' check
        level = doc.get("level")
        if doc.get("id") != cid:
            report.fail(CHECK, name, f"its id is {doc.get('id')!r}, its file's name says {cid}")
            continue
        if level not in PLACED_BY:
            if any(f in doc for f in ("station_runs", "reported_runs", "station_numbers",
                                      "reported")):
                report.fail(CHECK, name, f"a {level} commission's file lists stations: only a "
                                         "district's or single-member district's does")
            else:
                report.ok(CHECK)
            continue
        listed = _listed(name, doc, len(by_file), votes.get((level, cid), set()), report)
        if listed is not None and _compare(name, listed, under.get((level, cid), []),
                                           done.get((level, cid), {}), report):
            report.ok(CHECK)
    for (level, cid), numbers in sorted(under.items()):
        if cid not in files:
            report.fail(CHECK, f"stations/{numbers[0]}.json",
                        f"names {cid} as its {level}, which has no commissions/{cid}.json")


def _compare(name: str, listed: tuple[list[int], dict], below: list[int],
             done: dict[str, set[int]], report: Report) -> bool:
    numbers, reported = listed
    good = True
    for n in sorted(set(below) - set(numbers)):
        good = False
        report.fail(CHECK, f"{name} (station {n})", f"stations/{n}.json names this commission, "
                                                    "its list of stations does not")
    for n in sorted(set(numbers) - set(below)):
        good = False
        report.fail(CHECK, f"{name} (station {n})", f"in its list of stations, but no station "
                                                    f"file numbered {n} names this commission")
    for contest in sorted(set(reported) | set(done), key=str):
        claimed, actual = set(reported.get(contest, ())), done.get(contest, set())
        for n in sorted(claimed - actual):
            good = False
            report.fail(CHECK, f"{name} (station {n}, {contest})",
                        "listed as reported, but the station has no definitive protocol in "
                        "the contest")
        for n in sorted(actual - claimed):
            good = False
            report.fail(CHECK, f"{name} (station {n}, {contest})",
                        "the station has a definitive protocol in the contest, the list of "
                        "those reported does not name it")
    return good
