"""Immutable, content-addressed snapshots for election night (the layout and the manifest chain
are in `store`).

A manifest maps stable logical names (`stations/10001.json`, `commissions/<id>.json`,
`contests/<id>/stations.csv`, `nist.json`...) to {sha256, size}, and names the previous
manifest's hash, so the sequence of publications is itself a hash chain. Any static server or
CDN can carry the directory as is; a reader resolves a name through manifest.json and checks
the hash of what it downloads (`sailau verify` does it for every file).

`publish` writes everything (`build`, the contests' tables by `contest_tables`);
`draft_stations` builds one batch of changed stations, their ancestors and their contests'
tables, and `finish` commits it (`batches.publish_changes`; `republish_station`: one station at
once, for `sailau publish --station`). The tables of the whole country are `national_jobs`'
(written here when due, else left stale for the national lane); each round ends with
`commit.commit`; `snapshot_check` holds what was published to the database.
(`election_dir` and `latest_manifest` are `store`'s, named here for the callers that
read a snapshot.)"""

from __future__ import annotations

import json

from sailau.elections import areas
from sailau.elections.models import Commission, Station
from sailau.publish.files import downloads, progress, registers, scanarchive, sitebake
from sailau.publish.files.commission_documents import (
    child_commissions,
    commission_document,
    election_document,
    station_rows_by_commission,
)
from sailau.publish.files.election_data import ElectionData
from sailau.publish.files.station_documents import station_documents
from sailau.publish.pipeline import contest_tables, logstep, roundmemo
from sailau.publish.pipeline.changes import fingerprints, stations_by_id
from sailau.publish.pipeline.commit import commit, now
from sailau.publish.pipeline.national_jobs import (
    LEVELS,
    level_names,
    level_tables,
    levels_with_stations,
    nist_report,
    station_tables,
    timed,
    whole_country,
)
from sailau.publish.storage import publisher_state, store
from sailau.publish.storage.store import Writer, election_dir, latest_manifest
from sailau.tlog import canonicaljson


def _dumps(doc) -> bytes:
    return canonicaljson.encode(doc)


# --------------------------------------------------------------------------- the documents

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
    _documents(data, put)
    contest_tables.write(data, put)
    contest_tables.whole_election(data, published_at, put)


# A full publication in parts that need nothing of each other: `publish(..., beside=True)` has
# the contests' tables and the whole election's files written by a process of their own
# (`contest_tables`).

def _documents(data: ElectionData, put) -> None:
    """The election's, its commissions' and its stations' documents."""
    put("election.json", _dumps(election_document(data)))
    _commission_files(data, (c for c in data.commissions.values()
                             if c.level != Commission.PRECINCT), put)
    for s, doc in station_documents(data):
        put(f"stations/{s.number}.json", _dumps(doc))


def publish(election_id: str, beside: bool = False) -> dict:
    """A full publication of the election; returns the manifest. Waits for a background
    publisher's batch to finish, so that manifests never interleave. `beside`: the contests'
    tables and the whole election's files written by a process of its own meanwhile
    (`contest_tables.process`), for a caller that knows nothing else changes the election while
    it publishes (the demo's build)."""
    with publisher_state.exclusive(election_id, wait=True):
        return publish_locked(election_id, beside)


def publish_after(election_id: str) -> dict | None:
    """The whole publication that follows a change already made and kept (a commission's new
    key, a second round named by its first): the manifest, or None when arrivals kept coming for
    `logstep.FULL_PATIENCE` (`Unsettled`). The change is not undone then: the background
    publisher's next round carries it, so the caller says so rather than refuse what it did."""
    try:
        return publish(election_id)
    except logstep.Unsettled:
        return None


def publish_locked(election_id: str, beside: bool = False) -> dict:
    """`publish` for a caller that holds the publication lock. Also records which state of
    every station it published, so the background publisher carries on from here."""
    from contextlib import nullcontext

    with contest_tables.process() if beside else nullcontext() as pool:
        return _publish_locked(election_id, pool)


def _publish_locked(election_id: str, pool) -> dict:
    from sailau.publish.pages import search

    roundmemo.forget(election_id)  # (a rebuilt demo may hand out the same prints and ids)
    w = Writer(election_id, background=True)
    # The fingerprints and every file of one moment of the database, every protocol of it in
    # the log first: station files carry their leaf's index. A whole publication waits for a
    # settled moment longer than a batch (`logstep.FULL_PATIENCE`), but not for ever: a burst
    # that never stops would hold it, and the publication lock, for the whole night. Then
    # `logstep.Unsettled`, nothing published: a file showing a protocol its checkpoint lacks
    # would make an honest folder fail `sailau verify`.
    with logstep.snapshot_in_the_log(election_id, patience=logstep.FULL_PATIENCE):
        prints = fingerprints(election_id)
        log_size = w.log_size = logstep.checkpoint_size(election_id)
        # Once the checkpoint it publishes is settled, never before: the NIST report's
        # `GeneratedDate` is never earlier than the protocols it counts entered the log.
        published_at = now()
        if pool is None:
            build(ElectionData.load(election_id), published_at, w.put)
        else:
            rest = pool.submit(contest_tables.written_beside, election_id, log_size,
                               published_at)
            _documents(ElectionData.load(election_id), w.put)
            w.files.update(rest.result())  # (in `build`'s order)
    search.ensure(election_id)
    manifest = commit(w, election_id, w.files, published_at, log_size)
    publisher_state.write_state(election_id, manifest, prints)
    return manifest


def republish_station(station_id: str) -> dict:
    """After a protocol of `station_id` became definitive (or was amended): its station file,
    every commission above it and its contests' per-level tables (and its SMD's station table),
    in a new manifest that keeps every other file of the previous one. Tables of the whole
    country wait for the background publisher or the next full publication (see
    `republish_stations`)."""
    s = Station.objects.get(id=station_id)
    with publisher_state.exclusive(s.election_id, wait=True):
        prev = latest_manifest(s.election_id)
        if prev is None:
            return publish_locked(s.election_id)
        # As a batch does: one moment of the database whose protocols are in the log, those
        # it saw waiting shown once the log has signed them (`sailau verify` refuses a file
        # showing a protocol no checkpoint has).
        waiting = logstep.Waiting()
        with logstep.snapshot_in_the_log(s.election_id, prev.get("log_size"), waiting=waiting):
            draft = draft_stations(s.election_id, [station_id], prev)
        manifest = finish(draft, logstep.settle(s.election_id, waiting))
        state = publisher_state.read_state(s.election_id)
        if state and state["sequence"] == prev["sequence"]:  # the follower's record holds
            publisher_state.write_state(s.election_id, manifest, state["fingerprints"],
                                        state.get("national"))
        return manifest


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


def republish_stations(election_id: str, station_ids, prev: dict, **kw) -> tuple[dict, dict]:
    """`draft_stations` published at once (inside a snapshot with every protocol logged); the
    manifest and `national`."""
    draft = draft_stations(election_id, station_ids, prev, **kw)
    return finish(draft), draft.national


class Draft:
    """A batch built from one snapshot and not yet committed (`draft_stations`): its Writer, the
    manifest's files, the size of the log they show, and the station files showing a protocol
    the log had not sequenced when the snapshot was read (name -> document), held back for
    `finish` to write once, with their leaves' indexes."""

    def __init__(self, election_id, w, files, published_at, log_size, changed, left, national,
                 unindexed):
        self.election_id, self.w, self.files = election_id, w, files
        self.published_at, self.log_size, self.changed = published_at, log_size, changed
        self.left, self.national, self.unindexed = left, national, unindexed


def finish(draft: Draft, log_size: int | None = None) -> dict:
    """Commit a draft; `log_size`: the size of the log its files show when the log sequenced
    the protocols its snapshot saw waiting (`logstep.settle`), their station files showing
    their indexes and every table's entry naming that size."""
    if log_size is not None:
        _show_indexes(draft)
        draft.log_size = draft.w.log_size = log_size
        for entry in draft.w.files.values():
            if "log_size" in entry:
                entry["log_size"] = log_size
    for name, doc in draft.unindexed.items():
        draft.w.put(name, _dumps(doc))
        draft.files[name] = draft.w.files[name]
    manifest = commit(draft.w, draft.election_id, draft.files, draft.published_at,
                      draft.log_size, draft.changed)
    store.remember_stale(draft.election_id, manifest, draft.left)
    roundmemo.ours(draft.election_id, manifest["sequence"])
    return manifest


def _show_indexes(draft: Draft) -> None:
    """The held-back station files' protocols given the indexes the log has sequenced them at."""
    from sailau.ledger import outbox
    from sailau.protocols.logged import subject

    parts = [(doc, part) for doc in draft.unindexed.values() for part in doc["contests"]
             if part["protocol"] and part["log"] is None]
    logged = outbox.indexes(draft.election_id, "protocol", [
        subject(doc["id"], part["contest"], part["protocol"]["version"]) for doc, part in parts])
    for doc, part in parts:
        index = logged.get(subject(doc["id"], part["contest"], part["protocol"]["version"]))
        if index is not None:
            part["log"] = {"index": index}


def draft_stations(election_id: str, station_ids, prev: dict, due=lambda name: False,
                   national: dict | None = None, throttle_districts: bool = False,
                   defer_national: bool = False, prints: dict | None = None) -> Draft:
    """One batch of changed stations: their station files, every commission above them, the
    per-level tables of their contests and the station tables of their single-member districts
    (with each district's one-row table), in one new manifest that keeps every other file of
    `prev`. Tables of the whole country (a
    national contest's station table, the NIST report, a territory's scan archive) cost time in
    proportion to the election: each is rewritten only when `due(name)` says so, else marked
    `"stale": true` until a later batch or full publication (`snapshot_check.verify_snapshots`
    does not hold a stale file to the database). A batch of many stations touches most single-member districts:
    `throttle_districts` treats their station tables the same way. The draft (`finish` commits
    it) carries `national` updated with when each such table was last written and what it cost.

    `defer_national`: none of those tables is written here, whatever `due` says; they are all
    marked stale for the national lane (`national_jobs.rewrite_stale`), which rewrites them
    beside the batches, so that a batch costs what its stations cost, never a national table.

    `prints`: every station's fingerprint as the caller compared them (`changes.fingerprints`);
    with it, which contests a station reported is read again only when its print moved."""
    if defer_national:
        due, throttle_districts = (lambda name: False), True
    national = dict(national or {})
    published_at = now()  # the NIST report carries it: the manifest must say the same
    # Read in the caller's snapshot (`logstep.snapshot_in_the_log`): the checkpoint whose
    # protocols these files show.
    log_size = logstep.checkpoint_size(election_id)
    data = roundmemo.election_data(election_id)
    w = Writer(election_id, log_size)
    put = w.put
    stations = stations_by_id(election_id, station_ids)
    stations.sort(key=lambda s: s.number)
    data.know_stations(s.id for s in stations)
    unindexed = {}  # held back: written once by `finish`, with the indexes the log gives them
    for s, doc in station_documents(data, stations):
        name = f"stations/{s.number}.json"
        if any(part["protocol"] and part["log"] is None for part in doc["contests"]):
            unindexed[name] = doc
        else:
            put(name, _dumps(doc))
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
        # They are national tables: when due, like the station tables. A single-member
        # district's one-row table goes with its station tables (`levels_with_stations`).
        with_tables = whole_country(c) or levels_with_stations(c)
        downloads.contest_files(data, c, put, stations=False, levels=not with_tables)
        if with_tables:
            put(f"contests/{c.id}/outcome.json", downloads.outcome_file(c))
        if c.contest_kind.district and not throttle_districts:
            station_tables(data, c, put)
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
            timed(national, name, lambda c=c: station_tables(data, c, put), w)
        else:
            stale |= {f"contests/{c.id}/stations.{fmt}" for fmt in downloads.FORMATS}
            stale |= set(progress.names(c))
            if levels_with_stations(c):
                stale |= level_names(c)
        if whole_country(c):
            name = f"contests/{c.id}/{LEVELS}"
            if due(name):
                timed(national, name, lambda c=c: level_tables(data, c, put), w)
            else:
                stale |= level_names(c)
    if stations or "nist.json" in was_stale:
        if due("nist.json"):
            timed(national, "nist.json",
                  lambda: put("nist.json", nist_report(data, published_at)), w)
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
                timed(national, name, lambda tid=tid, scans=scans, name=name: put(
                    name, scanarchive.archive(tid, scans)), w)
            else:
                stale.add(name)
    sitebake.viewer_once(data, prev, put)  # a restarted publisher on a new build
    files = {**prev["files"], **w.files}
    changed = set(w.files) | set(unindexed)
    left = {name for name in stale | was_stale if name in files and name not in w.files}
    for name in left:
        files[name] = {**files[name], "stale": True}
        changed.add(name)
    return Draft(election_id, w, files, published_at, log_size, changed, left, national,
                 unindexed)
