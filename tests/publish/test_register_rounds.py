"""A turnout report through the day moves no station's rows, yet the log has its leaf and
`turnout.json` must show it: the follower is woken for it (`logstep.elections_with_files_behind`)
and the batch publishes the file, without waiting for the first protocol of the evening."""

import json

import pytest

from sailau.publish.pipeline import batches, log_lane, logstep, snapshots
from sailau.publish.storage import store
from tests.snapshotfiles import opened

from .night import Night

pytestmark = pytest.mark.django_db


def test_a_turnout_report_alone_is_published_by_the_next_batch(monkeypatch, snapshot_dir):
    night = Night(monkeypatch)
    eid = night.election.id
    snapshots.publish(eid)
    assert not logstep.elections_with_files_behind([eid])
    night.play(("turnout", 1, 0, 4))  # 10:00, at the second station
    monkeypatch.setattr(log_lane, "LOG_MIN_GAP", 0.0)  # (however fast the machine)
    assert log_lane.integrate_waiting() == [eid]  # the log's lane sequenced its leaf
    assert eid in logstep.elections_with_files_behind([eid])
    m = batches.publish_changes(eid)
    assert m and m["sequence"] == store.latest_manifest(eid)["sequence"]
    entry = m["files"]["turnout.json"]
    doc = json.loads(opened(store.election_dir(eid) / "objects" / f"{entry['sha256']}.json"))
    assert doc["reports"] == [{"station": night.stations[1].id, "hour": 10, "issued": 504}]
    assert not logstep.elections_with_files_behind([eid])
