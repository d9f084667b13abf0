"""Where each station lies and the names shown of stations and commissions, held to the log.

A `stations` leaf of version 2 (docs/log-leaves.md) states, for each station, its precinct,
district and territorial commissions, its single-member districts, number, kind, address and
settlement, and for each commission above the stations its level, number, parent and name. The
station files (`stations/<n>.json`), the commission files (`commissions/<id>.json`) and
`election.json` (each contest's commission and level) must say the same: a station moved to
another district moves votes between the district totals, a renamed commission misleads the
reader of its page. Each difference is named by its file and field.

A log published before (version-1 `stations` leaves) states none of this: the files are then the
operator's word, and a note says so."""

from __future__ import annotations

from sailau.languages import OFFICIAL, WRITTEN, pick
from sailau.verify.report import Report

CHECK = "places"
# The members of a station file held equal to the log's statement of the station.
STATION_FIELDS = ("commission", "territory", "district", "smd", "territorial_smd",
                  "district_smd", "number", "kind", "urban", "registered")
SPELLED = ("address", "settlement")
# A published name is held in the written languages (`WRITTEN`); one with no spelling of its own
# has the Kazakh one stand in (`sailau.languages.pick`); a derived spelling (Kazakh in Latin
# letters) is not held.


def located(stations: dict[str, dict]) -> bool:
    """Whether the log states where its stations lie (every station's leaf is of version 2)."""
    return bool(stations) and all("district" in s for s in stations.values())


def spelled(stated, lang: str):
    """A name or address in `lang` as the publisher writes it from the log's spellings."""
    if not isinstance(stated, dict):
        return None
    return pick(stated, lang)


def _name_problem(published, stated, langs=WRITTEN) -> str | None:
    if not isinstance(published, dict):
        return f"is {published!r}, the log states {stated!r}"
    for lang in langs:
        if lang in published or lang in stated:
            want = spelled(stated, lang)
            if published.get(lang) != want:
                return f"{lang}: {published.get(lang)!r}, the log states {want!r}"
    return None


def check(leaves, docs: dict, by_file: dict[str, dict], report: Report) -> None:
    """The station files, commission files and election.json against the log's statement
    (`leaves`: `logleaves.Leaves`)."""
    logged_stations, logged_commissions = leaves.stations, leaves.commissions
    if not located(logged_stations):
        if logged_stations:
            report.note(CHECK, "log", "the log's stations leaves are of version 1 (a log "
                                      "published before 26 November 2026): where each station "
                                      "lies and the names of stations and commissions are not "
                                      "in the log, and are taken from the published files")
        return
    _stations(logged_stations, by_file, report)
    _commissions(logged_commissions, docs, report)
    _contests(leaves.contests, logged_commissions, docs.get("election.json"), report)


def _stations(logged: dict[str, dict], by_file: dict[str, dict], report: Report) -> None:
    for sid, s in sorted(logged.items()):
        doc = by_file.get(sid)
        if doc is None:
            report.fail(CHECK, f"station {sid}", "in the log's structure, but no station file "
                                                 "is published for it")
            continue
        who = f"stations/{doc.get('number', sid)}.json"
        problems = [f"{k}: {doc.get(k)!r}, the log states {s.get(k)!r}"
                    for k in STATION_FIELDS if doc.get(k) != s.get(k)]
        for k in SPELLED:
            if (problem := _name_problem(doc.get(k), s.get(k), OFFICIAL)) is not None:
                problems.append(f"{k}.{problem}")
        if problems:
            report.fail(CHECK, who, "; ".join(problems))
        else:
            report.ok(CHECK)
    for sid in sorted(set(by_file) - set(logged)):
        doc = by_file[sid]
        report.fail(CHECK, f"stations/{doc.get('number', sid)}.json",
                    f"station {sid} is not in the log's structure")


def _commissions(logged: dict[str, dict], docs: dict, report: Report) -> None:
    files = {n: d for n, d in docs.items() if n.startswith("commissions/")}
    seen = set()
    for name, doc in sorted(files.items()):
        if not isinstance(doc, dict):
            continue  # named by the commission checks
        cid = _id(doc.get("id"))
        c = logged.get(cid)
        if c is None:
            report.fail(CHECK, name, f"commission {cid!r} is not in the log's structure")
            continue
        seen.add(cid)
        problems = [f"{k}: {doc.get(k)!r}, the log states {c.get(k)!r}"
                    for k in ("level", "number", "parent") if doc.get(k) != c.get(k)]
        if (problem := _name_problem(doc.get("name"), c["name"])) is not None:
            problems.append(f"name.{problem}")
        chain = ancestors(logged, cid)
        if "ancestors" in doc and doc.get("ancestors") != chain:
            problems.append(f"ancestors: {doc.get('ancestors')!r}, the log states {chain!r}")
        for n, child in enumerate(doc.get("children") or []):
            if not isinstance(child, dict):
                continue
            theirs = logged.get(_id(child.get("id")))
            if theirs is None or theirs.get("parent") != cid:
                problems.append(f"children[{n}]: {child.get('id')!r} is not a commission under "
                                f"{cid} in the log")
                continue
            problems += [f"children[{n}].{k}: {child.get(k)!r}, the log states {theirs.get(k)!r}"
                         for k in ("level", "number") if child.get(k) != theirs.get(k)]
            if (problem := _name_problem(child.get("name"), theirs["name"])) is not None:
                problems.append(f"children[{n}].name.{problem}")
        if problems:
            report.fail(CHECK, name, "; ".join(problems))
        else:
            report.ok(CHECK)
    for cid in sorted(set(logged) - seen):
        report.fail(CHECK, f"commission {cid}", "in the log's structure, but no commission "
                                                "file is published for it")


def _id(value):
    """An id as read from a file, usable as a key (a forged list or object is named, never a
    traceback)."""
    return value if isinstance(value, str) else repr(value)


def ancestors(logged: dict[str, dict], cid: str) -> list[str]:
    """The commission's ancestors from the top down, by the log's parents."""
    out: list[str] = []
    parent = (logged.get(cid) or {}).get("parent")
    while isinstance(parent, str) and parent not in out and len(out) < 10:
        out.append(parent)
        parent = (logged.get(parent) or {}).get("parent")
    return out[::-1]


def _contests(contests: dict[str, dict], logged: dict[str, dict], election,
              report: Report) -> None:
    """Each contest's commission in election.json is the log's, and its level that
    commission's (the names are held by `named.check_contests`, the parties by
    `logleaves.check_parties`)."""
    if not isinstance(election, dict):
        return
    for c in election.get("contests", []):
        if not isinstance(c, dict) or _id(c.get("id")) not in contests:
            continue  # a contest the log does not have: named by `named.check_contests`
        commission = logged.get(_id(c.get("commission")))
        stated = contests[c["id"]].get("commission")
        if c.get("commission") != stated:
            report.fail(CHECK, f"election.json ({c.get('id')}, commission)",
                        f"{c.get('commission')!r}, the log states {stated!r}")
        elif commission is None:
            report.fail(CHECK, f"election.json ({c.get('id')}, commission)",
                        f"{c.get('commission')!r} is not a commission of the log's structure")
        elif c.get("level") != commission.get("level"):
            report.fail(CHECK, f"election.json ({c.get('id')}, level)",
                        f"{c.get('level')!r}, the log states {commission.get('level')!r} for "
                        f"its commission {c.get('commission')}")
        else:
            report.ok(CHECK)
