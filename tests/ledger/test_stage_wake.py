"""The stages after the log woken by the writes that concern them (sailau.ledger.wake), on
either database (LISTEN/NOTIFY on PostgreSQL, datagrams on SQLite): the batches by a leaf
committed (a definitive protocol, a turnout report, a decision) and by `stage_written`
("batches": a step time, a scan, a checkpoint signed); the national lane by a batch's snapshot
committed with stale tables (`stage_written("national")`). A rollback wakes nobody; a commit
wakes the stage once, however many writes of it concerned the stage; a round of the batches or
of the national lane that finds nothing waits for that wake-up, not for a clock.

As in test_wake.py, the assertions count wake-ups and rounds, not time: the fallback is a
minute, far longer than any wake-up takes, and a test that times out waiting for a thread has
failed."""

import threading

import pytest
from django.db import connection, transaction

from sailau.ledger import outbox, wake
from sailau.publish.pipeline import national_lane, publisher
from tests.ledger.waiting import FALLBACK, Waiting

E = "kz.stagewake.2026"
NOBODY = "kz.stagewake-none.2026"  # an election the stages serve, never written
BOUND = 30.0
pytestmark = pytest.mark.django_db(transaction=True)  # the wake-up goes with the commit


def _leaf(n):
    return (E, "audit-head", f"audit/{n}", {"seq": n, "hash": f"{n:064x}"})


@pytest.fixture
def batches():
    box = wake.StageInbox("batches")
    yield box
    box.close()


@pytest.fixture
def national():
    box = wake.StageInbox("national")
    yield box
    box.close()




def test_a_committed_leaf_wakes_the_batches_once_and_a_rollback_does_not(batches, national):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.append_many([_leaf(1)])
        wake.stage_written("batches")
        raise RuntimeError("the fact's transaction fails")
    assert batches.wait(0.3) is False and batches.wakes == 0  # a fact that never was

    waiting = Waiting(batches)
    with transaction.atomic():
        outbox.append_many([_leaf(2), _leaf(3)])
        outbox.append_many([("kz.other.2026", "audit-head", "audit/4",
                             {"seq": 4, "hash": f"{4:064x}"})])
        wake.stage_written("batches")  # a step time in the same transaction
        assert not waiting.woken.wait(0.5)  # written, not committed
    assert waiting.woken.wait(BOUND), "the commit did not wake the batches"
    assert waiting.got is True and batches.wakes == 1  # once, for all four writes
    assert batches.wait(0.3) is False and batches.wakes == 1  # nothing left over
    assert national.wait(0.3) is False and national.wakes == 0  # not the national lane's


def test_a_snapshot_committed_wakes_the_national_lane_not_the_batches(batches, national):
    waiting = Waiting(national)
    wake.stage_written("national")  # outside a transaction (as the batches call it): at once
    assert waiting.woken.wait(BOUND), "the national lane was not woken"
    assert waiting.got is True and national.wakes == 1
    assert batches.wait(0.3) is False and batches.wakes == 0


def test_no_such_stage_is_refused():
    with pytest.raises(ValueError, match="no such stage"):
        wake.stage_written("pages")
    with pytest.raises(ValueError, match="no such stage"):
        wake.StageInbox("pages")


class Rounds:
    """Counts a stage's rounds (each a call of `count`); `second` is set at the second, and
    `done` ends the stage at the third (or when the test ends)."""

    def __init__(self):
        self.n, self.second, self.done = 0, threading.Event(), threading.Event()

    def count(self, *_, **__):
        self.n += 1
        if self.n == 2:
            self.second.set()
        if self.n >= 3:
            self.done.set()


def _in_thread(target):
    def run():
        try:
            target()
        finally:
            connection.close()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_the_batches_wait_for_a_write_that_concerns_them(monkeypatch):
    rounds = Rounds()
    monkeypatch.setattr(publisher, "change_mark", lambda: rounds.count() or (0,))
    monkeypatch.setattr(publisher, "publish_changes", lambda eid, **kw: None)  # nothing new
    thread = _in_thread(lambda: publisher.follow(
        [NOBODY], stop=rounds.done.is_set, poll=FALLBACK, lane=False, say=lambda *a, **k: None))
    try:
        while rounds.n < 1:  # the first round: nothing to publish
            rounds.second.wait(0.05)
        # A rollback wakes nobody: still one round after it (the fallback is a minute).
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.append_many([_leaf(5)])
            raise RuntimeError("the fact's transaction fails")
        assert not rounds.second.wait(1.0) and rounds.n == 1
        outbox.append_many([_leaf(6)])  # committed: a second round at once
        assert rounds.second.wait(BOUND), "the batches were not woken by a committed leaf"
    finally:
        rounds.done.set()
        wake.stage_written("batches")  # (so that the loop sees `done` now)
        thread.join(BOUND)
    assert not thread.is_alive()


def test_the_national_lane_waits_for_a_snapshot_committed(monkeypatch):
    rounds = Rounds()
    monkeypatch.setattr(national_lane, "rewrite_national",
                        lambda eid, national=None: rounds.count() or (None, {}))
    monkeypatch.setattr(national_lane.chores, "prune_now", lambda ids, last, say: last)
    thread = _in_thread(lambda: national_lane._national_lane(
        [NOBODY], rounds.done, FALLBACK, lambda *a, **k: None))
    try:
        while rounds.n < 1:
            rounds.second.wait(0.05)
        with pytest.raises(RuntimeError), transaction.atomic():
            wake.stage_written("national")
            raise RuntimeError("the batch's round fails")
        assert not rounds.second.wait(1.0) and rounds.n == 1
        wake.stage_written("national")
        assert rounds.second.wait(BOUND), "the national lane was not woken by a snapshot"
    finally:
        rounds.done.set()
        wake.stage_written("national")
        thread.join(BOUND)
    assert not thread.is_alive()
