"""A full publication's contests' tables and their results over time (`write`), and the files
of the whole election (`whole_election`): about as much work as the rest of the publication
together, so the demo's build has them written by a process of its own meanwhile
(`snapshots.publish(..., beside=True)`: `process`, which runs `written_beside`), for it knows
nothing else changes the election while it publishes."""

from __future__ import annotations

import datetime as dt

from sailau.publish.files import downloads, progress, registers, scanarchive, sitebake
from sailau.publish.files.election_data import ElectionData
from sailau.publish.storage.store import Writer
from sailau.tlog import canonicaljson


def write(data: ElectionData, put) -> None:
    """Each contest's tables and its results over time."""
    for c in data.contests:
        downloads.contest_files(data, c, put)
    progress.put_files(data.contests, put)


def whole_election(data: ElectionData, published_at: str, put) -> None:
    """The NIST report, the keys, the registers, the scans' archives and the viewer."""
    from sailau.elections import keys
    from sailau.publish.files import nist

    dumps = canonicaljson.encode
    put("nist.json", dumps(nist.report(data, dt.datetime.fromisoformat(published_at))))
    put("keys.json", dumps(keys.public_keys_document(data.election.id)))
    registers.put_files(data.election.id, put, dumps)
    for tid, scans in sorted(scanarchive.scans_by_territory(data.election.id).items()):
        put(f"scans/{tid}.zip", scanarchive.archive(tid, scans))
    for name, body in sitebake.site_files(data):
        put(name, body)


def process():
    """A process of its own for `written_beside` (`background.helper_pool`): Django is set up in
    it while this one brings the log up to date."""
    from sailau.background import helper_pool

    return helper_pool()


def written_beside(election_id: str, log_size: int, published_at: str) -> dict:
    """In that process: `write` of the election as it stands, then the files of the whole
    election (`whole_election`), to the store; their manifest entries, in that order.
    The election is not changing (see `snapshots.publish`): this process's snapshot reads what
    the caller's reads. (The whole election's files here too: with them the two processes
    take about as long as each other, where the caller's went on alone for seconds.)"""
    from sailau.publish.pipeline.changes import one_snapshot

    w = Writer(election_id, log_size, background=True)
    with one_snapshot():
        data = ElectionData.load(election_id)
        write(data, w.put)
        whole_election(data, published_at, w.put)
    w.drain()  # on disk before the caller commits a manifest naming them
    return w.files
