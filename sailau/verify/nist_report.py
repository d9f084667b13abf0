"""`nist.json`'s own fields (`sailau.publish.files.nist.document`), each held to what the log
decides, beside its counts (`nist_counts`) and names (`named`): the format's constants, `IsTest`
and the election's dates (the log's `structure` leaf, or election.json held to it), `Status` (from
the sums of the leaves the report shows), each contest's district, place and seats and each
selection's type and party (`PartyIds`, `EndorsementPartyIds`: the log's `contests` leaves), and `GeneratedDate`, bounded by the witnesses' cosignatures: not before the
last protocol leaf it counts entered the log, not after the first leaf it does not show did.
docs/checking-the-log.md, "nist.json's own fields"."""

from __future__ import annotations

import datetime as dt

from sailau.law import kinds
from sailau.verify.report import Report
from sailau.verify.station_times import CLOCK_SLACK
from sailau.verify.witnessed_time import Times, _iso

# What `sailau.publish.files.nist` writes whatever the election: the format's, not the operator's.
CONSTANTS = {"@type": "ElectionResults.ElectionReport", "Format": "precinct-level",
             "Issuer": "Sailau", "IssuerAbbreviation": "Sailau", "SequenceStart": 1,
             "SequenceEnd": 1, "VendorApplicationId": "sailau"}
COMPLETE, PARTIAL = "unofficial-complete", "unofficial-partial"


def check(doc: dict, facts: dict, contests: dict, sums: dict, report: Report) -> None:
    """The report's fields but its time against `facts` (the election's `date` and `synthetic`,
    the log's), `contests` (id -> the log's contest: `commission`, `kind`, `seats`, `choices`
    in ballot order) and the `sums` (contest, commission) -> `totals.Sum` of the view it
    shows; `cec` in `facts`: the CEC's commission id."""
    found = []
    for field, want in CONSTANTS.items():
        if doc.get(field) != want:
            found.append((field, doc.get(field), want, "the format's"))
    # over no sum at all (nothing counted) `all` would say complete: it is not
    complete = bool(sums) and all(t.expected > 0 and t.reported == t.expected
                                  for t in sums.values())
    want = COMPLETE if complete else PARTIAL
    if doc.get("Status") != want:
        reported = sum(t.reported for (c, a), t in sums.items() if _top(contests, c) == a)
        expected = sum(t.expected for (c, a), t in sums.items() if _top(contests, c) == a)
        found.append(("Status", doc.get("Status"), want,
                      f"the sums of the leaves' ({reported} of {expected} protocols reported)"))
    if "synthetic" in facts and doc.get("IsTest") != facts["synthetic"]:
        found.append(("IsTest", doc.get("IsTest"), facts["synthetic"], "the log's (synthetic)"))
    election = doc["Election"][0]
    for field in ("StartDate", "EndDate"):
        if "date" in facts and election.get(field) != facts["date"]:
            found.append((f"Election, {field}", election.get(field), facts["date"],
                          "the log's (the election's day)"))
    if "cec" in facts and election.get("ElectionScopeId") != f"gp-{facts['cec']}":
        found.append(("Election, ElectionScopeId", election.get("ElectionScopeId"),
                      f"gp-{facts['cec']}", "the CEC's unit"))
    published = {c.get("@id"): c for c in election["Contest"] if isinstance(c, dict)}
    for cid, c in contests.items():
        theirs = published.get(f"contest-{cid}")
        if isinstance(theirs, dict):
            found += [(f"contest-{cid}, {f}", got, want, "the log's contest")
                      for f, got, want in _contest(theirs, c)]
    # (held, the file is counted once, by `nist_counts`)
    for where, got, want, whose in found:
        report.fail("derived", f"nist.json ({where})",
                    f"published {got!r}, {whose} is {want!r}")


def _top(contests: dict, cid) -> str | None:
    c = contests.get(cid)
    return c.get("commission") if isinstance(c, dict) else None


def _contest(theirs: dict, c: dict):
    """(field, published, wanted) of each field of a contest that differs from the log's."""
    want = {"ElectionDistrictId": f"gp-{c.get('commission')}"}
    kind = kinds.KINDS.get(c.get("kind"))
    if kind is not None and isinstance(c.get("seats"), int):
        want.update(kind.nist_fields(c["seats"]))
    for field, value in want.items():
        if theirs.get(field) != value:
            yield field, theirs.get(field), value
    for field in ("VotesAllowed", "NumberElected"):  # none where the kind gives none
        if field in theirs and field not in want and kind is not None:
            yield field, theirs.get(field), None
    selections = theirs.get("ContestSelection")
    if isinstance(selections, list):  # their number and ids: `nist_counts`
        for place, sel in enumerate(selections, 1):
            if isinstance(sel, dict) and sel.get("SequenceOrder") != place:
                yield (f"{sel.get('@id')}, SequenceOrder", sel.get("SequenceOrder"), place)
                break
        if kind is not None:
            yield from _selections(selections, c, kind)


def _selections(selections: list, c: dict, kind):
    """(field, published, wanted) of the first selection whose type or party (`PartyIds` of a
    party's list, `EndorsementPartyIds` of a candidate a party put forward) is not what the
    log's choice says: the selection `sel-<contest>-<key>` stands for the choice `key`."""
    choices = c.get("choices")
    if isinstance(choices, list):  # election.json's (a log that states no contests)
        choices = {ch.get("key"): ch for ch in choices if isinstance(ch, dict)}
    if not isinstance(choices, dict):
        return
    prefix = f"sel-{c.get('id')}-"
    for sel in selections:
        sid = sel.get("@id") if isinstance(sel, dict) else None
        if not isinstance(sid, str) or not sid.startswith(prefix):
            continue  # named by `nist_counts`
        choice = choices.get(sid.removeprefix(prefix))
        if not isinstance(choice, dict):
            continue  # a choice the log does not have: named by `nist_counts` and `named`
        want = kind.nist_selection(choice.get("party"))
        for field in ("@type", "PartyIds", "EndorsementPartyIds"):
            if sel.get(field) != want.get(field):
                yield f"{sid}, {field}", sel.get(field), want.get(field)
                return


def check_time(doc: dict, times: Times | None, counted: list[int], size: int | None,
               logged: int, report: Report) -> None:
    """`GeneratedDate` against the witnesses: the report was made once the last protocol leaf
    it counts (the largest of `counted`) was in the log, and while the log's checkpoint was of
    the `size` it shows, so before leaf `size` (when the log has it, `logged` leaves) entered."""
    text = doc.get("GeneratedDate")
    try:
        at = dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        report.fail("time", "nist.json (GeneratedDate)",
                    f"{text!r} is not a time with its offset (ISO 8601)")
        return
    if times is None:
        return  # no witness trusted: said once, by the station files' times
    t = at.timestamp()
    if counted:
        last = max(counted)
        after = times.bounds(last)[0]
        # The clocks' difference only (`CLOCK_SLACK`), not a protocol's intake (`INTAKE_SLACK`,
        # the station times'): every publisher dates its report once the checkpoint it shows
        # is signed (`logstep.snapshot_in_the_log`), after its protocols entered the log.
        if after is not None and t < after - CLOCK_SLACK:
            report.fail("time", "nist.json (GeneratedDate)",
                        f"{text}: before the witnesses cosigned the log without leaf {last}, "
                        f"the last protocol it counts, at {_iso(after)}: dated earlier than "
                        "what it shows")
            return
    if size is not None and size < logged:
        by = times.bounds(size)[1]
        if by is not None and t > by + CLOCK_SLACK:
            report.fail("time", "nist.json (GeneratedDate)",
                        f"{text}: after the witnesses had seen leaf {size}, which it does not "
                        f"show (it shows the log at size {size}), at {_iso(by)}: dated later "
                        "than it was made")
            return
    report.ok("time")
