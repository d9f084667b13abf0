"""The log's leaves read back: the structure, the commission keys and each station's latest
protocol, with every protocol's commission signature checked against keys that are themselves
leaves of the log (never against `keys.json`), and the published files held to the leaves.

Leaf formats: `sailau/tlog/leaves.py` and docs/log-leaves.md (canonical JSON with "v",
"type", "election", "at")."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from sailau.tlog import canonicaljson, leaves
from sailau.verify import places, totals
from sailau.verify.report import Report
from sailau.verify.signatures import (
    FORMAT_BEHALF,
    OWN_FORMATS,
    CanonicalError,
    key_id,
    leaf_bytes,
    verify_signature,
)


@dataclass
class Key:
    public_key: str
    registered: int  # leaf index
    held_by_server: bool
    revoked: int | None = None
    registered_at: str = ""  # the register leaf's `at`
    late: bool = False  # registered after the polls closed (the leaf says so; then
    # `witnessed_time` decides it from the witnesses' bounds)
    claims_on_time: bool = False  # the leaf says `"late": false` (a key the server issues
    # itself says nothing of the time: a claim only a commission's own registration makes)
    # the witnesses' bounds of the register leaf (Unix seconds; `witnessed_time`): after
    # `registered_after`, by `registered_by`; None when no cosigned checkpoint bounds it
    registered_after: int | None = None
    registered_by: int | None = None
    time_witnessed: bool | None = None  # None: not decided (no archive read)
    confirmed: int | None = None  # the confirm leaf's index, its `at` and the commission above
    confirmed_at: str | None = None
    confirmed_by: str | None = None
    revoked_at: str | None = None
    revoked_reason: str | None = None

    def signer(self, kid: str) -> dict:
        """What the report says of a key that signed a station's protocol."""
        return {"key": kid, "held_by_server": self.held_by_server,
                "registered_at": self.registered_at, "late": self.late,
                "confirmed_by": self.confirmed_by, "confirmed_at": self.confirmed_at,
                "revoked_at": self.revoked_at, "revoked_reason": self.revoked_reason,
                "time_witnessed": self.time_witnessed,
                "registered_after": _iso(self.registered_after),
                "registered_by": _iso(self.registered_by)}


def _iso(t: int | None) -> str | None:
    return None if t is None else \
        dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Leaves:
    # The structure as the log states it: origin, witnesses, contests and stations by id
    # (a `stations` or `structure-change` leaf restating one replaces it).
    origin: str | None = None
    witnesses: list[str] | None = None
    # The election's name, kind, day, `synthetic` and parties (a `structure` leaf of version 2;
    # None in a log published before: `sailau.verify.named`).
    election: dict | None = None
    # (leaf index, witnesses) of every leaf that states them, in order: a reader's pinned set
    # follows a change only once a checkpoint including it is cosigned (`sailau.verify.trust`)
    witness_changes: list[tuple[int, list[str]]] = field(default_factory=list)
    contests: dict[str, dict] = field(default_factory=dict)
    stations: dict[str, dict] = field(default_factory=dict)
    # The commissions above the stations, by id (`stations` leaves of version 2 only: a log
    # published before does not state them, `sailau.verify.places`).
    commissions: dict[str, dict] = field(default_factory=dict)
    keys: dict[str, dict[str, Key]] = field(default_factory=dict)  # commission -> id -> Key
    # commission -> the index of the first confirmation of a key of its own: from there on
    # the server signs nothing for it
    own_from: dict[str, int] = field(default_factory=dict)
    latest: dict[tuple[str, str], tuple[int, dict]] = field(default_factory=dict)
    types: Counter = field(default_factory=Counter)
    # Each station's latest protocol among the first `upto` leaves (`read(upto=)`): what files
    # published at that size of the log show.
    shown: dict[tuple[str, str], tuple[int, dict]] = field(default_factory=dict)
    # Each station's first protocol leaf (any contest), and every valid turnout leaf in order:
    # a turnout report comes before the station's protocol (`sailau.verify.turnout`).
    first_protocol: dict[str, int] = field(default_factory=dict)
    # Every protocol version's leaf index, (station, contest, version) -> index, and the leaves'
    # bytes: a table marked stale shows versions the log may have superseded since
    # (`sailau.verify.derived`).
    versions: dict[tuple, int] = field(default_factory=dict)
    entries: list[bytes] = field(default_factory=list, repr=False)
    at: list = field(default_factory=list, repr=False)  # each leaf's `at` (None: unreadable)
    turnout: list[tuple[int, dict]] = field(default_factory=list)
    # The `first-round` and `second-round` leaves, in order (`sailau.verify.round_link`).
    links: list[tuple[int, dict]] = field(default_factory=list)

    def station_commission(self) -> dict[str, str]:
        return {sid: s.get("commission") or sid for sid, s in self.stations.items()}


def read(entries: list[bytes], report: Report, upto: int | None = None) -> Leaves:
    """Every leaf in order. Each leaf the checks use (all but the protocol versions since
    superseded) is held to its format (`sailau.tlog.leaves.decode`: members, types, canonical
    bytes); one that is not is named by its index and not used. With `upto`, `shown` holds each
    station's latest protocol among the first `upto` leaves."""
    out = Leaves(entries=entries, at=[None] * len(entries))
    upto = len(entries) if upto is None else upto
    loads = json.loads
    for i, data in enumerate(entries):
        try:
            leaf = loads(data)
        except ValueError:
            report.fail("leaves", f"leaf {i}", "not JSON")
            continue
        if not isinstance(leaf, dict):
            report.fail("leaves", f"leaf {i}", "not a JSON object")
            continue
        kind = leaf.get("type")
        out.types[kind] += 1
        out.at[i] = leaf.get("at")
        if kind == "protocol":
            out.first_protocol.setdefault(leaf.get("station"), i)
            out.latest[(leaf.get("station"), leaf.get("contest"))] = (i, leaf)
            out.versions[(leaf.get("station"), leaf.get("contest"), leaf.get("version"))] = i
            if i < upto:
                out.shown[(leaf.get("station"), leaf.get("contest"))] = (i, leaf)
            continue
        if not _valid(i, leaf, data, report):
            continue
        if kind == "commission-key":
            _key(out, i, leaf, report)
        elif kind == "structure":
            if out.origin is not None and not _begins_again(out, i, leaf, report):
                continue
            out.origin, out.witnesses = leaf["origin"], leaf["witnesses"]
            if "parties" in leaf:
                out.election = {k: leaf[k] for k in ("name", "kind", "date", "synthetic",
                                                     "parties")}
            out.witness_changes.append((i, leaf["witnesses"]))
        elif kind == "contests":  # the structure's contests, in parts that fit an entry
            out.contests.update((c["id"], c) for c in leaf["contests"])
        elif kind == "stations":
            out.stations.update((s["id"], s) for s in leaf["stations"])
            out.commissions.update((c["id"], c) for c in leaf.get("commissions", ()))
        elif kind == "turnout":
            out.turnout.append((i, leaf))
        elif kind in ("first-round", "second-round"):
            out.links.append((i, leaf))
        elif kind == "structure-change":
            out.contests.update((c["id"], c) for c in leaf["contests"])
            if leaf.get("witnesses") is not None:
                out.witnesses = leaf["witnesses"]
                out.witness_changes.append((i, leaf["witnesses"]))
    # Of the protocols, those the checks use (each station's latest): an older version is
    # still bound by the root, and checking every one costs a third of a national run.
    valid: dict[int, bool] = {}
    for key, (i, leaf) in list(out.latest.items()):
        if not valid.setdefault(i, _valid(i, leaf, entries[i], report)):
            del out.latest[key]
    for key, (i, leaf) in list(out.shown.items()):
        if i not in valid:
            valid[i] = _valid(i, leaf, entries[i], report)
        if not valid[i]:
            del out.shown[key]
    report.ok("leaves", len(entries))
    return out


def _begins_again(out: Leaves, i: int, leaf: dict, report: Report) -> bool:
    """A second `structure` leaf: `sailau structure import --replace` of an election with no
    results yet (docs/structure-format.md) begins it again, and what the leaves before stated
    (contests, stations, commissions and their keys) went with the structure it replaced. The
    import refuses a replace once results exist, so a structure leaf after a protocol, a turnout
    report or a round's link, or under another origin, is no replace: it is named."""
    if leaf["origin"] != out.origin:
        report.fail("leaves", f"leaf {i}", f"a second structure leaf of another log "
                                           f"({leaf['origin']!r}, the first said {out.origin!r})")
        return False
    if out.first_protocol or out.turnout or out.links:
        report.fail("leaves", f"leaf {i}", "a second structure leaf after results were logged "
                                           "(a structure is replaced only before any; changes "
                                           "are structure-change leaves)")
        return False
    out.contests, out.stations, out.commissions = {}, {}, {}
    out.keys, out.own_from, out.election = {}, {}, None
    return True


def _valid(i: int, leaf: dict, data: bytes, report: Report) -> bool:
    """`leaves.decode` without parsing the bytes a second time: the members by the format,
    then the bytes against the canonical encoding."""
    try:
        leaves.check(leaf, i)
        if canonicaljson.encode(leaf) != data:
            raise leaves.LeafError(i, "", "not in canonical form (keys sorted, no spaces, "
                                          "UTF-8 unescaped)")
    except leaves.LeafError as exc:
        report.fail("leaves", f"leaf {i}", str(exc).removeprefix(f"leaf {i}: ")
                    .removeprefix(": "))
        return False
    except ValueError as exc:  # a float or NaN where the format has integers
        report.fail("leaves", f"leaf {i}", f"not in canonical form ({exc})")
        return False
    return True


def _key(out: Leaves, i: int, leaf: dict, report: Report) -> None:
    commission, public = leaf.get("commission"), leaf.get("public_key")
    if not isinstance(commission, str) or not isinstance(public, str):
        report.fail("leaves", f"leaf {i} (commission-key)", "no commission or public_key")
        return
    try:
        kid = key_id(public)
    except ValueError:
        report.fail("leaves", f"leaf {i} (commission-key)", "public_key is not base64")
        return
    keys = out.keys.setdefault(commission, {})
    action = leaf.get("action")
    if action == "register":
        held = bool(leaf.get("held_by_server"))
        if held and commission in out.own_from:
            report.fail("leaves", f"leaf {i} (commission-key)",
                        f"a key held by the server registered for {commission}, which signs "
                        f"its own protocols since leaf {out.own_from[commission]}")
        keys[kid] = Key(public, i, held, registered_at=leaf.get("at") or "",
                        late=bool(leaf.get("late")),
                        claims_on_time=leaf.get("late") is False)
    elif action == "revoke" and kid in keys:
        key = keys[kid]
        key.revoked, key.revoked_at, key.revoked_reason = i, leaf.get("at"), leaf.get("reason")
    elif action == "confirm" and kid in keys:
        key = keys[kid]
        key.held_by_server = bool(leaf.get("held_by_server", key.held_by_server))
        key.confirmed, key.confirmed_at = i, leaf.get("at")
        key.confirmed_by = leaf.get("by")
        if not key.held_by_server:
            out.own_from.setdefault(commission, i)
    else:
        report.fail("leaves", f"leaf {i} (commission-key)",
                    f"{action!r} of a key never registered for {commission}")


def above_of(by_file: dict[str, dict] | None, logged: dict[str, dict] | None = None
             ) -> dict[str, set[str]] | None:
    """Station id -> the commissions above its own that may sign on its behalf (its district
    and territorial commissions): as the log states them (`logged`, its stations, when its
    `stations` leaves are of version 2), else from the published station files (a log
    published before does not state where a station lies); None when there is neither."""
    if logged and places.located(logged):
        by_file = logged
    if by_file is None:
        return None
    return {sid: {doc.get(k) for k in ("district", "territory")
                  if isinstance(doc.get(k), str) and doc.get(k)}
            for sid, doc in by_file.items() if isinstance(doc, dict)}


def check_signatures(leaves: Leaves, report: Report, checked_below: int = 0,
                     above: dict[str, set[str]] | None = None) -> None:
    """Each station's latest protocol signed by a key its commission registered in the log
    before it, and not revoked before it; a key of the commission's own also confirmed by the
    commission above before it, and signing `sailau-protocol/2` (its scans included); no key
    held by the server once the commission's own was confirmed. A protocol signed on the
    station's behalf (`sailau-protocol/4`) by the commission its signature names (`by`): that
    commission must be above the station (`above`: station id -> its district and territorial
    commissions, `above_of`; None when no station files were read, and then no such signature
    counts), and its key one of its own, confirmed and not revoked before the leaf. Leaves
    below `checked_below` passed this check in an earlier run whose tree this one was proved to
    extend: which key was valid for them is fixed by the leaves before them, so only their key
    is looked up again (Ed25519 is most of a national run's time). Each station's signer goes
    in `report.signers`; keys held by the server, registered late or revoked since are
    noted."""
    commission_of = leaves.station_commission()
    flagged = Counter()
    for (sid, contest), (i, leaf) in sorted(leaves.latest.items(), key=lambda kv: kv[1][0]):
        who = f"station {sid} ({contest}, leaf {i})"
        sig = leaf.get("signature") if isinstance(leaf.get("signature"), dict) else {}
        commission = commission_of.get(sid, sid)
        behalf = sig.get("message") == FORMAT_BEHALF
        if behalf:
            problem = _behalf_problem(sid, commission, sig.get("by"), above)
            if problem is not None:
                report.fail("signatures", who, problem)
                continue
        signer = sig.get("by") if behalf else commission
        key = leaves.keys.get(signer, {}).get(sig.get("key"))
        if key is None or key.registered > i:
            report.fail("signatures", who, f"signed with key {sig.get('key')!r}, not a key of "
                                           f"commission {signer} registered in the log")
            continue
        if key.revoked is not None and key.revoked < i:
            report.fail("signatures", who, f"signed with key {sig.get('key')!r} of commission "
                                           f"{signer}, revoked before it (leaf "
                                           f"{key.revoked}: {key.revoked_reason})")
            continue
        if (problem := _key_problem(leaves, signer, key, sig, i)) is not None:
            report.fail("signatures", who, problem)
            continue
        if i >= checked_below:
            try:
                data = leaf_bytes(leaf)
            except CanonicalError as exc:
                report.fail("signatures", who, f"cannot be put in canonical form: {exc}")
                continue
            if not verify_signature(key.public_key, data, sig.get("signature") or ""):
                report.fail("signatures", who, "the commission's signature does not match the "
                                               "figures")
                continue
        report.ok("signatures")
        report.signers.append({"station": sid, "contest": contest, "leaf": i,
                               "commission": commission, **key.signer(sig.get("key")),
                               "on_behalf_by": signer if behalf else None})
        flagged["held"] += key.held_by_server
        flagged["late"] += key.late
        flagged["revoked"] += key.revoked is not None
        flagged["behalf"] += behalf
    if flagged["behalf"]:
        report.note("signatures", "commission keys", f"{flagged['behalf']} current protocols "
                                                     "were typed from the paper and signed by "
                                                     "the commission above, on the station's "
                                                     "behalf")
    if flagged["held"]:
        report.note("signatures", "commission keys", f"{flagged['held']} current protocols are "
                                                     "signed with keys the server holds "
                                                     "(held_by_server): their signatures bind "
                                                     "the server, not the commission")
    if flagged["late"]:
        report.note("signatures", "commission keys", f"{flagged['late']} current protocols are "
                                                     "signed with keys registered after the "
                                                     "polls closed (late)")
    if flagged["revoked"]:
        report.note("signatures", "commission keys", f"{flagged['revoked']} current protocols "
                                                     "are signed with keys revoked since")


def _key_problem(leaves: Leaves, commission: str, key: Key, sig: dict, i: int) -> str | None:
    """Why a key registered and not revoked before leaf `i` still may not have signed it."""
    own_from = leaves.own_from.get(commission)
    if key.held_by_server and own_from is not None and own_from < i:
        return (f"signed with a key the server holds, after commission {commission} confirmed "
                f"a key of its own (leaf {own_from})")
    if sig.get("message") == FORMAT_BEHALF and key.held_by_server:
        return (f"signed on the station's behalf with a key the server holds for commission "
                f"{commission}: only a key of the commission's own signs so")
    if not key.held_by_server:
        if key.confirmed is None or key.confirmed > i:
            return (f"signed with a key of commission {commission} that the commission above "
                    "had not confirmed")
        # sailau-protocol/2 stays valid for an amendment: those signed before /3 existed
        if sig.get("message") not in (*OWN_FORMATS, FORMAT_BEHALF):
            return (f"a commission's own key signs {' or '.join(OWN_FORMATS)}, not "
                    f"{sig.get('message')!r}")
    return None


def _behalf_problem(sid: str, commission: str, by, above: dict[str, set[str]] | None
                    ) -> str | None:
    """Why a signature on station `sid`'s behalf by commission `by` may not count."""
    if not isinstance(by, str) or not by:
        return "signed on the station's behalf (sailau-protocol/4) without naming the signer"
    if by == commission:
        return (f"signed on the station's behalf by its own commission {commission} "
                "(it signs sailau-protocol/2 or /3)")
    if above is None:
        return (f"signed on the station's behalf by commission {by}: without the station files "
                "nothing says which commissions are above the station")
    if by not in above.get(sid, set()):
        return (f"signed on the station's behalf by commission {by}, which is not above "
                f"station {sid}")
    return None


def _protocol_of_leaf(leaf: dict) -> dict:
    return {"version": leaf.get("version"), "figures": leaf.get("figures") or {},
            "choices": leaf.get("choices") or {}}


def differs(shown: dict, leaf: dict) -> str | None:
    for k in ("version", "figures", "choices"):
        theirs = shown.get(k)
        if k != "version":
            theirs = {a: b for a, b in (theirs or {}).items() if b is not None}
        if theirs != _protocol_of_leaf(leaf)[k]:
            return k
    return None


def check_station_files(leaves: Leaves, by_id: dict[str, dict], report: Report) -> None:
    """Each station file's current protocol is its latest leaf (`log.index`), with the same
    figures; a station whose protocol is in the log but not in the files is named."""
    shown = set()
    for sid, doc in sorted(by_id.items()):
        for part in doc.get("contests", []):
            p, contest = part.get("protocol"), part.get("contest")
            if not p:
                continue
            who = f"stations/{doc.get('number', sid)}.json ({contest})"
            shown.add((sid, contest))
            index = (part.get("log") or p.get("log") or {}).get("index")
            latest = leaves.latest.get((sid, contest))
            if latest is None:
                report.fail("log", who, "shows a protocol that is not in the log")
            elif index != latest[0]:
                report.fail("log", who, f"log.index is {index!r}, the station's latest "
                                        f"protocol is leaf {latest[0]}")
            elif (diff := differs(p, latest[1])) is not None:
                report.fail("log", who, f"{diff} differ from leaf {index}")
            else:
                report.ok("log")
    for sid, contest in sorted(set(leaves.latest) - shown, key=str):
        report.fail("log", f"station {sid} ({contest})", f"its protocol is leaf "
                                                         f"{leaves.latest[(sid, contest)][0]} of "
                                                         "the log, but no station file shows it")


PLACES = ("district", "territory", *totals.SMD_KEYS)


def election_of(leaves_: Leaves, election_doc: dict | None) -> dict:
    """The contests as `totals` reads them, from the log; a contest's level is its
    commission's in the log, or (a log published before, which does not state it) in
    election.json."""
    levels = {c.get("id"): c.get("level") for c in (election_doc or {}).get("contests", [])
              if isinstance(c, dict)}
    if leaves_.commissions:
        levels = {cid: (leaves_.commissions.get(c.get("commission")) or {}).get("level")
                  for cid, c in leaves_.contests.items()}
    return {"contests": [{**c, "level": levels.get(cid)} for cid, c in
                         sorted(leaves_.contests.items())]}


def stations_of(leaves_: Leaves, by_file: dict[str, dict]) -> dict[str, dict]:
    """Station documents as the log has them (commission, contests, current protocol from
    the latest leaf, where it lies), for `totals.sums`; where a station lies (district,
    territory, single-member districts), when the log does not state it (a log published
    before), from its station file."""
    out = {}
    for sid, s in leaves_.stations.items():
        doc = s if "district" in s else by_file.get(sid) or {}
        out[sid] = {**{k: doc.get(k) for k in PLACES}, **s, "contests": [
            {"contest": c, "protocol": _protocol_of_leaf(leaves_.latest[(sid, c)][1])
             if (sid, c) in leaves_.latest else None} for c in s.get("contests", [])]}
    return out


def check_totals(leaves_: Leaves, docs: dict, by_file: dict[str, dict], report: Report) -> dict:
    """Every level re-summed from the leaves against the published totals and outcomes;
    returns the sums."""
    election = election_of(leaves_, docs.get("election.json"))
    by_id = stations_of(leaves_, by_file)
    counted = {(sid, c["contest"]) for sid, d in by_id.items() for c in d["contests"]}
    for key in sorted(set(leaves_.latest) - counted, key=str):
        report.fail("totals", f"station {key[0]} ({key[1]})", "a protocol in the log for a "
                                                              "station or contest the "
                                                              "structure does not have")
    sums = totals.sums(election, by_id, report)
    totals.check_levels(docs, sums, report)
    totals.check_outcomes(docs, election, sums, report)
    return sums


def check_parties(leaves_: Leaves, election_doc: dict | None, report: Report) -> None:
    """Which party each choice key names: election.json against the log's structure."""
    if not isinstance(election_doc, dict):
        return
    logged = {(cid, key): ch.get("party") for cid, c in leaves_.contests.items()
              for key, ch in c.get("choices", {}).items()}
    for c in election_doc.get("contests", []):
        check = choices_check(c.get("kind"))
        for ch in c.get("choices", []):
            k = (c.get("id"), ch.get("key"))
            if k not in logged:
                report.fail(check, f"election.json ({k[0]}, choice {k[1]})",
                            "a choice the log's structure does not have")
            elif logged[k] != ch.get("party"):
                report.fail(check, f"election.json ({k[0]}, choice {k[1]})",
                            f"party {ch.get('party')!r}, the log's structure says {logged[k]!r}")
            else:
                report.ok(check)


def choices_check(kind) -> str:
    """What the count of a contest's choices checked is named by: its party lists, its
    candidates (with the party that nominated each, if any) or a question's answers."""
    from sailau.law import kinds

    k = kinds.KINDS.get(kind)
    return ("choices" if k is None else "party lists" if k.by_list
            else "answers" if k.measure else "candidates")
