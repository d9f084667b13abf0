"""A brand-new SQLite file takes the schema the same code migrated before, and nothing else does
(sailau.sqlitedb.schema). `run` stands for Django's `migrate`: it makes what it has not made."""

import sqlite3

import pytest

from sailau.sqlitedb import schema


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(schema.ENV, raising=False)


class Migrate:
    """What `migrate` would do: the tables and their record, made once per file."""

    def __init__(self, path):
        self.path, self.applied = path, 0

    def __call__(self):
        con = sqlite3.connect(self.path)
        with con:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'steps'").fetchone():
                con.execute("CREATE TABLE steps (name TEXT PRIMARY KEY)")
                con.execute("CREATE INDEX steps_name ON steps (name DESC)")
                con.executemany("INSERT INTO steps VALUES (?)", [("0001",), ("0002",)])
                self.applied += 1
        con.close()


def _schema(path):
    con = sqlite3.connect(path)
    try:
        return (sorted(con.execute("SELECT type, name, sql FROM sqlite_master")),
                con.execute("SELECT name FROM steps ORDER BY name").fetchall())
    finally:
        con.close()


def test_a_new_file_takes_the_kept_schema(tmp_path):
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    first.touch()  # as the settings create it: empty
    run = Migrate(first)
    assert schema.migrate(first, run) is False and run.applied == 1
    assert len(list(schema.cache_dir().glob("*.sqlite3"))) == 1
    run2 = Migrate(second)
    assert schema.migrate(second, run2) is True
    assert run2.applied == 0  # migrate was still run, and found everything there
    assert _schema(second) == _schema(first)


def test_a_database_in_use_is_migrated_in_place(tmp_path):
    kept, used = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    schema.migrate(kept, Migrate(kept))
    con = sqlite3.connect(used)
    con.execute("CREATE TABLE mine (x)")
    con.close()
    run = Migrate(used)
    assert schema.migrate(used, run) is False and run.applied == 1
    assert ("table", "mine", "CREATE TABLE mine (x)") in _schema(used)[0]


def test_other_code_never_takes_a_stale_schema(tmp_path, monkeypatch):
    kept, new = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    schema.migrate(kept, Migrate(kept))
    monkeypatch.setattr(schema, "_digest", lambda: "another-migration")
    run = Migrate(new)
    assert schema.migrate(new, run) is False and run.applied == 1


def test_turned_off(tmp_path, monkeypatch):
    kept, new = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    schema.migrate(kept, Migrate(kept))
    monkeypatch.setenv(schema.ENV, "0")
    run = Migrate(new)
    assert schema.migrate(new, run) is False and run.applied == 1


def test_a_copy_rolled_back_leaves_an_empty_file(tmp_path):
    """An interrupted copy is SQLite's transaction undone: the next start sees a new file."""
    path = tmp_path / "a.sqlite3"
    con = sqlite3.connect(path)
    con.execute("BEGIN")
    con.execute("CREATE TABLE half (x)")
    con.rollback()
    con.close()
    assert path.stat().st_size >= 0 and schema.is_empty(path)
    run = Migrate(path)
    schema.migrate(path, run)
    assert run.applied == 1 and not schema.is_empty(path)


def test_only_the_most_recently_used_are_kept(tmp_path, monkeypatch):
    import os

    for n, digest in enumerate(["v1", "v2", "v3", "v1", "v4"]):
        monkeypatch.setattr(schema, "_digest", lambda d=digest: d)
        path = tmp_path / f"{n}.sqlite3"
        schema.migrate(path, Migrate(path))
        for f in schema.cache_dir().glob("*.sqlite3"):  # mtimes apart, as builds are
            if f.stem != digest:
                os.utime(f, (f.stat().st_mtime - 10, f.stat().st_mtime - 10))
    assert sorted(f.stem for f in schema.cache_dir().glob("*.sqlite3")) == ["v1", "v3", "v4"]
