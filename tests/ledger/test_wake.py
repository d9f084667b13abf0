"""The log's writer woken by the writes that concern it (sailau.ledger.wake), on either database
(LISTEN/NOTIFY on PostgreSQL, datagrams on SQLite): a leaf committed to the outbox wakes a writer
waiting in another thread, on a connection of its own, with a fallback of a minute; a leaf of a
transaction still open or rolled back wakes nobody; a round asking for a checkpoint wakes the
writer as one that asked and is answered; with no writer, asking costs the fallback and no
error. On PostgreSQL, a writer in another process is woken the same way.

The assertions are on what the writer received (`Inbox.wakes`) and in which order, not on the
clock: the fallback is set far longer than any wake-up takes, and a test that times out waiting
for a thread has failed."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from sailau.ledger import outbox, wake
from tests.ledger.waiting import FALLBACK, Waiting

E = "kz.wake.2026"
BOUND = 30.0  # how long the test waits for the writer's thread (less than the fallback)
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)  # the wake-up goes with the commit


def _leaf(n):
    return (E, "audit-head", f"audit/{n}", {"seq": n, "hash": f"{n:064x}"})


@pytest.fixture
def inbox():
    box = wake.Inbox()
    box.open(E)
    yield box
    box.close()




def test_a_committed_leaf_wakes_the_writer_and_one_not_committed_does_not(inbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.append_many([_leaf(1)])
        raise RuntimeError("the fact's transaction fails")
    assert inbox.wait(0.3) == set() and inbox.wakes == 0  # a leaf that never was

    waiting = Waiting(inbox)
    with transaction.atomic():
        outbox.append_many([_leaf(2), _leaf(3)])
        # Written, not committed: the writer would look and not see the leaves yet.
        assert not waiting.woken.wait(0.5)
    assert waiting.woken.wait(BOUND), "the commit did not wake the writer"
    assert waiting.got == set() and inbox.wakes == 1  # one wake-up; a leaf asks for nothing


def test_a_round_asking_wakes_the_writer_and_is_answered(inbox):
    answered = threading.Event()

    def round_():  # a batch of the publisher, in a thread of its own (its own connection)
        try:
            with wake.asking(E) as ask:
                ask(FALLBACK)  # asks, and waits for the answer
                answered.set()
        finally:
            connection.close()

    threading.Thread(target=round_, daemon=True).start()
    assert inbox.wait(FALLBACK) == {E}  # woken as one that asked
    assert not answered.is_set()  # not before the writer answers
    inbox.answer(E)
    assert answered.wait(BOUND), "the round was not answered"


def test_asking_with_no_writer_waits_the_fallback_only():
    with wake.asking("kz.nobody.2026") as ask:
        ask(0.2)  # no error, and back (after the fallback)


WRITER = """
from sailau.cli.django_setup import setup
setup()
from sailau.ledger import wake
inbox = wake.Inbox()
inbox.open(%r)
print("listening", flush=True)
asked = inbox.wait(%r)
print(inbox.wakes, sorted(asked), flush=True)
"""


@pytest.mark.skipif(not os.environ.get("SAILAU_DATABASE_URL", "").startswith("postgres"),
                    reason="on SQLite a test's database is its process's own")
def test_on_postgresql_a_writer_in_another_process_is_woken_by_a_commit(env):
    writer = subprocess.Popen([sys.executable, "-c", WRITER % (E, FALLBACK)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "listening\n", writer.stderr.read()[-2000:]
        assert connection.vendor == "postgresql"
        outbox.append_many([_leaf(4)])  # committed (autocommit)
        out, err = writer.communicate(timeout=BOUND)
        assert out.split() == ["1", "[]"], err[-2000:]
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
