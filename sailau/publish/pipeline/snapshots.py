"""Immutable, content-addressed snapshots for election night (the layout and the manifest chain
are in `store`).

A manifest maps stable logical names (`stations/10001.json`, `commissions/<id>.json`,
`contests/<id>/stations.csv`, `nist.json`...) to {sha256, size}, and names the previous
manifest's hash, so the sequence of publications is itself a hash chain. Any static server or
CDN can carry the directory as is; a reader resolves a name through manifest.json and checks
the hash of what it downloads (`sailau verify` does it for every file).

`publish` writes everything; `republish_station` (for the protocol chain to call when a
protocol becomes definitive) rewrites one station, its ancestors and its contests' tables;
`snapshot_problems` rebuilds the documents from the database and names every mismatch
(`verify_snapshots`: the first)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

from sailau import clock
from sailau.audit import chain as audit_chain
from sailau.elections import areas
from sailau.elections.models import Commission, Election, Station
from sailau.publish.files import (
    downloads,
    national_tables,
    progress,
    registers,
    scanarchive,
    sitebake,
)
from sailau.publish.files.commission_documents import (
    child_commissions,
    commission_document,
    election_document,
    station_rows_by_commission,
)
from sailau.publish.files.election_data import ElectionData
from sailau.publish.files.station_documents import station_documents
from sailau.publish.pipeline import logstep, roundmemo
from sailau.publish.pipeline.changes import fingerprints, stations_by_id
from sailau.publish.storage import mirror, retention, store
from sailau.publish.storage.store import Writer, election_dir, latest_manifest, root
from sailau.tlog import canonicaljson


def _dumps(doc) -> bytes:
    return canonicaljson.encode(doc)


def _commit(w: Writer, election_id: str, files: dict, published_at: str,
            log_size: int | None = None, changed=None) -> dict:
    manifest = store.commit(w, election_id, files, published_at, audit_chain.anchor(), log_size,
                            changed)
    # The bodies the readers' window lets go, in the lock the caller holds: what a body names
    # is kept while the body is, so a reader who began with it can finish.
    retention.prune_bodies(w.dir, manifest["sequence"])
    sitebake.write_entry_points(w.dir, manifest)
    mirror.upload(election_id, manifest)  # to object storage, when that is where snapshots live
    return manifest


def _now() -> str:
    return clock.now().replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- the documents

def _contest_files(data: ElectionData, contests, put) -> None:
    for c in contests:
        downloads.contest_files(data, c, put)


def _commission_files(data: ElectionData, commissions, put, prints: dict | None = None,
                      moved=(), after: int | None = None) -> None:
    commissions = list(commissions)
    ids = [c.id for c in commissions]
    ids += [ch.id for c in commissions for ch in child_commissions(data, c)]
    tallies = data.tallies(set(ids))
    under = [c.id for c in commissions if c.level in (Commission.DISTRICT, Commission.SMD)]
    stations_by = (roundmemo.station_rows(data.election, under) if prints is not None
                   else station_rows_by_commission(data.election, under))
    reported = roundmemo.reported(data.election.id, stations_by, prints, moved, after)
    for c in commissions:
        put(f"commissions/{c.id}.json",
            _dumps(commission_document(data, c, tallies, reported, stations_by)))


def build(data: ElectionData, published_at: str, put) -> None:
    """Every file of a full publication, handed to `put(name, bytes)`."""
    from sailau.elections import keys
    from sailau.publish.files import nist

    put("election.json", _dumps(election_document(data)))
    _commission_files(data, (c for c in data.commissions.values()
                             if c.level != Commission.PRECINCT), put)
    for s, doc in station_documents(data):
        put(f"stations/{s.number}.json", _dumps(doc))
    _contest_files(data, data.contests, put)
    progress.put_files(data.contests, put)
    put("nist.json", _dumps(nist.report(data, dt.datetime.fromisoformat(published_at))))
    put("keys.json", _dumps(keys.public_keys_document(data.election.id)))
    registers.put_files(data.election.id, put, _dumps)
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
    from sailau.publish.pages import search

    roundmemo.forget(election_id)  # (a rebuilt demo may hand out the same prints and ids)
    w = Writer(election_id)
    published_at = _now()
    # The fingerprints and every file of one moment of the database, every protocol of it in
    # the log first: station files carry their leaf's index.
    # A whole publication is not skipped: it waits for a settled moment, if need be for as long
    # as a burst of arrivals lasts.
    with logstep.snapshot_in_the_log(election_id, patience=float("inf")):
        prints = fingerprints(election_id)
        log_size = w.log_size = logstep.checkpoint_size(election_id)
        build(ElectionData.load(election_id), published_at, w.put)
    search.ensure(election_id)
    manifest = _commit(w, election_id, w.files, published_at, log_size)
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


def _timed(national: dict, name: str, write, w: Writer | None = None) -> None:
    """`write()`, remembered in `national`: when, what it cost, and (given its Writer) how many
    bytes it put."""
    t, before = time.perf_counter(), w.bytes if w else 0
    write()
    national[name] = {"at": time.time(), "cost": time.perf_counter() - t,
                      "bytes": (w.bytes - before) if w else 0}


def _station_tables(data: ElectionData, c, put) -> None:
    """A contest's station tables and results over time, for the batches and the national
    lane: kept station by station between rounds (`national_tables`), the same bytes as
    `build` writes."""
    put(f"contests/{c.id}/choices.csv", downloads.choices_file(c))
    for fmt, body in national_tables.station_tables(data, c).items():
        put(f"contests/{c.id}/stations.{fmt}", body)
    national_tables.put_kept_progress_files([c], put)  # results over time: as costly


def _nist(data: ElectionData, published_at: str) -> bytes:
    return national_tables.nist_report(data, dt.datetime.fromisoformat(published_at))


_PUBLISHED_KEYS: dict[str, frozenset] = {}  # sha256 of a keys.json -> the public keys it lists


def _new_keys(election_id: str, prev: dict, stations, put) -> None:
    """keys.json again when a station of the batch has a key the previous one lacks: a
    commission without a key gets one at its first signature (`keys.private_keys`), and its
    station file must not name a key the snapshot does not publish. Only the batch's
    commissions are looked up; the previous keys.json is read once per process."""
    from sailau.elections import keys
    from sailau.elections.models import CommissionKey

    ids = [s.commission_id for s in stations]
    if not ids:
        return
    entry = prev["files"].get("keys.json")
    if entry is not None:
        known = _PUBLISHED_KEYS.get(entry["sha256"])
        if known is None:
            path = election_dir(election_id) / "objects" / f"{entry['sha256']}.json"
            try:
                doc = json.loads(store.read_object(path))
            except (OSError, ValueError):
                doc = {}  # unreadable: written again below, `snapshot_problems` names it
            known = frozenset(k for listed in (doc.get("commissions") or {}).values()
                              for k in listed)
            _PUBLISHED_KEYS.clear()
            _PUBLISHED_KEYS[entry["sha256"]] = known
        have = set()
        for i in range(0, len(ids), 2000):
            have.update(CommissionKey.objects.filter(commission_id__in=ids[i:i + 2000])
                        .values_list("public_key", flat=True))
        if have <= known:
            return
    put("keys.json", _dumps(keys.public_keys_document(election_id)))


def republish_stations(election_id: str, station_ids, prev: dict, due=lambda name: False,
                       national: dict | None = None, throttle_districts: bool = False,
                       defer_national: bool = False, prints: dict | None = None
                       ) -> tuple[dict, dict]:
    """One batch of changed stations: their station files, every commission above them, the
    per-level tables of their contests and the station tables of their single-member districts,
    in one new manifest that keeps every other file of `prev`. Tables of the whole country (a
    national contest's station table, the NIST report, a territory's scan archive) cost time in
    proportion to the election: each is rewritten only when `due(name)` says so, else marked
    `"stale": true` until a later batch or full publication (`verify_snapshots` does not hold a
    stale file to the database). A batch of many stations touches most single-member districts:
    `throttle_districts` treats their station tables the same way. Returns the manifest and
    `national` updated with when each such table was last written and what it cost.

    `defer_national`: none of those tables is written here, whatever `due` says; they are all
    marked stale for the national lane (`rewrite_stale`), which rewrites them beside the
    batches, so that a batch costs what its stations cost, never a national table.

    `prints`: every station's fingerprint as the caller compared them (`changes.fingerprints`);
    with it, which contests a station reported is read again only when its print moved."""
    if defer_national:
        due, throttle_districts = (lambda name: False), True
    national = dict(national or {})
    published_at = _now()  # the NIST report carries it: the manifest must say the same
    # Read in the caller's snapshot (`logstep.snapshot_in_the_log`): the checkpoint whose
    # protocols these files show.
    log_size = logstep.checkpoint_size(election_id)
    data = ElectionData.load(election_id)
    w = Writer(election_id, log_size)
    put = w.put
    stations = stations_by_id(election_id, station_ids)
    stations.sort(key=lambda s: s.number)
    data.know_stations(s.id for s in stations)
    for s, doc in station_documents(data, stations):
        put(f"stations/{s.number}.json", _dumps(doc))
    _new_keys(election_id, prev, stations, put)
    if registers.due(election_id, prev, log_size):  # a turnout report or a decision logged
        registers.put_files(election_id, put, _dumps)
    above = set()
    for s in stations:
        above |= {s.district_id, s.territory_id, *areas.smd_ids(s)}
        above |= {a.id for a in data.ancestors(s.district_id)}
    _commission_files(data, (data.commissions[i] for i in sorted(above - {None})
                             if i in data.commissions), put, prints,
                      [s.id for s in stations], prev["sequence"])
    contests = {c.id: c for s in stations for c in data.contests_of_station(s)}
    for c in (contests[k] for k in sorted(contests)):
        # A contest of the whole country's per-level tables list every district (~0.3 MB in
        # three formats): rewritten with every batch they were half of what a night wrote.
        # They are national tables: when due, like the station tables.
        downloads.contest_files(data, c, put, stations=False, levels=not _whole_country(c))
        if _whole_country(c):
            put(f"contests/{c.id}/outcome.json", downloads.outcome_file(c))
        if c.contest_kind.district and not throttle_districts:
            _station_tables(data, c, put)
    # The whole country's files (and with `throttle_districts`, the station tables of the
    # single-member districts): those these stations changed and those left stale before.
    was_stale = store.stale_names(election_id, prev)
    by_id = {c.id: c for c in data.contests}
    wanted = {c.id for c in contests.values()
              if throttle_districts or not c.contest_kind.district}
    wanted |= {n.split("/")[1] for n in was_stale if n.startswith("contests/")}
    stale = set()
    for c in (by_id[k] for k in sorted(wanted) if k in by_id):
        name = f"contests/{c.id}/stations.csv"
        if due(name):
            _timed(national, name, lambda c=c: _station_tables(data, c, put), w)
        else:
            stale |= {f"contests/{c.id}/stations.{fmt}" for fmt in downloads.FORMATS}
            stale |= set(progress.names(c))
        if _whole_country(c):
            name = f"contests/{c.id}/{LEVELS}"
            if due(name):
                _timed(national, name, lambda c=c: _level_tables(data, c, put), w)
            else:
                stale |= _level_names(c)
    if stations or "nist.json" in was_stale:
        if due("nist.json"):
            _timed(national, "nist.json", lambda: put("nist.json", _nist(data, published_at)), w)
        else:
            stale.add("nist.json")
    territories = {s.territory_id for s in stations}
    if defer_national:  # not even the scans' rows: the lane reads them
        stale |= {f"scans/{tid}.zip" for tid in territories}
    for tid, scans in ([] if defer_national else
                       sorted(scanarchive.scans_by_territory(election_id).items())):
        name = f"scans/{tid}.zip"
        if tid in territories or name in was_stale:
            if due(name):
                _timed(national, name, lambda tid=tid, scans=scans, name=name: put(
                    name, scanarchive.archive(tid, scans)), w)
            else:
                stale.add(name)
    sitebake.viewer_once(data, prev, put)  # a restarted publisher on a new build
    files = {**prev["files"], **w.files}
    changed = set(w.files)
    left = {name for name in stale | was_stale if name in files and name not in w.files}
    for name in left:
        files[name] = {**files[name], "stale": True}
        changed.add(name)
    manifest = _commit(w, election_id, files, published_at, log_size, changed)
    store.remember_stale(election_id, manifest, left)
    roundmemo.ours(election_id, manifest["sequence"])
    return manifest, national


LEVELS = "levels"  # the job of a contest's per-level tables (not a file's name)


def _whole_country(contest) -> bool:
    """Whether the contest's per-level tables list the whole country's commissions."""
    return contest.commission.level == Commission.CEC


def _level_names(contest) -> set[str]:
    return {f"contests/{contest.id}/{level}.{fmt}" for level in downloads.levels_of(contest)
            for fmt in downloads.FORMATS}


def _level_tables(data: ElectionData, contest, put) -> None:
    for level in downloads.levels_of(contest):
        rows = downloads.level_rows(data, contest, level)
        for fmt in downloads.FORMATS:
            put(f"contests/{contest.id}/{level}.{fmt}",
                downloads.level_file(data, contest, level, fmt, rows)[0])


def national_job(name: str) -> str | None:
    """The job whose run rewrites `name`, None for a file of the batches: a contest's station
    tables and its results over time are written together, keyed by `stations.csv`; a
    contest's per-level tables together, keyed by `levels` (only a whole country's contest's
    are ever left to a job)."""
    if name == "nist.json" or name.startswith("scans/"):
        return name
    parts = name.split("/")
    if len(parts) == 3 and parts[0] == "contests" and (
            parts[2].startswith("stations.") or parts[2].startswith("progress.")):
        return f"contests/{parts[1]}/stations.csv"
    if len(parts) == 3 and parts[0] == "contests" and parts[2].split(".")[0] in (
            Commission.TERRITORIAL, Commission.DISTRICT):
        return f"contests/{parts[1]}/{LEVELS}"
    return None


def rewrite_stale(election_id: str, due=lambda name: True, national: dict | None = None,
                  prev: dict | None = None) -> tuple[dict | None, dict]:
    """The national lane: rewrite the files of the whole country that the batches left
    `"stale"` (see `republish_stations(defer_national=True)`), without holding the publication
    lock while they are built, so that the batches of new protocols never wait behind them.

    They are built from one moment of the database, then merged into whatever manifest is
    latest when they are done. They are exact (no `"stale"` mark) only if no batch has
    published anything the database did not have at that moment, and nothing arrived that the
    batches have not published yet: the station fingerprints of that moment equal those of the
    latest manifest's record. Otherwise they are a few seconds behind and stay marked `"stale"`,
    to be rewritten again in the next round; the last round of a night that has quietened down
    is exact. Returns the new manifest (None when nothing was due) and `national` updated."""
    national = dict(national or {})
    prev = prev if prev is not None else latest_manifest(election_id)  # (the caller's, read now)
    if prev is None:
        return None, national
    candidates = {j for n in store.stale_names(election_id, prev) for j in [national_job(n)] if j}
    # A territory's first scan: its archive is not in any manifest yet (a batch only marks).
    candidates |= {n for n in map("scans/{}.zip".format, _territories_with_scans(election_id))
                   if n not in prev["files"]}
    # `due` is asked the longest waiting first: a lane with a byte budget gives its turns in
    # that order (`national_lane.rewrite_national`).
    jobs = sorted(j for j in sorted(candidates, key=lambda j: (
        national.get(j, {}).get("at", 0), j)) if due(j))
    if not jobs:
        return None, national
    w = Writer(election_id)
    # Every protocol the snapshot sees in the log's checkpoint, whose size each table names
    # (`logstep.Unsettled` otherwise: the lane's next round).
    with logstep.snapshot_in_the_log(election_id):
        w.log_size = logstep.checkpoint_size(election_id)
        prints = fingerprints(election_id)
        published_at = _now()  # the NIST report carries it
        data = ElectionData.load(election_id)
        by_id = {c.id: c for c in data.contests}
        scans = scanarchive.scans_by_territory(election_id) if any(
            j.startswith("scans/") for j in jobs) else {}
        for job in jobs:
            if job == "nist.json":
                _timed(national, job, lambda: w.put("nist.json", _nist(data, published_at)), w)
            elif job.startswith("scans/"):
                tid = job[len("scans/"):-len(".zip")]
                if tid in scans:
                    _timed(national, job, lambda tid=tid, job=job: w.put(
                        job, scanarchive.archive(tid, scans[tid])), w)
            elif (c := by_id.get(job.split("/")[1])) is not None and job.endswith(LEVELS):
                _timed(national, job, lambda c=c: _level_tables(data, c, w.put), w)
            elif c is not None:
                _timed(national, job, lambda c=c: _station_tables(data, c, w.put), w)
    with store.exclusive(election_id, wait=True):
        latest, state = latest_manifest(election_id), store.read_state(election_id)
        if latest is None or state is None or state.get("sequence") != latest["sequence"]:
            return None, national  # a full publication meanwhile: nothing left to merge into
        # (A batch stamped later than this moment within the same second: not exact either,
        # rather than a manifest dated before the one it follows.)
        exact = state["fingerprints"] == prints and latest["published_at"] <= published_at
        files = dict(latest["files"])
        for name, entry in w.files.items():
            if name in files or name.startswith("scans/"):
                files[name] = entry if exact else {**entry, "stale": True}
        # An exact NIST report and its manifest say the same `published_at`; no batch can have
        # been committed since (it would have changed the fingerprints).
        try:
            manifest = _commit(w, election_id, files, published_at if exact else _now(),
                               changed=set(w.files))
        except store.ObjectGone:  # a round that outlived `store.RETAIN`: the next redoes it
            return None, {}
        store.write_state(election_id, manifest, state["fingerprints"],
                          {**state.get("national", {}), **national}, state.get("high"),
                          state.get("full_at"), state.get("sweep"))
        return manifest, national


def _territories_with_scans(election_id: str) -> list[str]:
    from django.apps import apps

    if not apps.is_installed("sailau.scans"):
        return []
    from sailau.scans.models import Scan

    return list(Scan.objects.filter(station__election_id=election_id)
                .values_list("station__territory_id", flat=True).distinct().order_by())


# ------------------------------------------------------------------------------ checking

def verify_snapshots(election_id: str | None = None) -> str | None:
    """The first mismatch between the published snapshots and the database, as a sentence, or
    None when every file is intact and equal to what the database gives now."""
    return next(snapshot_problems(election_id), None)


def _same_but_time(body: bytes | None, published: Path) -> bool:
    """Whether a NIST report equals the published one but for its GeneratedDate: the national
    lane writes it at its own moment, not the manifest's, so its time differs while every
    figure agrees."""
    if body is None:
        return False
    try:
        a, b = json.loads(body), json.loads(store.read_object(published))
    except (OSError, ValueError):
        return False
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    a.pop("GeneratedDate", None)
    b.pop("GeneratedDate", None)
    return a == b


def snapshot_problems(election_id: str | None = None,
                      audit_head: int | None = None) -> Iterator[str]:
    """Every mismatch between the published snapshots and the database, one sentence each
    ("election: file: what differs"): each file whose object is missing or altered, and each
    whose published hash is not what the database gives now (the manifest's hashes are
    compared, so an altered object does not hide a difference in the data).. `audit_head`: the audit log's last record at the moment the database is read (a
    manifest published after it names records that moment cannot see)"""
    elections = [election_id] if election_id else (
        sorted(p.name for p in root().iterdir() if p.is_dir()) if root().exists() else [])
    for eid in elections:
        try:
            manifest = store.with_files(
                json.loads((election_dir(eid) / "manifest.json").read_bytes()),
                store.shard_reader(election_dir(eid)))
        except FileNotFoundError as exc:
            yield f"{eid}: no manifest.json" if exc.filename is None or str(
                exc.filename).endswith("manifest.json") else \
                f"{eid}: manifest.json: shard object {Path(exc.filename).name} is missing"
            continue
        except ValueError as exc:
            yield f"{eid}: manifest.json cannot be read: {exc}"
            continue
        objects = election_dir(eid) / "objects"
        for sha in manifest["shard_objects"]:  # the tree that lists the files
            try:
                body = store.read_object(objects / f"{sha}.json")
            except FileNotFoundError:
                yield f"{eid}: manifest.json: shard object {sha}.json is missing"
                continue
            except ValueError as exc:
                yield f"{eid}: manifest.json: shard object {sha}.json cannot be opened: {exc}"
                continue
            if hashlib.sha256(body).hexdigest() != sha:
                yield f"{eid}: manifest.json: shard object {sha}.json does not match its hash"
        for name, entry in manifest["files"].items():
            path = objects / f"{entry['sha256']}{Path(name).suffix}"
            try:
                body = store.read_object(path)
            except FileNotFoundError:
                yield f"{eid}: {name}: object {path.name} is missing"
                continue
            except ValueError as exc:
                yield f"{eid}: {name}: object {path.name} cannot be opened: {exc}"
                continue
            if hashlib.sha256(body).hexdigest() != entry["sha256"]:
                yield f"{eid}: {name}: object {path.name} does not match its hash"
        if not Election.objects.filter(id=eid).exists():
            yield f"{eid}: published, but no such election in the database"
            continue
        for link in store.chain(eid):
            mark = link.get("audit")
            if mark and audit_head is not None and mark["seq"] > audit_head:
                continue  # published after the moment of the database being checked
            if mark and not audit_chain.holds(mark):
                yield (f"{eid}: manifest {link['sequence']:08d}.json: the audit log no longer "
                       f"has record {mark['seq']} with hash {mark['hash'][:12]}…")
        expected: dict[str, str] = {}
        generated: dict[str, bytes] = {}  # bodies that carry their generation time

        def keep(name: str, body: bytes, expected=expected, generated=generated) -> None:
            expected[name] = hashlib.sha256(body).hexdigest()
            if name.endswith("nist.json"):
                generated[name] = body

        build(ElectionData.load(eid), manifest["published_at"], keep)
        for name in sorted(set(expected) | set(manifest["files"])):
            if name not in manifest["files"]:
                yield f"{eid}: {name}: in the database but not published"
            elif name not in expected:
                yield f"{eid}: {name}: published but no longer in the database"
            elif manifest["files"][name].get("stale"):
                continue  # announced as waiting for the next full publication
            elif expected[name] != manifest["files"][name]["sha256"] and not _same_but_time(
                    generated.get(name), objects / f"{manifest['files'][name]['sha256']}.json"):
                yield f"{eid}: {name}: published file differs from the database"
