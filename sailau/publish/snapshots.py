"""Immutable, content-addressed snapshots for election night (the layout and the manifest chain
are in `store`).

A manifest maps stable logical names (`stations/10001.json`, `commissions/<id>.json`,
`contests/<id>/stations.csv`, `nist.json`...) to {sha256, size}, and names the previous
manifest's hash, so the sequence of publications is itself a hash chain. Any static server or
CDN can carry the directory as is; a reader resolves a name through manifest.json and checks
the hash of what it downloads (`sailau verify` does it for every file).

`publish` writes everything; `republish_station` (for the protocol chain to call when a
protocol becomes definitive) rewrites one station, its ancestors and its contests' tables;
`verify_snapshots` rebuilds the documents from the database and returns the first mismatch."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

from sailau.audit import chain as audit_chain
from sailau.elections.models import Commission, Contest, Election, Station
from sailau.publish import data as d
from sailau.publish import downloads, progress, scanarchive, sitebake, store
from sailau.publish.changes import fingerprints, one_snapshot
from sailau.publish.store import Writer, election_dir, latest_manifest, root


def _dumps(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _commit(w: Writer, election_id: str, files: dict, published_at: str) -> dict:
    manifest = store.commit(w, election_id, files, published_at, audit_chain.anchor())
    sitebake.write_entry_points(w.dir, manifest)
    return manifest


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- the documents

def _contest_files(data: d.ElectionData, contests, put) -> None:
    for c in contests:
        downloads.contest_files(data, c, put)


def _commission_files(data: d.ElectionData, commissions, put) -> None:
    commissions = list(commissions)
    ids = [c.id for c in commissions]
    ids += [ch.id for c in commissions for ch in d.child_commissions(data, c)]
    tallies = data.tallies(set(ids))
    under = [c.id for c in commissions if c.level in (Commission.DISTRICT, Commission.SMD)]
    stations_by = d.station_rows_by_commission(data.election)
    reported = d.reported_contests({row[0] for cid in under for row in stations_by[cid]})
    for c in commissions:
        put(f"commissions/{c.id}.json",
            _dumps(d.commission_document(data, c, tallies, reported, stations_by)))


def build(data: d.ElectionData, published_at: str, put) -> None:
    """Every file of a full publication, handed to `put(name, bytes)`."""
    from sailau.elections import keys
    from sailau.publish import nist

    put("election.json", _dumps(d.election_document(data)))
    _commission_files(data, (c for c in data.commissions.values()
                             if c.level != Commission.PRECINCT), put)
    for s, doc in d.station_documents(data):
        put(f"stations/{s.number}.json", _dumps(doc))
    _contest_files(data, data.contests, put)
    progress.put_files(data.contests, put)
    put("nist.json", _dumps(nist.report(data, dt.datetime.fromisoformat(published_at))))
    put("keys.json", _dumps(keys.public_keys_document(data.election.id)))
    for tid, scans in sorted(scanarchive.scans_by_territory(data.election.id).items()):
        put(f"scans/{tid}.zip", scanarchive.archive(tid, scans))
    for name, body in sitebake.site_files(data):
        put(name, body)


def publish(election_id: str) -> dict:
    """A full publication of the election; returns the manifest. Waits for a background
    publisher's batch to finish, so that manifests never interleave."""
    with store.exclusive(election_id, wait=True):
        return publish_locked(election_id)


def publish_locked(election_id: str) -> dict:
    """`publish` for a caller that holds the publication lock. Also records which state of
    every station it published, so the background publisher carries on from here."""
    from sailau.publish import search

    w = Writer(election_id)
    published_at = _now()
    with one_snapshot():  # the fingerprints and every file of one moment of the database
        prints = fingerprints(election_id)
        build(d.ElectionData.load(election_id), published_at, w.put)
    search.ensure(election_id)
    manifest = _commit(w, election_id, w.files, published_at)
    store.write_state(election_id, manifest, prints)
    return manifest


def republish_station(station_id: str) -> dict:
    """After a protocol of `station_id` became definitive (or was amended): its station file,
    every commission above it and its contests' per-level tables (and its SMD's station table),
    in a new manifest that keeps every other file of the previous one. Tables of the whole
    country wait for the background publisher or the next full publication (see
    `republish_stations`)."""
    s = Station.objects.get(id=station_id)
    with store.exclusive(s.election_id, wait=True):
        prev = latest_manifest(s.election_id)
        if prev is None:
            return publish_locked(s.election_id)
        manifest, _ = republish_stations(s.election_id, [station_id], prev)
        state = store.read_state(s.election_id)
        if state and state["sequence"] == prev["sequence"]:  # the follower's record holds
            store.write_state(s.election_id, manifest, state["fingerprints"],
                                  state.get("national"))
        return manifest


def _timed(national: dict, name: str, write) -> None:
    t = time.perf_counter()
    write()
    national[name] = {"at": time.time(), "cost": time.perf_counter() - t}


def _station_tables(data: d.ElectionData, c, put) -> None:
    downloads.contest_files(data, c, put, levels=False)
    progress.put_files([c], put)  # results over time: as costly, written with them


def republish_stations(election_id: str, station_ids, prev: dict, due=lambda name: False,
                       national: dict | None = None, throttle_districts: bool = False
                       ) -> tuple[dict, dict]:
    """One batch of changed stations: their station files, every commission above them, the
    per-level tables of their contests and the station tables of their single-member districts,
    in one new manifest that keeps every other file of `prev`. Tables of the whole country (a
    national contest's station table, the NIST report, a territory's scan archive) cost time in
    proportion to the election: each is rewritten only when `due(name)` says so, else marked
    `"stale": true` until a later batch or full publication (`verify_snapshots` does not hold a
    stale file to the database). A batch of many stations touches most single-member districts:
    `throttle_districts` treats their station tables the same way. Returns the manifest and
    `national` updated with when each such table was last written and what it cost."""
    national = dict(national or {})
    published_at = _now()  # the NIST report carries it: the manifest must say the same
    data = d.ElectionData.load(election_id)
    w = Writer(election_id)
    put = w.put
    ids = list(station_ids)
    stations = []
    for i in range(0, len(ids), 2000):
        stations += Station.objects.filter(election_id=election_id, id__in=ids[i:i + 2000])
    stations.sort(key=lambda s: s.number)
    for s, doc in d.station_documents(data, stations):
        put(f"stations/{s.number}.json", _dumps(doc))
    above = set()
    for s in stations:
        above |= {s.district_id, s.territory_id, s.smd_id}
        above |= {a.id for a in data.ancestors(s.district_id)}
    _commission_files(data, (data.commissions[i] for i in sorted(above - {None})
                             if i in data.commissions), put)
    contests = {c.id: c for s in stations for c in data.contests_of_station(s)}
    for c in (contests[k] for k in sorted(contests)):
        downloads.contest_files(data, c, put, stations=False)
        if c.kind == Contest.SINGLE_MEMBER and not throttle_districts:
            _station_tables(data, c, put)
    # The whole country's files (and with `throttle_districts`, the station tables of the
    # single-member districts): those these stations changed and those left stale before.
    was_stale = {n for n, e in prev["files"].items() if e.get("stale")}
    by_id = {c.id: c for c in data.contests}
    wanted = {c.id for c in contests.values()
              if throttle_districts or c.kind != Contest.SINGLE_MEMBER}
    wanted |= {n.split("/")[1] for n in was_stale if n.startswith("contests/")}
    stale = set()
    for c in (by_id[k] for k in sorted(wanted) if k in by_id):
        name = f"contests/{c.id}/stations.csv"
        if due(name):
            _timed(national, name, lambda c=c: _station_tables(data, c, put))
        else:
            stale |= {f"contests/{c.id}/stations.{fmt}" for fmt in downloads.FORMATS}
            stale |= set(progress.names(c))
    if stations or "nist.json" in was_stale:
        if due("nist.json"):
            from sailau.publish import nist

            _timed(national, "nist.json", lambda: put("nist.json", _dumps(
                nist.report(data, dt.datetime.fromisoformat(published_at)))))
        else:
            stale.add("nist.json")
    territories = {s.territory_id for s in stations}
    for tid, scans in sorted(scanarchive.scans_by_territory(election_id).items()):
        name = f"scans/{tid}.zip"
        if tid in territories or name in was_stale:
            if due(name):
                _timed(national, name, lambda tid=tid, scans=scans, name=name: put(
                    name, scanarchive.archive(tid, scans)))
            else:
                stale.add(name)
    files = {**prev["files"], **w.files}
    for name in (stale | was_stale) & set(files):
        if name not in w.files:
            files[name] = {**files[name], "stale": True}
    return _commit(w, election_id, files, published_at), national


# ------------------------------------------------------------------------------ checking

def verify_snapshots(election_id: str | None = None) -> str | None:
    """The first mismatch between the published snapshots and the database, as a sentence, or
    None when every file is intact and equal to what the database gives now."""
    elections = [election_id] if election_id else (
        sorted(p.name for p in root().iterdir() if p.is_dir()) if root().exists() else [])
    for eid in elections:
        manifest = latest_manifest(eid)
        if manifest is None:
            return f"{eid}: no manifest.json"
        objects = election_dir(eid) / "objects"
        for name, entry in manifest["files"].items():
            path = objects / f"{entry['sha256']}{Path(name).suffix}"
            try:
                body = path.read_bytes()
            except FileNotFoundError:
                return f"{eid}: {name}: object {path.name} is missing"
            if hashlib.sha256(body).hexdigest() != entry["sha256"]:
                return f"{eid}: {name}: object {path.name} does not match its hash"
        if not Election.objects.filter(id=eid).exists():
            return f"{eid}: published, but no such election in the database"
        for link in store.chain(eid):
            mark = link.get("audit")
            if mark and not audit_chain.holds(mark):
                return (f"{eid}: manifest {link['sequence']:08d}.json: the audit log no longer has "
                        f"record {mark['seq']} with hash {mark['hash'][:12]}…")
        expected: dict[str, str] = {}
        build(d.ElectionData.load(eid), manifest["published_at"],
              lambda name, body, expected=expected: expected.__setitem__(
                  name, hashlib.sha256(body).hexdigest()))
        for name in sorted(set(expected) | set(manifest["files"])):
            if name not in manifest["files"]:
                return f"{eid}: {name}: in the database but not published"
            if name not in expected:
                return f"{eid}: {name}: published but no longer in the database"
            if manifest["files"][name].get("stale"):
                continue  # announced as waiting for the next full publication
            if expected[name] != manifest["files"][name]["sha256"]:
                return f"{eid}: {name}: published file differs from the database"
    return None
