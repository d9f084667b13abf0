"""The demo's build fills a brand-new SQLite file with a throwaway file's pragmas, and every
connection after it has the settings' own again (sailau.sqlitedb.building)."""

import django.db
import pytest
from django.db.utils import ConnectionHandler

from sailau.sqlitedb import building


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker):
    with django_db_blocker.unblock():  # a file of the test's own, not the test database
        yield


@pytest.fixture
def conn(tmp_path, monkeypatch):
    handler = ConnectionHandler({"default": {
        "ENGINE": "sailau.sqlitedb", "NAME": str(tmp_path / "new.sqlite3"),
        "OPTIONS": {"timeout": 5, "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}})
    c = handler["default"]
    monkeypatch.setattr(django.db, "connection", c)  # what the build's code calls `connection`
    yield c
    c.close()


def _pragmas(c):
    c.ensure_connection()
    raw = c.connection
    return (raw.execute("PRAGMA synchronous").fetchone()[0],
            raw.execute("PRAGMA cache_size").fetchone()[0],
            raw.execute("PRAGMA journal_mode").fetchone()[0],
            raw.execute("PRAGMA busy_timeout").fetchone()[0])


def test_during_the_build_and_after(conn):
    served = _pragmas(conn)
    assert served[:1] == (1,) and served[2:] == ("wal", 5000)  # as the settings open it
    # the write lock waited for as long as the build's parts wait (`beside.LOCK_WAIT`)
    with building.bulk_build():
        assert _pragmas(conn) == (0, -262144, "wal", 600_000)  # the open connection
        conn.close()
        assert _pragmas(conn) == (0, -262144, "wal", 600_000)  # and one opened inside
    assert conn.connection is None  # closed: what serves next opens it as set
    assert _pragmas(conn) == served


def test_put_back_when_the_build_fails(conn):
    served = _pragmas(conn)
    with pytest.raises(RuntimeError), building.bulk_build():
        raise RuntimeError("interrupted")
    assert _pragmas(conn) == served
