"""SQLite pragmas for filling a brand-new database in one go (`sailau demo`'s build), put back
before anything is served.

Why. The national demo writes about 400 MB into a new file in some thousand transactions,
most of them bulk inserts into tables whose indexes are far larger than SQLite's page cache of
2 MiB: each insert then reads its index pages back from the operating system, and each commit
under `synchronous=NORMAL` waits for the checkpoints' fsync. A bulk insert of 400,000 search
tokens with their two indexes took 9.3 s of CPU (6.8 s of it the kernel's) as the server's
connection is set, 5.2 s with `synchronous=OFF` and a cache of 256 MiB.

Durability. `synchronous=OFF` loses nothing when the process is killed (what it wrote is in
the operating system's hands); only a crash of the machine itself could leave the file torn.
It is used only on a database that had no table when the build began: an interrupted build
leaves no finished election behind (`sailau demo` writes its parameters last), and the next
start builds it again, on the server's own pragmas. The journal stays WAL, so the processes the
build starts read while it writes, as ever. When the build ends the connection is closed: the
next one is opened with the settings' pragmas (`synchronous=NORMAL`, the default cache)."""

from __future__ import annotations

from contextlib import contextmanager

# The write lock waited for as long as the build's parts wait for it (`sailau.demo.beside.
# LOCK_WAIT`, 600 s), not the server's 30 s: on a loaded machine a part's transaction held it
# longer than that, and the build failed with "database is locked".
PRAGMAS = ("PRAGMA synchronous=OFF", "PRAGMA cache_size=-262144",  # KiB: 256 MiB
           "PRAGMA busy_timeout=600000")  # ms
_active = False


def _apply(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        for pragma in PRAGMAS:
            connection.connection.execute(pragma)


@contextmanager
def bulk_build():
    """This process's SQLite connections (every thread's, those open and those opened inside)
    take `PRAGMAS` until the block ends; then this thread's is closed, to reopen as set."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    global _active
    for_this_process()
    try:
        yield
    finally:
        connection_created.disconnect(_apply)
        _active = False
        connection.close()


def for_this_process() -> None:
    """`PRAGMAS` for this process's connections from now on, for its whole life: a process that
    fills part of the brand-new database beside the build (`sailau.demo.beside`)."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    global _active
    connection_created.connect(_apply)
    if connection.connection is not None:
        _apply(None, connection)
    _active = True


def active() -> bool:
    """Whether this process fills a brand-new database (`bulk_build`)."""
    return _active
