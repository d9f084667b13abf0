"""A whole publication (`snapshots.publish_locked`) waits for a moment at which every definitive
protocol it sees is in the log's checkpoint, but not for ever: past `logstep.FULL_PATIENCE` it
publishes nothing and says so (`logstep.Unsettled`; `sailau publish` as a clear error, no
traceback), since a snapshot showing a protocol its checkpoint lacks would fail `sailau verify`
on an honest folder. And its time (`published_at`, the NIST report's `GeneratedDate`) is taken
once that checkpoint is settled, never before it.

Outside a test's transaction (`transaction=True`): inside one the snapshot is the caller's and
a single pass is taken."""

import datetime as dt
import time

import pytest

from sailau.cli import main
from sailau.ledger.models import LogState
from sailau.publish.pipeline import logstep, snapshots

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_burst_that_never_settles_bounds_a_whole_publication(
        small_structure, snapshot_dir, monkeypatch, capsys):
    eid = small_structure.id
    monkeypatch.setattr(logstep, "FULL_PATIENCE", 0.5)
    looks = []
    # Every look inside the snapshot finds a protocol leaf not yet in the checkpoint: arrivals
    # that land between each integration and the next snapshot, without end.
    monkeypatch.setattr(logstep, "beyond_checkpoint",
                        lambda e: looks.append(e) or logstep.Beyond(0, {1: "s/c/1"}, False))
    began = time.monotonic()
    with pytest.raises(logstep.Unsettled, match="kept arriving"):
        snapshots.publish(eid)
    assert time.monotonic() - began < 30  # bounded (it waited for ever before)
    assert len(looks) >= 2  # it integrated and looked again before giving up
    assert snapshots.latest_manifest(eid) is None  # and published nothing

    assert main(["publish", eid]) == 2  # the CLI's code for a refusal
    err = capsys.readouterr().err
    assert "nothing was published" in err and "kept arriving" in err, err
    assert "Traceback" not in err
    assert snapshots.latest_manifest(eid) is None


def test_a_publication_is_dated_after_the_checkpoint_it_publishes(
        small_structure, snapshot_dir, monkeypatch):
    eid = small_structure.id
    settle = logstep._settle

    def slow_settle(election_id, until):  # a loaded machine: the integration comes a while later
        time.sleep(1.2)
        settle(election_id, until)
    monkeypatch.setattr(logstep, "_settle", slow_settle)
    manifest = snapshots.publish(eid)
    signed = LogState.objects.get(pk=eid).checkpoint_at
    assert manifest["log_size"] > 0  # the structure's leaves: a checkpoint signed in the round
    published = dt.datetime.fromisoformat(manifest["published_at"])
    assert published >= signed.replace(microsecond=0), (published, signed)


def test_a_new_key_is_kept_when_its_publication_cannot_settle(
        small_structure, snapshot_dir, monkeypatch, capsys):
    """`sailau keys issue` on a published election: the key is made and kept; a publication that
    cannot settle leaves it to the background publisher's next round and says so (exit 0), not
    a refusal of what was done (`snapshots.publish_after`, as the second round's API call)."""
    from sailau.elections.models import CommissionKey

    eid = small_structure.id
    snapshots.publish(eid)
    commission = small_structure.commissions.order_by("id").first()
    before = CommissionKey.objects.filter(commission=commission).count()
    monkeypatch.setattr(logstep, "FULL_PATIENCE", 0.3)
    monkeypatch.setattr(logstep, "beyond_checkpoint",
                        lambda e: logstep.Beyond(0, {1: "s/c/1"}, False))
    assert main(["keys", "issue", commission.id]) == 0
    err = capsys.readouterr().err
    assert "next round publishes them" in err and "Traceback" not in err, err
    assert CommissionKey.objects.filter(commission=commission).count() == before + 1
