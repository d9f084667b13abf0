"""`sailau verify`: a published election checked with nothing but its files (no database, no
Django settings). With a transparency log (`log/` beside the snapshot files) the log is the
reference: its checkpoint, witnesses, consistency with what was accepted before and every leaf
(`logcheck`, `logleaves`), then the files against the leaves. Without one (an election
published before the log), the snapshot's own checks: hashes and the manifest chain, every
level's totals from the station rows, the tables, the outcomes under the rule set, the
signatures against `keys.json`, and optionally scans. Either way each district's and
single-member district's list of stations and of those reported is held to the station files
(`commissions`)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from sailau.verify import (
    behalf,
    commissions,
    derived,
    files,
    logcheck,
    logleaves,
    logsource,
    named,
    places,
    registers,
    round_link,
    station_times,
    totals,
    trust,
    turnout,
    witnessed_time,
)
from sailau.verify.logcheck import Options
from sailau.verify.report import Report
from sailau.verify.snapshot import (
    Missing,
    MovedOn,
    NoSnapshot,
    ShardMissing,
    Snapshot,
    Unusable,
    moved_on,
)


def _find_log(location: str, opts: Options):
    try:
        return logsource.open_published(location)
    except logsource.Offline as exc:
        raise Unusable(str(exc)) from None
    except logsource.Unusable as exc:
        if opts.state or opts.witnesses or opts.log_key:
            raise Unusable(f"{exc}: --state, --witness and --log-key need a log") from None
        return None


def verify(location: str, scans: Path | None = None, opts: Options | None = None) -> Report:
    """The report of every check. Raises `Unusable` when the publication cannot be read at
    all, or its log is malformed."""
    opts = opts or Options()
    found = _find_log(location, opts)
    report = Report(location)
    if found is None:
        return _snapshot(location, scans, report)
    published, log = found
    try:
        return _with_log(published, log, opts, scans, report)
    except logsource.Unusable as exc:
        raise Unusable(str(exc)) from None


def _with_log(published, log, opts: Options, scans, report: Report) -> Report:
    # The manifest before the checkpoint: the server signs a checkpoint before it writes the
    # files of that moment, so a checkpoint read after a manifest covers what it shows.
    try:
        snap = Snapshot(published.where(""))
    except NoSnapshot:
        snap = None
    opened = logcheck.open_log(log, opts, report)
    if snap is None:
        report.note("files", "manifest.json", "no snapshot files beside the log: the log "
                                              "alone is checked")
    upto = _files_log_size(snap, opened, report)
    leaves = docs = by_id = times = None
    if opened.signed:
        entries = logcheck.check_entries(opened, report)
        if entries is not None:
            leaves = logleaves.read(entries, report, upto)
    if snap is not None and leaves is not None:
        files.check_chain(snap, report)
        docs = files.check_files(snap, report)
        by_id = totals.stations(docs)
        if report.unfinished:  # a partial set of files would make the sums cry wolf
            docs = by_id = None
    if leaves is not None:
        # when each key was registered, by the witnesses' clocks, before its signatures count
        times = witnessed_time.read(opened, leaves.entries, report)
        if times is not None:
            # election day as the log states it (a log published before: election.json's)
            witnessed_time.decide_keys(leaves, times, witnessed_time.polls_closed(
                leaves.election or (docs or {}).get("election.json")), report)
        witnessed_time.check_at(leaves, times, report)
        # a signature on a station's behalf counts only from a commission above it, which the
        # station files say (the log does not)
        logleaves.check_signatures(leaves, report,
                                   int((opened.state or {}).get("checked") or 0),
                                   logleaves.above_of(by_id, leaves.stations))
        if by_id is not None:
            behalf.annotate(report.signers, by_id, docs)
        _structure_witnesses(leaves, opened, report)
        turnout.check(leaves, report)
        opened.first_round_log_key, opened.first_round_witnesses = round_link.check(
            leaves, published, opts, report,
            pinned=(opened.state or {}).get("first_round_log_key"),
            pinned_witnesses=(opened.state or {}).get("first_round_witnesses"))
    if docs is not None:
        # The files show the log at the manifest's `log_size`: protocols logged after it are
        # in the next publication, and the log's own totals say them.
        shown = dataclasses.replace(leaves, latest=leaves.shown)
        later = sum(1 for k, v in leaves.latest.items() if shown.latest.get(k) != v)
        if later:
            report.note("log", "manifest.json", f"{later} protocols logged after these files "
                                                f"were published (the files show the log at "
                                                f"size {upto}, its checkpoint is larger)")
        logleaves.check_station_files(shown, by_id, report)
        sums = logleaves.check_totals(shown, docs, by_id, report)
        commissions.check_station_lists(docs, by_id, set(shown.latest), report)
        totals.check_tables(docs, snap.manifest, by_id, sums, report)
        logleaves.check_parties(leaves, docs.get("election.json"), report)
        named.check(leaves, docs, snap, report)
        places.check(leaves, docs, by_id, report)
        registers.check(leaves, docs, upto if upto is not None else len(leaves.entries), report)
        derived.check(snap, docs, by_id, sums, report, leaves, opened.witnessed_size,
                      opts.allow_unwitnessed, times)
        # the station files' times of protocol leaves (those of the results over time among
        # them), the server's word, held to the witnesses
        station_times.check(leaves, times, docs, snap.manifest["files"], report)
        if "keys.json" in docs:
            report.note("signatures", "keys.json", "not used: commission keys are read from "
                                                   "the log's commission-key leaves")
        if scans is not None:
            from sailau.verify.scans import check_scans

            keys = {c: [k.public_key for k in ks.values()] for c, ks in leaves.keys.items()}
            check_scans(scans, docs.get("election.json") or {}, by_id, report, keys)
    if leaves is not None:
        # the figures checked (those the files show; the log's latest without files) must
        # rest on leaves the witnesses cosigned
        trust.check_witnessed(opened.signed.checkpoint.size, opened.witnessed_size,
                              [i for i, _ in leaves.shown.values()], opts.allow_unwitnessed,
                              report)
    if opts.state and opened.signed:
        keep = None if leaves is None else trust.to_keep(
            opened.trusted, opened.cosigners, opened.witnessed_size, leaves.witness_changes,
            report)
        if report.passed and report.finished:
            logcheck.save_state(opened, opts, full=leaves is not None, witnesses=keep)
            _said_state(opened, opts, report, keep)
    return report


def _said_state(opened, opts: Options, report: Report, witnesses=None) -> None:
    """What the state folder now pins, said once the run has written it (the witnesses too:
    a reader should know that a change of witnesses is refused unless those pinned cosign it)."""
    cp = opened.signed.checkpoint
    first = opened.state is None
    names = sorted({str(w).split("+")[0] for w in witnesses or ()})
    pinned = (f", the witnesses {', '.join(names)}" if names else "")
    report.fact("state", str(opts.state / "state.json"),
                ("written: " if first else "updated: ")
                + f"it pins the log key {opened.log_key}{pinned} and the checkpoint of size "
                f"{cp.size}; a later run with this --state refuses another key, a smaller or "
                "different tree, any log that does not extend this one"
                + (", and other witnesses unless those pinned cosign the change" if names
                   else ""))


def _files_log_size(snap, opened, report: Report) -> int | None:
    """The size of the log whose protocols the snapshot files show (the manifest's `log_size`;
    the whole checkpoint for a publication that does not say). A manifest beyond the checkpoint
    read is refused: its files would show protocols no checkpoint the reader holds has."""
    size = opened.signed.checkpoint.size if opened.signed else None
    said = (snap.manifest.get("log_size") if snap is not None else None)
    if said is None or size is None:
        return None
    if not isinstance(said, int) or isinstance(said, bool) or said < 0:
        report.fail("files", "manifest.json", f"log_size {said!r} is not a size of the log")
        return None
    if said > size:
        report.fail("files", "manifest.json", f"shows the log at size {said}, beyond the "
                                              f"checkpoint read (size {size}): read while it "
                                              "moved? run again")
        return None
    return said


def _structure_witnesses(leaves, opened, report: Report) -> None:
    logged = leaves.witnesses
    if logged is None or not opened.witnesses_from_server:
        return
    try:
        server = logsource.log_json(opened.log).get("witnesses") or []
    except logsource.Unusable:
        return
    if sorted(logged) != sorted(server):
        report.fail("witnesses", "log.json", "its witnesses differ from those the election "
                                             "published in its structure leaf")


def _snapshot(location: str, scans: Path | None, report: Report) -> Report:
    snap = Snapshot(location)
    files.check_chain(snap, report)
    docs = files.check_files(snap, report)
    if report.unfinished:
        return report
    election = docs.get("election.json")
    if not isinstance(election, dict):
        report.fail("files", "election.json", "missing or unreadable: nothing to check the "
                                              "stations against")
        return report
    by_id = totals.stations(docs)
    sums = totals.sums(election, by_id, report)
    totals.check_levels(docs, sums, report)
    commissions.check_station_lists(docs, by_id, commissions.current_of_files(by_id), report)
    totals.check_tables(docs, snap.manifest, by_id, sums, report)
    totals.check_outcomes(docs, election, sums, report)
    totals.check_signatures(docs, by_id, report)
    if scans is not None:
        from sailau.verify.scans import check_scans

        keys = docs.get("keys.json")
        check_scans(scans, election, by_id, report,
                    keys.get("commissions", {}) if isinstance(keys, dict) else {})
    return report


def verify_station(location: str, station: str, opts: Options | None = None) -> Report:
    """One station's file proved included in the checkpoint (only the tiles its proof needs)."""
    opts = opts or Options()
    try:
        published, log = logsource.open_published(location)
        return _station(published, log, station, opts, Report(location))
    except logsource.Unusable as exc:
        raise Unusable(str(exc)) from None


def _station_file(snap: Snapshot, name: str) -> tuple[dict, bytes]:
    """The station file's entry and bytes. When its shard or object is deleted while it is
    read, once more from the manifest the site shows then; a site that moved on again is
    `MovedOn` (exit 2), never a failure."""
    for attempt in range(2):
        try:
            entry = snap.entry(name)
            if not isinstance(entry, dict):
                raise Unusable(f"{snap.where('manifest.json')}: names no {name} (give the "
                               "station's number)")
            return entry, snap.read_object(name, entry)
        except (Missing, ShardMissing) as exc:
            again = Snapshot(snap.location, lazy=True)
            if again.manifest_bytes == snap.manifest_bytes:
                raise Unusable(str(exc)) from None
            if attempt:
                raise MovedOn(moved_on(f"{name}: {exc}")) from None
            snap = again
    raise AssertionError("unreachable")


def _station(published, log, station: str, opts: Options, report: Report) -> Report:
    from sailau.tlog import merkle, tiles
    from sailau.verify.signatures import CanonicalError, key_id, verify_signature
    from sailau.verify.signatures import leaf_bytes as signed_bytes_of

    opened = logcheck.open_log(log, opts, report)
    if not opened.signed:
        return report
    cp = opened.signed.checkpoint
    if not logcheck.check_state(opened, report, lambda size, root: logsource.prove_consistency(
            log, size, root, cp)):
        return report
    snap = Snapshot(published.where(""), lazy=True)
    name = f"stations/{station}.json"
    entry, body = _station_file(snap, name)
    if hashlib.sha256(body).hexdigest() != entry.get("sha256"):
        report.fail("files", name, "does not have the SHA-256 the manifest says")
        return report
    try:
        doc = json.loads(body)
    except ValueError:
        raise Unusable(f"{name}: not JSON") from None
    reader = logsource.tile_reader(log, cp.size)
    for part in doc.get("contests", []):
        p = part.get("protocol")
        if not p:
            continue
        who = f"{name} ({part.get('contest')})"
        index = (part.get("log") or p.get("log") or {}).get("index")
        if not isinstance(index, int) or not 0 <= index < cp.size:
            report.fail("log", who, f"log.index {index!r} is not a leaf of the checkpoint's "
                                    f"tree (size {cp.size})")
            continue
        n, width = index // 256, min(256, cp.size - index // 256 * 256)
        path = tiles.entries_path(n, width)
        try:
            leaf_bytes = tiles.decode_entry_bundle(log.read(path))[index % 256]
            proof = merkle.inclusion_proof(index, cp.size, reader)
        except (merkle.ProofError, IndexError) as exc:
            raise Unusable(f"{log.where(path)} or its tiles: malformed ({exc})") from None
        try:
            merkle.verify_inclusion(index, cp.size, leaf_bytes, proof, cp.root)
        except merkle.ProofError as exc:
            report.fail("log", who, f"leaf {index} is not in the checkpoint: {exc}")
            continue
        try:
            leaf = json.loads(leaf_bytes)
        except ValueError:
            report.fail("log", who, f"leaf {index} is not JSON")
            continue
        if (leaf.get("type"), leaf.get("station"), leaf.get("contest")) != (
                "protocol", doc.get("id"), part.get("contest")):
            report.fail("log", who, f"leaf {index} is not this station's protocol")
            continue
        if (diff := logleaves.differs(p, leaf)) is not None:
            report.fail("log", who, f"{diff} differ from leaf {index}")
            continue
        sig = leaf.get("signature") if isinstance(leaf.get("signature"), dict) else {}
        signed_with = p.get("signed_with") or ""
        try:
            good = (key_id(signed_with) == sig.get("key") and
                    verify_signature(signed_with, signed_bytes_of(leaf),
                                     sig.get("signature")))
        except (CanonicalError, ValueError):
            good = False
        if not good:
            report.fail("signatures", who, "the signature in the log does not verify with the "
                                           "key the station file names")
            continue
        trust.check_witnessed(cp.size, opened.witnessed_size, [index], opts.allow_unwitnessed,
                              report, what=f"protocols of {who}")
        report.ok("log")
    report.note("log", name, "one station: whether its leaf is the latest and its key its "
                             "commission's is checked by a full run")
    if report.passed and opts.state:
        logcheck.save_state(opened, opts, full=False)
        _said_state(opened, opts, report)
    return report
