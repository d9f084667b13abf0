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
