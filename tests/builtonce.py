"""A costly build made once per test process, and a fresh copy of it for each test that asks.

The page tests' demo night (`sailau.cli.demo.build`, a minute or more) was built again by each of
them. Here the first test of a process builds it; its database and its folders are then kept
aside, and every later test gets both back as they were after the build:

- the database, SQLite in memory in the tests (settings' TEST NAME), through the sqlite3 backup
  API, whole (rows, schema, sequences). The test must be transactional (`transactional_db`): a
  test inside a transaction cannot have its database replaced, and Django's flush at the end of a
  transactional test is what leaves the next one an empty database;
- the data directory and what the demo keeps beside it (the commissions' key files, the
  witnesses' homes: `<data>-commission-keys`, `<data>-witnesses`), all in one folder of the
  process, given back on the same paths: the files name each other by absolute path (the night's
  plan names the key files);
- what the process remembers between two calls (`forget`): memos keyed by election, folder or
  file would remember the previous test's writes on the same ids and paths. The process is left
  as a server started on the built data would be.

On PostgreSQL, and on object storage (whose bucket is not copied), each test builds its own, as
before: nothing is kept there.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The process's memos of what the database and the data directory hold, module -> names, emptied
# whenever a copy is given back. Every module-level container of sailau that starts empty is
# either here or in KEPT with its reason (tests/test_builtonce.py reads the code for new ones).
FORGOTTEN = {
    "sailau.ledger.cosign": ("_kept",),
    "sailau.ledger.integrator": ("_trees",),
    "sailau.publish.files.national_tables": ("_tables", "_nist", "_points"),
    "sailau.publish.files.sitebake": ("_VIEWER_CHECKED", "_WRITTEN"),
    "sailau.publish.pipeline.batches": ("_STATION_IDS",),
    "sailau.publish.pipeline.logstep": ("_checked",),
    "sailau.publish.pipeline.national_jobs": ("held",),
    "sailau.publish.pipeline.national_lane": ("_BUDGETS",),
    "sailau.publish.pipeline.roundmemo": ("_CONTESTS", "_READ_AT", "_WALKED", "_OURS", "_ROWS",
                                            "_DATA"),
    "sailau.publish.pipeline.snapshots": ("_PUBLISHED_KEYS",),
    "sailau.publish.storage.mirror": ("_known",),
    "sailau.publish.storage.publisher_state": ("_PRINTS",),
    "sailau.publish.storage.retention": ("_NAMED",),
    "sailau.publish.storage.store": ("_SEEN", "_KEYS", "_SHARDS", "_LATEST", "_STALE",
                                     "_SHARD_OBJECTS"),
    "sailau.witness.run": ("_OPENED",),
}
# Memos read by file name and modification time, or by row: the same names and times come back
# with a copy.
FORGOTTEN_CALLS = {
    "sailau.integrity.service": ("_read",),
    "sailau.ledger.logkey": ("_open",),
    "sailau.web.templatetags.sailau": ("_commission_url",),
}
# Module-level containers left as they are, and why.
KEPT = {
    "sailau.background": {"_running": "the jobs running now, on threads of this process"},
    "sailau.ledger.writer": {
        "_kept": "locks held: given back after every test (tests/conftest.py)",
        "_busy": "locks held by a thread now", "_files": "the files those locks are on",
        "_said": "what the writer said last, to say it once"},
    "sailau.ledger.push": {"_peers": "connections to the witnesses' servers, by address"},
    "sailau.ledger.wake": {"_addresses": "sockets' addresses, by name"},
    "sailau.languages.messages": {"_read": "the translation catalogues read, by language"},
    "sailau.protocols.logged": {"SCAN_HASHES": "functions registered at import"},
    "sailau.publish.files.keptcache": {
        "_memory": "emptied with the page cache, which each test gets empty (tests/conftest.py)",
        "_generation": "the page cache's generation that `_memory` belongs to"},
    "sailau.scans.demo": {"_templates": "drawings of the paper forms, the same for any data",
                          "_forms": "drawings of the paper forms, the same for any data"},
}


@dataclass
class Kept:
    result: object  # what the build returned, to be read again (`again`) from the copy
    database: Path
    folder: Path  # the copy of `home`
    reached: set[str]  # the file storages the build reached (tests/storeuse.py)


_kept: dict[str, Kept] = {}  # name -> the copy


def copies_possible() -> bool:
    """SQLite's database and the local disk: a copy of both can be kept and given back."""
    from django.db import connection

    from sailau.filestores import s3_enabled

    return connection.vendor == "sqlite" and not s3_enabled()


def fresh(request, name: str, build: Callable[[], object],
          again: Callable[[object], object]) -> object:
    """What `build()` makes in the data directory (SAILAU_DATA_DIR, set here), made once per
    process under `name`; each later call gives the database and the data directory back as
    they were after it and returns `again(result)` (the result read again: model instances are
    read from the copy). Where no copy is possible (`copies_possible`) it builds each time, in
    the test's own folder."""
    monkeypatch = request.getfixturevalue("monkeypatch")
    if not copies_possible():
        monkeypatch.setenv("SAILAU_DATA_DIR", str(request.getfixturevalue("tmp_path") / "var"))
        return build()
    from tests import storeuse

    home = request.getfixturevalue("tmp_path_factory").getbasetemp() / "built-once" / name
    monkeypatch.setenv("SAILAU_DATA_DIR", str(home / "var"))
    kept = _kept.get(name)
    if kept is not None:
        _give_back(kept, home)
        storeuse.reached(kept.reached)
        return again(kept.result)
    _empty(home)
    forget()
    with storeuse.noting() as reached:
        result = build()
    _kept[name] = _keep(result, home, reached)
    return result


def _keep(result, home: Path, reached: set[str]) -> Kept:
    from django.db import connection

    aside = home.with_name(home.name + "-kept")
    _empty(aside)
    aside.mkdir(parents=True)
    database = aside / "database.sqlite3"
    target = sqlite3.connect(database)
    try:
        connection.ensure_connection()
        connection.connection.backup(target)
    finally:
        target.close()
    folder = aside / "folder"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(home, folder, symlinks=True)
    return Kept(result, database, folder, set(reached))


def _give_back(kept: Kept, home: Path) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    # A transaction open here would be the test's own: its database cannot be replaced under it.
    assert not connection.in_atomic_block, "a copy of the database needs a transactional test"
    _background_done()
    connection.ensure_connection()
    source = sqlite3.connect(kept.database)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    # The content types' ids are the copy's, not those Django's flush made again after the
    # previous test.
    ContentType.objects.clear_cache()
    _empty(home)
    shutil.copytree(kept.folder, home, symlinks=True)
    forget()


def _background_done(seconds: float = 120) -> None:
    """Wait for the jobs an earlier test left running on threads of this process (an integrity
    report recomputed after a page asked for it): one would read the database or write in the
    data directory while they are replaced."""
    import time

    from sailau import background

    deadline = time.monotonic() + seconds
    while background._running and time.monotonic() < deadline:
        time.sleep(0.05)


def _empty(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def forget() -> None:
    """Empty this process's memos of the database and the data directory (FORGOTTEN)."""
    for module, names in FORGOTTEN.items():
        m = sys.modules.get(module)  # (one not imported yet remembers nothing)
        for name in names if m else ():
            getattr(m, name).clear()
    for module, names in FORGOTTEN_CALLS.items():
        m = sys.modules.get(module)
        for name in names if m else ():
            getattr(m, name).cache_clear()
