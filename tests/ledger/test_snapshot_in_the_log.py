"""A publication's snapshot never shows a protocol the log's checkpoint lacks: a protocol made
definitive between the round's integration and its snapshot is integrated first (the live
demo, stopped at that moment, once left a station file 'showing a protocol that is not in the
log' and totals the log did not give)."""

import pytest

from sailau.ledger import integrator, outbox
from sailau.ledger.models import Leaf, LogState
from sailau.publish.pipeline import logstep

E = "kz.test.2026"
SIG = {"key": "0123456789abcdef", "signature": "AAAA", "message": "sailau-protocol/1"}


def _protocol(station: str) -> tuple:
    return (E, "protocol", f"{station}/{E}.pl", {
        "station": station, "contest": f"{E}.pl", "version": 1, "figures": {"voters": 10},
        "choices": {"a": 3}, "scans": [], "decision": None, "signature": SIG})


@pytest.fixture
def log(transactional_db, tmp_path, monkeypatch):
    """Committed leaves: the snapshot below reads them through its own transaction."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    integrator._trees.clear()
    logstep._checked.clear()
    outbox.append_many([_protocol("s1")])
    integrator.integrate(E)


def test_a_protocol_arriving_after_the_integration_is_integrated_before_the_snapshot(
        log, monkeypatch):
    real, calls = logstep.integrate, []

    def integrate_then_a_protocol_arrives(eid, **kw):
        out = real(eid, **kw)
        calls.append(out)
        if len(calls) == 1:  # committed by the chain just after this round's integration
            outbox.append_many([_protocol("s2")])
        return out

    monkeypatch.setattr(logstep, "integrate", integrate_then_a_protocol_arrives)
    with logstep.snapshot_in_the_log(E, 1) as logged:  # the last manifest showed size 1
        waiting = Leaf.objects.filter(election_id=E, index__isnull=True).count()
        size = LogState.objects.get(pk=E).checkpoint_size
    assert waiting == 0 and size == 2 and len(calls) == 2
    assert logged == {"s2"}  # its station is written again with its leaf's index


def test_a_round_that_never_settles_reads_nothing_and_says_so(log, monkeypatch):
    """Under a burst that lands after every integration, the round gives up rather than show
    files the checkpoint lacks (an honest folder that `sailau verify` would fail)."""
    real, calls = logstep.integrate, []

    def integrate_then_another_arrives(eid, **kw):
        real(eid, **kw)
        calls.append(1)
        outbox.append_many([_protocol(f"s{len(calls) + 1}")])

    monkeypatch.setattr(logstep, "integrate", integrate_then_another_arrives)
    read = []
    with pytest.raises(logstep.Unsettled), logstep.snapshot_in_the_log(E, 1, patience=0.2):
        read.append(1)
    assert read == [] and len(calls) >= 2
