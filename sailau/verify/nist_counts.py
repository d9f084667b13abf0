"""`nist.json`'s counts (`sailau.publish.files.nist`) written again from what `sailau verify` has held to
the log, and compared: each contest's selections (one per choice in ballot order, each counting
the contest's total at its commission and then every station with a current protocol in it, by
station number), each contest's stations reported and expected, and each reporting unit's voter
counts: `VotersRegistered` (the voters on the lists of its stations that reported),
`VotersParticipated` (the ballots they issued), `SubUnitsReported` and `TotalSubUnits`, from
the sums of the leaves. A commission's unit counts the election's national contest (the first
contest of `election.json` on the CEC's level), a single-member district's its own contest; a
polling place carries none. Its names (the election's, the parties', the units') are held to
the log by `named`."""

from __future__ import annotations

import json

from sailau.law.figures import issued
from sailau.verify.report import Report

CHECK = "derived"
UNIT_COUNTS = ("VotersRegistered", "VotersParticipated", "SubUnitsReported", "TotalSubUnits")


def check(snap, entry: dict, election: dict, by_id: dict, sums: dict,
          report: Report) -> dict | None:
    """`nist.json` (its manifest `entry`) against the station files `by_id` and the `sums`
    (contest, commission) -> `totals.Sum` of one view of the log; the report read (None when
    it is none: named), for its own fields (`nist_report`)."""
    body = snap.checked_object("nist.json", entry)
    if body is None:
        return None  # named by `files.check_files`
    try:
        doc = json.loads(body)
        published = {c.get("@id"): c for c in doc["Election"][0]["Contest"]}
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        report.fail(CHECK, "nist.json", "not a NIST election report (Election[0].Contest)")
        return None
    if _selections(published, election, by_id, sums, report):
        return doc
    if (problem := _units(doc.get("GpUnit"), election, sums)) is not None:
        report.fail(CHECK, f"nist.json ({problem[0]})", problem[1])
        return doc
    report.ok(CHECK)
    return doc


def _selections(published: dict, election: dict, by_id: dict, sums: dict,
                report: Report) -> bool:
    """Each contest's vote counts; whether one differed (then named)."""
    ordered = sorted(by_id.items(), key=lambda e: (_number(e[1].get("number")), str(e[0])))
    protocols: dict[str, list] = {}
    for sid, d in ordered:
        for part in d.get("contests", []):
            if isinstance(part.get("protocol"), dict):
                protocols.setdefault(part.get("contest"), []).append(
                    (sid, part["protocol"].get("choices") or {}))
    for c in election.get("contests", []):
        if not isinstance(c, dict):
            continue
        cid, where = c.get("id"), c.get("commission")
        theirs = published.get(f"contest-{cid}")
        if not isinstance(theirs, dict):
            report.fail(CHECK, "nist.json", f"has no contest-{cid}")
            return True
        total = sums.get((cid, where))
        units = ([(where, dict(total.choices))] if total is not None else [])
        units += protocols.get(cid, [])
        selections = theirs.get("ContestSelection")
        keys = [ch.get("key") for ch in c.get("choices", [])]
        if not isinstance(selections, list) or len(selections) != len(keys):
            report.fail(CHECK, "nist.json", f"contest-{cid}: {len(keys)} choices in "
                                            "election.json, not as many selections")
            return True
        for key, sel in zip(keys, selections):
            mine = [(f"gp-{u}", cho.get(key, 0)) for u, cho in units]
            counts = sel.get("VoteCounts") if isinstance(sel, dict) else None
            got = [(v.get("GpUnitId"), v.get("Count")) if isinstance(v, dict) else (None, None)
                   for v in counts] if isinstance(counts, list) else []
            if not isinstance(sel, dict) or sel.get("@id") != f"sel-{cid}-{key}":
                problem = f"the selection of choice {key} is not sel-{cid}-{key}"
            elif got != mine:
                i = next((i for i, (a, b) in enumerate(zip(got, mine)) if a != b), None)
                problem = (f"{len(got)} vote counts, the verified files give {len(mine)}"
                           if i is None else
                           f"VoteCounts[{i}] ({mine[i][0]}): published {got[i][1]!r} for "
                           f"{got[i][0]}, the verified files give {mine[i][1]!r}")
            else:
                continue
            report.fail(CHECK, f"nist.json (contest-{cid}, {key})", problem)
            return True
        if total is not None and (theirs.get("SubUnitsReported"), theirs.get(
                "TotalSubUnits")) != (total.reported, total.expected):
            report.fail(CHECK, f"nist.json (contest-{cid})",
                        f"SubUnitsReported/TotalSubUnits {theirs.get('SubUnitsReported')}/"
                        f"{theirs.get('TotalSubUnits')}, the verified files give "
                        f"{total.reported}/{total.expected}")
            return True
    return False


def unit_counts(unit: str, election: dict, sums: dict) -> dict:
    """The counts the publisher gives the reporting unit of commission `unit` (none for a
    polling place, or a commission no station of its contest counts in)."""
    contests = [c for c in election.get("contests", []) if isinstance(c, dict)]
    own = next((c for c in contests if c.get("commission") == unit), None)
    main = next((c for c in contests if c.get("level") == "cec"), None)
    contest = own if own is not None and own.get("level") == "smd" else main
    t = sums.get((contest.get("id"), unit)) if contest is not None else None
    if t is None:
        return {}
    return {"VotersRegistered": t.figures.get("voters_on_list", 0),
            "VotersParticipated": issued(t.figures),
            "SubUnitsReported": t.reported, "TotalSubUnits": t.expected}


def _units(units, election: dict, sums: dict) -> tuple[str, str] | None:
    """(where, what) of the first reporting unit whose counts differ, with how many more do."""
    if not isinstance(units, list):
        return "GpUnit", "is not a list of reporting units"
    found = []
    for n, u in enumerate(units):
        uid = u.get("@id") if isinstance(u, dict) else None
        if not isinstance(uid, str):
            found.append((f"GpUnit[{n}]", "a reporting unit without an @id"))
            continue
        want = unit_counts(uid.removeprefix("gp-"), election, sums)
        for field in UNIT_COUNTS:
            if u.get(field) != want.get(field):
                what = f"published {u.get(field)!r}, the verified files give {want.get(field)!r}"
                found.append((f"{uid}, {field}", what))
                break
    if not found:
        return None
    where, what = found[0]
    more = f" ({len(found) - 1} more units differ)" if len(found) > 1 else ""
    return where, what + more


def _number(n) -> int:
    """A number to sort by (a forged file's `"number": null` is named, never a traceback)."""
    return n if isinstance(n, int) else -1
