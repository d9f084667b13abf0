"""The log's writer woken by the writes that concern it (sailau.ledger.wake): a leaf committed to
the outbox wakes it at once, a round asking for a checkpoint wakes it as one that asked and is
answered; a leaf of a transaction rolled back wakes nobody; with no writer bound, asking costs
the fallback interval and no error."""

import time

import pytest
from django.db import transaction

from sailau.ledger import outbox, wake

E = "kz.wake.2026"
pytestmark = pytest.mark.django_db(transaction=True)  # the wake-up is sent on commit


def _leaf(n):
    return (E, "audit-head", f"audit/{n}", {"seq": n, "hash": f"{n:064x}"})


@pytest.fixture
def inbox():
    box = wake.Inbox()
    box.open(E)
    yield box
    box.close()


def test_a_committed_leaf_wakes_the_writer_and_a_rolled_back_one_does_not(inbox):
    t = time.monotonic()
    assert inbox.wait(0.3) == set() and time.monotonic() - t >= 0.25  # nothing: the fallback
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.append_many([_leaf(1)])
        raise RuntimeError("the fact's transaction fails")
    t = time.monotonic()
    inbox.wait(0.3)
    assert time.monotonic() - t >= 0.25  # not woken by a leaf that never was
    outbox.append_many([_leaf(2)])  # committed (autocommit)
    t = time.monotonic()
    assert inbox.wait(10.0) == set()  # woken (a leaf asks for nothing)
    assert time.monotonic() - t < 5.0


def test_a_round_asking_wakes_the_writer_and_is_answered(inbox):
    with wake.asking(E) as ask:
        t = time.monotonic()
        ask(0.0)  # sent; no answer yet
        assert inbox.wait(10.0) == {E} and time.monotonic() - t < 5.0
        inbox.answer(E)
        t = time.monotonic()
        ask(10.0)  # asks again, and the answer is there: back at once
        assert time.monotonic() - t < 5.0


def test_asking_with_no_writer_waits_the_fallback_only():
    with wake.asking("kz.nobody.2026") as ask:
        t = time.monotonic()
        ask(0.2)
        assert 0.15 <= time.monotonic() - t < 5.0
