"""Leaves are sequenced in the order their transactions committed, not the order of their ids.
On PostgreSQL an id is taken at insert and a lower one can commit after a higher: a batch whose
snapshot saw the higher one waiting then found the lower one sequenced among the leaves it
showed, and published nothing (`logstep.settle`). A deferred trigger numbers each transaction's
leaves as it commits (`Leaf.committed`, migration `ledger/0004`). SQLite commits one writer at
a time, in id order; a transaction held open there blocks every other writer, so these run on
PostgreSQL."""

import threading

import pytest
from django.db import connection, transaction

from sailau.ledger import integrator, outbox
from sailau.ledger.models import Leaf
from sailau.publish.pipeline import logstep
from tests.ledger.test_snapshot_in_the_log import E, _protocol, log  # noqa: F401

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="PostgreSQL's: SQLite gives ids in commit order")


def _held_open(items):
    """`items` written in a transaction of another connection, held open until `go` is set."""
    written, go, failed = threading.Event(), threading.Event(), []

    def run():
        try:
            with transaction.atomic():
                outbox.append_many(items)
                written.set()
                go.wait(30)
        except Exception as exc:  # noqa: BLE001 - the test says it
            failed.append(exc)
        finally:
            written.set()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    written.wait(30)
    return go, thread, failed


def _ids_and_indexes():
    rows = Leaf.objects.filter(election_id=E, subject__in=["s2/kz.test.2026.pl",
                                                           "s3/kz.test.2026.pl"])
    return {s.split("/")[0]: (i, x) for s, i, x in rows.values_list("subject", "id", "index")}


def test_a_lower_id_committed_later_is_sequenced_after_the_higher(log):  # noqa: F811
    go, thread, failed = _held_open([_protocol("s2")])
    outbox.append_many([_protocol("s3")])  # committed at once, with the higher id
    go.set()
    thread.join()
    assert not failed
    integrator.integrate(E)
    leaves = _ids_and_indexes()
    assert leaves["s2"][0] < leaves["s3"][0]  # s2's id is the lower...
    assert leaves["s3"][1] < leaves["s2"][1]  # ...and its leaf comes after s3's in the log


def test_a_batch_settles_though_a_lower_id_commits_after_its_snapshot(log, monkeypatch):  # noqa: F811
    """The batch asked the writer early (`_asked_early`) and read its snapshot: it saw s3's
    leaf waiting, not s2's (lower id, not yet committed). s2 commits, the writer sequences:
    the files show s3, at the size that ends with it, and s2 is the next batch's."""
    go, thread, failed = _held_open([_protocol("s2")])
    outbox.append_many([_protocol("s3")])
    monkeypatch.setattr(logstep, "_asked_early", lambda eid: True)
    waiting = logstep.Waiting()
    with logstep.snapshot_in_the_log(E, waiting=waiting) as shown:
        pass
    assert shown == {"s3"}
    go.set()
    thread.join()
    assert not failed
    size = logstep.settle(E, waiting)  # Unsettled when s2 is sequenced among what it saw
    leaves = _ids_and_indexes()
    assert size == leaves["s3"][1] + 1 and leaves["s2"][1] == size
