"""`sailau demo --rebuild`: the election built again is another history, so its published log
and folder begin again; the old log with a second structure leaf appended was, rightly, refused
by `sailau verify` on an honest demo."""

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.ledger.models import Leaf
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshots
from sailau.publish.storage import store

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rebuilt_demo_election_begins_a_new_log_that_verifies(small_synthetic, tmp_path,
                                                                 monkeypatch, capsys):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    ids = sorted(s["id"] for s in small_synthetic.stations)
    eid = load(small_synthetic, route=False).id
    route(small_synthetic, only=set(ids[:3]))
    snapshots.publish(eid)
    snapshots.publish(eid)
    assert len(store.chain(eid)) == 2
    # Built again, as `sailau demo --rebuild` does, and published.
    load(small_synthetic, route=False)
    route(small_synthetic, only=set(ids[:5]))
    snapshots.publish(eid)
    kinds = list(Leaf.objects.filter(election_id=eid).values_list("kind", flat=True))
    # One structure, and the protocols of this build only (each station's, one leaf each).
    assert kinds.count("structure") == 1
    assert kinds.count("protocol") == Protocol.objects.filter(station__election_id=eid).count()
    assert len(store.chain(eid)) == 1  # a new chain of manifests too
    assert main(["verify", str(snapshots.election_dir(eid))]) == 0, capsys.readouterr().out
