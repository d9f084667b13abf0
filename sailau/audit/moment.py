"""One moment of the database for a check that reads a lot: `sailau audit verify` walks the
audit log and compares every table with it, which takes seconds to minutes while a live night
goes on writing. Read record by record, table by table, it saw a head that had moved past the
records it walked ("record N is missing (deleted)") and rows newer than the records it had read
("no audit record grants it"): a check that cries wolf on honest data.

PostgreSQL: a REPEATABLE READ, READ ONLY transaction (one snapshot for every statement in it).
SQLite: a DEFERRED transaction begun by hand; in WAL mode its first read fixes the snapshot the
later reads see, and it takes no write lock (the project's transactions begin IMMEDIATE, which
would stop every writer for the length of the check). Nothing inside may write or open
`transaction.atomic()` on SQLite (Django would begin a second transaction)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connections, transaction


@contextlib.contextmanager
def one_moment(using: str = "default") -> Iterator[None]:
    conn = connections[using]
    if conn.in_atomic_block:
        yield  # already inside a transaction (a test's, a caller's): it is the moment
        return
    if conn.vendor == "postgresql":
        with transaction.atomic(using=using):
            with conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if conn.vendor != "sqlite":
        yield
        return
    conn.ensure_connection()
    with conn.cursor() as cur:
        cur.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with conn.cursor() as cur:
            cur.execute("COMMIT")
