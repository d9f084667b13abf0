"""The turnout reports and complaint decisions the log knows, held to the published files.

A `turnout` leaf is a precinct's report of the ballots issued by an hour of election day, a
`complaint-decision` leaf a body's decision on a complaint (a `station_cancelled` one
included). The pages and the API show them from the database: one deleted there disappears
from them, but stays in the log. `turnout.json` and `decisions.json` (docs/published-files.md)
are what the pages show, published with the other files; each report and each decision logged
before the files' log size (the manifest's `log_size`) must be in them as the log states it.
A report or decision in the files and not yet in the log is not a failure: the files are read
from the database a moment after the log's checkpoint.

Both files came with the `stations` leaves of version 2: a record whose log has only version-1
`stations` leaves (published before) may lack them, and a note says what is then unchecked."""

from __future__ import annotations

from sailau.verify import places
from sailau.verify.report import Report

CHECK = "registers"
TURNOUT, DECISIONS = "turnout.json", "decisions.json"
# The members of a decision compared (those of its leaf; `at`, `v`, `type` and `election` are
# the leaf's frame).
DECISION_FIELDS = ("body", "station", "number", "decided_on", "outcome", "effect",
                   "text_sha256", "protocol_version")


def check(leaves, docs: dict, upto: int, report: Report) -> None:
    """Each `turnout` and `complaint-decision` leaf below `upto` against the published files
    (`leaves`: `logleaves.Leaves`, whose `entries` are the leaves' bytes)."""
    import json

    reports, decisions = [], {}
    for i, data in enumerate(leaves.entries[:upto]):
        if b'"type":"turnout"' in data or b'"type":"complaint-decision"' in data:
            try:
                leaf = json.loads(data)
            except ValueError:
                continue  # named by `logleaves.read`
            if leaf.get("type") == "turnout":
                reports.append((i, leaf))
            elif leaf.get("type") == "complaint-decision":
                decisions[leaf.get("complaint")] = (i, leaf)  # the latest decides
    old = not places.located(leaves.stations)
    for name, items, hold in ((TURNOUT, reports, _turnout), (DECISIONS, decisions, _decisions)):
        if not items:
            continue
        if docs.get(name) is None and old:
            report.note(CHECK, name, f"not published (a record from before it was): the "
                                     f"{len(items)} reports or decisions of the log are not "
                                     "held to a published register")
            continue
        hold(items, docs.get(name), report)


def _key(value):
    """A member read from a file, usable as a key (a forged list is named, never a
    traceback)."""
    return value if isinstance(value, (str, int)) or value is None else repr(value)


def _listed(doc, member: str, name: str, report: Report) -> list[dict] | None:
    if doc is None:
        report.fail(CHECK, name, "not published, yet the log has what it lists")
        return None
    items = doc.get(member) if isinstance(doc, dict) else None
    if not isinstance(items, list):
        report.fail(CHECK, name, f"has no list {member!r}")
        return None
    return [x for x in items if isinstance(x, dict)]


def _turnout(reports: list[tuple[int, dict]], doc, report: Report) -> None:
    listed = _listed(doc, "reports", TURNOUT, report)
    if listed is None:
        return
    shown = {(_key(r.get("station")), _key(r.get("hour"))): r.get("issued") for r in listed}
    for i, leaf in reports:
        key = (leaf.get("station"), leaf.get("hour"))
        who = f"{TURNOUT} (station {key[0]}, {key[1]}:00)"
        if key not in shown:
            report.fail(CHECK, who, f"the report of log leaf {i} ({leaf.get('issued')} ballots "
                                    "issued) is not published: deleted from the register")
        elif shown[key] != leaf.get("issued"):
            report.fail(CHECK, who, f"issued: {shown[key]!r}, log leaf {i} states "
                                    f"{leaf.get('issued')!r}")
        else:
            report.ok(CHECK)


def _decisions(decisions: dict, doc, report: Report) -> None:
    listed = _listed(doc, "decisions", DECISIONS, report)
    if listed is None:
        return
    shown = {_key(d.get("complaint")): d for d in listed}
    for receipt, (i, leaf) in sorted(decisions.items(), key=lambda kv: str(kv[0])):
        who = f"{DECISIONS} (complaint {receipt})"
        d = shown.get(receipt)
        if d is None:
            report.fail(CHECK, who, f"the decision of log leaf {i} ({leaf.get('outcome')}, "
                                    f"{leaf.get('effect')}, on {leaf.get('decided_on')}) is "
                                    "not published: deleted from the register")
            continue
        diffs = [f"{k}: {d.get(k)!r}, log leaf {i} states {leaf.get(k)!r}"
                 for k in DECISION_FIELDS if d.get(k) != leaf.get(k)]
        if diffs:
            report.fail(CHECK, who, "; ".join(diffs))
        else:
            report.ok(CHECK)
