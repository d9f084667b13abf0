"""The tables of the whole country as jobs, written by a batch when due or left stale for the
national lane: a contest's station tables and results over time (`station_tables`, kept
station by station between rounds by `national_tables`), a whole country's contest's per-level
tables (`level_tables`), the NIST report (`nist_report`) and a territory's scan archive; which
job rewrites a file (`national_job`), each run timed (`timed`: when, what it cost, how many
bytes), and the lane's rewrite of the stale ones from one moment of the database, merged into
whatever manifest is latest when done (`rewrite_stale`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import time

from sailau.elections.models import Commission
from sailau.publish.files import downloads, national_tables, scanarchive
from sailau.publish.files.election_data import ElectionData
from sailau.publish.pipeline import logstep
from sailau.publish.pipeline.changes import fingerprints, highest_ids
from sailau.publish.pipeline.commit import commit, now
from sailau.publish.storage import publisher_state, store
from sailau.publish.storage.store import Writer, latest_manifest


def timed(national: dict, name: str, write, w: Writer | None = None) -> None:
    """`write()`, remembered in `national`: when, what it cost, and (given its Writer) how many
    bytes it put."""
    t, before = time.perf_counter(), w.bytes if w else 0
    write()
    national[name] = {"at": time.time(), "cost": time.perf_counter() - t,
                      "bytes": (w.bytes - before) if w else 0}


def station_tables(data: ElectionData, c, put) -> None:
    """A contest's station tables and results over time, for the batches and the national
    lane: kept station by station between rounds (`national_tables`), the same bytes as
    `build` writes; and a single-member district's one-row table (`levels_with_stations`)."""
    put(f"contests/{c.id}/choices.csv", downloads.choices_file(c))
    for fmt, body in national_tables.station_tables(data, c).items():
        put(f"contests/{c.id}/stations.{fmt}", body)
    national_tables.put_kept_progress_files([c], put)  # results over time: as costly
    if levels_with_stations(c):
        level_tables(data, c, put)


def levels_with_stations(contest) -> bool:
    """Whether the contest's per-level tables are written with its station tables, not with
    every batch of its stations: a single-member district's one row (`smd.*`). Its three files
    were a third of the names a batch changed, each name a path of shards in the manifest's
    tree (about 1.5 KB), and with them 8 MB of a national night's 98 MB; the district's
    commission file carries the same totals with every batch, the tables are downloads."""
    return downloads.levels_of(contest) == [Commission.SMD]


def nist_report(data: ElectionData, published_at: str) -> bytes:
    return national_tables.nist_report(data, dt.datetime.fromisoformat(published_at))


LEVELS = "levels"  # the job of a contest's per-level tables (not a file's name)


def whole_country(contest) -> bool:
    """Whether the contest's per-level tables list the whole country's commissions."""
    return contest.commission.level == Commission.CEC


def level_names(contest) -> set[str]:
    return {f"contests/{contest.id}/{level}.{fmt}" for level in downloads.levels_of(contest)
            for fmt in downloads.FORMATS}


def level_tables(data: ElectionData, contest, put) -> None:
    for level in downloads.levels_of(contest):
        rows = downloads.level_rows(data, contest, level)
        for fmt in downloads.FORMATS:
            put(f"contests/{contest.id}/{level}.{fmt}",
                downloads.level_file(data, contest, level, fmt, rows)[0])


def national_job(name: str) -> str | None:
    """The job whose run rewrites `name`, None for a file of the batches: a contest's station
    tables and its results over time are written together, keyed by `stations.csv`, and a
    single-member district's one-row table with them (`levels_with_stations`); a contest's
    per-level tables together, keyed by `levels` (only a whole country's contest's are ever
    left to a job). Which files those are is `store.may_be_stale`'s rule, and the scans'."""
    if name == "nist.json" or name.startswith("scans/"):
        return name
    if not store.may_be_stale(name):
        return None
    _, contest, table = name.split("/")
    if table.split(".")[0] in (Commission.TERRITORIAL, Commission.DISTRICT):
        return f"contests/{contest}/{LEVELS}"
    return f"contests/{contest}/stations.csv"  # its station tables, results over time, smd.*


def rewrite_stale(election_id: str, due=lambda name: True, national: dict | None = None,
                  prev: dict | None = None) -> tuple[dict | None, dict]:
    """The national lane: rewrite the files of the whole country that the batches left
    `"stale"` (see `snapshots.draft_stations(defer_national=True)`), without holding the
    publication lock while they are built, so that the batches of new protocols never wait
    behind them.

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
        # Exact only if the batches had published every row of this moment. When their last
        # state names highest ids other than the database's (rows added since, or a state
        # written after this moment), it is not, and every station's fingerprint is not read
        # (14 s of 150 in a traced national night, a tenth of a core, spent on rounds never
        # exact); else they are compared (a rechecked scan adds no row; a whole publication's
        # state names no ids).
        high = publisher_state.published_high(election_id)
        prints = fingerprints(election_id) if not high or high == highest_ids() else None
        published_at = now()  # the NIST report carries it
        data = ElectionData.load(election_id)
        by_id = {c.id: c for c in data.contests}
        scans = scanarchive.scans_by_territory(election_id) if any(
            j.startswith("scans/") for j in jobs) else {}
        for job in jobs:
            if job == "nist.json":
                timed(national, job,
                      lambda: w.put("nist.json", nist_report(data, published_at)), w)
            elif job.startswith("scans/"):
                tid = job[len("scans/"):-len(".zip")]
                if tid in scans:
                    timed(national, job, lambda tid=tid, job=job: w.put(
                        job, scanarchive.archive(tid, scans[tid])), w)
            elif (c := by_id.get(job.split("/")[1])) is not None and job.endswith(LEVELS):
                timed(national, job, lambda c=c: level_tables(data, c, w.put), w)
            elif c is not None:
                timed(national, job, lambda c=c: station_tables(data, c, w.put), w)
    with publisher_state.exclusive(election_id, wait=True), _held(election_id):
        latest, state = latest_manifest(election_id), publisher_state.read_state(election_id)
        if latest is None or state is None or state.get("sequence") != latest["sequence"]:
            return None, national  # a full publication meanwhile: nothing left to merge into
        # (A batch stamped later than this moment within the same second: not exact either,
        # rather than a manifest dated before the one it follows.)
        exact = prints is not None and state["fingerprints"] == prints and \
            latest["published_at"] <= published_at
        files = dict(latest["files"])
        changed = set()
        for name, entry in w.files.items():
            if name in files or name.startswith("scans/"):
                entry = entry if exact else {**entry, "stale": True}
                if not _says_more(entry, files.get(name)):
                    continue
                files[name] = entry
                changed.add(name)
        if not changed:  # every table as published: no manifest that says nothing new
            return None, national
        # An exact NIST report and its manifest say the same `published_at`; no batch can have
        # been committed since (it would have changed the fingerprints).
        try:
            manifest = commit(w, election_id, files, published_at if exact else now(),
                               changed=changed)
        except store.ObjectGone:  # a round that outlived `store.RETAIN`: the next redoes it
            return None, {}
        publisher_state.write_state(election_id, manifest, state["fingerprints"],
                                    {**state.get("national", {}), **national},
                                    state.get("high"), state.get("full_at"), state.get("sweep"))
        return manifest, national


# Election -> seconds the last round held the publication lock (the lane's log says it).
held: dict[str, float] = {}


@contextlib.contextmanager
def _held(election_id: str):
    t = time.perf_counter()
    try:
        yield
    finally:
        held[election_id] = time.perf_counter() - t


def _says_more(entry: dict, published: dict | None) -> bool:
    """Whether a table written again changes what the manifest says of it: other bytes, or the
    same bytes now exact where the published entry marks them stale. The same bytes still
    stale keep the published entry and its `log_size` (those bytes are what the log gave at
    that size too): rewritten with a new size only, a table that no protocol had changed moved
    its shards, and a busy night's rounds, none exact, rewrote every district's entries each
    round."""
    if published is None or published.get("sha256") != entry["sha256"]:
        return True
    return bool(published.get("stale")) and not entry.get("stale")


def _territories_with_scans(election_id: str) -> list[str]:
    from django.apps import apps

    if not apps.is_installed("sailau.scans"):
        return []
    from sailau.scans.models import Scan

    return list(Scan.objects.filter(station__election_id=election_id)
                .values_list("station__territory_id", flat=True).distinct().order_by())
