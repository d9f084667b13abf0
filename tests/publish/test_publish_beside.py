"""A full publication written in two halves, the second by another process (`publish(...,
beside=True)`, the demo's build): the same files, byte for byte, as written in one."""

from concurrent.futures import Future
from contextlib import nullcontext

import pytest

from sailau.publish.pipeline import contest_tables, snapshots

pytestmark = pytest.mark.django_db


class _HereAndNow:
    """The other process's pool, in this process: the test's database is in memory, which no
    other process can open (the spawn itself is `sailau demo`'s, tests/cli/test_demo_build.py)."""

    def __init__(self):
        self.calls = []

    def submit(self, fn, *args):
        self.calls.append(fn.__name__)
        done = Future()
        done.set_result(fn(*args))
        return done


def test_the_halves_make_the_whole(small_election, snapshot_dir, monkeypatch):
    whole = snapshots.publish(small_election.id)
    pool = _HereAndNow()
    monkeypatch.setattr(contest_tables, "process", lambda: nullcontext(pool))
    halves = snapshots.publish(small_election.id, beside=True)
    assert pool.calls == ["written_beside"]
    # (the NIST report carries the moment of its publication)
    same = {n: e for n, e in whole["files"].items() if n != "nist.json"}
    assert {n: e for n, e in halves["files"].items() if n != "nist.json"} == same
    assert list(halves["files"]) == list(whole["files"])  # in the same order
    assert any(n.startswith("stations/") for n in same)
    assert any(n.startswith("contests/") for n in same) and "keys.json" in same


def test_a_write_that_failed_behind_the_build_stops_the_manifest(small_election, snapshot_dir,
                                                                 monkeypatch):
    """The objects of a whole publication are written by a thread beside its build
    (`Writer(background=True)`): a write that failed there is raised by the commit, which
    writes no manifest naming what is not on disk."""
    from sailau.publish.storage import store

    first = snapshots.publish(small_election.id)
    written = store._put_object

    def full_disk(path, body, suffix):
        if str(path).endswith(".csv"):
            raise OSError(28, "No space left on device")
        written(path, body, suffix)

    monkeypatch.setattr(store, "_put_object", full_disk)
    with pytest.raises(OSError, match="No space left"):
        snapshots.publish(small_election.id)
    assert store.latest_manifest(small_election.id)["sequence"] == first["sequence"]


def test_every_object_is_on_disk_when_the_manifest_names_it(small_election, snapshot_dir):
    from sailau.publish.storage.store import election_dir

    manifest = snapshots.publish(small_election.id)
    objects = election_dir(small_election.id) / "objects"
    for name, entry in manifest["files"].items():
        assert (objects / f"{entry['sha256']}{name[name.rfind('.'):]}").exists(), name


def test_a_background_writer_holds_only_so_many_bodies_unwritten(snapshot_dir, monkeypatch):
    """The bodies a background Writer's thread has yet to write wait in memory: at most
    `WRITES_AHEAD` of them, after which `put` waits for the oldest."""
    import threading

    from sailau.publish.storage import store

    monkeypatch.setattr(store, "WRITES_AHEAD", 3)
    gate, written = threading.Event(), store._put_object

    def slow(path, body, suffix):
        gate.wait(5)
        written(path, body, suffix)

    monkeypatch.setattr(store, "_put_object", slow)
    w = store.Writer("kz.test-writes-ahead", background=True)
    for i in range(3):
        w.put(f"f{i}.json", b"{}" + bytes([i]))
    assert len(w._pending) == 3
    gate.set()
    for i in range(3, 20):
        w.put(f"f{i}.json", b"{}" + bytes([i]))
        assert len(w._pending) <= 3
    w.drain()
    assert all((w.dir / "objects" / f"{e['sha256']}.json").exists() for e in w.files.values())
