"""The log's one writer. Exactly one process at a time sequences an election's outbox into its
log and signs its checkpoints (`integrator.integrate`): the one holding the election's writer
lock, which is the database's own:

- PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a connection of its own, kept
  open as long as the lock is held. The server drops it when that session ends, and the session
  of a process killed by SIGKILL ends at once (the kernel closes its socket), so a standby takes
  the lock at its next look. A connection of its own because Django closes and reopens its
  connections between rounds (`CONN_MAX_AGE`, `close_old_connections`), which would let the
  lock go without a word. Works across machines, as PostgreSQL does.
- SQLite: `flock` on a file beside the database (`<database>.log-writers/<election>.lock`).
  SQLite is one machine's database, whose processes share its file system; the kernel drops the
  lock the instant its process dies (kill -9 included). A row with a lease and a heartbeat, the
  other way, would make a standby wait for the lease to run out (seconds, judged by clocks) and
  the writer write its heartbeat through the one write lock the operators' entries queue for.

The log's lane (`sailau publish --log-lane`) holds the lock of every election it writes for good
(`hold`); a second lane started beside it waits, asking again every turn, and takes over when
the first dies. Anyone else who wants the log integrated (a batch of the publisher, a command,
a test) takes the lock for the one integration when nobody holds it (`holding`), and otherwise
waits for the writer (`integrator.integrate`): two processes never sequence at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

# The first key of the advisory locks this module takes ("SAIL"): the second is the election's.
PG_CLASS = 0x5341494C

_mutex = threading.Lock()  # this module's state, shared by a process's threads
_kept: set[str] = set()  # elections whose lock this process holds for good (`hold`)
_busy: set[str] = set()  # elections a thread of this process integrates under `holding` now
_files: dict[str, object] = {}  # SQLite: election -> the open file its flock is on
_pg = None  # PostgreSQL: the connection the advisory locks live on
_said: dict[str, bool] = {}  # election -> what `say_once` last said of it


def hold(election_id: str) -> bool:
    """Take the election's writer lock for good if it is free; whether this process holds it
    (now or from before). On PostgreSQL, a lock whose connection was lost is held no more."""
    with _mutex:
        if election_id in _kept and _still_held(election_id):
            return True
        _kept.discard(election_id)
        if election_id in _busy or not _take(election_id):
            return False
        _kept.add(election_id)
        return True


def held() -> set[str]:
    """The elections whose lock this process holds for good."""
    with _mutex:
        return set(_kept)


@contextlib.contextmanager
def holding(election_id: str) -> Iterator[bool]:
    """The election's writer lock for the time of the block: yields True when this process
    holds it (for good already, or taken now and given back at the end), False when another
    process (or another thread of this one) writes the log."""
    with _mutex:
        if election_id in _kept and _still_held(election_id):
            mine, taken = True, False
        elif election_id in _busy:
            mine = taken = False
        else:
            _kept.discard(election_id)
            mine = taken = _take(election_id)
            if taken:
                _busy.add(election_id)
    try:
        yield mine
    finally:
        with _mutex:
            if taken:
                _busy.discard(election_id)
                _give_back(election_id)
            _close_if_idle()


def say_once(election_id: str, mine: bool, say) -> None:
    """Said by a lane when it changes: whether it writes the election's log or waits."""
    if _said.get(election_id) == mine:
        return
    _said[election_id] = mine
    what = "this process writes the log" if mine else \
        "another process writes the log; waiting to take over if it stops"
    say(f"{election_id}: {what} (pid {os.getpid()})", flush=True)


def release_all() -> None:
    """Give back every lock this process holds for good (a lane stopping; the end of the
    process does it too)."""
    with _mutex:
        for eid in sorted(_kept):
            _give_back(eid)
        _kept.clear()
        _close_if_idle()


# ---------------------------------------------------------------- the database's own locks

def _postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _take(election_id: str) -> bool:
    if _postgres():
        return bool(_pg_one("SELECT pg_try_advisory_lock(%s, %s)", election_id))
    f = open(_lock_path(election_id), "a")  # noqa: SIM115 - kept open while the lock is held
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        return False
    _files[election_id] = f
    return True


def _give_back(election_id: str) -> None:
    if _postgres():
        with contextlib.suppress(Exception):  # a lost connection gave it back already
            _pg_one("SELECT pg_advisory_unlock(%s, %s)", election_id)
        return
    f = _files.pop(election_id, None)
    if f is not None:
        f.close()  # (closing the file releases its flock)


def _still_held(election_id: str) -> bool:
    """On PostgreSQL, whether the lock's connection still lives (the server dropped the lock
    with it otherwise); a flock lives as long as its file is open."""
    if not _postgres():
        return election_id in _files
    if _pg is not None and _pg.is_usable():
        return True
    _forget_pg()
    return False


def _close_if_idle() -> None:
    """The advisory locks' connection closed when it holds none: a process that only took the
    lock for one integration keeps no session open (a test's database could not be dropped)."""
    if _pg is not None and not _kept and not _busy:
        _forget_pg()


def _forget_pg() -> None:
    global _pg
    if _pg is not None:
        with contextlib.suppress(Exception):
            _pg.close()
    _pg = None
    _kept.clear()  # every advisory lock lived on that session


def _pg_one(sql: str, election_id: str):
    global _pg
    from django.db import connection, connections

    if _pg is None:
        _pg = connections.create_connection(connection.alias)
        _pg.settings_dict["NAME"] = connection.settings_dict["NAME"]  # (a test's database)
        _pg.inc_thread_sharing()  # used by whichever thread asks, under `_mutex`
    try:
        with _pg.cursor() as cur:
            cur.execute(sql, [PG_CLASS, _pg_key(election_id)])
            return cur.fetchone()[0]
    except Exception:
        _forget_pg()  # (a lost session: the next call opens another)
        raise


def _pg_key(election_id: str) -> int:
    """The second key of the election's lock (both int4): its CRC-32 as a signed number. Two
    elections with the same CRC would share a writer, which is no harm."""
    return zlib.crc32(election_id.encode()) - 2**31


def held_on_postgres(election_id: str) -> bool:
    """PostgreSQL: whether some session holds the election's writer lock (a writer there to be
    asked, `wake.ask_early`), read on Django's connection from the server's table of locks."""
    from django.db import connection

    with connection.cursor() as cur:
        # pg_locks shows the keys as oids (unsigned): a negative key is 2**32 above itself.
        cur.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND "
                    "granted AND database = (SELECT oid FROM pg_database WHERE datname = "
                    "current_database()) AND classid = %s AND objid = %s AND objsubid = 2)",
                    [PG_CLASS % 2**32, _pg_key(election_id) % 2**32])
        return cur.fetchone()[0]


def database() -> str:
    """The database this process writes, named so that every process using it names it alike
    (the wake-ups' addresses, `wake`)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgresql://{s['HOST']}:{s['PORT']}/{s['NAME']}"
    name = str(s["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        from sailau import paths

        return f"{paths.data_dir()}/{name}"
    return str(Path(name).resolve())


def _lock_path(election_id: str) -> Path:
    """`<database>.log-writers/<election>.lock` (in the data directory for a database in
    memory: a test's)."""
    from django.db import connection

    from sailau import paths

    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        folder = paths.data_dir() / "log-writers"
    else:
        folder = Path(name + ".log-writers")
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / (re.sub(r"[^A-Za-z0-9._-]", "_", election_id) + ".lock")
