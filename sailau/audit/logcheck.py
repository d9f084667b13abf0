"""The database held to each election's transparency log, leaf by leaf (`sailau audit verify`).
Every fact the log has leaves for: the structure (each contest with its choices, key -> name and
party, and their order on the ballot; each station with its commission, registered voters and
contests; the witnesses), the commission keys, the protocol versions, the complaint decisions,
the roles and the turnout reports of election day. For each, three findings: a row whose
content differs from its latest leaf, a row no leaf states (added behind the application's
back), and a leaf whose row is gone (deleted: a decided complaint, a role, a key, a version).
And the audit log must still hold every head the log recorded: records cut after the last
protocol (weeks of complaints after election day) are named.

Pure Python: each check takes the election's `logview.View` and the rows as plain values, in
the shape of the leaf's members (built by the same functions that write the leaves, so that
honest rows equal their leaves by construction). The command reads them
(`sailau.cli.audit_log`)."""

from __future__ import annotations

import binascii
from collections.abc import Iterable, Iterator

from sailau.audit.findings import Finding
from sailau.audit.logview import Ref, View
from sailau.verify.signatures import key_id

AREA = "log"
_ABSENT = object()
NO_LEAF = "in the database, in no leaf of the log"


def _show(v) -> str:
    if v is _ABSENT:
        return "absent"
    if v is None:
        return "null"
    return repr(v) if isinstance(v, str) else str(v)


def differences(db: dict, logged: dict, ref: Ref, prefix: str = "") -> list[str]:
    """Each member that differs, "figures.invalid: 9999 in the database, 12 in log leaf 40"
    (objects compared member by member)."""
    out = []
    for k in sorted(set(db) | set(logged)):
        a, b = db.get(k, _ABSENT), logged.get(k, _ABSENT)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            out += differences(a, b, ref, f"{prefix}{k}.")
        else:
            out.append(f"{prefix}{k}: {_show(a)} in the database, {_show(b)} in {ref}")
    return out


def _gone(ref: Ref) -> str:
    return f"in {ref}, not in the database"


# -- the structure ------------------------------------------------------------------------------

def structure(view: View, contests: list[dict], stations: list[dict], witnesses: list[str],
              names, commissions: list[dict] | None = None,
              election: dict | None = None) -> Iterator[Finding]:
    """`contests`, `stations`, `commissions`, `election`: as `elections.logged` states them
    for the leaves (the commissions only against a log whose `stations` leaves state them, the
    election's name, day and parties against one whose `structure` leaf does)."""
    if view.facts is not None and election is not None:
        yield from _facts(view, election)
    db = {c["id"]: c for c in contests}
    for cid in sorted(set(db) | set(view.contests)):
        what = f"contest {cid}"
        row, (leaf, ref) = db.get(cid), view.contests.get(cid, (None, None))
        if leaf is None:
            yield Finding(AREA, what, NO_LEAF)
            continue
        if row is None:
            yield Finding(AREA, what, _gone(ref))
            continue
        # a contest of a log published before (version 1) states no ballot order
        rest = differences({k: v for k, v in row.items() if k != "choices"
                            and (k != "ballot" or k in leaf)},
                           {k: v for k, v in leaf.items() if k != "choices"}, ref)
        if rest:
            yield Finding(AREA, what, "; ".join(rest))
        mine, logged = row.get("choices") or {}, leaf.get("choices") or {}
        for key in sorted(set(mine) | set(logged)):
            choice = f"{what}, choice {key}"
            if key not in logged:
                yield Finding(AREA, choice, NO_LEAF)
            elif key not in mine:
                yield Finding(AREA, choice, _gone(ref))
            elif diffs := differences(mine[key], logged[key], ref):
                # the party first: a key that names another party moves votes and seats
                diffs.sort(key=lambda d: not d.startswith("party:"))
                yield Finding(AREA, choice, "; ".join(diffs))
    db = {s["id"]: s for s in stations}
    for sid in sorted(set(db) | set(view.stations)):
        row, (leaf, ref) = db.get(sid), view.stations.get(sid, (None, None))
        if leaf is None:
            yield Finding(AREA, names.station(sid), NO_LEAF)
        elif row is None:
            yield Finding(AREA, names.station(sid), _gone(ref))
        # a `stations` leaf of version 1 (a log published before) states no location
        elif diffs := differences(row if "number" in leaf else
                                  {k: v for k, v in row.items() if k in leaf}, leaf, ref):
            yield Finding(AREA, names.station(sid), "; ".join(diffs))
    db = {c["id"]: c for c in commissions or ()} if view.commissions else {}
    for cid in sorted(set(db) | set(view.commissions)):
        row, (leaf, ref) = db.get(cid), view.commissions.get(cid, (None, None))
        if leaf is None:
            yield Finding(AREA, f"commission {cid}", NO_LEAF)
        elif row is None:
            yield Finding(AREA, f"commission {cid}", _gone(ref))
        elif diffs := differences(row, leaf, ref):
            yield Finding(AREA, f"commission {cid}", "; ".join(diffs))
    if view.witnesses is not None and sorted(view.witnesses[0]) != sorted(witnesses):
        logged, ref = view.witnesses
        yield Finding(AREA, f"{view.election}, witnesses",
                      f"{sorted(witnesses)} in the database, {sorted(logged)} in {ref}")


def _facts(view: View, election: dict) -> Iterator[Finding]:
    """The election's name, kind, day and `synthetic`, and each party, against the structure
    leaf."""
    leaf, ref = view.facts
    if diffs := differences({k: v for k, v in election.items() if k != "parties"},
                            {k: v for k, v in leaf.items() if k != "parties"}, ref):
        yield Finding(AREA, f"election {view.election}", "; ".join(diffs))
    mine = {p["id"]: p for p in election.get("parties", [])}
    logged = {p["id"]: p for p in leaf.get("parties", [])}
    for pid in sorted(set(mine) | set(logged)):
        if pid not in logged:
            yield Finding(AREA, f"party {pid}", NO_LEAF)
        elif pid not in mine:
            yield Finding(AREA, f"party {pid}", _gone(ref))
        elif diffs := differences(mine[pid], logged[pid], ref):
            yield Finding(AREA, f"party {pid}", "; ".join(diffs))


# -- commission keys ----------------------------------------------------------------------------

def _kid(public_key: str) -> str:
    try:
        return key_id(public_key)
    except (binascii.Error, ValueError):
        return repr(public_key[:16])


def keys(view: View, rows: Iterable[tuple[str, str, dict]]) -> Iterator[Finding]:
    """`rows`: (commission, public key, state) of every key of the election's commissions, the
    state as `logview.Key` has it ({"held_by_server", "confirmed", "revoked", "late"})."""
    seen = set()
    for commission, public, state in rows:
        seen.add((commission, public))
        what = f"commission {commission}, key {_kid(public)}"
        k = view.keys.get((commission, public))
        if k is None:
            yield Finding(AREA, what, "in the database, never registered in the log")
            continue
        mine = {name: v for name, v in state.items() if name in k.state}
        if diffs := differences(mine, k.state, k.last):
            yield Finding(AREA, what, "; ".join(diffs))
    for (commission, public), k in sorted(view.keys.items(), key=lambda kv: kv[0]):
        if (commission, public) not in seen:
            yield Finding(AREA, f"commission {commission}, key {_kid(public)}",
                          f"registered in {k.registered}, not in the database")


# -- protocol versions --------------------------------------------------------------------------

def protocols(view: View, rows: Iterable[tuple[str, str, int, bool, dict]],
              names) -> Iterator[Finding]:
    """`rows`: (station, contest, version, current, the version's leaf members) of every
    stored version. The scans are compared only when the row states them (`scans` not None:
    those a commission's own signature covers); otherwise a scan stored after the version was
    logged is not in its leaf (`audit_checks` holds the scans to their audit records)."""
    seen = set()
    current: dict[tuple[str, str], int] = {}
    for sid, cid, version, is_current, members in rows:
        seen.add((sid, cid, version))
        if is_current:
            current[(sid, cid)] = version
        got = view.versions.get((sid, cid, version))
        if got is None:
            yield Finding(AREA, names.protocol(sid, cid, version), NO_LEAF)
            continue
        leaf, ref = got
        skip = "scans" if members.get("scans") is None else None
        diffs = differences({k: v for k, v in members.items() if k != skip},
                            {k: v for k, v in leaf.items() if k != skip}, ref)
        if diffs:
            yield Finding(AREA, names.protocol(sid, cid, version), "; ".join(diffs))
    for (sid, cid, version), (_, ref) in sorted(view.versions.items()):
        if (sid, cid, version) not in seen:
            yield Finding(AREA, names.protocol(sid, cid, version), _gone(ref))
    for (sid, cid), (version, ref) in sorted(view.current.items()):
        mine = current.get((sid, cid))
        if mine != version and (sid, cid, version) in seen:
            yield Finding(AREA, names.protocol(sid, cid),
                          f"version {mine if mine is not None else 'none'} is current in the "
                          f"database, the log's latest is version {version} ({ref})")


# -- complaint decisions ------------------------------------------------------------------------

def decisions(view: View, rows: Iterable[tuple[str, dict]],
              complaints: set[str]) -> Iterator[Finding]:
    """`rows`: (receipt, the decision's leaf members) of every stored decision; `complaints`:
    the receipts of the election's complaints in the database."""
    seen = set()
    for receipt, members in rows:
        seen.add(receipt)
        what = f"complaint {receipt}, decision"
        got = view.decisions.get(receipt)
        if got is None:
            yield Finding(AREA, what, NO_LEAF)
        elif diffs := differences(members, got[0], got[1]):
            yield Finding(AREA, what, "; ".join(diffs))
    for receipt, (leaf, ref) in sorted(view.decisions.items()):
        if receipt not in seen:
            where = ("" if receipt in complaints
                     else ", nor is the complaint")
            yield Finding(AREA, f"complaint {receipt}, decision",
                          f"decided in {ref} ({leaf['outcome']} on {leaf['decided_on']}), "
                          f"not in the database{where}")


# -- a presidential second round and its first round ----------------------------------------

def round_links(view: View, views: dict[str, View], elections: set[str]) -> Iterator[Finding]:
    """The election's `first-round` / `second-round` leaves: one of each at most, the election
    each names in the database, and that election's log naming this one back."""
    back = {"first-round": "second-round", "second-round": "first-round"}
    for kind, found in sorted(view.rounds.items()):
        for _, ref in found[1:]:
            yield Finding(AREA, f"{view.election}'s log, {ref}", f"a second {kind} leaf (the "
                                                                 f"first is {found[0][1]})")
        link, ref = found[0]
        other = link["election"]
        what = f"{view.election}, its {kind.replace('-', ' ')}"
        if other not in elections:
            yield Finding(AREA, what, f"{other}, named in {ref}, is not in the database")
            continue
        theirs = views.get(other)
        named = [m for m, _ in (theirs.rounds.get(back[kind], []) if theirs else [])]
        if not any(m["election"] == view.election for m in named):
            yield Finding(AREA, what, f"{other}, named in {ref}, names no {back[kind]} "
                                      f"{view.election} in its log")


# -- turnout through the day --------------------------------------------------------------------

def turnout_reports(view: View, rows: Iterable[tuple[str, int, int]],
            stations: set[str]) -> Iterator[Finding]:
    """`rows`: (station, hour, ballots issued) of every turnout report of the election;
    `stations`: its stations in the database. A report is never replaced: a second leaf of
    the same station and hour is named too."""
    seen = set()
    for sid, hour, issued in rows:
        seen.add((sid, hour))
        what = f"station {sid}, turnout at {hour}:00"
        got = view.turnout.get((sid, hour))
        if not got:
            yield Finding(AREA, what, NO_LEAF)
            continue
        if len(got) > 1:
            yield Finding(AREA, what, f"reported in {len(got)} leaves ({got[0][1]}, then "
                                      f"{got[-1][1]}): a report is never replaced")
        leaf, ref = got[0]
        if diffs := differences({"issued": issued}, {"issued": leaf["issued"]}, ref):
            yield Finding(AREA, what, "; ".join(diffs))
    for (sid, hour), got in sorted(view.turnout.items()):
        if (sid, hour) not in seen:
            where = "" if sid in stations else ", nor is the station"
            yield Finding(AREA, f"station {sid}, turnout at {hour}:00",
                          f"reported in {got[0][1]} ({got[0][0]['issued']} ballots issued), not "
                          f"in the database{where}")


# -- roles --------------------------------------------------------------------------------------

def _role(kind: str, scope: str) -> str:
    return f"role {kind} at {scope or '(no scope)'}"


def roles(view: View, rows: Iterable[tuple[int, str, str]]) -> Iterator[Finding]:
    """`rows`: (id, kind, scope) of every role row of the election (by its scope's election)."""
    seen = set()
    for pk, kind, scope in rows:
        seen.add(pk)
        what = f"{_role(kind, scope)} (id {pk})"
        got = view.roles.get(pk)
        if got is None:
            yield Finding(AREA, what, f"in the database, no leaf of {view.election}'s log "
                                      "grants it")
            continue
        leaf, ref = got
        if leaf["action"] == "revoked":
            yield Finding(AREA, what, f"revoked in {ref}, still in the database")
        elif diffs := differences({"role": kind, "scope": scope},
                                  {"role": leaf["role"], "scope": leaf["scope"]}, ref):
            yield Finding(AREA, what, "; ".join(diffs))
    for grant, (leaf, ref) in sorted(view.roles.items()):
        if grant not in seen and leaf["action"] == "granted":
            yield Finding(AREA, f"{_role(leaf['role'], leaf['scope'])} (grant {grant})",
                          f"granted in {ref}, not in the database (deleted without a "
                          "revocation)")


# -- the audit log's heads ----------------------------------------------------------------------

def logged_heads(views: Iterable[View]) -> list[tuple[int, str, Ref, str]]:
    """(seq, hash, leaf, election) of every audit head logged, by seq."""
    return sorted(((m["seq"], m["hash"], ref, v.election) for v in views for m, ref in v.heads),
                  key=lambda h: h[0])


def audit_heads(heads: list[tuple[int, str, Ref, str]], last: int,
                hashes: dict[int, str]) -> Iterator[Finding]:
    """`last`: the audit log's last record in the database; `hashes`: seq -> hash of the
    records at the logged heads' seqs. A head past `last` means records were cut; a head whose
    record has another hash means the log was rewritten at or before it."""
    cut = [h for h in heads if h[0] > last]
    if cut:
        seq, _, ref, eid = cut[-1]
        yield Finding(AREA, "the audit log",
                      f"its records after {last} are missing: record {seq} was its head, "
                      f"logged at {ref.at} ({ref} of {eid})")
    differ = [h for h in heads if h[0] <= last and hashes.get(h[0]) != h[1]]
    if differ:
        seq, logged, ref, eid = differ[0]
        more = (f"; {len(differ) - 1} later logged heads differ too" if len(differ) > 1
                else "")
        yield Finding(AREA, "the audit log",
                      f"record {seq} is not the one logged at {ref.at} ({ref} of {eid}): its "
                      f"hash is {hashes.get(seq)}, the log has {logged} (rewritten at or "
                      f"before record {seq}){more}")
