"""A full publication's contests' tables and their results over time (`write`): about as much
work as the rest of the publication together, so the demo's build has them written by a process
of its own meanwhile (`snapshots.publish(..., beside=True)`: `process`, which runs
`written_beside`), for it knows nothing else changes the election while it publishes."""

from __future__ import annotations

from sailau.publish.files import downloads, progress
from sailau.publish.files.election_data import ElectionData
from sailau.publish.storage.store import Writer


def write(data: ElectionData, put) -> None:
    """Each contest's tables and its results over time."""
    for c in data.contests:
        downloads.contest_files(data, c, put)
    progress.put_files(data.contests, put)


def process():
    """A process of its own for `written_beside`, started at once: Django is set up in it while
    this one brings the log up to date. A new program (`spawn`), not a fork of this one, which
    holds a database connection."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sailau.background import helper_process

    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=helper_process)


def written_beside(election_id: str, log_size: int) -> dict:
    """In that process: `write` of the election as it stands, to the store; their manifest
    entries. The election is not changing (see `snapshots.publish`): this process's snapshot
    reads what the caller's reads."""
    from sailau.publish.pipeline.changes import one_snapshot

    w = Writer(election_id, log_size)
    with one_snapshot():
        write(ElectionData.load(election_id), w.put)
    return w.files
