"""The log's leaves read back: the structure, the commission keys and each station's latest
protocol, with every protocol's commission signature checked against keys that are themselves
leaves of the log (never against `keys.json`), and the published files held to the leaves.

Leaf formats: `sailau/tlog/leaves.py` and docs/log-format.md (canonical JSON with "v": 1,
"type", "election", "at")."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from sailau.verify import totals
from sailau.verify.report import Report
from sailau.verify.signatures import CanonicalError, canonical_bytes, key_id, verify_signature

# One encoder for every leaf: `json.dumps` with options builds a new one per call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                            allow_nan=False)


def canonical(obj) -> bytes:
    return _ENCODER.encode(obj).encode()


@dataclass
class Key:
    public_key: str
    registered: int  # leaf index
    held_by_server: bool
    revoked: int | None = None


@dataclass
class Leaves:
    structure: dict | None = None
    keys: dict[str, dict[str, Key]] = field(default_factory=dict)  # commission -> id -> Key
    latest: dict[tuple[str, str], tuple[int, dict]] = field(default_factory=dict)
    types: Counter = field(default_factory=Counter)

    def station_commission(self) -> dict[str, str]:
        return {s.get("id"): s.get("commission") or s.get("id")
                for s in (self.structure or {}).get("stations", []) if isinstance(s, dict)}


def read(entries: list[bytes], report: Report) -> Leaves:
    """Every leaf decoded in order; a leaf that is not canonical JSON of a known shape is
    named (its index) and skipped."""
    out = Leaves()
    loads = json.loads
    for i, data in enumerate(entries):
        try:
            leaf = loads(data)
        except ValueError:
            report.fail("leaves", f"leaf {i}", "not JSON")
            continue
        if not isinstance(leaf, dict) or leaf.get("v") != 1 or not isinstance(leaf.get("type"),
                                                                               str):
            report.fail("leaves", f"leaf {i}", "not a leaf (an object with \"v\": 1 and "
                                               "\"type\")")
            continue
        kind = leaf["type"]
        out.types[kind] += 1
        if kind == "protocol":
            out.latest[(leaf.get("station"), leaf.get("contest"))] = (i, leaf)
        elif kind == "commission-key":
            _key(out, i, leaf, report)
        elif kind in ("structure", "structure-change"):
            if kind == "structure" and out.structure is not None:
                report.fail("leaves", f"leaf {i}", "a second structure leaf (changes are "
                                                   "structure-change leaves)")
                continue
            out.structure = _changed(out.structure or {}, leaf)
        if kind != "protocol":
            _canonical(i, leaf, data, report)
    # Of the protocols, those the checks use (each station's latest); an older version is
    # still bound by the root, and re-encoding every one costs a third of a national run.
    for i, leaf in out.latest.values():
        _canonical(i, leaf, entries[i], report)
    report.ok("leaves", len(entries))
    return out


def _canonical(i: int, leaf: dict, data: bytes, report: Report) -> None:
    if canonical(leaf) != data:
        report.fail("leaves", f"leaf {i} ({leaf['type']})", "not in canonical form (sorted "
                                                            "keys, no spaces, UTF-8)")


def _changed(structure: dict, leaf: dict) -> dict:
    """The structure after a structure or structure-change leaf: a change names what it
    replaces; stations and contests are replaced (or added) by id, what it does not name
    stays (a large election's stations come in several leaves: an entry is at most 64 KiB)."""
    out = dict(structure)
    for k, v in leaf.items():
        if k in ("type", "at"):
            continue
        if k in ("stations", "contests") and isinstance(v, list):
            merged = {x.get("id"): x for x in out.get(k, []) if isinstance(x, dict)}
            merged.update((x.get("id"), x) for x in v if isinstance(x, dict))
            out[k] = list(merged.values())
        else:
            out[k] = v
    return out


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
        keys[kid] = Key(public, i, bool(leaf.get("held_by_server")))
    elif action == "revoke" and kid in keys:
        keys[kid].revoked = i
    elif action == "confirm" and kid in keys:
        keys[kid].held_by_server = bool(leaf.get("held_by_server", keys[kid].held_by_server))
    else:
        report.fail("leaves", f"leaf {i} (commission-key)",
                    f"{action!r} of a key never registered for {commission}")


def check_signatures(leaves: Leaves, report: Report, checked_below: int = 0) -> None:
    """Each station's latest protocol signed by a key its commission registered in the log
    before it, and not revoked before it. Leaves below `checked_below` passed this check in
    an earlier run whose tree this one was proved to extend: which key was valid for them is
    fixed by the leaves before them, so only their key is looked up again (Ed25519 is most of
    a national run's time)."""
    commission_of = leaves.station_commission()
    held = 0
    for (sid, contest), (i, leaf) in sorted(leaves.latest.items(), key=lambda kv: kv[1][0]):
        who = f"station {sid} ({contest}, leaf {i})"
        sig = leaf.get("signature") if isinstance(leaf.get("signature"), dict) else {}
        commission = commission_of.get(sid, sid)
        key = leaves.keys.get(commission, {}).get(sig.get("key"))
        if key is None or key.registered > i or (key.revoked is not None and key.revoked < i):
            report.fail("signatures", who, f"signed with key {sig.get('key')!r}, not a key of "
                                           f"commission {commission} registered in the log")
            continue
        if i < checked_below:
            held += key.held_by_server
            report.ok("signatures")
            continue
        try:
            data = canonical_bytes(leaf)
        except CanonicalError as exc:
            report.fail("signatures", who, f"cannot be put in canonical form: {exc}")
            continue
        if not verify_signature(key.public_key, data, sig.get("signature") or ""):
            report.fail("signatures", who, "the commission's signature does not match the "
                                           "figures")
            continue
        held += key.held_by_server
        report.ok("signatures")
    if held:
        report.note("signatures", "commission keys", f"{held} current protocols are signed with "
                                                     "keys the server holds (held_by_server): "
                                                     "their signatures bind the server, not the "
                                                     "commission")


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
            who = f"stations/{sid}.json ({contest})"
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


def election_of(leaves: Leaves) -> dict:
    return {"contests": [c for c in (leaves.structure or {}).get("contests", [])
                         if isinstance(c, dict) and "id" in c]}


def stations_of(leaves: Leaves) -> dict[str, dict]:
    """Station documents as the log has them (places from the structure, current protocol
    from the latest leaf), for `totals.sums`."""
    out = {}
    for s in (leaves.structure or {}).get("stations", []):
        if not isinstance(s, dict) or "id" not in s:
            continue
        contests = s.get("contests") or [c["id"] for c in election_of(leaves)["contests"]]
        out[s["id"]] = {**s, "contests": [
            {"contest": c, "protocol": _protocol_of_leaf(leaves.latest[(s["id"], c)][1])
             if (s["id"], c) in leaves.latest else None} for c in contests]}
    return out


def check_totals(leaves: Leaves, docs: dict, report: Report) -> dict:
    """Every level re-summed from the leaves against the published totals and outcomes;
    returns the sums."""
    election = election_of(leaves)
    by_id = stations_of(leaves)
    for key in set(leaves.latest) - {(sid, c["contest"]) for sid, d in by_id.items()
                                     for c in d["contests"]}:
        report.fail("totals", f"station {key[0]} ({key[1]})", "a protocol in the log for a "
                                                              "station or contest the "
                                                              "structure does not have")
    sums = totals.sums(election, by_id, report)
    totals.check_levels(docs, sums, report)
    totals.check_outcomes(docs, election, sums, report)
    return sums


def check_parties(leaves: Leaves, election_doc: dict | None, report: Report) -> None:
    """Which party each choice key names: election.json against the structure leaf."""
    if not isinstance(election_doc, dict):
        return
    logged = {(c.get("id"), ch.get("key")): ch.get("party")
              for c in election_of(leaves)["contests"] for ch in c.get("choices", [])}
    for c in election_doc.get("contests", []):
        for ch in c.get("choices", []):
            k = (c.get("id"), ch.get("key"))
            if k not in logged:
                report.fail("parties", f"election.json ({k[0]}, choice {k[1]})",
                            "a choice the log's structure does not have")
            elif logged[k] != ch.get("party"):
                report.fail("parties", f"election.json ({k[0]}, choice {k[1]})",
                            f"party {ch.get('party')!r}, the log's structure says {logged[k]!r}")
            else:
                report.ok("parties")
